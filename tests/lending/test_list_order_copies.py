"""The lists ordered by the household's registration number read it from a copy on their own
table (kept by the database's triggers in the same statement), so that one index walks them
(issue 17, item 4): the copies match the application's number whatever wrote the row, and the
lists show the same order as before."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from lebork_einclusion.models import PublicUnit
from lending.models import Connection, Participant
from monitoring.models import PlannedVisit
from monitoring.visits import overdue
from tests.factories import add_households

pytestmark = pytest.mark.django_db


def test_the_demos_rows_carry_their_households_registration_order(db):
    assert Participant.objects.exists()
    assert not Participant.objects.exclude(sequence=F("application__sequence")).exists()
    households = Connection.objects.filter(participant__isnull=False)
    assert households.exists()
    assert not households.exclude(household_sequence=F("participant__sequence")).exists()
    assert not Connection.objects.filter(
        participant__isnull=True, household_sequence__isnull=False
    ).exists()
    assert PlannedVisit.objects.exists()
    assert not PlannedVisit.objects.exclude(household_sequence=F("participant__sequence")).exists()


def test_a_row_inserted_without_the_copy_gets_it_from_the_database(db):
    participant = Participant.objects.order_by("-sequence").first()
    visit = PlannedVisit.objects.create(
        participant=participant, due_on="2013-05-02", origin="officer"
    )
    visit.refresh_from_db()
    assert visit.household_sequence == participant.application.sequence > 0


def test_a_visit_moved_to_another_household_takes_its_number(db):
    visit = PlannedVisit.objects.order_by("household_sequence", "pk").first()
    other = Participant.objects.exclude(sequence=visit.household_sequence).order_by("-sequence")[0]
    PlannedVisit.objects.filter(pk=visit.pk).update(participant=other)
    visit.refresh_from_db()
    assert visit.household_sequence == other.application.sequence


def test_the_participant_list_shows_the_registration_order(coordinator_client):
    response = coordinator_client.get(reverse("lending:participant_list"))
    shown = [p.application.sequence for p in response.context["page"]]
    assert len(shown) > 1
    assert shown == sorted(shown)


def test_the_connection_list_shows_the_units_by_name_then_the_households_by_number(
    coordinator_client,
):
    response = coordinator_client.get(reverse("lending:connection_list"))
    rows = list(response.context["page"])
    units = [c.public_unit.name for c in rows if c.public_unit_id]
    households = [c.participant.application.sequence for c in rows if c.participant_id]
    assert units and households
    assert rows[: len(units)] == [c for c in rows if c.public_unit_id]  # the units first
    in_order = PublicUnit.objects.filter(name__in=units).order_by("name")
    assert units == list(in_order.values_list("name", flat=True))  # the database's collation
    assert households == sorted(households)


def test_the_overdue_visits_keep_the_day_then_the_households_number(db):
    add_households(30, visits=3)
    rows = list(overdue(datetime.date(2030, 1, 1))[:200])
    keys = [(v.due_on, v.participant.application.sequence) for v in rows]
    assert len(keys) >= 60  # the 30 households' two visits still planned, and the demo's
    assert keys == sorted(keys)
