"""Points (§4.1): summed over every criterion the household proves.

A criterion is credited only when its document (CRITERION_DOCUMENT) is present and verified;
one that is claimed without it earns nothing and is reported as not credited. The documents of
criteria 3, 4 and 5 are the person's own (one certificate per disabled member): each credits its
person only. Over the §4.2.5 income ceiling the disability criteria (4, 5) are not credited; the
others still are. Every point says which criterion and which person it comes from.
"""

from dataclasses import dataclass
from decimal import Decimal

from lebork_einclusion.pesel import age_on

from .domain import (
    CHILD_AGE,
    CHILD_CERTIFICATE,
    CRITERION_DOCUMENT,
    CRITERION_ORDER,
    DISABILITY_CRITERIA,
    LIGHT,
    MODERATE,
    NO_DISABILITY,
    PERSONAL_CRITERIA,
    SEVERE,
    ApplicationData,
    CallRules,
    Credit,
    MemberData,
)

PER_PERSON = {"1": 10, "2": 5, "2a": 5}  # §4.1 pts 1, 2, 2a: × each person in the household
SCHOLARSHIP_POINTS = 5  # §4.1 pt 3: × each such pupil
SEVERE_POINTS = 20  # §4.1 pt 4
MODERATE_LIGHT_ADULT_POINTS = 10  # §4.1 pt 5, adults
MODERATE_LIGHT_CHILD_POINTS = 20  # §4.1 pt 5, children
FOSTER_CHILD_POINTS = 20  # §4.1 pt 6
FAMILY_HOME_CHILD_POINTS = 20  # §4.1 pt 7


@dataclass(frozen=True)
class Score:
    credits: tuple[Credit, ...]
    not_credited: tuple[str, ...]  # criteria claimed without their document
    # §4.2.5: the disability credits the income ceiling withheld (their documents were in order).
    withheld: tuple[Credit, ...] = ()
    above_ceiling: bool = False  # disability claimed and the income above the ceiling

    @property
    def points(self) -> int:
        return sum(credit.points for credit in self.credits)


def is_child(member: MemberData, rules: CallRules) -> bool:
    return age_on(member.pesel, rules.age_date) < CHILD_AGE


def _criterion_5_points(member: MemberData, rules: CallRules) -> int:
    # A child under 16 has a certificate without a degree; it counts here as a child's.
    if member.disability == CHILD_CERTIFICATE or is_child(member, rules):
        return MODERATE_LIGHT_CHILD_POINTS
    return MODERATE_LIGHT_ADULT_POINTS


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


def claims(app: ApplicationData) -> dict[str, list[tuple[str | None, int]]]:
    """What the application claims, before documents: criterion -> [(pesel, points)]."""
    everyone = len(app.members)
    household = {
        "1": app.social_assistance,
        "2": app.family_benefits,
        "2a": app.alimony_fund,
    }
    claimed: dict[str, list[tuple[str | None, int]]] = {}
    for code, flag in household.items():
        if flag:
            claimed[code] = [(None, PER_PERSON[code] * everyone)]
    return claimed


def score(app: ApplicationData, rules: CallRules) -> Score:
    claimed = claims(app)
    for member in app.members:
        if member.school_scholarship:
            claimed.setdefault("3", []).append((member.pesel, SCHOLARSHIP_POINTS))
        if member.disability == SEVERE:
            claimed.setdefault("4", []).append((member.pesel, SEVERE_POINTS))
        elif member.disability in (MODERATE, LIGHT, CHILD_CERTIFICATE):
            claimed.setdefault("5", []).append((member.pesel, _criterion_5_points(member, rules)))
    if app.foster_family:
        claimed["6"] = [(m.pesel, FOSTER_CHILD_POINTS) for m in app.members if m.foster_child]
    if app.family_childrens_home:
        claimed["7"] = [
            (m.pesel, FAMILY_HOME_CHILD_POINTS) for m in app.members if m.family_home_child
        ]

    documents_of = {member.pesel: member.documents for member in app.members}
    credits: list[Credit] = []
    not_credited: list[str] = []
    for code in CRITERION_ORDER:
        if code not in claimed:
            continue
        document = CRITERION_DOCUMENT[code]
        if code in PERSONAL_CRITERIA:
            # Each person's own document credits that person only.
            proven = [claim for claim in claimed[code] if document in documents_of[claim[0]]]
            if len(proven) < len(claimed[code]):
                not_credited.append(code)
        elif document in app.documents:
            proven = claimed[code]
        else:
            not_credited.append(code)
            continue
        credits.extend(Credit(code, pesel, points) for pesel, points in proven if points)
    above = above_disability_ceiling(app, rules)
    withheld: tuple[Credit, ...] = ()
    if above:
        withheld = tuple(c for c in credits if c.criterion in DISABILITY_CRITERIA)
        credits = [c for c in credits if c.criterion not in DISABILITY_CRITERIA]
    return Score(tuple(credits), tuple(not_credited), withheld, above)
