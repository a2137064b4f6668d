"""Procedures at each step of the workflow, built through the services (as the pages do)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from lebork_einclusion import roles
from procurement.models import Procedure
from procurement.services import procedures
from tests.factories import SupplierFactory

WARSAW = ZoneInfo("Europe/Warsaw")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=WARSAW)


def snapshot(procedure: Procedure) -> dict:
    """Everything a refused step must leave as it was."""
    fresh = Procedure.objects.get(pk=procedure.pk)
    return {
        "row": {f.attname: getattr(fresh, f.attname) for f in Procedure._meta.concrete_fields},
        "timeline": list(fresh.timeline.values_list("pk", flat=True)),
        "offers": list(fresh.offers.values("pk", "score", "rejected", "rejection_reason")),
        "contracts": list(fresh.contracts.values_list("pk", flat=True)),
        "procedures": Procedure.objects.count(),
    }


@pytest.fixture
def finance(make_user):
    return make_user(roles.FINANCE)


@pytest.fixture
def finance_client(client, finance):
    client.force_login(finance)
    return client


@pytest.fixture
def bidders(db):
    return SupplierFactory(name="Alfa Sp. z o.o."), SupplierFactory(name="Beta s.c.")


@pytest.fixture
def procedure(db, finance):
    return procedures.do_register_procedure(
        actor=finance,
        registered_on=day("2024-02-20"),
        reference="RZP.271.99.2024",
        subject="Dostawa laptopów do pracowni",
        kind=Procedure.Kind.SUPPLIES,
        procedure_type=Procedure.ProcedureType.OPEN_TENDER,
        estimated_value_net=Decimal("81300.81"),
        estimated_value_gross=Decimal("100000.00"),
    )


@pytest.fixture
def announced(procedure, finance):
    return procedures.do_announce(
        procedure,
        announcement_number="900001-2024",
        announcement_date=day("2024-03-01"),
        offers_deadline=at("2024-03-11T10:00"),
        actor=finance,
    )


@pytest.fixture
def offers(announced, bidders, finance):
    alfa, beta = bidders
    return [
        procedures.do_record_offer(
            announced,
            bidder=alfa,
            received_at=at("2024-03-08T12:00"),
            price=Decimal("95000.00"),
            actor=finance,
        ),
        procedures.do_record_offer(
            announced,
            bidder=beta,
            received_at=at("2024-03-11T09:30"),
            price=Decimal("91000.00"),
            actor=finance,
        ),
    ]


@pytest.fixture
def opened(announced, offers, finance):
    return procedures.do_open_offers(announced, opened_on=day("2024-03-11"), actor=finance)


@pytest.fixture
def awarded(opened, offers, finance):
    return procedures.do_award(opened, offer=offers[1], award_date=day("2024-03-15"), actor=finance)


@pytest.fixture
def contract(awarded, finance):
    return procedures.do_sign_contract(
        awarded,
        number="RZP.272.99.2024",
        signed_on=day("2024-03-25"),
        value_net=Decimal("73983.74"),
        value_gross=Decimal("91000.00"),
        scope="Dostawa 30 laptopów.",
        term_start=day("2024-03-25"),
        term_end=day("2024-12-31"),
        actor=finance,
    )
