"""Builders of plain recruitment data for the rule tests (no database)."""

import datetime
import itertools
from dataclasses import replace
from decimal import Decimal

from lebork_einclusion.pesel import make_pesel
from recruitment.domain import (
    ALWAYS_REQUIRED,
    APPLICANT,
    CHILD,
    CRITERION_DOCUMENT,
    DISABILITY_CERTIFICATE,
    NO_DISABILITY,
    PERSONAL_DOCUMENTS,
    SCHOLARSHIP_CONFIRMATION,
    ApplicationData,
    CallRules,
    MemberData,
)

DEADLINE = datetime.date(2012, 9, 5)
RULES = CallRules(deadline=DEADLINE, places=75, average_salary=Decimal("3399.52"))
# The household's documents (a person's own are on the member: `person`).
ALL_DOCUMENTS = (frozenset(ALWAYS_REQUIRED) | frozenset(CRITERION_DOCUMENT.values())) - frozenset(
    PERSONAL_DOCUMENTS
)

_serials = itertools.count(1)


def own_documents(fields: dict) -> frozenset[str]:
    """The person's own certificates of what they claim (criteria 3-5), all handed in."""
    documents = set()
    if fields.get("disability", NO_DISABILITY) != NO_DISABILITY:
        documents.add(DISABILITY_CERTIFICATE)
    if fields.get("school_scholarship"):
        documents.add(SCHOLARSHIP_CONFIRMATION)
    return frozenset(documents)


def person(born=datetime.date(1975, 3, 2), female=True, **fields) -> MemberData:
    """A member with a fresh valid PESEL (no two calls give the same number); unless told
    otherwise, with the own certificates of what it claims."""
    fields.setdefault("documents", own_documents(fields))
    return MemberData(pesel=make_pesel(born, next(_serials) % 1000, female), **fields)


def adult(**fields) -> MemberData:
    return person(born=datetime.date(1975, 3, 2), role=fields.pop("role", APPLICANT), **fields)


def child(age_years: int = 10, **fields) -> MemberData:
    born = DEADLINE.replace(year=DEADLINE.year - age_years) - datetime.timedelta(days=30)
    return person(born=born, role=CHILD, **fields)


def application(number="2012/001", members=None, documents=ALL_DOCUMENTS, **fields):
    fields.setdefault("received_on", datetime.date(2012, 8, 20))
    fields.setdefault("street", f"ul. Testowa {number}")
    fields.setdefault("building", "1")
    fields.setdefault("monthly_net_income", Decimal("1000.00"))
    return ApplicationData(
        number=number,
        members=tuple(members if members is not None else [adult()]),
        documents=frozenset(documents),
        **fields,
    )


def with_members(app: ApplicationData, *members: MemberData) -> ApplicationData:
    return replace(app, members=app.members + members)
