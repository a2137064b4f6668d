"""Expenditures: invoices and other accounting documents proven against the budget."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import validate_upload

from ..models import BudgetLine, Expenditure, FundingAgreement


def _total(queryset, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or Decimal("0")


def expenditure_errors(expenditure: Expenditure, agreement: FundingAgreement) -> dict:
    """What refuses an expenditure, field by field (every check, so the form shows them all)."""
    errors = {}
    for field in ("issued_on", "paid_on"):
        day = getattr(expenditure, field)
        if day and not agreement.eligible_from <= day <= agreement.eligible_until:
            errors[field] = _(
                "%(day)s is outside the eligibility period of the agreement "
                "(%(start)s–%(end)s): the cost is not eligible."
            ) % {
                "day": short_date(day),
                "start": short_date(agreement.eligible_from),
                "end": short_date(agreement.eligible_until),
            }
    if (
        expenditure.issued_on
        and expenditure.paid_on
        and expenditure.paid_on < expenditure.issued_on
    ):
        errors.setdefault("paid_on", _("The document cannot be paid before it was issued."))
    net, vat, gross = expenditure.net, expenditure.vat, expenditure.gross
    if None not in (net, vat, gross) and net + vat != gross:
        errors["gross"] = _("The gross amount must equal net + VAT (%(sum)s PLN).") % {
            "sum": net + vat
        }
    eligible = expenditure.eligible
    if eligible is not None and gross is not None and eligible > gross:
        errors["eligible"] = _(
            "The eligible part cannot exceed the gross amount (%(gross)s PLN)."
        ) % {"gross": gross}
    elif eligible is not None and net is not None and not agreement.vat_eligible and eligible > net:
        errors["eligible"] = _(
            "VAT is not eligible under this agreement: the eligible part cannot exceed the net "
            "amount (%(net)s PLN)."
        ) % {"net": net}
    if expenditure.issuer_id and expenditure.number:
        twin = Expenditure.objects.filter(
            issuer_id=expenditure.issuer_id, number__iexact=expenditure.number.strip()
        ).exclude(pk=expenditure.pk)
        if twin.exists():
            errors["number"] = _(
                "Document %(number)s of this issuer is already recorded: the same document "
                "cannot be claimed twice."
            ) % {"number": expenditure.number}
    contract = expenditure.contract
    if (
        contract is not None
        and expenditure.issuer_id
        and contract.supplier_id != expenditure.issuer_id
    ):
        errors["contract"] = _("This contract is with another supplier than the issuer.")
    reason = (expenditure.over_limit_reason or "").strip()
    if "gross" not in errors and contract is not None and gross is not None and not reason:
        paid = _total(
            Expenditure.objects.filter(contract=contract).exclude(pk=expenditure.pk), "gross"
        )
        if paid + gross > contract.value_gross:
            errors["over_limit_reason"] = _(
                "With this document the payments under contract %(contract)s reach %(total)s PLN, "
                "beyond its value of %(value)s PLN: give the reason (e.g. the amendment)."
            ) % {"contract": contract.number, "total": paid + gross, "value": contract.value_gross}
    if "eligible" not in errors and expenditure.line_id and eligible is not None and not reason:
        line = expenditure.line
        spent = _total(line.expenditures.exclude(pk=expenditure.pk), "eligible")
        if spent + eligible > line.eligible:
            errors.setdefault(
                "over_limit_reason",
                _(
                    "With this document the eligible expenditure of the budget line reaches "
                    "%(total)s PLN, beyond its %(budget)s PLN: give the reason, or amend the "
                    "budget first."
                )
                % {"total": spent + eligible, "budget": line.eligible},
            )
    return errors


@service
def do_save_expenditure(expenditure: Expenditure | None, data: Mapping, *, actor) -> Expenditure:
    """Record an expenditure (`expenditure` None) or correct one not yet in a filed claim."""
    fields = dict(data)
    expected = fields.pop("version", None)
    scan = fields.pop("scan", None)
    if expenditure is None or expenditure.pk is None:
        expenditure = expenditure or Expenditure()
        if expenditure.agreement_id is None:
            expenditure.agreement = FundingAgreement.current()
        if expenditure.agreement is None:
            raise ValidationError(_("Register the funding agreement first."))
    else:
        expenditure = locked(expenditure, expected_version=expected)
        if expenditure.claim is not None and not expenditure.claim.editable:
            raise ValidationError(
                _("This expenditure is in a filed claim (%(claim)s): it cannot be changed.")
                % {"claim": expenditure.claim}
            )
    for name, value in fields.items():
        setattr(expenditure, name, value)
    if expenditure.number:
        expenditure.number = expenditure.number.strip()
    # The budget line's row is locked first: two documents saved at the same moment on one line
    # (or one contract) cannot both pass the limit checks.
    if expenditure.line_id:
        locked(BudgetLine(pk=expenditure.line_id))
    if scan:
        try:
            validate_upload(scan)
        except ValidationError as error:
            raise ValidationError({"scan": error.messages}) from None
        expenditure.scan = scan
    errors = expenditure_errors(expenditure, expenditure.agreement)
    if errors:
        raise ValidationError(errors)
    expenditure.full_clean()
    if expenditure.pk is None:
        expenditure.save()
    else:
        save_changed(expenditure)
    return expenditure
