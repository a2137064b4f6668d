"""The formal check (§5.4-5.5) and eligibility (§4.2) of one application.

Reasons are codes (FORMATS.md) in a fixed order; cross-application checks (a PESEL in an
earlier application, the same address) live in ranking.py, which sees the whole call.
"""

import functools
import unicodedata
from decimal import Decimal

from .domain import (
    DOCUMENT_ORDER,
    HAS_COMPUTER,
    HAS_INTERNET,
    INCOME_ABOVE_CEILING,
    LATE,
    MISSING_DOCUMENT,
    NO_CRITERION,
    NO_DISABILITY,
    OUTSIDE_TOWN,
    ApplicationData,
    CallRules,
)
from .scoring import Score


def formal_reasons(app: ApplicationData, rules: CallRules) -> list[str]:
    """Late (by the postmark for post) or missing an always-required document: not considered."""
    reasons = []
    if app.submitted_on > rules.deadline:
        reasons.append(LATE)
    required = set(rules.required_documents)
    reasons.extend(
        f"{MISSING_DOCUMENT}:{doc}"
        for doc in DOCUMENT_ORDER
        if doc in required and doc not in app.documents
    )
    return reasons


@functools.lru_cache(maxsize=65536)  # street names, towns and numbers repeat across a call
def plain(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name ("Lębork" == "LEBORK ")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def lives_in_town(app: ApplicationData, rules: CallRules) -> bool:
    return plain(app.city) == plain(rules.town)


def disability_claimed(app: ApplicationData) -> bool:
    return any(member.disability != NO_DISABILITY for member in app.members)


def income_ceiling(app: ApplicationData, rules: CallRules) -> Decimal:
    """§4.2.5: the monthly income per person allowed where disability is claimed."""
    share = rules.ceiling_share_single if len(app.members) == 1 else rules.ceiling_share_family
    return rules.average_salary * share


def income_per_person(app: ApplicationData) -> Decimal:
    return app.monthly_net_income / len(app.members) if app.members else app.monthly_net_income


def above_disability_ceiling(app: ApplicationData, rules: CallRules) -> bool:
    if not disability_claimed(app) or not app.members:
        return False
    # Compared without dividing, so no rounding decides a case at the exact limit.
    return app.monthly_net_income > income_ceiling(app, rules) * len(app.members)


def eligibility_reasons(app: ApplicationData, rules: CallRules, score: Score) -> list[str]:
    """§4.2 points 1, 2, 3 and 5 (point 4 is the signed declaration: the formal check; point 6,
    one application per household, needs the whole call)."""
    reasons = []
    if not score.credits:
        reasons.append(NO_CRITERION)
    if not lives_in_town(app, rules):
        reasons.append(OUTSIDE_TOWN)
    # Having a computer OR Internet access disqualifies: the Regulation asks for neither.
    if app.has_computer:
        reasons.append(HAS_COMPUTER)
    if app.has_internet:
        reasons.append(HAS_INTERNET)
    if above_disability_ceiling(app, rules):
        reasons.append(INCOME_ABOVE_CEILING)
    return reasons
