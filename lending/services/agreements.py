"""Loan agreements (draft, signature, handover, end, return of the equipment) and the promissory
notes with their declarations (§6.8) that secure them."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from lebork_einclusion import clock, signatories
from lebork_einclusion.dates import short_date
from lebork_einclusion.office_language import office_text
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import validate_pesel
from lebork_einclusion.records import locked, save_changed, service

from .. import papers, rules
from ..models import (
    Asset,
    AssetEvent,
    DamageClaim,
    LoanAgreement,
    LoanItem,
    Participant,
    PromissoryNote,
    PromissoryNoteStep,
    validate_document_number,
)
from ..queries import is_on_main_list
from ..signals import participation_changed
from ..workflow import check, refusal
from ._common import asset_event, not_in_future
from .notes import record_step

AS = Asset.Status
AG = LoanAgreement.Status


class PlannedReturns(NamedTuple):
    """What one run of do_plan_returns planned: agreements with a return planned, lent items."""

    agreements: int
    items: int


def current_agreement(participant: Participant) -> LoanAgreement | None:
    """The household's agreement in force (or being prepared), else its latest one."""
    agreements = participant.agreements.order_by("-drafted_on", "-pk")
    return agreements.filter(status__in=LoanAgreement.OPEN_STATUSES).first() or agreements.first()


def open_items(agreement: LoanAgreement):
    """Assets of the agreement handed over and not returned yet (nor handed over for
    ownership: those left the register)."""
    return agreement.items.filter(handed_over_on__isnull=False, returned_on__isnull=True).exclude(
        asset__status=AS.TRANSFERRED
    )


def next_agreement_number(year: int) -> str:
    prefix = f"UU/{year}/"
    numbers = LoanAgreement.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max(
        (int(n.rsplit("/", 1)[-1]) for n in numbers if n.rsplit("/", 1)[-1].isdigit()), default=0
    )
    return f"{prefix}{last + 1:03d}"


def next_note_number(year: int) -> str:
    prefix = f"W/{year}/"
    numbers = PromissoryNote.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max(
        (int(n.rsplit("/", 1)[-1]) for n in numbers if n.rsplit("/", 1)[-1].isdigit()), default=0
    )
    return f"{prefix}{last + 1:03d}"


def _check_assets_free(assets: list[Asset]):
    if not assets:
        raise ValidationError({"assets": _("Choose the equipment to lend.")})
    for asset in assets:
        other = (
            LoanItem.objects.filter(asset=asset, returned_on__isnull=True)
            .select_related("agreement")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "assets": _(
                        "Serial number %(serial)s is already assigned in agreement %(number)s."
                    )
                    % {"serial": asset.serial_number, "number": other.agreement.number}
                }
            )
        check("asset", "lend", asset.status, serial=asset.serial_number, field="assets")


@service
def do_create_agreement(
    participant: Participant,
    assets: Iterable[Asset],
    drafted_on: datetime.date | None = None,
    *,
    actor,
) -> LoanAgreement:
    """Prepare a loan agreement (draft) for a household on the approved main list, with the
    equipment chosen from stock."""
    participant = locked(participant)
    application = participant.application
    if not participant.is_active or not is_on_main_list(application):
        raise ValidationError(
            _(
                "Application %(number)s is not on the approved main list: no agreement can be made for it."
            )
            % {"number": application.number}
        )
    if participant.agreements.filter(status__in=LoanAgreement.OPEN_STATUSES).exists():
        raise ValidationError(
            _("The household already has an agreement in force or in preparation.")
        )
    assets = [locked(asset) for asset in assets]
    _check_assets_free(assets)
    drafted_on = drafted_on or clock.today()
    not_in_future("drafted_on", drafted_on, _("The date"))
    agreement = LoanAgreement.objects.create(
        number=next_agreement_number(drafted_on.year),
        participant=participant,
        signatory=participant.signatory,
        drafted_on=drafted_on,
        obligations=rules.OBLIGATIONS,
        created_by=actor,
    )
    LoanItem.objects.bulk_create(LoanItem(agreement=agreement, asset=asset) for asset in assets)
    return agreement


@service
def do_cancel_draft(agreement: LoanAgreement, *, actor) -> None:
    """A draft nobody signed may be thrown away (its equipment stays in stock)."""
    agreement = locked(agreement)
    check("agreement", "cancel", agreement.status)
    agreement.items.all().delete()
    agreement.delete()


def _issuer_and_spouse(
    document_type, document_number, spouse_name, spouse_pesel, spouse_document, consent
) -> dict:
    """The declaration's identity data, checked: the issuer's document (type and number
    together), and a spouse named with a PESEL or a document and the signed consent (art. 41
    of the Family and Guardianship Code), or no spouse data at all."""
    document_number = document_number.strip().upper().replace(" ", "")
    spouse_name, spouse_pesel = spouse_name.strip(), spouse_pesel.strip()
    spouse_document = spouse_document.strip().upper().replace(" ", "")
    if document_type and document_type not in PromissoryNote.Document.values:
        raise ValidationError({"issuer_document_type": _("Choose the kind of document.")})
    if bool(document_type) != bool(document_number):
        field = "issuer_document_number" if document_type else "issuer_document_type"
        raise ValidationError(
            {field: _("Give both the kind and the number of the issuer's identity document.")}
        )
    if document_number:
        validate_document_number(document_number)
    if spouse_name:
        validate_person_name(spouse_name)
        if not (spouse_pesel or spouse_document):
            raise ValidationError(
                {"spouse_pesel": _("Give the spouse's PESEL or identity document number.")}
            )
        if not consent:
            raise ValidationError(
                {
                    "spouse_consent": _(
                        "The spouse named here must sign the consent on the declaration."
                    )
                }
            )
    elif spouse_pesel or spouse_document or consent:
        raise ValidationError({"spouse_name": _("Give the name of the consenting spouse.")})
    if spouse_pesel:
        try:
            validate_pesel(spouse_pesel)
        except ValidationError as error:
            raise ValidationError({"spouse_pesel": error.messages}) from None
    if spouse_document:
        try:
            validate_document_number(spouse_document)
        except ValidationError as error:
            raise ValidationError({"spouse_document_number": error.messages}) from None
    return {
        "issuer_document_type": document_type,
        "issuer_document_number": document_number,
        "spouse_name": spouse_name,
        "spouse_pesel": spouse_pesel,
        "spouse_document_number": spouse_document,
        "spouse_consent": bool(spouse_name and consent),
    }


@service
def do_sign_agreement(
    agreement: LoanAgreement,
    signed_on: datetime.date,
    *,
    actor,
    spouse_name: str = "",
    custody_location: str = "",
    issuer_document_type: str = "",
    issuer_document_number: str = "",
    spouse_pesel: str = "",
    spouse_document_number: str = "",
    spouse_consent: bool = False,
) -> LoanAgreement:
    """The household signs the agreement and hands in the blank promissory note with its
    declaration (§6.8); the note goes into safe custody. The town signs through whoever holds
    the office that day (signatories.for_day), with the treasurer's countersignature."""
    agreement = locked(agreement)
    check("agreement", "sign", agreement.status, number=agreement.number)
    if signed_on < agreement.drafted_on:
        raise ValidationError(
            {
                "signed_on": _("The agreement cannot be signed before it was prepared (%(date)s).")
                % {"date": short_date(agreement.drafted_on)}
            }
        )
    not_in_future("signed_on", signed_on, _("The signing date"))
    items = list(agreement.items.select_related("asset"))
    if not items:
        raise ValidationError(_("The agreement lists no equipment."))
    try:
        signing = signatories.for_day(signed_on)
    except ValidationError as error:
        raise ValidationError({"signed_on": error.messages}) from None
    identity = _issuer_and_spouse(
        issuer_document_type,
        issuer_document_number,
        spouse_name,
        spouse_pesel,
        spouse_document_number,
        spouse_consent,
    )
    agreement.status, agreement.signed_on = AG.SIGNED, signed_on
    agreement.representative, agreement.countersigned_by = (
        signing.representative,
        signing.treasurer,
    )
    save_changed(agreement, "status", "signed_on", "representative", "countersigned_by")
    note = PromissoryNote(
        agreement=agreement,
        number=next_note_number(signed_on.year),
        issuer=agreement.signatory,
        issued_on=signed_on,
        place_of_issue=agreement.place,
        max_amount=sum((item.asset.value for item in items), start=Decimal("0")),
        **identity,
    )
    if custody_location.strip():
        note.custody_location = custody_location.strip()
    note.save()
    record_step(
        note,
        PromissoryNoteStep.Kind.HANDED_IN,
        signed_on,
        actor,
        description=office_text(_("Kept in: %(where)s."), where=note.custody_location),
    )
    papers.archive_binding(agreement, papers.AGREEMENT, papers.DECLARATION, actor=actor)
    return agreement


@service
def do_hand_over(
    agreement: LoanAgreement, handed_over_on: datetime.date, *, actor
) -> LoanAgreement:
    """The equipment is handed over at home (protokół zdawczo-odbiorczy): the 3 years start."""
    agreement = locked(agreement)
    check("agreement", "hand_over", agreement.status, number=agreement.number)
    if handed_over_on < agreement.signed_on:
        raise ValidationError(
            {
                "handed_over_on": _("The handover cannot be before the signature (%(date)s).")
                % {"date": short_date(agreement.signed_on)}
            }
        )
    not_in_future("handed_over_on", handed_over_on, _("The handover date"))
    participant = agreement.participant
    items = list(agreement.items.select_related("asset"))
    events = []
    for item in items:
        asset = locked(item.asset)
        check("asset", "lend", asset.status, serial=asset.serial_number)
        if handed_over_on < asset.delivered_on:
            raise ValidationError(
                {
                    "handed_over_on": _(
                        "Serial number %(serial)s was delivered on %(date)s, after this date."
                    )
                    % {"serial": asset.serial_number, "date": short_date(asset.delivered_on)}
                }
            )
        asset.status, asset.participant = AS.LENT, participant
        save_changed(asset, "status", "participant")
        item.handed_over_on = handed_over_on
        item.save(update_fields=["handed_over_on"])
        events.append(
            asset_event(
                asset,
                AssetEvent.Kind.ASSIGNED,
                handed_over_on,
                actor,
                participant=participant,
                note=office_text(_("Agreement %(number)s."), number=agreement.number),
            )
        )
    AssetEvent.objects.bulk_create(events)
    agreement.status = AG.ACTIVE
    agreement.handed_over_on = handed_over_on
    agreement.ends_on = rules.term_end(handed_over_on, agreement.term_years)
    save_changed(agreement, "status", "handed_over_on", "ends_on")
    participation_changed.send(Participant, participant=participant, actor=actor)
    papers.archive_binding(agreement, papers.HANDOVER, actor=actor)
    return agreement


@service
def do_lend_network_device(
    agreement: LoanAgreement, asset: Asset, handed_over_on: datetime.date, *, actor
) -> LoanItem:
    """The provider's network device (router or modem), installed with the household's
    connection, joins the agreement's lent equipment (§1-2 of the agreement provide for it):
    handed over on the installation day when the agreement is in force, else with the rest."""
    agreement = locked(agreement)
    asset = locked(asset)
    if asset.kind != Asset.Kind.ROUTER:
        raise ValidationError(
            {"asset": _("Only a network device (router or modem) is lent this way.")}
        )
    if agreement.status not in (AG.SIGNED, AG.ACTIVE):
        raise ValidationError(
            _("Agreement %(number)s is not in force: nothing can be lent under it.")
            % {"number": agreement.number}
        )
    _check_assets_free([asset])
    not_in_future("handed_over_on", handed_over_on, _("The handover date"))
    if handed_over_on < max(agreement.signed_on, asset.delivered_on):
        raise ValidationError(
            {
                "handed_over_on": _(
                    "The device cannot be handed over before the signature or its delivery (%(date)s)."
                )
                % {"date": short_date(max(agreement.signed_on, asset.delivered_on))}
            }
        )
    item = LoanItem(agreement=agreement, asset=asset)
    if agreement.status == AG.ACTIVE:
        item.handed_over_on = handed_over_on
        asset.status, asset.participant = AS.LENT, agreement.participant
        save_changed(asset, "status", "participant")
        asset_event(
            asset,
            AssetEvent.Kind.ASSIGNED,
            handed_over_on,
            actor,
            participant=agreement.participant,
            note=office_text(_("Agreement %(number)s."), number=agreement.number),
        ).save()
    item.save()
    return item


def end_agreement(agreement, ended_on, reason, *, terminated, return_due_on=None):
    """End a locked agreement: its status, and the return of what was handed over scheduled."""
    refused = refusal(
        "agreement",
        "end",
        agreement.status,
        number=agreement.number,
        date=short_date(agreement.ended_on) if agreement.ended_on else "—",
    )
    if refused:
        raise ValidationError(refused)
    if agreement.signed_on and ended_on < agreement.signed_on:
        raise ValidationError({"ended_on": _("The agreement cannot end before it was signed.")})
    if agreement.handed_over_on and ended_on < agreement.handed_over_on:
        raise ValidationError({"ended_on": _("The agreement cannot end before the handover.")})
    due = return_due_on or rules.return_due(ended_on)
    if due < ended_on:
        raise ValidationError({"return_due_on": _("The return cannot be due before the end.")})
    open_items(agreement).update(return_due_on=due)
    agreement.status = AG.TERMINATED if terminated else AG.ENDED
    agreement.ended_on, agreement.end_reason = ended_on, reason.strip()
    save_changed(agreement, "status", "ended_on", "end_reason")
    return due


@service
def do_end_agreement(
    agreement: LoanAgreement,
    ended_on: datetime.date,
    reason: str,
    *,
    actor,
    return_due_on: datetime.date | None = None,
) -> LoanAgreement:
    """The agreement's term is over (or it ends by agreement of the parties): the equipment is
    to come back by the date set. Ending participation (§7) goes through do_end_participation."""
    agreement = locked(agreement)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    not_in_future("ended_on", ended_on, _("The end date"))
    end_agreement(agreement, ended_on, reason, terminated=False, return_due_on=return_due_on)
    return agreement


@service
def do_record_return(
    agreement: LoanAgreement,
    returns: list[tuple[Asset, str, str]],
    returned_on: datetime.date,
    *,
    actor,
) -> list[LoanItem]:
    """Equipment comes back (return protocol): (asset, condition, note) per serial. Only assets
    handed over under this agreement and not returned yet can come back under it."""
    agreement = locked(agreement)
    if not returns:
        raise ValidationError(_("Tick the equipment that came back."))
    not_in_future("returned_on", returned_on, _("The return date"))
    participant = agreement.participant
    items = {item.asset_id: item for item in open_items(agreement).select_related("asset")}
    done, events = [], []
    for asset, condition, note in returns:
        item = items.get(asset.pk)
        if item is None:
            raise ValidationError(
                _(
                    "Serial number %(serial)s is not lent to this household under agreement %(number)s: its return cannot be recorded here."
                )
                % {"serial": asset.serial_number, "number": agreement.number}
            )
        if returned_on < item.handed_over_on:
            raise ValidationError(
                {
                    "returned_on": _("The return cannot be before the handover (%(date)s).")
                    % {"date": short_date(item.handed_over_on)}
                }
            )
        if condition not in Asset.Condition.values:
            raise ValidationError(
                {"condition": _("Choose the condition of the returned equipment.")}
            )
        asset = locked(asset)
        item.returned_on, item.return_condition, item.return_note = (
            returned_on,
            condition,
            note.strip()[:300],
        )
        item.save(update_fields=["returned_on", "return_condition", "return_note"])
        asset.status, asset.participant, asset.condition = AS.IN_STOCK, None, condition
        save_changed(asset, "status", "participant", "condition")
        events.append(
            asset_event(
                asset,
                AssetEvent.Kind.RETURNED,
                returned_on,
                actor,
                participant=participant,
                note=office_text(
                    _("Agreement %(number)s, condition: %(condition)s."),
                    number=agreement.number,
                    condition=asset.get_condition_display(),
                )
                + (f" {note.strip()}" if note.strip() else ""),
            )
        )
        done.append(item)
    AssetEvent.objects.bulk_create(events)
    papers.archive_binding(agreement, papers.RETURN, actor=actor)
    return done


def note_release_refusal(note: PromissoryNote) -> str | None:
    """Why the note cannot be returned or destroyed yet (None: it can). §6.8: the note secures
    the claims until the obligations end: the agreement ended, the equipment back, no claim open."""
    refused = refusal("note", "release", note.status)
    if refused:
        return refused
    agreement = note.agreement
    if agreement.is_open:
        return _("Agreement %(number)s is still in force: the note secures it.") % {
            "number": agreement.number
        }
    if open_items(agreement).exists():
        return _("Not all the equipment of agreement %(number)s has come back yet.") % {
            "number": agreement.number
        }
    if note.claims.filter(status=DamageClaim.Status.OPEN).exists():
        return _("A damage claim secured by this note is still open.")
    return None


@service
def do_release_note(
    note: PromissoryNote, status: str, released_on: datetime.date, record: str, *, actor
) -> PromissoryNote:
    """The note goes back to the issuer, or is destroyed, with a record (§6.8)."""
    note = locked(note)
    if status not in (PromissoryNote.Status.RETURNED, PromissoryNote.Status.DESTROYED):
        raise ValidationError({"status": _("Choose whether the note was returned or destroyed.")})
    if not record.strip():
        raise ValidationError(
            {"record": _("Describe the return or destruction (who was present, the protocol).")}
        )
    refusal = note_release_refusal(note)
    if refusal:
        raise ValidationError(refusal)
    if note.agreement.ended_on and released_on < note.agreement.ended_on:
        raise ValidationError(
            {"released_on": _("The note cannot be released before the agreement ended.")}
        )
    not_in_future("released_on", released_on, _("The date"))
    note.status, note.released_on, note.release_record, note.released_by = (
        status,
        released_on,
        record.strip(),
        actor,
    )
    save_changed(note)
    record_step(note, status, released_on, actor, description=record.strip())
    papers.archive_note_protocol(note, actor=actor)
    return note


@service
def do_plan_returns(day: datetime.date, *, actor) -> PlannedReturns:
    """For every agreement in force whose term (as annexes left it) ended before `day`, the
    equipment still out is due back `RETURN_DAYS` after that end (Kodeks cywilny art. 718: the
    borrower returns the thing when the term is over). A return is planned per lent item (the
    computer set and the router lent with the connection each come back). Only items with no
    due date yet are planned, so a second run plans nothing; the agreement itself is not ended
    (the coordinator records the end, an annex or the transfer). Returns how many agreements
    had returns planned and for how many items."""
    agreements = items = 0
    overdue = LoanAgreement.objects.filter(status=AG.ACTIVE, ends_on__lt=day).select_for_update()
    for agreement in overdue:
        planned = (
            open_items(agreement)
            .filter(return_due_on__isnull=True)
            .update(return_due_on=rules.return_due(agreement.ends_on))
        )
        if planned:
            agreements += 1
            items += planned
    return PlannedReturns(agreements, items)


def expiring_agreements(today: datetime.date, days: int = 90):
    return (
        LoanAgreement.objects.filter(
            status=AG.ACTIVE, ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=days)
        )
        .select_related("participant__application", "signatory")
        .order_by("ends_on", "number")
    )


def returns_due():
    """Assets due back (ended agreements) and not returned yet, earliest first."""
    return (
        LoanItem.objects.filter(return_due_on__isnull=False, returned_on__isnull=True)
        .select_related("asset", "agreement__participant__application", "agreement__signatory")
        .order_by("return_due_on", "agreement__number")
    )


def notes_to_release():
    """Notes in custody whose obligations have ended: the agreement over, all equipment back,
    no claim open."""
    ended = [AG.ENDED, AG.TERMINATED, AG.TRANSFERRED]
    return (
        PromissoryNote.objects.filter(
            status=PromissoryNote.Status.IN_CUSTODY, agreement__status__in=ended
        )
        .exclude(
            Exists(
                LoanItem.objects.filter(
                    agreement=OuterRef("agreement"),
                    handed_over_on__isnull=False,
                    returned_on__isnull=True,
                ).exclude(asset__status=AS.TRANSFERRED)
            )
        )
        .exclude(
            Exists(DamageClaim.objects.filter(note=OuterRef("pk"), status=DamageClaim.Status.OPEN))
        )
        .select_related("agreement__participant__application", "issuer")
        .order_by("agreement__ended_on", "number")
    )


def assets_for_agreement():
    """What may go into a new agreement: equipment in stock, not in another open agreement."""
    return (
        Asset.objects.filter(status=AS.IN_STOCK)
        .exclude(Exists(LoanItem.objects.filter(asset=OuterRef("pk"), returned_on__isnull=True)))
        .exclude(condition__in=[Asset.Condition.DESTROYED, Asset.Condition.LOST])
        .order_by("kind", "serial_number")
    )
