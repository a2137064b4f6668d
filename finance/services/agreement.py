"""The funding agreement and its budget: set up, and changed only by recorded amendments."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion.records import locked, save_changed, service

from ..models import BudgetAmendment, BudgetLine, BudgetLineChange, FundingAgreement


@service
def do_save_agreement(agreement: FundingAgreement | None, data: Mapping, *, actor):
    """Register the agreement or change its terms (number, dates, rates, VAT setting)."""
    fields = dict(data)
    expected = fields.pop("version", None)
    if agreement is None or agreement.pk is None:
        agreement = agreement or FundingAgreement()
    else:
        agreement = locked(agreement, expected_version=expected)
    if agreement.pk is not None and agreement.claims.exclude(status="draft").exists():
        # Filed claims were computed with these terms: changing them would change what the
        # claims say after they were sent.
        locked_terms = {
            name: _(
                "A claim has been filed under these terms: they change only by an amendment "
                "of the agreement, recorded with the funding body's new terms."
            )
            for name in ("eu_rate", "state_rate", "vat_eligible", "eligible_from", "eligible_until")
            if name in fields and fields[name] != getattr(agreement, name)
        }
        if locked_terms:
            raise ValidationError(locked_terms)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    if agreement.pk is None:
        agreement.save()
    else:
        save_changed(agreement)
    return agreement


def _check_amounts(agreement, net: Decimal, vat: Decimal, eligible: Decimal) -> None:
    if eligible > net + vat:
        raise ValidationError(
            {"eligible": _("The eligible amount cannot exceed the gross amount (net + VAT).")}
        )
    if not agreement.vat_eligible and eligible > net:
        raise ValidationError(
            {
                "eligible": _(
                    "VAT is not eligible under this agreement: the eligible amount "
                    "cannot exceed the net amount."
                )
            }
        )


@service
def do_add_budget_line(agreement, task, category, net, vat, eligible, *, actor) -> BudgetLine:
    """A line of the budget as the agreement was signed. Once a claim has been filed, the
    budget grows only by an amendment."""
    if agreement.claims.exclude(status="draft").exists():
        raise ValidationError(
            _("A claim has been filed: the budget changes only by a recorded amendment.")
        )
    _check_amounts(agreement, net, vat, eligible)
    line = BudgetLine(
        agreement=agreement, task=task, category=category, net=net, vat=vat, eligible=eligible
    )
    line.full_clean()
    line.save()
    return line


@service
def do_amend_budget(
    agreement,
    *,
    number: str,
    signed_on,
    reason: str,
    changes: Iterable[tuple[BudgetLine, Decimal, Decimal, Decimal]],
    actor,
) -> BudgetAmendment:
    """Record an amendment and change the budget lines it names: (line, net, VAT, eligible)
    each; the previous values are kept in the amendment's changes."""
    errors = {}
    if not (number or "").strip():
        errors["number"] = _(
            "A budget line changes only by an amendment of the agreement: enter the "
            "amendment's number."
        )
    if signed_on is None:
        errors["signed_on"] = _("Enter the date the amendment was signed.")
    if errors:
        raise ValidationError(errors)
    if agreement.amendments.filter(number=number.strip()).exists():
        raise ValidationError({"number": _("An amendment with this number is already recorded.")})
    changes = list(changes)
    if not changes:
        raise ValidationError(_("The amendment changes no budget line."))
    amendment = BudgetAmendment(
        agreement=agreement,
        number=number.strip(),
        signed_on=signed_on,
        reason=reason,
        recorded_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    for line, net, vat, eligible in changes:
        line = locked(line)
        _check_amounts(agreement, net, vat, eligible)
        spent = sum((e.eligible for e in line.expenditures.all()), Decimal("0"))
        if eligible < spent:
            raise ValidationError(
                {
                    "eligible": _(
                        "Expenditures of %(spent)s PLN are already recorded on this line."
                    )
                    % {"spent": spent}
                }
            )
        BudgetLineChange.objects.create(
            amendment=amendment,
            line=line,
            previous_net=line.net,
            previous_vat=line.vat,
            previous_eligible=line.eligible,
            new_net=net,
            new_vat=vat,
            new_eligible=eligible,
        )
        line.net, line.vat, line.eligible = net, vat, eligible
        line.version += 1
        line.save(amendment=amendment)
    return amendment
