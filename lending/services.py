"""Every write of lending: one `do_*` function per state change, taking the acting user, each
in one transaction. A refused step raises ValidationError with a clear (translated) message,
keyed by the form field at fault where there is one; nothing is written then.

Other apps call these too: monitoring records service, damage and outages and proposes
exclusions (`do_record_service`, `do_open_damage_claim`, `do_report_outage`,
`do_propose_exclusion`). The reads other apps use are in queries.py (`lent_assets()` and
`active_connection()`, also importable from here).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.fields import max_length_of
from lebork_einclusion.models import Project, PublicUnit
from lebork_einclusion.office_language import office_text
from recruitment import domain
from recruitment.models import Application, Call
from recruitment.queries import latest_version
from recruitment.services import do_promote_from_reserve

from . import rules
from .models import (
    Asset,
    AssetEvent,
    Connection,
    DamageClaim,
    ExclusionProposal,
    LoanAgreement,
    LoanItem,
    Outage,
    Participant,
    ParticipationEnd,
    PromissoryNote,
    ServiceRecord,
)
from .queries import active_connection as active_connection
from .queries import lent_assets as lent_assets
from .signals import participation_changed

AS = Asset.Status
AG = LoanAgreement.Status


# --- helpers ---------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(field: str, value: datetime.date, label: str):
    if value > _today():
        raise ValidationError({field: _("%(label)s cannot be in the future.") % {"label": label}})


def _locked(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _event(asset, kind, date, actor, *, participant=None, unit=None, note=""):
    return AssetEvent(
        asset=asset,
        kind=kind,
        date=date,
        participant=participant,
        public_unit=unit,
        note=note[:500],
        actor=actor if getattr(actor, "pk", None) else None,
    )


# --- participants ------------------------------------------------------------------------------------


def main_list_applications(call: Call):
    """Applications on the main list of the call's latest version of the lists."""
    version = latest_version(call)
    if version is None:
        return Application.objects.none()
    return Application.objects.filter(
        pk__in=version.entries.filter(status=domain.MAIN).values("application_id")
    )


def is_on_main_list(application: Application) -> bool:
    return main_list_applications(application.call).filter(pk=application.pk).exists()


def default_signatory(application: Application):
    """§6: the beneficiary signs, that is the applicant (an adult: a parent or legal guardian
    where the application is made for a minor)."""
    return application.members.filter(role=domain.APPLICANT).order_by("pk").first()


@transaction.atomic
def do_enrol(
    application: Application, joined_on: datetime.date, actor, signatory=None
) -> Participant:
    """An applicant on the approved main list becomes a participant."""
    if not is_on_main_list(application):
        raise ValidationError(
            _("Application %(number)s is not on the approved main list: it cannot take part.")
            % {"number": application.number}
        )
    if Participant.objects.filter(application=application).exists():
        raise ValidationError(
            _("Application %(number)s already takes part.") % {"number": application.number}
        )
    signatory = signatory or default_signatory(application)
    if signatory is None or signatory.application_id != application.pk:
        raise ValidationError(_("The signatory must be a member of the household."))
    return Participant.objects.create(
        application=application,
        signatory=signatory,
        joined_on=joined_on,
        phone=application.phone,
    )


# --- read helpers ---------------------------------------------------------------------------------


def current_agreement(participant: Participant) -> LoanAgreement | None:
    """The household's agreement in force (or being prepared), else its latest one."""
    agreements = participant.agreements.order_by("-drafted_on", "-pk")
    return agreements.filter(status__in=LoanAgreement.OPEN_STATUSES).first() or agreements.first()


def open_items(agreement: LoanAgreement):
    """Assets of the agreement handed over and not returned yet."""
    return agreement.items.filter(handed_over_on__isnull=False, returned_on__isnull=True)


# --- equipment ------------------------------------------------------------------------------------------


@transaction.atomic
def do_import_delivery(
    table: list[dict],
    contract,
    delivered_on: datetime.date,
    actor,
    *,
    insurance_contract=None,
    insurance_policy: str = "",
) -> list[Asset]:
    """Register the equipment of a delivery list (rows from tables.read_table). Every row is
    checked first; a single problem refuses the whole file and nothing is saved."""
    _not_in_future("delivered_on", delivered_on, _("The delivery date"))
    serials = rules.serials_in(table)
    registered = set(
        Asset.objects.filter(serial_number__in=serials).values_list("serial_number", flat=True)
    )
    inventory = set(
        Asset.objects.exclude(inventory_number="").values_list("inventory_number", flat=True)
    )
    limits = {
        name: max_length_of(Asset, name)
        for name in ("make_model", "serial_number", "inventory_number")
    }
    rows, problems = rules.check_delivery(table, registered, inventory, limits)
    if problems:
        raise ValidationError([str(problem) for problem in problems], code="delivery_rows")
    assets = Asset.objects.bulk_create(
        Asset(
            kind=row.kind,
            make_model=row.make_model,
            serial_number=row.serial_number,
            inventory_number=row.inventory_number,
            value=row.value,
            warranty_until=row.warranty_until,
            contract=contract,
            delivered_on=delivered_on,
            insurance_contract=insurance_contract,
            insurance_policy=insurance_policy,
        )
        for row in rows
    )
    note = office_text(_("Delivery under contract %(number)s."), number=contract.number)
    AssetEvent.objects.bulk_create(
        _event(asset, AssetEvent.Kind.DELIVERED, delivered_on, actor, note=note) for asset in assets
    )
    return assets


@transaction.atomic
def do_update_asset(form, actor) -> Asset:
    """Save corrections of an asset's details (a VersionedForm): refused when someone saved it
    in the meantime; the corrected fields go into its history."""
    from lebork_einclusion.concurrency import save_versioned

    changed = [str(form.fields[name].label) for name in form.changed_data if name in form.fields]
    asset = save_versioned(form)
    if changed:
        _event(
            asset,
            AssetEvent.Kind.CHANGED,
            _today(),
            actor,
            note=office_text(_("Corrected: %(fields)s."), fields=", ".join(changed)),
        ).save()
    return asset


@transaction.atomic
def do_place_in_unit(assets: Iterable[Asset], unit: PublicUnit, placed_on, actor) -> list[Asset]:
    """Assets from stock go to a public unit's computer lab."""
    _not_in_future("placed_on", placed_on, _("The date"))
    placed = []
    for asset in assets:
        asset = _locked(asset)
        if asset.status != AS.IN_STOCK:
            raise ValidationError(
                _("Asset %(serial)s is not in stock (%(status)s): it cannot be placed in a unit.")
                % {"serial": asset.serial_number, "status": asset.get_status_display()}
            )
        if placed_on < asset.delivered_on:
            raise ValidationError(
                {
                    "placed_on": _("The date cannot be before the delivery (%(date)s).")
                    % {"date": short_date(asset.delivered_on)}
                }
            )
        asset.status, asset.public_unit = AS.AT_UNIT, unit
        asset.version += 1
        asset.save(update_fields=["status", "public_unit", "version"])
        _event(asset, AssetEvent.Kind.ASSIGNED, placed_on, actor, unit=unit).save()
        placed.append(asset)
    if not placed:
        raise ValidationError(_("Choose at least one asset."))
    return placed


@transaction.atomic
def do_return_from_unit(asset: Asset, returned_on, actor, note: str = "") -> Asset:
    asset = _locked(asset)
    if asset.status != AS.AT_UNIT:
        raise ValidationError(
            _("Asset %(serial)s is not in a public unit.") % {"serial": asset.serial_number}
        )
    _not_in_future("returned_on", returned_on, _("The date"))
    unit = asset.public_unit
    asset.status, asset.public_unit = AS.IN_STOCK, None
    asset.version += 1
    asset.save(update_fields=["status", "public_unit", "version"])
    _event(asset, AssetEvent.Kind.RETURNED, returned_on, actor, unit=unit, note=note).save()
    return asset


@transaction.atomic
def do_write_off(asset: Asset, written_off_on, reason: str, actor) -> Asset:
    """Take an asset off the register (destroyed, lost, beyond repair); never one still lent."""
    asset = _locked(asset)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the write-off.")})
    if asset.status == AS.WRITTEN_OFF:
        raise ValidationError(_("The asset is already written off."))
    if asset.loan_items.filter(returned_on__isnull=True).exists():
        raise ValidationError(
            _("Asset %(serial)s is in a loan agreement: record its return first.")
            % {"serial": asset.serial_number}
        )
    _not_in_future("written_off_on", written_off_on, _("The date"))
    unit = asset.public_unit
    asset.status, asset.public_unit, asset.participant = AS.WRITTEN_OFF, None, None
    asset.version += 1
    asset.save(update_fields=["status", "public_unit", "participant", "version"])
    _event(
        asset, AssetEvent.Kind.WRITTEN_OFF, written_off_on, actor, unit=unit, note=reason.strip()
    ).save()
    return asset


# --- service and damage -----------------------------------------------------------------------------


@transaction.atomic
def do_record_service(
    asset: Asset,
    description: str,
    actor,
    *,
    kind: str = ServiceRecord.Kind.REPAIR,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    provider: str = "",
    cost: Decimal | None = None,
    taken_away: bool = False,
) -> ServiceRecord:
    """Record service of an asset (§6.5). Taken away and not completed yet, the asset is in
    service until do_complete_service(); it keeps its holder, to whom it goes back."""
    asset = _locked(asset)
    if not description.strip():
        raise ValidationError({"description": _("Describe the service.")})
    if asset.status == AS.WRITTEN_OFF:
        raise ValidationError(_("The asset is written off: it is not serviced any more."))
    started_on = started_on or _today()
    _not_in_future("started_on", started_on, _("The start date"))
    if completed_on and completed_on < started_on:
        raise ValidationError({"completed_on": _("The service cannot end before it starts.")})
    if completed_on:
        _not_in_future("completed_on", completed_on, _("The completion date"))
    if taken_away and not completed_on and asset.status == AS.IN_SERVICE:
        raise ValidationError(_("The asset is already away in service."))
    record = ServiceRecord.objects.create(
        asset=asset,
        kind=kind,
        description=description.strip(),
        started_on=started_on,
        completed_on=completed_on,
        provider=provider or asset.contract.supplier.name,
        cost=cost,
        taken_away=taken_away,
        recorded_by=actor,
    )
    events = [
        _event(
            asset,
            AssetEvent.Kind.IN_SERVICE,
            started_on,
            actor,
            participant=asset.participant,
            unit=asset.public_unit,
            note=f"{record.get_kind_display()}: {record.description}",
        )
    ]
    if completed_on:
        events.append(
            _event(
                asset,
                AssetEvent.Kind.SERVICED,
                completed_on,
                actor,
                participant=asset.participant,
                unit=asset.public_unit,
            )
        )
    elif taken_away:
        asset.status = AS.IN_SERVICE
        asset.version += 1
        asset.save(update_fields=["status", "version"])
    AssetEvent.objects.bulk_create(events)
    return record


def _status_of_holder(asset: Asset) -> str:
    if asset.participant_id:
        return AS.LENT
    if asset.public_unit_id:
        return AS.AT_UNIT
    return AS.IN_STOCK


@transaction.atomic
def do_complete_service(record: ServiceRecord, completed_on, actor, *, cost=None, condition=None):
    record = _locked(record)
    if record.completed_on:
        raise ValidationError(_("This service is already completed."))
    if completed_on < record.started_on:
        raise ValidationError({"completed_on": _("The service cannot end before it starts.")})
    _not_in_future("completed_on", completed_on, _("The completion date"))
    record.completed_on = completed_on
    if cost is not None:
        record.cost = cost
    record.save(update_fields=["completed_on", "cost"])
    asset = _locked(record.asset)
    fields = ["version"]
    if asset.status == AS.IN_SERVICE:
        asset.status = _status_of_holder(asset)
        fields.append("status")
    if condition:
        asset.condition = condition
        fields.append("condition")
    asset.version += 1
    asset.save(update_fields=fields)
    _event(
        asset,
        AssetEvent.Kind.SERVICED,
        completed_on,
        actor,
        participant=asset.participant,
        unit=asset.public_unit,
    ).save()
    return record


def _open_item(asset: Asset) -> LoanItem | None:
    return (
        LoanItem.objects.filter(asset=asset, returned_on__isnull=True, handed_over_on__isnull=False)
        .select_related("agreement")
        .first()
    )


@transaction.atomic
def do_open_damage_claim(
    asset: Asset,
    description: str,
    actor,
    *,
    occurred_on: datetime.date | None = None,
    kind: str = DamageClaim.Kind.REPAIR,
    amount: Decimal | None = None,
    condition: str = Asset.Condition.DAMAGED,
) -> DamageClaim:
    """Damage, destruction, loss or disposal of an asset (§6.3-4): the claim for the repair or
    for a new set, linked to the agreement the asset is lent under and its promissory note."""
    asset = _locked(asset)
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    occurred_on = occurred_on or _today()
    _not_in_future("occurred_on", occurred_on, _("The date"))
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    item = _open_item(asset)
    agreement = item.agreement if item else None
    note = PromissoryNote.objects.filter(agreement=agreement).first() if agreement else None
    claim = DamageClaim.objects.create(
        asset=asset,
        agreement=agreement,
        note=note,
        kind=kind,
        description=description.strip(),
        occurred_on=occurred_on,
        amount=amount,
        opened_by=actor,
    )
    asset.condition = condition
    asset.version += 1
    asset.save(update_fields=["condition", "version"])
    _event(
        asset,
        AssetEvent.Kind.DAMAGED,
        occurred_on,
        actor,
        participant=asset.participant,
        unit=asset.public_unit,
        note=description.strip(),
    ).save()
    return claim


@transaction.atomic
def do_settle_claim(
    claim: DamageClaim, status: str, settled_on, note: str, actor, *, amount=None
) -> DamageClaim:
    claim = _locked(claim)
    if claim.status != DamageClaim.Status.OPEN:
        raise ValidationError(_("This claim is already settled."))
    if status not in DamageClaim.Status.values or status == DamageClaim.Status.OPEN:
        raise ValidationError({"status": _("Choose how the claim was settled.")})
    if settled_on < claim.occurred_on:
        raise ValidationError({"settled_on": _("The claim cannot be settled before it arose.")})
    _not_in_future("settled_on", settled_on, _("The date"))
    if status == DamageClaim.Status.ENFORCED:
        if claim.note is None:
            raise ValidationError(
                {
                    "status": _(
                        "No promissory note secures this claim: it cannot be recovered under one."
                    )
                }
            )
        if claim.note.status != PromissoryNote.Status.IN_CUSTODY:
            raise ValidationError({"status": _("The promissory note is no longer in custody.")})
    if amount is not None:
        claim.amount = amount
    claim.status, claim.settled_on, claim.settlement_note = status, settled_on, note.strip()
    claim.version += 1
    claim.save()
    if status == DamageClaim.Status.ENFORCED:
        # Filled in only as the declaration allows: up to its maximum, after notice (§6.8).
        PromissoryNote.objects.filter(pk=claim.note_id).update(
            status=PromissoryNote.Status.FILLED_IN,
            released_on=settled_on,
            release_record=note.strip(),
            released_by=actor,
        )
    return claim


# --- loan agreements -----------------------------------------------------------------------------------


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
        if asset.status != AS.IN_STOCK:
            raise ValidationError(
                {
                    "assets": _("Serial number %(serial)s is not in stock (%(status)s).")
                    % {"serial": asset.serial_number, "status": asset.get_status_display()}
                }
            )


@transaction.atomic
def do_create_agreement(
    participant: Participant,
    assets: Iterable[Asset],
    actor,
    drafted_on: datetime.date | None = None,
) -> LoanAgreement:
    """Prepare a loan agreement (draft) for a household on the approved main list, with the
    equipment chosen from stock."""
    participant = _locked(participant)
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
    assets = [_locked(asset) for asset in assets]
    _check_assets_free(assets)
    drafted_on = drafted_on or _today()
    _not_in_future("drafted_on", drafted_on, _("The date"))
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


@transaction.atomic
def do_cancel_draft(agreement: LoanAgreement, actor) -> None:
    """A draft nobody signed may be thrown away (its equipment stays in stock)."""
    agreement = _locked(agreement)
    if agreement.status != AG.DRAFT:
        raise ValidationError(
            _("Only a draft can be cancelled; a signed agreement is ended instead.")
        )
    agreement.items.all().delete()
    agreement.delete()


@transaction.atomic
def do_sign_agreement(
    agreement: LoanAgreement,
    signed_on: datetime.date,
    actor,
    *,
    spouse_name: str = "",
    custody_location: str = "",
) -> LoanAgreement:
    """The household signs the agreement and hands in the blank promissory note with its
    declaration (§6.8); the note goes into safe custody."""
    agreement = _locked(agreement)
    if agreement.status != AG.DRAFT:
        raise ValidationError(
            _("Agreement %(number)s is %(status)s: only a draft can be signed.")
            % {"number": agreement.number, "status": agreement.get_status_display()}
        )
    if signed_on < agreement.drafted_on:
        raise ValidationError(
            {
                "signed_on": _("The agreement cannot be signed before it was prepared (%(date)s).")
                % {"date": short_date(agreement.drafted_on)}
            }
        )
    _not_in_future("signed_on", signed_on, _("The signing date"))
    items = list(agreement.items.select_related("asset"))
    if not items:
        raise ValidationError(_("The agreement lists no equipment."))
    agreement.status, agreement.signed_on = AG.SIGNED, signed_on
    agreement.version += 1
    agreement.save(update_fields=["status", "signed_on", "version"])
    note = PromissoryNote(
        agreement=agreement,
        number=next_note_number(signed_on.year),
        issuer=agreement.signatory,
        issued_on=signed_on,
        place_of_issue=agreement.place,
        max_amount=sum((item.asset.value for item in items), start=Decimal("0")),
        spouse_name=spouse_name.strip(),
    )
    if custody_location.strip():
        note.custody_location = custody_location.strip()
    note.save()
    return agreement


@transaction.atomic
def do_hand_over(agreement: LoanAgreement, handed_over_on: datetime.date, actor) -> LoanAgreement:
    """The equipment is handed over at home (protokół zdawczo-odbiorczy): the 3 years start."""
    agreement = _locked(agreement)
    if agreement.status == AG.DRAFT:
        raise ValidationError(
            _(
                "Agreement %(number)s is not signed yet: the equipment is handed over after the signature."
            )
            % {"number": agreement.number}
        )
    if agreement.status != AG.SIGNED:
        raise ValidationError(
            _("Agreement %(number)s is %(status)s: its equipment cannot be handed over now.")
            % {"number": agreement.number, "status": agreement.get_status_display()}
        )
    if handed_over_on < agreement.signed_on:
        raise ValidationError(
            {
                "handed_over_on": _("The handover cannot be before the signature (%(date)s).")
                % {"date": short_date(agreement.signed_on)}
            }
        )
    _not_in_future("handed_over_on", handed_over_on, _("The handover date"))
    participant = agreement.participant
    items = list(agreement.items.select_related("asset"))
    events = []
    for item in items:
        asset = _locked(item.asset)
        if asset.status != AS.IN_STOCK:
            raise ValidationError(
                _("Serial number %(serial)s is not in stock (%(status)s).")
                % {"serial": asset.serial_number, "status": asset.get_status_display()}
            )
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
        asset.version += 1
        asset.save(update_fields=["status", "participant", "version"])
        item.handed_over_on = handed_over_on
        item.save(update_fields=["handed_over_on"])
        events.append(
            _event(
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
    agreement.version += 1
    agreement.save(update_fields=["status", "handed_over_on", "ends_on", "version"])
    participation_changed.send(Participant, participant=participant, actor=actor)
    return agreement


def _end_agreement(agreement, ended_on, reason, *, terminated, return_due_on=None):
    """End a locked agreement: its status, and the return of what was handed over scheduled."""
    if not agreement.is_open:
        raise ValidationError(
            _("Agreement %(number)s has already ended (%(status)s, %(date)s).")
            % {
                "number": agreement.number,
                "status": agreement.get_status_display(),
                "date": short_date(agreement.ended_on) if agreement.ended_on else "—",
            }
        )
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
    agreement.version += 1
    agreement.save(update_fields=["status", "ended_on", "end_reason", "version"])
    return due


@transaction.atomic
def do_end_agreement(
    agreement: LoanAgreement,
    ended_on: datetime.date,
    reason: str,
    actor,
    *,
    return_due_on: datetime.date | None = None,
) -> LoanAgreement:
    """The agreement's term is over (or it ends by agreement of the parties): the equipment is
    to come back by the date set. Ending participation (§7) goes through do_end_participation."""
    agreement = _locked(agreement)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    _not_in_future("ended_on", ended_on, _("The end date"))
    _end_agreement(agreement, ended_on, reason, terminated=False, return_due_on=return_due_on)
    return agreement


@transaction.atomic
def do_record_return(
    agreement: LoanAgreement,
    returns: list[tuple[Asset, str, str]],
    returned_on: datetime.date,
    actor,
) -> list[LoanItem]:
    """Equipment comes back (return protocol): (asset, condition, note) per serial. Only assets
    handed over under this agreement and not returned yet can come back under it."""
    agreement = _locked(agreement)
    if not returns:
        raise ValidationError(_("Tick the equipment that came back."))
    _not_in_future("returned_on", returned_on, _("The return date"))
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
        asset = _locked(asset)
        item.returned_on, item.return_condition, item.return_note = (
            returned_on,
            condition,
            note.strip()[:300],
        )
        item.save(update_fields=["returned_on", "return_condition", "return_note"])
        asset.status, asset.participant, asset.condition = AS.IN_STOCK, None, condition
        asset.version += 1
        asset.save(update_fields=["status", "participant", "condition", "version"])
        events.append(
            _event(
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
    return done


def note_release_refusal(note: PromissoryNote) -> str | None:
    """Why the note cannot be returned or destroyed yet (None: it can). §6.8: the note secures
    the claims until the obligations end: the agreement ended, the equipment back, no claim open."""
    if note.status != PromissoryNote.Status.IN_CUSTODY:
        return _("The promissory note is no longer in custody (%(status)s).") % {
            "status": note.get_status_display()
        }
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


@transaction.atomic
def do_release_note(
    note: PromissoryNote, status: str, released_on: datetime.date, record: str, actor
) -> PromissoryNote:
    """The note goes back to the issuer, or is destroyed, with a record (§6.8)."""
    note = _locked(note)
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
    _not_in_future("released_on", released_on, _("The date"))
    note.status, note.released_on, note.release_record, note.released_by = (
        status,
        released_on,
        record.strip(),
        actor,
    )
    note.version += 1
    note.save()
    return note


# --- the end of participation (§7) ----------------------------------------------------------------


END_STATUS = {
    ParticipationEnd.Kind.RESIGNATION: Participant.Status.RESIGNED,
    ParticipationEnd.Kind.TERMINATION: Participant.Status.TERMINATED,
    ParticipationEnd.Kind.EXCLUSION: Participant.Status.EXCLUDED,
}


@transaction.atomic
def do_end_participation(
    participant: Participant,
    kind: str,
    decided_on: datetime.date,
    reason: str,
    actor,
    *,
    statement_on: datetime.date | None = None,
    return_due_on: datetime.date | None = None,
    proposal: ExclusionProposal | None = None,
) -> ParticipationEnd:
    """§7 in one transaction: the household's participation ends (resignation, criteria no
    longer met, exclusion), its agreement is terminated and the return of the equipment
    scheduled, its connection ends, the place goes to the first on the reserve list as a new
    version of the lists, and the promoted household is enrolled, waiting for its agreement.
    With an empty reserve list the place stays open (a version of kind "vacancy")."""
    participant = _locked(participant)
    if not participant.is_active:
        raise ValidationError(
            _("The participation of %(number)s has already ended (%(status)s, %(date)s).")
            % {
                "number": participant.application.number,
                "status": participant.get_status_display(),
                "date": short_date(participant.ended_on) if participant.ended_on else "—",
            }
        )
    if kind not in END_STATUS:
        raise ValidationError({"kind": _("Choose how the participation ends.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason or the facts.")})
    if kind == ParticipationEnd.Kind.RESIGNATION and statement_on is None:
        raise ValidationError(
            {
                "statement_on": _(
                    "A resignation is made in writing (§7.2): give the date of the letter."
                )
            }
        )
    _not_in_future("decided_on", decided_on, _("The date of the end"))
    if decided_on < participant.joined_on:
        raise ValidationError({"decided_on": _("The participation cannot end before it began.")})
    if statement_on:
        _not_in_future("statement_on", statement_on, _("The date of the statement"))
        if statement_on > decided_on:
            raise ValidationError(
                {"statement_on": _("The statement cannot be dated after the end.")}
            )
    agreement = (
        LoanAgreement.objects.select_for_update()
        .filter(participant=participant, status__in=LoanAgreement.OPEN_STATUSES)
        .first()
    )
    due = None
    label = ParticipationEnd.Kind(kind).label
    if agreement is not None:
        due = _end_agreement(
            agreement,
            decided_on,
            office_text("%(kind)s: %(reason)s", kind=label, reason=reason.strip()),
            terminated=True,
            return_due_on=return_due_on,
        )
        if not open_items(agreement).exists():
            due = None
    for connection in (
        Connection.objects.select_for_update()
        .filter(participant=participant)
        .exclude(status=Connection.Status.ENDED)
    ):
        connection.status, connection.status_since = Connection.Status.ENDED, decided_on
        connection.status_note = office_text(_("Participation ended: %(kind)s."), kind=label)
        connection.version += 1
        connection.save(update_fields=["status", "status_since", "status_note", "version"])
    participant.status = END_STATUS[kind]
    participant.ended_on, participant.end_reason = decided_on, reason.strip()
    participant.version += 1
    participant.save(update_fields=["status", "ended_on", "end_reason", "version"])
    application = participant.application
    promotion = do_promote_from_reserve(
        application,
        office_text("%(kind)s: %(reason)s", kind=label, reason=reason.strip()),
        actor=actor,
        decided_on=decided_on,
    )
    promoted = (
        do_enrol(promotion.promoted, decided_on, actor) if promotion.promoted is not None else None
    )
    end = ParticipationEnd.objects.create(
        participant=participant,
        kind=kind,
        decided_on=decided_on,
        statement_on=statement_on,
        reason=reason.strip(),
        agreement=agreement,
        return_due_on=due,
        exclusion_proposal=proposal,
        ranking_version=promotion.version,
        promoted=promoted,
        recorded_by=actor,
    )
    participation_changed.send(Participant, participant=participant, actor=actor)
    return end


@transaction.atomic
def do_propose_exclusion(
    participant: Participant, facts: str, actor, proposed_on: datetime.date | None = None
) -> ExclusionProposal:
    """Propose excluding a household (§7.4) with the facts found (a monitoring visit, a report).
    It never excludes by itself: the coordinator decides (do_decide_exclusion)."""
    participant = _locked(participant)
    if not facts.strip():
        raise ValidationError(
            {"facts": _("Describe the facts: which obligation was broken, when, how it was found.")}
        )
    if not participant.is_active:
        raise ValidationError(_("The household no longer takes part."))
    if participant.exclusion_proposals.filter(status=ExclusionProposal.Status.PENDING).exists():
        raise ValidationError(
            _("A proposal to exclude this household is already waiting for the coordinator.")
        )
    proposed_on = proposed_on or _today()
    _not_in_future("proposed_on", proposed_on, _("The date"))
    return ExclusionProposal.objects.create(
        participant=participant, facts=facts.strip(), proposed_by=actor, proposed_on=proposed_on
    )


@transaction.atomic
def do_decide_exclusion(
    proposal: ExclusionProposal,
    accept: bool,
    reason: str,
    actor,
    *,
    decided_on: datetime.date | None = None,
    return_due_on: datetime.date | None = None,
) -> ExclusionProposal:
    """The coordinator's decision: accepted, the household is excluded through
    do_end_participation (agreement, return, promotion); rejected, with the reason."""
    proposal = _locked(proposal)
    if proposal.status != ExclusionProposal.Status.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    decided_on = decided_on or _today()
    if decided_on < proposal.proposed_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the proposal.")})
    proposal.status = (
        ExclusionProposal.Status.ACCEPTED if accept else ExclusionProposal.Status.REJECTED
    )
    proposal.decided_by, proposal.decided_on, proposal.decision_reason = (
        actor,
        decided_on,
        reason.strip(),
    )
    proposal.save()
    if accept:
        do_end_participation(
            proposal.participant,
            ParticipationEnd.Kind.EXCLUSION,
            decided_on,
            f"{proposal.facts}\n{reason.strip()}",
            actor,
            return_due_on=return_due_on,
            proposal=proposal,
        )
    return proposal


# --- Internet connections ---------------------------------------------------------------------------


def durability_end() -> datetime.date:
    project = Project.current()
    if project is None:
        raise ValidationError(_("Fill in the project record first (its end date)."))
    return project.durability_end


@transaction.atomic
def do_connect(
    subscriber: Participant | PublicUnit,
    contract,
    installed_on: datetime.date,
    actor,
    *,
    technology: str = "",
) -> Connection:
    """A household or a public unit is connected; the connection is kept to the end of the
    durability period (the project's end + 5 years)."""
    is_household = isinstance(subscriber, Participant)
    if is_household:
        subscriber = _locked(subscriber)
        if not subscriber.is_active:
            raise ValidationError(_("The household no longer takes part."))
    open_connections = Connection.objects.exclude(status=Connection.Status.ENDED)
    lookup = {"participant": subscriber} if is_household else {"public_unit": subscriber}
    if open_connections.filter(**lookup).exists():
        raise ValidationError(
            _("%(who)s already has a connection that has not ended.") % {"who": subscriber}
        )
    _not_in_future("installed_on", installed_on, _("The installation date"))
    if installed_on < contract.signed_on:
        raise ValidationError(
            {
                "installed_on": _(
                    "The installation cannot be before the provider's contract was signed (%(date)s)."
                )
                % {"date": short_date(contract.signed_on)}
            }
        )
    return Connection.objects.create(
        contract=contract,
        installed_on=installed_on,
        ends_on=durability_end(),
        technology=technology.strip(),
        status_since=installed_on,
        **lookup,
    )


@transaction.atomic
def do_change_connection(
    connection: Connection, status: str, since: datetime.date, note: str, actor
) -> Connection:
    connection = _locked(connection)
    if connection.status == Connection.Status.ENDED:
        raise ValidationError(_("The connection has ended; connect the household again instead."))
    if status not in Connection.Status.values or status == connection.status:
        raise ValidationError({"status": _("Choose a new status.")})
    if since < connection.status_since:
        raise ValidationError(
            {
                "since": _("The date cannot be before the current status began (%(date)s).")
                % {"date": short_date(connection.status_since)}
            }
        )
    _not_in_future("since", since, _("The date"))
    connection.status, connection.status_since, connection.status_note = status, since, note.strip()
    connection.version += 1
    connection.save(update_fields=["status", "status_since", "status_note", "version"])
    return connection


@transaction.atomic
def do_report_outage(
    connection: Connection, started_on: datetime.date, description: str, actor
) -> Outage:
    """An outage of a connection (reported by the household, a unit or a monitoring visit)."""
    connection = _locked(connection)
    if not description.strip():
        raise ValidationError({"description": _("Describe the outage.")})
    if connection.status == Connection.Status.ENDED:
        raise ValidationError(_("The connection has ended: there is nothing to report."))
    if started_on < connection.installed_on:
        raise ValidationError(
            {
                "started_on": _("The outage cannot start before the installation (%(date)s).")
                % {"date": short_date(connection.installed_on)}
            }
        )
    _not_in_future("started_on", started_on, _("The start date"))
    return Outage.objects.create(
        connection=connection,
        started_on=started_on,
        description=description.strip(),
        reported_by=actor,
    )


@transaction.atomic
def do_close_outage(outage: Outage, ended_on: datetime.date, resolution: str, actor) -> Outage:
    outage = _locked(outage)
    if outage.ended_on:
        raise ValidationError(_("This outage is already closed."))
    if ended_on < outage.started_on:
        raise ValidationError({"ended_on": _("The outage cannot end before it started.")})
    _not_in_future("ended_on", ended_on, _("The end date"))
    outage.ended_on, outage.resolution = ended_on, resolution.strip()
    outage.save(update_fields=["ended_on", "resolution"])
    return outage


# --- what is due ---------------------------------------------------------------------------------------


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
    ended = [AG.ENDED, AG.TERMINATED]
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
                )
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


def participants_waiting_for_agreement():
    """Active households without an agreement in force (a promoted household, for one)."""
    return (
        Participant.objects.active()
        .exclude(agreements__status__in=LoanAgreement.OPEN_STATUSES)
        .select_related("application", "signatory")
        .order_by("application__sequence")
    )
