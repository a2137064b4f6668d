"""live_indicators: the one source of the figures, counted as of a day; export_indicators."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import roles
from lebork_einclusion.models import Project
from monitoring import indicators
from monitoring.indicators import live_indicators
from recruitment.models import Application

D = datetime.date


def figures(as_of=None) -> dict:
    return {i.code: i.value for i in live_indicators(Project.current(), as_of)}


def test_the_demo_figures(db):
    values = figures()
    assert values["applications_received"] == 79
    # 75 main and 2 reserve: one household resigned in February 2013 and the first reserve took
    # its place (the lists version 2); the one that left is no longer ranked.
    assert values["applications_ranked"] == 77
    assert values["main_list_households"] == 75
    assert values["participants"] == 75
    assert values["public_units"] == 7
    assert values["contracts_signed"] == 7
    assert values["lab_visits"] == 570
    assert values["lab_hours_open"] == Decimal("180.5")


def test_what_is_not_recorded_yet_is_not_measured_and_keeps_its_target(db):
    by_code = {i.code: i for i in live_indicators(Project.current())}
    for code, target in [
        ("households_connected", 75),
        ("units_connected", 7),
        ("people_trained", 150),
        ("training_hours", 96),
    ]:
        assert by_code[code].value is None
        assert by_code[code].target == target
        assert by_code[code].percent is None


def test_figures_are_counted_as_the_records_stood_on_the_day(db):
    before_the_call = figures(D(2012, 8, 1))
    assert before_the_call["applications_received"] == 0
    assert before_the_call["main_list_households"] == 0
    at_the_deadline = figures(D(2012, 9, 5))
    # 2012/079 was posted on the deadline and reached the office on 08.09.2012.
    assert at_the_deadline["applications_received"] == 78
    assert figures(D(2012, 9, 8))["applications_received"] == 79
    assert at_the_deadline["main_list_households"] == 0  # lists approved on 21.09.2012
    end_of_2012 = figures(D(2012, 12, 31))
    assert end_of_2012["main_list_households"] == 75
    assert end_of_2012["participants"] == 75
    assert end_of_2012["contracts_signed"] == 6  # the supervisors' contract came on 14.01.2013
    assert end_of_2012["lab_hours_scheduled"] == 0


def test_a_participant_who_left_no_longer_counts_after_leaving(db):
    from lending.models import Participant

    participant = Participant.objects.order_by("pk").first()
    Participant.objects.filter(pk=participant.pk).update(
        status=Participant.Status.RESIGNED, ended_on=D(2013, 5, 10)
    )
    assert figures(D(2013, 5, 9))["participants"] == 75
    assert figures(D(2013, 5, 10))["participants"] == 74


def test_an_indicator_is_added_by_registering_a_function(db, monkeypatch):
    monkeypatch.setattr(indicators, "INDICATORS", list(indicators.INDICATORS))

    @indicators.indicator(
        "visits_done", _("Visits done"), _("visits"), target=lambda project, as_of: 150
    )
    def visits_done(project, as_of):
        return 12

    last = live_indicators(Project.current())[-1]
    assert (last.code, last.value, last.target, last.percent) == ("visits_done", 12, 150, 8)


def test_a_code_cannot_be_registered_twice(db, monkeypatch):
    monkeypatch.setattr(indicators, "INDICATORS", list(indicators.INDICATORS))
    with pytest.raises(ValueError, match="participants"):
        indicators.indicator("participants", _("x"), _("x"))(lambda project, as_of: 1)


def test_export_indicators_prints_one_object_per_indicator(db):
    out = io.StringIO()
    call_command("export_indicators", format="json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [row["code"] for row in rows] == [d.code for d in indicators.INDICATORS]
    assert all(set(row) == {"code", "name", "target", "value", "unit"} for row in rows)
    by_code = {row["code"]: row for row in rows}
    assert by_code["main_list_households"] == {
        "code": "main_list_households",
        "name": "Gospodarstwa domowe na zatwierdzonej liście podstawowej",
        "target": 75,
        "value": 75,
        "unit": "gospodarstw",
    }
    assert by_code["people_trained"]["value"] is None
    assert by_code["lab_hours_open"]["value"] == 180.5


def test_export_indicators_counts_as_of_a_day(db):
    out = io.StringIO()
    call_command("export_indicators", format="json", as_of=D(2012, 9, 10), stdout=out)
    by_code = {row["code"]: row["value"] for row in json.loads(out.getvalue())}
    assert by_code["applications_received"] == 79
    assert by_code["main_list_households"] == 0


def test_export_indicators_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_indicators", "--as-of", "31.12.2012", stdout=io.StringIO())


def test_the_home_page_shows_the_indicators_against_their_targets(client_as):
    page = client_as(roles.COORDINATOR).get(reverse("monitoring:home")).content.decode()
    assert "Wskaźniki wobec wartości docelowych" in page
    assert "Gospodarstwa domowe na zatwierdzonej liście podstawowej" in page
    assert "100% wartości docelowej" in page
    assert "Osoby przeszkolone" in page
    assert "Jeszcze nie mierzone." in page  # people trained: training is not recorded yet
    assert "Wnioski złożone" not in page  # no target: only on the indicators page


def test_the_indicators_page_counts_as_of_a_chosen_day(client_as):
    client = client_as(roles.FINANCE)
    response = client.get(reverse("monitoring:indicators"), {"as_of": "2012-09-10"})
    values = {i.code: i.value for i in response.context["indicators"]}
    assert values["applications_received"] == 79
    assert values["main_list_households"] == 0


def test_new_data_changes_the_live_figures(db):
    application = Application.objects.order_by("pk").first()
    Application.objects.filter(pk=application.pk).update(received_on=D(2030, 1, 1))
    assert figures(D(2013, 1, 1))["applications_received"] == 78
