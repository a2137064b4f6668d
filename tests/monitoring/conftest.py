"""Monitoring's fixtures: clients per role, a unit, a month without hours in the demo."""

import datetime

import pytest

from lebork_einclusion import roles
from lebork_einclusion.models import PublicUnit
from monitoring.models import ChronicleEntry, IndicatorSnapshot, LabReport, LabSchedule, LabSlot
from tests import helpers

# The demo has hours for January-October 2013 only.
EMPTY_MONTH = datetime.date(2013, 11, 1)


@pytest.fixture
def coordinator(make_user):
    return make_user(roles.COORDINATOR)


@pytest.fixture
def officer_client(client_as):
    return client_as(roles.MONITORING)


@pytest.fixture
def unit(db):
    return PublicUnit.objects.get(short_name="SP3")


def monitoring_state() -> dict:
    """Everything a refused change must leave as it was."""
    return helpers.snapshot(
        LabSchedule,
        (LabSlot, "pk", "day", "starts_at", "ends_at"),
        LabReport,
        (IndicatorSnapshot, "pk"),
        ChronicleEntry,
    )


# --- home visits -------------------------------------------------------------------------------

VISIT_DAY = datetime.date(2013, 4, 10)


@pytest.fixture
def officer(db):
    """The demo's monitoring officer (the plan gives the visits to her)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="monitoring")


@pytest.fixture
def planned(db):
    """The earliest visit still planned: the demo made every visit of 2013-2018 but the one of
    the household not at home at two tries in 2018."""
    from monitoring.models import PlannedVisit

    return (
        PlannedVisit.objects.filter(status="planned", participant__status="active")
        .select_related("participant__application")
        .order_by("due_on", "pk")
        .first()
    )


@pytest.fixture
def household(planned):
    return planned.participant


@pytest.fixture
def officer_phone(client, officer):
    client.force_login(officer)
    client.user = officer
    return client


def visit_data(participant, *, planned=None, key=None, **changes) -> dict:
    """The visit form as the phone sends it: every lent asset present, the connection works,
    every obligation kept, two empty follow-up rows."""
    import uuid

    from lending.services import lent_assets

    assets = list(lent_assets(participant))
    data = {
        "key": str(key or uuid.uuid4()),
        "planned": str(planned.pk) if planned else "",
        "visited_on": VISIT_DAY.isoformat(),
        "visited_time": "10:30",
        "outcome": "made",
        "present": "beneficjentka i syn",
        "checks-TOTAL_FORMS": str(len(assets)),
        "checks-INITIAL_FORMS": str(len(assets)),
        "checks-MIN_NUM_FORMS": "0",
        "checks-MAX_NUM_FORMS": "50",
        "connection_working": "yes",
        "measured_speed": "1.9",
        "used_by": "syn – nauka, matka – oferty pracy",
        "purposes": ["school", "work"],
        "use_note": "",
        "not_sold": "yes",
        "not_lent": "yes",
        "lawful_use": "yes",
        "compliance_note": "",
        "findings": "Sprzęt kompletny, używany zgodnie z umową.",
        "follow-TOTAL_FORMS": "2",
        "follow-INITIAL_FORMS": "0",
        "follow-MIN_NUM_FORMS": "0",
        "follow-MAX_NUM_FORMS": "10",
        "follow-0-what": "",
        "follow-0-responsible": "",
        "follow-0-due_on": "",
        "follow-1-what": "",
        "follow-1-responsible": "",
        "follow-1-due_on": "",
        "next_visit_on": "",
        "signature": "",
        "signed_by": "",
    }
    for index, asset in enumerate(assets):
        data.update(
            {
                f"checks-{index}-serial": asset.serial_number,
                f"checks-{index}-state": "present",
                f"checks-{index}-action": "none",
                f"checks-{index}-note": "",
            }
        )
    data.update(changes)
    return data


def stored_files() -> list[str]:
    """Files under the private folders of the visits (photos, thumbnails, signatures)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT) / "visits"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def visit_state() -> dict:
    """Everything a refused visit must leave as it was, here and in lending."""
    from lending.models import (
        Asset,
        AssetEvent,
        Connection,
        DamageClaim,
        ExclusionProposal,
        Outage,
        ServiceRecord,
    )
    from monitoring.models import AssetCheck, FollowUp, MonitoringVisit, PlannedVisit, VisitPhoto

    return {
        **helpers.snapshot(
            (MonitoringVisit, "pk"),
            (AssetCheck, "pk"),
            (VisitPhoto, "pk"),
            (FollowUp, "pk", "status"),
            (PlannedVisit, "pk", "status", "due_on"),
            (DamageClaim, "pk"),
            (ServiceRecord, "pk"),
            (Outage, "pk"),
            (ExclusionProposal, "pk"),
            (AssetEvent, "pk"),
            (Asset, "pk", "status", "condition"),
            (Connection, "pk", "status"),
        ),
        "files": stored_files(),
    }
