"""The procedure's steps, in the order `workflow.py` allows: register, announce, open the offers,
record and evaluate offers, award, sign the contract, annul, announce again."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service

from .. import workflow
from ..models import BZP_NUMBER, Contract, Offer, Procedure, ProcedureEvent
from .common import (
    check_step,
    date_errors,
    office_note,
    raise_errors,
    record_event,
    save_form_values,
    value_errors,
)

S = Procedure.Status


def _moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


@service
def do_register_procedure(*, actor, registered_on=None, **fields) -> Procedure:
    """Register a procedure in preparation (the import path and the demo; pages use a form)."""
    procedure = Procedure(**fields)
    procedure.full_clean()
    procedure.save()
    record_event(procedure, ProcedureEvent.Kind.CREATED, registered_on or clock.today(), actor)
    return procedure


@service
def do_save_procedure(procedure, data: dict, *, actor) -> Procedure:
    """Register a new procedure (in preparation) or edit one not yet opened."""
    if procedure.pk is None:
        procedure = save_form_values(procedure, data)
        record_event(procedure, ProcedureEvent.Kind.CREATED, clock.today(), actor)
        return procedure
    check_step("edit", locked(procedure))  # the step's refusal comes before a stale form's
    return save_form_values(procedure, data)


def _announcement_errors(procedure, number, date, deadline, *, not_before=None, before_message=""):
    errors = {}
    if number:
        try:
            BZP_NUMBER(number)
        except ValidationError as error:
            errors["announcement_number"] = error.messages[0]
        else:
            other = (
                Procedure.objects.filter(announcement_number=number)
                .exclude(pk=procedure.pk)
                .first()
            )
            if other:
                errors["announcement_number"] = _(
                    "Announcement %(number)s is already registered: %(procedure)s."
                ) % {"number": number, "procedure": other.subject}
    elif procedure.is_open_tender:
        errors["announcement_number"] = _(
            "An open tender is announced in the Public Procurement Bulletin (BZP): "
            "enter the notice number."
        )
    date_errors(
        errors,
        "announcement_date",
        date,
        not_before=not_before,
        before_message=before_message,
    )
    if deadline is None:
        errors["offers_deadline"] = _("Enter the deadline for offers.")
    elif date and clock.day_of(deadline) < date:
        errors["offers_deadline"] = _("The deadline for offers cannot be before the announcement.")
    return errors


def _announce(procedure, *, number, date, deadline, actor, note):
    procedure.announcement_number = number or ""
    procedure.announcement_date = date
    procedure.offers_deadline = deadline
    procedure.status = S.ANNOUNCED
    save_changed(procedure)
    record_event(procedure, ProcedureEvent.Kind.ANNOUNCED, date, actor, note)


@service
def do_announce(
    procedure, *, announcement_number, announcement_date, offers_deadline, actor, note=""
) -> Procedure:
    """Record the publication of the notice (BZP for an open tender; the town's website for a
    request for quotation, which has no BZP number)."""
    procedure = locked(procedure)
    check_step("announce", procedure)
    raise_errors(
        _announcement_errors(procedure, announcement_number, announcement_date, offers_deadline)
    )
    _announce(
        procedure,
        number=announcement_number,
        date=announcement_date,
        deadline=offers_deadline,
        actor=actor,
        note=note,
    )
    return procedure


@service
def do_open_offers(procedure, *, opened_on, actor, note="") -> Procedure:
    """Offers are opened once the deadline has passed (art. 86 Pzp)."""
    procedure = locked(procedure)
    check_step("open_offers", procedure)
    errors = {}
    date_errors(
        errors,
        "opened_on",
        opened_on,
        not_before=clock.day_of(procedure.offers_deadline),
        before_message=_("Offers cannot be opened before the deadline for offers (%(date)s)."),
    )
    raise_errors(errors)
    procedure.offers_opened_on = opened_on
    procedure.status = S.OFFERS_OPENED
    save_changed(procedure)
    record_event(procedure, ProcedureEvent.Kind.OFFERS_OPENED, opened_on, actor, note)
    return procedure


def _rejection_errors(rejected, reason) -> dict:
    if rejected and not (reason or "").strip():
        return {"rejection_reason": _("Give the reason for rejecting the offer (art. 89 Pzp).")}
    return {}


@service
def do_record_offer(
    procedure,
    *,
    bidder,
    received_at,
    price,
    actor,
    score=None,
    criteria="",
    rejected=False,
    rejection_reason="",
) -> Offer:
    """Register an offer received on time; a late one is returned unopened (art. 84 ust. 2 Pzp)
    and never recorded."""
    procedure = locked(procedure)
    check_step("record_offer", procedure)
    errors = _rejection_errors(rejected, rejection_reason)
    if received_at is None:
        errors["received_at"] = _("Enter when the offer was received.")
    elif received_at > procedure.offers_deadline:
        errors["received_at"] = _(
            "The offer was received on %(received)s, after the deadline for offers "
            "(%(deadline)s): a late offer is returned unopened and not recorded."
        ) % {"received": _moment(received_at), "deadline": _moment(procedure.offers_deadline)}
    elif clock.day_of(received_at) < procedure.announcement_date:
        errors["received_at"] = _(
            "The offer cannot have been received before the announcement (%(date)s)."
        ) % {"date": short_date(procedure.announcement_date)}
    if bidder is not None and procedure.offers.filter(bidder=bidder).exists():
        errors["bidder"] = _("%(bidder)s already has an offer in this procedure.") % {
            "bidder": bidder.name
        }
    raise_errors(errors)
    offer = Offer.objects.create(
        procedure=procedure,
        bidder=bidder,
        received_at=received_at,
        price=price,
        score=score,
        criteria=criteria,
        rejected=rejected,
        rejection_reason=rejection_reason if rejected else "",
    )
    return offer


@service
def do_evaluate_offer(offer, data: dict, *, actor) -> Offer:
    """Score an opened offer, or reject it with its reason."""
    procedure = locked(offer.procedure)
    check_step("evaluate_offer", procedure)
    raise_errors(_rejection_errors(data.get("rejected"), data.get("rejection_reason")))
    if not data.get("rejected"):
        data = {**data, "rejection_reason": ""}
    return save_form_values(offer, data)


@service
def do_award(procedure, *, offer, award_date, actor, justification="") -> Procedure:
    """Choose the most advantageous offer (art. 91 Pzp) and record the decision date."""
    procedure = locked(procedure)
    check_step("award", procedure)
    errors = {}
    offers = list(procedure.offers.select_related("bidder"))
    if offer is None or offer.procedure_id != procedure.pk:
        errors["offer"] = _("Choose one of this procedure's offers.")
    else:
        facts = [
            workflow.OfferFacts(o.pk, o.bidder.name, o.price, o.score, o.rejected) for o in offers
        ]
        chosen = next(f for f in facts if f.key == offer.pk)
        reason = workflow.award_refusal(chosen, facts, procedure.price_weight)
        if reason:
            errors["offer"] = reason
    date_errors(
        errors,
        "award_date",
        award_date,
        not_before=procedure.offers_opened_on,
        before_message=_("The award cannot precede the opening of the offers (%(date)s)."),
    )
    raise_errors(errors)
    offer = next(o for o in offers if o.pk == offer.pk)
    procedure.winning_offer = offer
    procedure.award_date = award_date
    procedure.award_justification = justification
    procedure.status = S.AWARDED
    save_changed(procedure)
    note = office_note(
        gettext_lazy("Chosen offer: %(bidder)s, %(price)s PLN gross."),
        bidder=offer.bidder.name,
        price=offer.price,
    )
    if justification:
        note = f"{note} {justification}"
    record_event(procedure, ProcedureEvent.Kind.AWARDED, award_date, actor, note)
    return procedure


@service
def do_sign_contract(
    procedure,
    *,
    number,
    signed_on,
    value_net,
    value_gross,
    scope,
    term_start,
    term_end,
    actor,
    manager="",
    notes="",
) -> Contract:
    """Record the contract signed with the awarded bidder (art. 139 Pzp)."""
    procedure = locked(procedure)
    check_step("sign_contract", procedure)
    errors = value_errors(value_net, value_gross)
    if Contract.objects.filter(number=number).exists():
        errors["number"] = _("A contract with this number is already registered.")
    date_errors(
        errors,
        "signed_on",
        signed_on,
        not_before=procedure.award_date,
        before_message=_("The contract cannot be signed before the award (%(date)s)."),
    )
    if term_start and term_end and term_end < term_start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if not (scope or "").strip():
        errors["scope"] = _("Describe the scope of the contract.")
    raise_errors(errors)
    contract = Contract.objects.create(
        number=number,
        procedure=procedure,
        supplier=procedure.winning_offer.bidder,
        signed_on=signed_on,
        value_net=value_net,
        value_gross=value_gross,
        scope=scope,
        term_start=term_start,
        term_end=term_end,
        manager=manager,
        notes=notes,
    )
    procedure.status = S.CONTRACT_SIGNED
    save_changed(procedure)
    record_event(
        procedure,
        ProcedureEvent.Kind.CONTRACT_SIGNED,
        signed_on,
        actor,
        office_note(
            gettext_lazy("Contract %(number)s with %(supplier)s, %(value)s PLN gross."),
            number=number,
            supplier=contract.supplier.name,
            value=value_gross,
        ),
    )
    return contract


@service
def do_annul(procedure, *, annulled_on, reason, actor) -> Procedure:
    """Annul the procedure (art. 93 Pzp): the reason is given to every bidder, so it is required."""
    procedure = locked(procedure)
    check_step("annul", procedure)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _(
            "Give the reason for the annulment: the bidders are told it (art. 93 ust. 3 Pzp)."
        )
    date_errors(
        errors,
        "annulled_on",
        annulled_on,
        not_before=procedure.announcement_date,
        before_message=_("The annulment cannot precede the announcement (%(date)s)."),
    )
    raise_errors(errors)
    procedure.annulled_on = annulled_on
    procedure.annulment_reason = reason.strip()
    procedure.status = S.ANNULLED
    save_changed(procedure)
    record_event(procedure, ProcedureEvent.Kind.ANNULLED, annulled_on, actor, reason.strip())
    return procedure


@service
def do_reannounce(
    procedure,
    *,
    announcement_number,
    announcement_date,
    offers_deadline,
    actor,
    reference="",
    note="",
) -> Procedure:
    """Announce an annulled procedure's subject again: a new procedure linked to the old one."""
    procedure = locked(procedure)
    check_step("reannounce", procedure)
    earlier = procedure.reannouncements.first()
    if earlier:
        raise ValidationError(
            _("This procedure has already been announced again: %(procedure)s.")
            % {"procedure": earlier.label},
            code="already_reannounced",
        )
    fresh = Procedure(
        reference=reference,
        subject=procedure.subject,
        description=procedure.description,
        kind=procedure.kind,
        procedure_type=procedure.procedure_type,
        estimated_value_net=procedure.estimated_value_net,
        estimated_value_gross=procedure.estimated_value_gross,
        price_weight=procedure.price_weight,
        other_criteria=procedure.other_criteria,
        terms_of_reference=procedure.terms_of_reference.name,
        reannouncement_of=procedure,
    )
    errors = _announcement_errors(
        fresh,
        announcement_number,
        announcement_date,
        offers_deadline,
        not_before=procedure.annulled_on,
        before_message=_("The new announcement cannot precede the annulment (%(date)s)."),
    )
    if reference and Procedure.objects.filter(reference=reference).exists():
        errors["reference"] = _("A procedure with this case reference exists.")
    raise_errors(errors)
    fresh.save()
    record_event(
        fresh,
        ProcedureEvent.Kind.CREATED,
        announcement_date,
        actor,
        office_note(
            gettext_lazy("Announced again after the annulment of %(procedure)s."),
            procedure=procedure.label,
        ),
    )
    _announce(
        fresh,
        number=announcement_number,
        date=announcement_date,
        deadline=offers_deadline,
        actor=actor,
        note=note,
    )
    record_event(
        procedure,
        ProcedureEvent.Kind.REANNOUNCED,
        announcement_date,
        actor,
        office_note(gettext_lazy("Announced again as %(procedure)s."), procedure=fresh.label),
    )
    return fresh
