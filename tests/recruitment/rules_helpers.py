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
    ApplicationData,
    CallRules,
    MemberData,
)

DEADLINE = datetime.date(2012, 9, 5)
RULES = CallRules(deadline=DEADLINE, places=75, average_salary=Decimal("3399.52"))
ALL_DOCUMENTS = frozenset(ALWAYS_REQUIRED) | frozenset(CRITERION_DOCUMENT.values())

_serials = itertools.count(1)


def person(born=datetime.date(1975, 3, 2), female=True, **fields) -> MemberData:
    """A member with a fresh valid PESEL (no two calls give the same number)."""
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
