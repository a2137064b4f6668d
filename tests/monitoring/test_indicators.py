"""live_indicators: the one source of the figures, counted as of a day; export_indicators."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import clock, roles
from lebork_einclusion.models import Project
from lending import services as lending_services
from lending.models import Participant
from lending.services import active_connection
from monitoring import indicators
from monitoring.indicators import live_indicators
from monitoring.models import MonitoringVisit, PlannedVisit
from recruitment.models import Application
from training.figures import training_figures

D = datetime.date


def figures(as_of=None) -> dict:
    return {i.code: i.value for i in live_indicators(Project.current(), as_of)}


def test_the_demo_figures(db):
    values = figures()
    assert values["applications_received"] == 79
    # 75 main and 1 reserve: one household resigned in February 2013 and one was excluded in
    # 2014, the first reserve took each place (versions 2 and 3 of the lists); the households
    # that left are no longer ranked.
    assert values["applications_ranked"] == 76
    assert values["main_list_households"] == 75
    assert values["participants"] == 75
    assert values["public_units"] == 7
    # The project's 7, then the durability period's: the Internet for 2014-2016 and 2017-2018
    # and five yearly insurance contracts.
    assert values["contracts_signed"] == 14
    assert values["lab_visits"] == 570
    assert values["lab_hours_open"] == Decimal("180.5")


def test_the_demo_figures_from_lending_training_and_visits(db):
    by_code = {i.code: i for i in live_indicators(Project.current())}

    def pair(code):
        return (by_code[code].value, by_code[code].target)

    # Today is after the durability end (31.12.2018): no provider's contract pays for the
    # Internet any more and no agreement is in force, so no household or unit counts as
    # connected.
    assert pair("households_connected") == (0, 75)
    assert pair("units_connected") == (0, 7)
    # 75 sets at the households and 85 in the labs; the damaged monitor was repaired.
    assert pair("assets_in_working_order") == (242, 242)
    assert pair("people_trained") == (153, 150)
    assert pair("people_trained_women") == (74, None)
    assert pair("people_trained_men") == (79, None)
    assert pair("training_hours") == (
        96,
        96,
    )  # academic hours; the e-learning counts in clock hours
    # Every visit planned to the end of 2018 (today is later) was made but the one of the
    # household not at home in 2018: 68 in March 2013, 8 more in 2013, 76 in 2014, 75 a year in
    # 2015-2017 and 74 in 2018.
    assert by_code["visits_made"].value == 68 + 8 + 76 + 3 * 75 + 74
    assert by_code["visits_made"].target == PlannedVisit.objects.exclude(status="cancelled").count()


def test_people_trained_are_training_s_own_figure_split_by_sex(db):
    values = figures()
    totals = training_figures()["totals"]
    assert values["people_trained"] == totals["people_trained"]
    assert values["people_trained_women"] + values["people_trained_men"] == totals["people_trained"]


def test_a_module_counts_once_it_has_ended(db):
    during_module_1 = figures(D(2012, 12, 1))
    assert (during_module_1["people_trained"], during_module_1["training_hours"]) == (0, 0)
    after_module_1 = figures(D(2012, 12, 31))
    assert (after_module_1["people_trained"], after_module_1["training_hours"]) == (150, 96)
    assert after_module_1["people_trained_women"] + after_module_1["people_trained_men"] == 150


def test_training_without_modules_is_not_measured(db, monkeypatch):
    monkeypatch.setattr(
        indicators, "training_figures", lambda project: {"modules": [], "totals": {}}
    )
    by_code = {i.code: i for i in live_indicators(Project.current())}
    assert by_code["people_trained"].value is None
    assert by_code["people_trained"].target == 150
    assert by_code["training_hours"].value is None


def test_an_open_outage_takes_a_household_off_the_connected_ones(coordinator):
    participant = Participant.objects.active().order_by("pk").first()
    connection = active_connection(participant)
    outage = lending_services.do_report_outage(
        connection, D(2014, 2, 3), "Brak sygnału", actor=coordinator
    )
    assert figures(D(2014, 2, 2))["households_connected"] == 75
    assert figures(D(2014, 2, 3))["households_connected"] == 74
    lending_services.do_close_outage(outage, D(2014, 2, 5), "Naprawione", actor=coordinator)
    assert figures(D(2014, 2, 4))["households_connected"] == 74
    assert figures(D(2014, 2, 5))["households_connected"] == 75


def test_damaged_equipment_is_out_of_working_order_until_serviced(coordinator):
    participant = Participant.objects.active().order_by("pk").first()
    asset = lending_services.lent_assets(participant).get(kind="computer_set")
    lending_services.do_open_damage_claim(
        asset, "Zalany klawiatura", occurred_on=D(2014, 5, 6), actor=coordinator
    )
    assert figures(D(2014, 5, 5))["assets_in_working_order"] == 242
    assert figures(D(2014, 5, 6))["assets_in_working_order"] == 241
    record = lending_services.do_record_service(
        asset,
        "Wymiana klawiatury",
        started_on=D(2014, 5, 8),
        completed_on=D(2014, 5, 9),
        actor=coordinator,
    )
    assert record.completed_on == D(2014, 5, 9)
    assert figures(D(2014, 5, 8))["assets_in_working_order"] == 241
    assert figures(D(2014, 5, 9))["assets_in_working_order"] == 242


def test_visits_are_counted_against_the_plan_of_the_day(db):
    by_code = {i.code: i for i in live_indicators(Project.current(), D(2013, 3, 10))}
    made = MonitoringVisit.objects.filter(
        outcome="made", visited_at__lt=timezone.make_aware(datetime.datetime(2013, 3, 11))
    ).count()
    assert by_code["visits_made"].value == made
    # None was due yet: every visit made by then was made early, so it is also the target.
    assert by_code["visits_made"].target == made
    assert figures(D(2013, 2, 28))["visits_made"] == 0


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
    assert by_code["people_trained"]["value"] == 153
    assert by_code["households_connected"]["value"] == 0  # no contract after 31.12.2018
    assert by_code["visits_made"]["value"] == 451  # every visit of 2013-2018 but one
    assert by_code["training_hours"]["value"] == 96
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


def test_the_home_page_links_to_the_indicators_on_their_own_page(client_as):
    client = client_as(roles.COORDINATOR)
    home = client.get(reverse("monitoring:home")).content.decode()
    assert f'href="{reverse("monitoring:indicators")}"' in home
    assert "Wskaźniki wobec wartości docelowych" in home
    assert "Gospodarstwa domowe na zatwierdzonej liście podstawowej" not in home
    page = client.get(reverse("monitoring:indicators")).content.decode()
    assert "Gospodarstwa domowe na zatwierdzonej liście podstawowej" in page
    assert "Osoby przeszkolone" in page
    assert "Wizyty monitorujące" in page


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


def people_trained_from_the_trainees(as_of) -> dict:
    """The people trained counted from every trainee's standing (the way live_indicators
    counted them before training_figures() gave its list of completions)."""
    from training.models import Trainee
    from training.queries import standing, with_hours

    people: dict[str, str] = {}
    for trainee in with_hours(Trainee.objects.order_by("group_id", "pk")):
        counted = as_of >= clock.today() or trainee.module.ends_on <= as_of
        if counted and standing(trainee).completed:
            people.setdefault(trainee.person_pesel or f"trainee:{trainee.pk}", trainee.sex)
    sexes = list(people.values())
    return {
        "people_trained": len(people),
        "people_trained_women": sexes.count("F"),
        "people_trained_men": sexes.count("M"),
    }


def assert_people_trained_as_from_the_trainees(days):
    for day in days:
        values = figures(day)
        got = {code: values[code] for code in ("people_trained", "people_trained_women")}
        got["people_trained_men"] = values["people_trained_men"]
        assert got == people_trained_from_the_trainees(day), day


def test_people_trained_as_counted_from_every_trainee_after_attendance_changes(db):
    from training.models import Attendance, ELearningEnrolment, Trainee
    from training.queries import standing, with_hours

    days = [D(2012, 12, 1), D(2012, 12, 31), D(2014, 6, 30), clock.today()]
    assert_people_trained_as_from_the_trainees(days)
    before = people_trained_from_the_trainees(clock.today())
    trainees = list(with_hours(Trainee.objects.order_by("pk")))
    # A classroom trainee who completed misses every session; one short of completion attends.
    done = next(t for t in trainees if not t.module.is_e_learning and standing(t).completed)
    Attendance.objects.filter(trainee=done).update(status=Attendance.Status.ABSENT)
    short = [t for t in trainees if not t.module.is_e_learning and not standing(t).completed]
    for trainee in short:
        Attendance.objects.filter(trainee=trainee).update(status=Attendance.Status.PRESENT)
    # An e-learning enrolment's progress falls to nothing.
    ELearningEnrolment.objects.filter(
        pk=ELearningEnrolment.objects.exclude(progress_percent=None).order_by("pk").values("pk")[:1]
    ).update(progress_percent=0)
    assert_people_trained_as_from_the_trainees(days)
    assert people_trained_from_the_trainees(clock.today()) != before
