"""Payment claims: drafted, filed (archived as filed), corrected, accepted, paid."""

import hashlib
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, save_changed, service

from .. import papers, rules, workflow
from ..models import ClaimFiling, ClaimProgress, FundingAgreement, PaymentClaim, Task

S = PaymentClaim.Status


def claim_errors(claim: PaymentClaim, expenditures) -> dict:
    errors = {}
    others = claim.agreement.claims.exclude(pk=claim.pk)
    if (
        claim.kind == PaymentClaim.Kind.FINAL
        and others.filter(kind=PaymentClaim.Kind.FINAL).exists()
    ):
        errors["kind"] = _("The agreement already has a final claim: there is only one.")
    if claim.kind == PaymentClaim.Kind.ADVANCE and not claim.advance_amount:
        errors["advance_amount"] = _("Enter the amount of the advance requested.")
    if claim.period_start and claim.period_end:
        for other in others.exclude(status=S.DRAFT).order_by("number"):
            if rules.overlaps(
                claim.period_start, claim.period_end, other.period_start, other.period_end
            ):
                errors["period_start"] = _(
                    "The period overlaps that of the filed claim no. %(number)s "
                    "(%(start)s–%(end)s)."
                ) % {
                    "number": other.number,
                    "start": short_date(other.period_start),
                    "end": short_date(other.period_end),
                }
                break
    problems = []
    for expenditure in expenditures:
        if expenditure.claim_id not in (None, claim.pk):
            problems.append(
                _("Document %(number)s (%(issuer)s) is already in claim no. %(claim)s.")
                % {
                    "number": expenditure.number,
                    "issuer": expenditure.issuer.name,
                    "claim": expenditure.claim.number,
                }
            )
        elif (
            claim.period_start
            and claim.period_end
            and not (claim.period_start <= expenditure.paid_on <= claim.period_end)
        ):
            problems.append(
                _("Document %(number)s was paid on %(day)s, outside the claim's period.")
                % {"number": expenditure.number, "day": short_date(expenditure.paid_on)}
            )
    if problems:
        errors["expenditures"] = problems
    return errors


@service
def do_save_claim(claim: PaymentClaim | None, data: Mapping, *, actor) -> PaymentClaim:
    """Draft a claim (`claim` None) or change a draft (or one with corrections requested).

    `data`: kind, period_start, period_end, advance_amount, indicator_snapshot, problems,
    `expenditures` (the documents it holds: each in one claim at most), `progress`
    ({task: text}), `version` (the one the form was opened with)."""
    fields = dict(data)
    expected = fields.pop("version", None)
    expenditures = list(fields.pop("expenditures", []))
    progress = fields.pop("progress", {})
    if claim is None or claim.pk is None:
        claim = claim or PaymentClaim()
        if claim.agreement_id is None:
            claim.agreement = FundingAgreement.current()
        if claim.agreement is None:
            raise ValidationError(_("Register the funding agreement first."))
        # One claim numbered at a time: the agreement's row is the lock.
        locked(claim.agreement)
        claim.number = (claim.agreement.claims.aggregate(last=Max("number"))["last"] or 0) + 1
    else:
        claim = locked(claim, expected_version=expected)
        workflow.check(claim, "edit")
    for name, value in fields.items():
        setattr(claim, name, value)
    if claim.kind != PaymentClaim.Kind.ADVANCE:
        claim.advance_amount = None
    # The documents' rows are locked: the same document put into two claims at the same moment
    # waits here, and the second finds it taken.
    if expenditures:
        model = type(expenditures[0])
        expenditures = list(
            model.objects.select_for_update(of=("self",))
            .select_related("issuer", "claim")
            .filter(pk__in=[e.pk for e in expenditures])
            .order_by("pk")
        )
    errors = claim_errors(claim, expenditures)
    if errors:
        raise ValidationError(errors)
    claim.full_clean(exclude=["number"] if claim.pk is None else None)
    if claim.pk is None:
        claim.save()
    else:
        save_changed(claim)
    claim.expenditures.exclude(pk__in=[e.pk for e in expenditures]).update(claim=None)
    for expenditure in expenditures:
        if expenditure.claim_id != claim.pk:
            expenditure.claim = claim
            save_changed(expenditure, "claim")
    for task in Task.values:
        text = (progress.get(task) or "").strip()
        ClaimProgress.objects.update_or_create(claim=claim, task=task, defaults={"text": text})
    return claim


@service
def do_file_claim(claim: PaymentClaim, *, actor, filed_on=None, expected_version=None):
    """File the claim with the funding body: its PDF is made now and archived as filed, with
    its SHA-256; the archived bytes are what is served from then on."""
    claim = locked(claim, expected_version=expected_version)
    workflow.check(claim, "file")
    if claim.kind != PaymentClaim.Kind.ADVANCE and not claim.expenditures.exists():
        raise ValidationError(_("The claim lists no expenditure: add its documents first."))
    claim.status = S.FILED
    claim.filed_on = filed_on or clock.today()
    save_changed(claim, "status", "filed_on")
    pdf = papers.claim_pdf(claim)
    filing = ClaimFiling(
        claim=claim,
        filed_on=claim.filed_on,
        sha256=hashlib.sha256(pdf).hexdigest(),
        filed_by=actor,
    )
    filing.pdf.save("claim.pdf", ContentFile(pdf), save=False)
    filing.save()
    return claim


@service
def do_request_corrections(claim: PaymentClaim, note: str, *, actor, expected_version=None):
    """The funding body asked for corrections: the claim can be changed and filed again."""
    claim = locked(claim, expected_version=expected_version)
    workflow.check(claim, "corrections")
    if not (note or "").strip():
        raise ValidationError({"note": _("Write what the funding body asked to correct.")})
    claim.status = S.CORRECTIONS
    claim.corrections_requested = note.strip()
    save_changed(claim, "status", "corrections_requested")
    return claim


@service
def do_accept_claim(claim: PaymentClaim, accepted_on, *, actor, expected_version=None):
    claim = locked(claim, expected_version=expected_version)
    workflow.check(claim, "accept")
    if claim.filed_on and accepted_on < claim.filed_on:
        raise ValidationError({"accepted_on": _("A claim cannot be accepted before it was filed.")})
    claim.status = S.ACCEPTED
    claim.accepted_on = accepted_on
    save_changed(claim, "status", "accepted_on")
    return claim


@service
def do_record_payment(claim: PaymentClaim, amount, received_on, *, actor, expected_version=None):
    """The funding body paid the claim: the amount and the day it reached the town's account."""
    claim = locked(claim, expected_version=expected_version)
    workflow.check(claim, "pay")
    if claim.accepted_on and received_on < claim.accepted_on:
        raise ValidationError(
            {"received_on": _("The payment cannot arrive before the claim was accepted.")}
        )
    claim.status = S.PAID
    claim.amount_received = amount
    claim.received_on = received_on
    save_changed(claim, "status", "amount_received", "received_on")
    return claim
