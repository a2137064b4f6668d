"""Lending tests start from the demo: 160 sets delivered, 75 households with signed agreements
and connections, one resignation promoted from the reserve list (version 2 of the lists)."""

import datetime

import pytest

from lebork_einclusion import roles
from lending.models import (
    Asset,
    AssetEvent,
    Connection,
    LoanAgreement,
    LoanItem,
    Participant,
    ParticipationEnd,
    PromissoryNote,
)
from lending.services import agreements
from lending.services import equipment as equipment_services
from recruitment.models import Call, RankingVersion
from tests import helpers

DAY = datetime.date(2013, 3, 4)
# A day to end a participation on: a promotion from the reserve list is not dated before the
# latest version of the lists (version 3 of 04.04.2014, the demo's exclusion), and the demo's
# agreements are in force on it (annexed to the durability end).
END_DAY = datetime.date(2014, 6, 2)


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def coordinator(make_user):
    return make_user(roles.COORDINATOR)


@pytest.fixture
def participant(db):
    """A household taking part with its agreement in force and one set at home."""
    return (
        Participant.objects.active()
        .filter(agreements__status="active")
        .select_related("application", "signatory")
        .order_by("application__sequence")
        .first()
    )


@pytest.fixture
def agreement(participant):
    return participant.agreements.get(status="active")


@pytest.fixture
def stock(coordinator):
    """Two sets back in stock: taken from a public unit's lab."""
    assets = list(Asset.objects.filter(status="at_unit").order_by("serial_number")[:2])
    for asset in assets:
        equipment_services.do_return_from_unit(asset, DAY, actor=coordinator)
    return [Asset.objects.get(pk=a.pk) for a in assets]


@pytest.fixture
def bare_participant(participant, coordinator):
    """An active household whose agreement ended and whose set came back: free for a new one."""
    agreement = participant.agreements.get(status="active")
    agreements.do_end_agreement(agreement, DAY, "Koniec okresu (test).", actor=coordinator)
    items = list(agreements.open_items(agreement).select_related("asset"))
    agreements.do_record_return(
        agreement, [(item.asset, "worn", "") for item in items], DAY, actor=coordinator
    )
    participant.refresh_from_db()
    return participant


def snapshot() -> dict:
    """Everything a refused step must leave as it was."""
    return helpers.snapshot(
        (Asset, "pk", "status", "participant_id", "public_unit_id", "condition", "version"),
        (AssetEvent, "pk"),
        (LoanAgreement, "pk", "status", "signed_on", "handed_over_on", "ended_on", "version"),
        (LoanItem, "pk", "handed_over_on", "return_due_on", "returned_on"),
        (PromissoryNote, "pk", "status"),
        (Participant, "pk", "status", "ended_on"),
        (ParticipationEnd, "pk"),
        (RankingVersion, "pk"),
        (Connection, "pk", "status"),
    )


@pytest.fixture
def other_agreement(participant):
    """An agreement in force of another household."""
    return (
        LoanAgreement.objects.filter(status="active")
        .exclude(participant=participant)
        .order_by("number")
        .first()
    )
