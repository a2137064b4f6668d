"""The reads of finance other apps may use: the budget's standing, a claim's tables, and the
finance officer's to-dos (`todo_counts`, for the home page)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Sum

from . import rules
from .models import BudgetLine, Expenditure, FundingAgreement, PaymentClaim, Task

ZERO = Decimal("0")
CLAIMED = (
    PaymentClaim.Status.FILED,
    PaymentClaim.Status.CORRECTIONS,
    PaymentClaim.Status.ACCEPTED,
    PaymentClaim.Status.PAID,
)


def budget_standing(agreement: FundingAgreement) -> dict:
    """Per budget line, per task and per cost category: budget (net, VAT, gross, eligible), spent (eligible part
    of the documents recorded), claimed (in filed claims and later), reimbursed (the
    co-financing of what paid claims hold).
    {"lines": [...], "tasks": [...], "categories": [...], "total": {...}}"""
    eu, state = agreement.eu_rate, agreement.state_rate
    per_line = defaultdict(lambda: {"spent": ZERO, "claimed": ZERO, "reimbursed": ZERO})
    documents = (
        Expenditure.objects.filter(agreement=agreement)
        .values("line_id", "claim__status")
        .annotate(eligible=Sum("eligible"))
    )
    for row in documents:
        figures = per_line[row["line_id"]]
        figures["spent"] += row["eligible"]
        if row["claim__status"] in CLAIMED:
            figures["claimed"] += row["eligible"]
        if row["claim__status"] == PaymentClaim.Status.PAID:
            figures["reimbursed"] += rules.split(row["eligible"], eu, state).funding
    lines = []
    keys = ("net", "vat", "gross", "eligible", "ineligible", "spent", "claimed", "reimbursed")
    tasks = {task: dict.fromkeys(keys, ZERO) for task in Task.values}
    total = dict.fromkeys(keys, ZERO)
    for line in BudgetLine.objects.filter(agreement=agreement).order_by("task", "category"):
        row = {
            "line": line,
            "task": line.task,
            "task_label": line.get_task_display(),
            "category_label": line.get_category_display(),
            "net": line.net,
            "vat": line.vat,
            "gross": line.gross,
            "eligible": line.eligible,
            "ineligible": line.ineligible,
            **per_line[line.pk],
        }
        row["left"] = row["eligible"] - row["spent"]
        row["near_limit"] = rules.near_limit(row["spent"], row["eligible"])
        lines.append(row)
        for key in keys:
            tasks[line.task][key] += row[key]
            total[key] += row[key]
    task_rows = [
        {
            "task": task,
            "task_label": Task(task).label,
            **figures,
            "left": figures["eligible"] - figures["spent"],
        }
        for task, figures in tasks.items()
    ]
    categories = {}
    for row in lines:
        figures = categories.setdefault(
            row["line"].category,
            {
                "category": row["line"].category,
                "category_label": row["category_label"],
                **dict.fromkeys(keys, ZERO),
            },
        )
        for key in keys:
            figures[key] += row[key]
    category_rows = [
        {**figures, "left": figures["eligible"] - figures["spent"]}
        for figures in categories.values()
    ]
    total["left"] = total["eligible"] - total["spent"]
    return {"lines": lines, "tasks": task_rows, "categories": category_rows, "total": total}


def claim_documents(claim: PaymentClaim):
    """The claim's list of documents confirming the expenditures, in the claim's order."""
    return claim.expenditures.select_related("issuer", "line", "contract").order_by(
        "paid_on", "issued_on", "number", "pk"
    )


def claims_with_documents(claims):
    """`claims` with their documents (and each document's budget line) read in one query for
    all of them: `claim_summary(claim, claim.expenditures.all())` then reads nothing more."""
    return claims.select_related("agreement").prefetch_related(
        Prefetch("expenditures", queryset=Expenditure.objects.select_related("line"))
    )


def claim_summary(claim: PaymentClaim, documents=None) -> dict:
    """The claim's summary by task and its co-financing split.

    {"tasks": [{"task", "task_label", "gross", "eligible", "eu", "state"}...],
     "total": {"gross", "eligible", "eu", "state", "own"}, "requested": amount}.
    An advance claim asks for its advance; the others for the co-financing of their documents.
    `documents`: the claim's documents when already read (`claims_with_documents`).
    """
    agreement = claim.agreement
    by_task = {task: {"gross": ZERO, "eligible": ZERO} for task in Task.values}
    for document in claim_documents(claim) if documents is None else documents:
        by_task[document.line.task]["gross"] += document.gross
        by_task[document.line.task]["eligible"] += document.eligible
    tasks = []
    total = {"gross": ZERO, "eligible": ZERO, "eu": ZERO, "state": ZERO}
    for task, figures in by_task.items():
        share = rules.split(figures["eligible"], agreement.eu_rate, agreement.state_rate)
        row = {
            "task": task,
            "task_label": Task(task).label,
            **figures,
            "eu": share.eu,
            "state": share.state,
        }
        tasks.append(row)
        for key in total:
            total[key] += row[key]
    total["own"] = total["eligible"] - total["eu"] - total["state"]
    if claim.kind == PaymentClaim.Kind.ADVANCE:
        requested = claim.advance_amount or ZERO
    else:
        requested = total["eu"] + total["state"]
    return {"tasks": tasks, "total": total, "requested": requested}


def unclaimed_expenditures(day: datetime.date):
    """Documents of the current agreement paid by `day` and not yet in a claim (the finance
    officer's to-do, and the expenditure list's "unclaimed" filter)."""
    agreement = FundingAgreement.current()
    if agreement is None:
        return Expenditure.objects.none()
    return Expenditure.objects.filter(agreement=agreement, claim__isnull=True, paid_on__lte=day)


def claims_to_correct():
    """Claims of the current agreement the funding body sent back for corrections."""
    agreement = FundingAgreement.current()
    if agreement is None:
        return PaymentClaim.objects.none()
    return agreement.claims.filter(status=PaymentClaim.Status.CORRECTIONS)


def todo_counts(day: datetime.date) -> dict[str, int]:
    """What the finance officer (and the coordinator) should act on, as of `day`:
    expenditures paid by then and not yet in a claim, claims awaiting corrections, budget lines
    whose eligible expenditure has reached 90% of the line."""
    agreement = FundingAgreement.current()
    if agreement is None:
        return {"unclaimed_expenditures": 0, "claims_to_correct": 0, "lines_near_limit": 0}
    standing = budget_standing(agreement)
    return {
        "unclaimed_expenditures": unclaimed_expenditures(day).count(),
        "claims_to_correct": claims_to_correct().count(),
        "lines_near_limit": sum(1 for row in standing["lines"] if row["near_limit"]),
    }
