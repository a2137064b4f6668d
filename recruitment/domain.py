"""The recruitment's vocabulary and plain data: what the Regulation's §4-§5 talk about.

The rules (scoring.py, eligibility.py, ranking.py) work on these frozen dataclasses only: no
ORM, no request. Models, forms, the import command and the PDFs all go through them, so there
is one reading of the Regulation in the code.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

# --- Documents (§5.3) -----------------------------------------------------------------------
PARTICIPATION_DECLARATION = "participation_declaration"
APPLICATION_FORM_WITH_ID = "application_form_with_id"
INCOME_STATEMENT = "income_statement"
RECOMMENDATION = "recommendation"
NO_PUBLIC_FUNDS_STATEMENT = "no_public_funds_statement"
DISABILITY_CERTIFICATE = "disability_certificate"
SCHOLARSHIP_CONFIRMATION = "scholarship_confirmation"
MOPS_FAMILY_BENEFITS_CERTIFICATE = "mops_family_benefits_certificate"
MOPS_SOCIAL_ASSISTANCE_CERTIFICATE = "mops_social_assistance_certificate"
COURT_DECISION = "court_decision"

# In the order FORMATS.md lists them (reasons `missing_document:<type>` follow this order).
DOCUMENT_TYPES = {
    PARTICIPATION_DECLARATION: _("Participation declaration (annex 1)"),
    APPLICATION_FORM_WITH_ID: _("Application form with a copy of the ID card (annex 2)"),
    INCOME_STATEMENT: _("Statement of net income and household size (annex 5)"),
    RECOMMENDATION: _("Recommendation (annex 3)"),
    NO_PUBLIC_FUNDS_STATEMENT: _("Statement of not having used public funds (annex 8)"),
    DISABILITY_CERTIFICATE: _("Disability certificate"),
    SCHOLARSHIP_CONFIRMATION: _("School scholarship confirmation 2011/2012 (annex 4)"),
    MOPS_FAMILY_BENEFITS_CERTIFICATE: _(
        "MOPS certificate: family benefits / alimony fund (annex 6)"
    ),
    MOPS_SOCIAL_ASSISTANCE_CERTIFICATE: _("MOPS certificate: social assistance (annex 7)"),
    COURT_DECISION: _("Court decision: foster family or family children's home"),
}
DOCUMENT_ORDER = tuple(DOCUMENT_TYPES)

# §5.3 points 1-3, 8 and 10: without any of these an application is not considered (§5.5).
ALWAYS_REQUIRED = (
    PARTICIPATION_DECLARATION,
    APPLICATION_FORM_WITH_ID,
    INCOME_STATEMENT,
    RECOMMENDATION,
    NO_PUBLIC_FUNDS_STATEMENT,
)

# --- Members ----------------------------------------------------------------------------------
APPLICANT, SPOUSE, CHILD, OTHER = "applicant", "spouse", "child", "other"
ROLES = {
    APPLICANT: _("applicant"),
    SPOUSE: _("spouse or partner"),
    CHILD: _("child"),
    OTHER: _("other household member"),
}

NO_DISABILITY = "none"
SEVERE = "severe"
MODERATE = "moderate"
LIGHT = "light"
CHILD_CERTIFICATE = "child_certificate"
DISABILITIES = {
    NO_DISABILITY: _("none"),
    SEVERE: _("severe (znaczny)"),
    MODERATE: _("moderate (umiarkowany)"),
    LIGHT: _("light (lekki)"),
    CHILD_CERTIFICATE: _("certificate of a child under 16 (no degree)"),
}

# A child is a person under this age on the call's reference date (DOMAIN.md).
CHILD_AGE = 18

# --- Criteria (§4.1) --------------------------------------------------------------------------
CRITERIA = {
    "1": _("social-assistance income criterion"),
    "2": _("family-benefits income criterion"),
    "2a": _("alimony-fund income criterion"),
    "3": _("pupil entitled to a school scholarship"),
    "4": _("severe disability"),
    "5": _("moderate or light disability"),
    "6": _("foster family"),
    "7": _("family children's home"),
}
CRITERION_ORDER = tuple(CRITERIA)
# The document that proves each criterion (§5.3 points 4-7, 9).
CRITERION_DOCUMENT = {
    "1": MOPS_SOCIAL_ASSISTANCE_CERTIFICATE,
    "2": MOPS_FAMILY_BENEFITS_CERTIFICATE,
    "2a": MOPS_FAMILY_BENEFITS_CERTIFICATE,
    "3": SCHOLARSHIP_CONFIRMATION,
    "4": DISABILITY_CERTIFICATE,
    "5": DISABILITY_CERTIFICATE,
    "6": COURT_DECISION,
    "7": COURT_DECISION,
}
HOUSEHOLD_CRITERIA = ("1", "2", "2a")  # points per person, one breakdown entry (pesel null)
# A person's own documents (DOMAIN.md §5.3: one disability certificate per disabled person, one
# scholarship confirmation per pupil): each credits that person only.
PERSONAL_DOCUMENTS = (DISABILITY_CERTIFICATE, SCHOLARSHIP_CONFIRMATION)
PERSONAL_CRITERIA = ("3", "4", "5")
# The criteria the §4.2.5 income ceiling limits (DOMAIN.md: it limits them, not the household).
DISABILITY_CRITERIA = ("4", "5")

# --- Outcomes ---------------------------------------------------------------------------------
MAIN = "main"
RESERVE = "reserve"
UNLISTED = "unlisted"  # eligible, beyond a reserve list the call limited
INELIGIBLE = "ineligible"
REJECTED = "rejected"  # formal grounds
STATUSES = {
    MAIN: _("main list"),
    RESERVE: _("reserve list"),
    UNLISTED: _("eligible, beyond the reserve list"),
    INELIGIBLE: _("ineligible"),
    REJECTED: _("rejected on formal grounds"),
}
STATUS_ORDER = (MAIN, RESERVE, UNLISTED, INELIGIBLE, REJECTED)

LATE = "late"
NO_CRITERION = "no_criterion"
OUTSIDE_TOWN = "outside_town"
HAS_COMPUTER = "has_computer"
HAS_INTERNET = "has_internet"
INCOME_ABOVE_CEILING = "income_above_disability_ceiling"
DUPLICATE_HOUSEHOLD = "duplicate_household"
MISSING_DOCUMENT = "missing_document"  # + ":<type>"

CRITERION_NOT_CREDITED = "criterion_not_credited"  # + ":<code>"
SAME_ADDRESS_AS = "same_address_as"  # + ":<number>"

IN_PERSON, POST = "in_person", "post"
CHANNELS = {IN_PERSON: _("in person"), POST: _("by post")}

TOWN = "Lębork"


@dataclass(frozen=True)
class CallRules:
    """The parameters of a call that the rules read (never constants in code)."""

    deadline: datetime.date
    places: int = 75
    reserve_places: int | None = None  # None: every remaining eligible application
    average_salary: Decimal = Decimal("3399.52")  # GUS 2011, the figure used in 2012
    reference_date: datetime.date | None = None  # ages are counted on it; default the deadline
    required_documents: tuple[str, ...] = ALWAYS_REQUIRED
    ceiling_share_family: Decimal = Decimal("0.50")
    ceiling_share_single: Decimal = Decimal("0.65")
    town: str = TOWN

    @property
    def age_date(self) -> datetime.date:
        return self.reference_date or self.deadline


@dataclass(frozen=True)
class MemberData:
    pesel: str
    role: str = OTHER
    disability: str = NO_DISABILITY
    school_scholarship: bool = False
    foster_child: bool = False
    family_home_child: bool = False
    first_name: str = ""
    last_name: str = ""
    documents: frozenset[str] = frozenset()  # the person's own, present and verified


@dataclass(frozen=True)
class ApplicationData:
    number: str
    received_on: datetime.date
    members: tuple[MemberData, ...]
    channel: str = IN_PERSON
    postmarked_on: datetime.date | None = None
    street: str = ""
    building: str = ""
    flat: str = ""
    postal_code: str = ""
    city: str = TOWN
    has_computer: bool = False
    has_internet: bool = False
    monthly_net_income: Decimal = Decimal("0")
    social_assistance: bool = False
    family_benefits: bool = False
    alimony_fund: bool = False
    foster_family: bool = False
    family_childrens_home: bool = False
    documents: frozenset[str] = field(default_factory=frozenset)  # present and verified

    @property
    def submitted_on(self) -> datetime.date:
        """§5.4: for post the postmark date counts; in person, the day it was received."""
        if self.channel == POST and self.postmarked_on:
            return self.postmarked_on
        return self.received_on

    @property
    def sequence(self) -> tuple[int, str]:
        """Registration order: the number after the slash ("2012/017" -> 17), then the text."""
        tail = self.number.rsplit("/", 1)[-1]
        return (int(tail) if tail.isdigit() else 0, self.number)


# The three below are made by the hundred thousand when a big call is ranked: named tuples,
# which are much cheaper to create than frozen dataclasses.
class Credit(NamedTuple):
    """Points from one criterion, for the household (pesel None) or for one person."""

    criterion: str
    pesel: str | None
    points: int


class Assessment(NamedTuple):
    """What the rules say of one application on its own (ranking.assess): everything the
    cross-application step (ranking.rank) needs, so a saved application is re-assessed alone
    and the call re-ranked from stored assessments."""

    number: str
    sequence: tuple[int, str]
    submitted_on: datetime.date
    points: int
    credits: tuple[Credit, ...]
    not_credited: tuple[str, ...]  # criteria claimed without their document
    formal: tuple[str, ...]  # formal-check reasons (§5.4-5.5)
    reasons: tuple[str, ...]  # eligibility reasons of the application itself (§4.2)
    pesels: frozenset[str]
    address: tuple[str, str, str] | None
    warnings: tuple[str, ...] = ()  # of the application alone (the §4.2.5 ceiling)


class Outcome(NamedTuple):
    number: str
    status: str
    rank: int | None
    points: int
    breakdown: tuple[Credit, ...]
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    tie: bool = False
    position: int | None = None  # place in its own list (the ranking order for eligible ones)
