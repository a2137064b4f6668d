"""Every write of the procurement app: one `do_<verb>(..., actor)` per step, each a `@service`.

A refused step raises ValidationError with a Polish (translated) message, keyed by the form field
at fault where there is one; nothing is written then. The workflow's order is in `workflow.py`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import validate_upload

from . import workflow
from .models import (
    BZP_NUMBER,
    Contract,
    ContractAmendment,
    ContractAttachment,
    Offer,
    Procedure,
    ProcedureEvent,
)

S = Procedure.Status
ATTACHMENT_KINDS = ("pdf", "jpeg", "png")


# The refusal of a form opened before someone else's save (the versioned forms' message).
EDITED_SINCE = gettext_lazy(
    "Someone else saved this record while you were editing it. Your changes have "
    "NOT been saved and are still in the form. Compare them with the saved values "
    "and save again to keep yours."
)


# --- helpers ---------------------------------------------------------------------------------


def _check_step(step: str, procedure: Procedure):
    reason = workflow.refusal(step, procedure.status)
    if reason:
        raise ValidationError(reason, code="out_of_order")


def _event(procedure, kind, date, actor, note=""):
    return ProcedureEvent.objects.create(
        procedure=procedure,
        kind=kind,
        status=procedure.status,
        date=date,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def _note(message, **params) -> str:
    """A line the system writes into the record (timeline notes, attachment titles): in the
    office's language whatever the language of the user's screen or of a command."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {k: _money(v) if isinstance(v, Decimal) else v for k, v in params.items()}
        return str(message) % values


def _money(value) -> str:
    return number_format(value, 2, force_grouping=True)


def _moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _date_errors(errors: dict, field: str, value, *, not_before=None, before_message=""):
    """A missing date, a date in the future, or one before `not_before` (dates of events that
    have happened are recorded after the fact, never ahead)."""
    if value is None:
        errors[field] = _("Enter the date.")
    elif value > clock.today():
        errors[field] = _("The date cannot be in the future.")
    elif not_before is not None and value < not_before:
        errors[field] = before_message % {"date": short_date(not_before)}


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _fill(instance, data: dict) -> None:
    """Set a record's fields from a form's cleaned values (the version is the lock's)."""
    fields = [f for f in type(instance)._meta.fields if f.name in data and f.name != "version"]
    # Files last, as a ModelForm does: their upload path may use the other fields.
    fields.sort(key=lambda f: isinstance(f, models.FileField))
    for field in fields:
        field.save_form_data(instance, data[field.name])


def _save_form_values(instance, data: dict):
    """Create the record, or save an existing one unless someone saved it since the form that
    sent `data` was opened (its "version")."""
    if instance.pk is None:
        _fill(instance, data)
        instance.save()
        return instance
    current = locked(instance, expected_version=data.get("version"), message=EDITED_SINCE)
    _fill(current, data)
    save_changed(current)
    return current


# --- suppliers ---------------------------------------------------------------------------------


@service
def do_save_supplier(supplier, data: dict, *, actor):
    """Create or edit a supplier (NIP and REGON checked by the form's localflavor fields)."""
    return _save_form_values(supplier, data)


# --- procedures ------------------------------------------------------------------------------


@service
def do_register_procedure(*, actor, registered_on=None, **fields) -> Procedure:
    """Register a procedure in preparation (the import path and the demo; pages use a form)."""
    procedure = Procedure(**fields)
    procedure.full_clean()
    procedure.save()
    _event(procedure, ProcedureEvent.Kind.CREATED, registered_on or clock.today(), actor)
    return procedure


@service
def do_save_procedure(procedure, data: dict, *, actor) -> Procedure:
    """Register a new procedure (in preparation) or edit one not yet opened."""
    if procedure.pk is None:
        procedure = _save_form_values(procedure, data)
        _event(procedure, ProcedureEvent.Kind.CREATED, clock.today(), actor)
        return procedure
    _check_step("edit", locked(procedure))  # the step's refusal comes before a stale form's
    return _save_form_values(procedure, data)


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
    _date_errors(
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
    _event(procedure, ProcedureEvent.Kind.ANNOUNCED, date, actor, note)


@service
def do_announce(
    procedure, *, announcement_number, announcement_date, offers_deadline, actor, note=""
) -> Procedure:
    """Record the publication of the notice (BZP for an open tender; the town's website for a
    request for quotation, which has no BZP number)."""
    procedure = locked(procedure)
    _check_step("announce", procedure)
    _raise(_announcement_errors(procedure, announcement_number, announcement_date, offers_deadline))
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
    _check_step("open_offers", procedure)
    errors = {}
    _date_errors(
        errors,
        "opened_on",
        opened_on,
        not_before=clock.day_of(procedure.offers_deadline),
        before_message=_("Offers cannot be opened before the deadline for offers (%(date)s)."),
    )
    _raise(errors)
    procedure.offers_opened_on = opened_on
    procedure.status = S.OFFERS_OPENED
    save_changed(procedure)
    _event(procedure, ProcedureEvent.Kind.OFFERS_OPENED, opened_on, actor, note)
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
    _check_step("record_offer", procedure)
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
    _raise(errors)
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
    _check_step("evaluate_offer", procedure)
    _raise(_rejection_errors(data.get("rejected"), data.get("rejection_reason")))
    if not data.get("rejected"):
        data = {**data, "rejection_reason": ""}
    return _save_form_values(offer, data)


@service
def do_award(procedure, *, offer, award_date, actor, justification="") -> Procedure:
    """Choose the most advantageous offer (art. 91 Pzp) and record the decision date."""
    procedure = locked(procedure)
    _check_step("award", procedure)
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
    _date_errors(
        errors,
        "award_date",
        award_date,
        not_before=procedure.offers_opened_on,
        before_message=_("The award cannot precede the opening of the offers (%(date)s)."),
    )
    _raise(errors)
    offer = next(o for o in offers if o.pk == offer.pk)
    procedure.winning_offer = offer
    procedure.award_date = award_date
    procedure.award_justification = justification
    procedure.status = S.AWARDED
    save_changed(procedure)
    note = _note(
        gettext_lazy("Chosen offer: %(bidder)s, %(price)s PLN gross."),
        bidder=offer.bidder.name,
        price=offer.price,
    )
    if justification:
        note = f"{note} {justification}"
    _event(procedure, ProcedureEvent.Kind.AWARDED, award_date, actor, note)
    return procedure


def _value_errors(net, gross, field="value_gross") -> dict:
    if net is not None and gross is not None and gross < net:
        return {field: _("The gross value cannot be lower than the net value.")}
    return {}


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
    _check_step("sign_contract", procedure)
    errors = _value_errors(value_net, value_gross)
    if Contract.objects.filter(number=number).exists():
        errors["number"] = _("A contract with this number is already registered.")
    _date_errors(
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
    _raise(errors)
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
    _event(
        procedure,
        ProcedureEvent.Kind.CONTRACT_SIGNED,
        signed_on,
        actor,
        _note(
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
    _check_step("annul", procedure)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _(
            "Give the reason for the annulment: the bidders are told it (art. 93 ust. 3 Pzp)."
        )
    _date_errors(
        errors,
        "annulled_on",
        annulled_on,
        not_before=procedure.announcement_date,
        before_message=_("The annulment cannot precede the announcement (%(date)s)."),
    )
    _raise(errors)
    procedure.annulled_on = annulled_on
    procedure.annulment_reason = reason.strip()
    procedure.status = S.ANNULLED
    save_changed(procedure)
    _event(procedure, ProcedureEvent.Kind.ANNULLED, annulled_on, actor, reason.strip())
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
    _check_step("reannounce", procedure)
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
    _raise(errors)
    fresh.save()
    _event(
        fresh,
        ProcedureEvent.Kind.CREATED,
        announcement_date,
        actor,
        _note(
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
    _event(
        procedure,
        ProcedureEvent.Kind.REANNOUNCED,
        announcement_date,
        actor,
        _note(gettext_lazy("Announced again as %(procedure)s."), procedure=fresh.label),
    )
    return fresh


# --- contracts ---------------------------------------------------------------------------------


@service
def do_update_contract(contract, data: dict, *, actor) -> Contract:
    """Edit what is not a term of a signed contract (who manages it, notes). Its core fields
    change only through an amendment (art. 144 Pzp)."""
    signed = locked(contract)
    stored = {name: getattr(signed, name) for name in Contract.CORE_FIELDS}
    changed = workflow.locked_changes(stored, data)
    if changed:
        message = _("The contract is signed: this term changes only by an amendment.")
        raise ValidationError(dict.fromkeys(changed, message), code="locked")
    return _save_form_values(signed, data)


@service
def do_amend_contract(
    contract,
    *,
    number,
    signed_on,
    description,
    actor,
    new_value_net=None,
    new_value_gross=None,
    new_term_end=None,
    new_scope="",
    file=None,
) -> ContractAmendment:
    """Record an amendment and apply it: the contract shows the terms in force, the amendment
    keeps the terms it replaced."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Describe what the amendment changes and why.")
    if contract.amendments.filter(number=number).exists():
        errors["number"] = _("This contract already has an amendment with this number.")
    _date_errors(
        errors,
        "signed_on",
        signed_on,
        not_before=contract.signed_on,
        before_message=_("An amendment cannot precede the contract (%(date)s)."),
    )
    net = new_value_net if new_value_net is not None else contract.value_net
    gross = new_value_gross if new_value_gross is not None else contract.value_gross
    errors.update(_value_errors(net, gross, "new_value_gross"))
    if new_term_end and new_term_end < contract.term_start:
        errors["new_term_end"] = _("The term cannot end before it starts.")
    if file is not None:
        try:
            validate_upload(file, ATTACHMENT_KINDS)
        except ValidationError as error:
            errors["file"] = error.messages[0]
    _raise(errors)
    amendment = ContractAmendment.objects.create(
        contract=contract,
        number=number,
        signed_on=signed_on,
        description=description.strip(),
        previous_value_net=contract.value_net,
        previous_value_gross=contract.value_gross,
        previous_term_end=contract.term_end,
        previous_scope=contract.scope,
        new_value_net=new_value_net,
        new_value_gross=new_value_gross,
        new_term_end=new_term_end,
        new_scope=new_scope or "",
        actor=actor if getattr(actor, "pk", None) else None,
    )
    contract.value_net, contract.value_gross = net, gross
    contract.term_end = new_term_end or contract.term_end
    contract.scope = new_scope or contract.scope
    save_changed(contract)
    if file is not None:
        ContractAttachment.objects.create(
            contract=contract,
            amendment=amendment,
            title=_note(gettext_lazy("Amendment %(number)s"), number=number),
            file=file,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
    _event(
        contract.procedure,
        ProcedureEvent.Kind.CONTRACT_AMENDED,
        signed_on,
        actor,
        _note(
            gettext_lazy("Amendment %(number)s to contract %(contract)s: %(description)s"),
            number=number,
            contract=contract.number,
            description=description.strip(),
        ),
    )
    return amendment


@service
def do_add_contract_attachment(contract, *, title, file, actor) -> ContractAttachment:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter a title.")
    try:
        validate_upload(file, ATTACHMENT_KINDS)
    except ValidationError as error:
        errors["file"] = error.messages[0]
    _raise(errors)
    return ContractAttachment.objects.create(
        contract=contract,
        title=title.strip(),
        file=file,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
