"""Writes of a signed contract: its record, amendments (art. 144 Pzp) and attachments."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import validate_upload

from .. import workflow
from ..models import Contract, ContractAmendment, ContractAttachment, ProcedureEvent
from .common import (
    date_errors,
    office_note,
    raise_errors,
    record_event,
    save_form_values,
    value_errors,
)

ATTACHMENT_KINDS = ("pdf", "jpeg", "png")


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
    return save_form_values(signed, data)


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
    date_errors(
        errors,
        "signed_on",
        signed_on,
        not_before=contract.signed_on,
        before_message=_("An amendment cannot precede the contract (%(date)s)."),
    )
    net = new_value_net if new_value_net is not None else contract.value_net
    gross = new_value_gross if new_value_gross is not None else contract.value_gross
    errors.update(value_errors(net, gross, "new_value_gross"))
    if new_term_end and new_term_end < contract.term_start:
        errors["new_term_end"] = _("The term cannot end before it starts.")
    if file is not None:
        try:
            validate_upload(file, ATTACHMENT_KINDS)
        except ValidationError as error:
            errors["file"] = error.messages[0]
    raise_errors(errors)
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
            title=office_note(gettext_lazy("Amendment %(number)s"), number=number),
            file=file,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
    record_event(
        contract.procedure,
        ProcedureEvent.Kind.CONTRACT_AMENDED,
        signed_on,
        actor,
        office_note(
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
    raise_errors(errors)
    return ContractAttachment.objects.create(
        contract=contract,
        title=title.strip(),
        file=file,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
