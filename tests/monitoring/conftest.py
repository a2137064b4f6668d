"""Monitoring's fixtures: clients per role, a unit, a month without hours in the demo."""

import datetime

import pytest

from lebork_einclusion import roles
from lebork_einclusion.models import PublicUnit
from monitoring.models import ChronicleEntry, IndicatorSnapshot, LabReport, LabSchedule, LabSlot

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
    return {
        "schedules": list(LabSchedule.objects.order_by("pk").values()),
        "slots": list(
            LabSlot.objects.order_by("pk").values_list("pk", "day", "starts_at", "ends_at")
        ),
        "reports": list(LabReport.objects.order_by("pk").values()),
        "snapshots": IndicatorSnapshot.objects.count(),
        "entries": list(ChronicleEntry.objects.order_by("pk").values()),
    }


def messages_of(error) -> str:
    return " ".join(error.messages)
