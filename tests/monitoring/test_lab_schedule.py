"""The month's opening hours of a unit's lab: entered on a page (rows and weekly hours),
refused with a clear message and nothing saved when slots overlap or leave the month."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import roles
from monitoring.models import LabSchedule
from monitoring.schedules import Slot
from monitoring.services.labs import do_save_schedule
from procurement.demo import LAB_SUPERVISION_CONTRACT
from procurement.models import Contract
from tests.helpers import messages_of

from .conftest import EMPTY_MONTH, monitoring_state

D, T = datetime.date, datetime.time


def url(unit, month=EMPTY_MONTH):
    return reverse("monitoring:lab_schedule", args=[unit.pk, month.year, month.month])


def form_data(rows=(), *, version="", weekly=None, initial=0, room="sala 12", contract=""):
    data = {
        "schedule-room": room,
        "schedule-notes": "Wejście od podwórza.",
        "schedule-contract": contract,
        "schedule-version": version,
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": str(initial),
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "200",
    }
    for index, (day, start, end) in enumerate(rows):
        data[f"slots-{index}-day"] = day
        data[f"slots-{index}-starts_at"] = start
        data[f"slots-{index}-ends_at"] = end
    for key, value in (weekly or {}).items():
        data[f"weekly-{key}"] = value
    return data


def test_the_officer_enters_a_month_of_hours_with_two_slots_a_day(officer_client, unit):
    contract = Contract.objects.get(number=LAB_SUPERVISION_CONTRACT)
    response = officer_client.post(
        url(unit),
        form_data(
            [
                ("2013-11-05", "14:00", "16:00"),
                ("2013-11-05", "16:30", "18:00"),
                ("2013-11-07", "14:00", "16:00"),
                ("", "", ""),  # a spare row left empty
            ],
            contract=contract.pk,
        ),
    )
    assert response.status_code == 302
    schedule = LabSchedule.objects.get(unit=unit, month=EMPTY_MONTH)
    assert schedule.room == "sala 12"
    assert schedule.contract == contract
    assert schedule.updated_by == officer_client.user
    assert [(s.day.day, s.starts_at, s.ends_at) for s in schedule.slots.all()] == [
        (5, T(14), T(16)),
        (5, T(16, 30), T(18)),
        (7, T(14), T(16)),
    ]


def test_weekly_hours_add_slots_on_every_chosen_weekday_except_holidays(officer_client, unit):
    response = officer_client.post(
        url(unit),
        form_data(
            [("2013-11-09", "10:00", "12:00")],
            weekly={"weekdays": ["1", "3"], "starts_at": "14:00", "ends_at": "16:00", "skip": "12"},
        ),
    )
    assert response.status_code == 302
    days = [s.day.day for s in LabSchedule.objects.get(unit=unit, month=EMPTY_MONTH).slots.all()]
    # Tuesdays 5, 19, 26 (12 skipped) and Thursdays 7, 14, 21, 28, plus the Saturday row.
    assert days == [5, 7, 9, 14, 19, 21, 26, 28]


def test_overlapping_rows_are_refused_with_the_row_named_and_nothing_saved(officer_client, unit):
    before = monitoring_state()
    response = officer_client.post(
        url(unit),
        form_data([("2013-11-05", "14:00", "16:00"), ("2013-11-05", "15:00", "17:00")]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Formularz zawiera błędy. Nic jeszcze nie zostało zapisane." in page
    assert "Wiersz 2</a>: Godziny 15:00–17:00 nachodzą na 14:00–16:00 w dniu 05.11.2013." in page
    assert 'value="2013-11-05"' in page  # what was typed is still in the form
    assert monitoring_state() == before


def test_a_day_outside_the_month_is_refused_and_nothing_saved(officer_client, unit):
    before = monitoring_state()
    response = officer_client.post(url(unit), form_data([("2013-12-02", "14:00", "16:00")]))
    assert "02.12.2013 nie należy do miesiąca: listopad 2013." in response.content.decode()
    assert monitoring_state() == before


def test_weekly_hours_overlapping_a_row_are_refused_and_nothing_saved(officer_client, unit):
    before = monitoring_state()
    response = officer_client.post(
        url(unit),
        form_data(
            [("2013-11-05", "15:00", "17:00")],
            weekly={"weekdays": ["1"], "starts_at": "14:00", "ends_at": "16:00"},
        ),
    )
    page = response.content.decode()
    assert (
        "Godziny tygodniowe</a>: Godziny 14:00–16:00 nachodzą na 15:00–17:00 w dniu 05.11.2013."
        in page
    )
    assert monitoring_state() == before


def test_weekly_hours_without_their_times_are_refused(officer_client, unit):
    before = monitoring_state()
    response = officer_client.post(url(unit), form_data([], weekly={"weekdays": ["1"]}))
    assert "Podaj godziny dla wybranych dni tygodnia." in response.content.decode()
    assert monitoring_state() == before


def test_saving_again_replaces_the_month_and_can_remove_a_row(officer_client, unit):
    month = D(2013, 3, 1)
    schedule = LabSchedule.objects.get(unit=unit, month=month)
    slots = list(schedule.slots.all())
    rows = [(s.day.isoformat(), f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}") for s in slots]
    data = form_data(rows, version=schedule.version, initial=len(rows))
    data["slots-0-DELETE"] = "on"
    response = officer_client.post(url(unit, month), data)
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.version == 2
    assert [s.day for s in schedule.slots.all()] == [s.day for s in slots[1:]]


def test_a_schedule_saved_meanwhile_by_someone_else_is_not_overwritten(officer_client, unit):
    month = D(2013, 3, 1)
    schedule = LabSchedule.objects.get(unit=unit, month=month)
    before = monitoring_state()
    response = officer_client.post(
        url(unit, month),
        form_data([("2013-03-05", "08:00", "09:00")], version=schedule.version - 1 or 99),
    )
    assert "Ktoś inny zapisał godziny tego miesiąca" in response.content.decode()
    assert monitoring_state() == before


def test_the_auditor_reads_the_hours_and_may_not_change_them(client_as, unit):
    client = client_as(roles.AUDITOR)
    month = D(2013, 3, 1)
    response = client.get(url(unit, month))
    page = response.content.decode()
    assert "wtorek, 05.03.2013" in page
    assert '<form method="post" novalidate>' not in page
    before = monitoring_state()
    assert client.post(url(unit, month), form_data([])).status_code == 403
    assert monitoring_state() == before


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.ASSISTANT, roles.MONITORING])
def test_the_office_and_the_monitoring_officer_may_edit(client_as, unit, role):
    response = client_as(role).post(url(unit), form_data([("2013-11-05", "14:00", "16:00")]))
    assert response.status_code == 302


def test_the_service_refuses_what_the_page_refuses(unit, coordinator):
    before = monitoring_state()
    with pytest.raises(ValidationError) as caught:
        do_save_schedule(
            unit,
            EMPTY_MONTH,
            [Slot(D(2013, 11, 5), T(14), T(16)), Slot(D(2013, 11, 5), T(14), T(15))],
            actor=coordinator,
        )
    assert "nachodzą na" in messages_of(caught.value)
    assert monitoring_state() == before


def test_a_contract_not_in_force_in_the_month_is_refused(unit, coordinator):
    old = Contract.objects.get(number=LAB_SUPERVISION_CONTRACT)  # 15.01.2013-31.12.2013
    before = monitoring_state()
    with pytest.raises(ValidationError) as caught:
        do_save_schedule(
            unit,
            D(2014, 2, 1),
            [Slot(D(2014, 2, 4), T(14), T(16))],
            actor=coordinator,
            contract=old,
        )
    assert messages_of(caught.value) == "Umowa nie obowiązuje w miesiącu: luty 2014."
    assert monitoring_state() == before


def test_a_month_that_does_not_exist_is_not_found(officer_client, unit):
    response = officer_client.get(reverse("monitoring:lab_schedule", args=[unit.pk, 2013, 13]))
    assert response.status_code == 404


def test_the_grid_of_a_year_shows_every_unit_in_a_constant_number_of_queries(
    officer_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("monitoring:lab_list"), {"year": 2013})
    rows = response.context["rows"]
    assert len(rows) == 7
    sp3 = next(cells for unit, cells in rows if unit.short_name == "SP3")
    march = sp3[2]
    assert march[1] is not None and march[2] is not None  # hours published, report handed in
    assert sp3[11][1] is None  # December: nothing yet
