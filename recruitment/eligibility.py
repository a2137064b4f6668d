"""The formal check (§5.4-5.5) and eligibility (§4.2) of one application.

Reasons are codes (FORMATS.md) in a fixed order; cross-application checks (a PESEL in an
earlier application, the same address) live in ranking.py, which sees the whole call.
"""

import functools
import unicodedata

from .domain import (
    DOCUMENT_ORDER,
    HAS_COMPUTER,
    HAS_INTERNET,
    INCOME_ABOVE_CEILING,
    LATE,
    MISSING_DOCUMENT,
    NO_CRITERION,
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


def eligibility_reasons(app: ApplicationData, rules: CallRules, score: Score) -> list[str]:
    """§4.2 points 1, 2, 3 and 5 (point 4 is the signed declaration: the formal check; point 6,
    one application per household, needs the whole call)."""
    reasons = []
    if not score.credits:
        # §4.2.5 limits the disability criteria, not the household: the ceiling is the reason
        # only when the disability criteria (proven) were all the application had.
        reasons.append(INCOME_ABOVE_CEILING if score.withheld else NO_CRITERION)
    if not lives_in_town(app, rules):
        reasons.append(OUTSIDE_TOWN)
    # Having a computer OR Internet access disqualifies: the Regulation asks for neither.
    if app.has_computer:
        reasons.append(HAS_COMPUTER)
    if app.has_internet:
        reasons.append(HAS_INTERNET)
    return reasons


def own_warnings(score: Score) -> list[str]:
    """Warnings of the application alone: over the ceiling, criteria 4 and 5 not credited (the
    reason instead, when they were all it had)."""
    if score.above_ceiling and score.credits:
        return [INCOME_ABOVE_CEILING]
    return []
