"""training_figures(): what monitoring reads for the project's indicators; and the §6.7 list."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lebork_einclusion.models import Project
from lebork_einclusion.pesel import age_on, sex
from training.figures import training_figures
from training.models import Trainee, TrainingModule
from training.obligations import households_to_act_on
from training.rules import age_band
from training.services import attendance as attendance_services
from training.services import trainees as trainee_services

from .conftest import applicant_of, mark_all

pytestmark = pytest.mark.django_db


def module_row(figures, number):
    return next(row for row in figures["modules"] if row["number"] == number)


def test_module_1_of_the_demo_in_figures():
    figures = training_figures()
    row = module_row(figures, 1)
    assert row["groups_planned"] == 8 and len(row["groups"]) == 8
    assert row["hours_planned"] == row["hours_scheduled"] == row["hours_delivered"] == Decimal("96")
    assert 145 <= row["people_enrolled"] <= 155
    assert row["people_trained"] == row["people_enrolled"] - 1
    assert row["completion_rate"] == round(row["people_trained"] / row["people_enrolled"], 4)
    assert all(group["hours_planned"] == Decimal("12") for group in row["groups"])
    assert all(0.85 < group["attendance_rate"] <= 1 for group in row["groups"])


def test_sex_and_age_come_from_each_persons_pesel():
    module = TrainingModule.objects.get(number=1, project_id=1)
    expected_sex, expected_age = Counter(), Counter()
    for trainee in Trainee.objects.filter(module=module).select_related("member"):
        pesel = trainee.person_pesel
        expected_sex[sex(pesel)] += 1
        expected_age[age_band(age_on(pesel, module.starts_on))] += 1
    row = module_row(training_figures(), 1)
    assert {k: v["enrolled"] for k, v in row["by_sex"].items()} == dict(expected_sex)
    assert {k: v["enrolled"] for k, v in row["by_age_band"].items() if v["enrolled"]} == dict(
        expected_age
    )
    assert sum(v["trained"] for v in row["by_sex"].values()) == row["people_trained"]


def test_the_e_learning_module_counts_completion_from_progress():
    row = module_row(training_figures(), 2)
    module = TrainingModule.objects.get(number=2, project_id=1)
    completed = Trainee.objects.filter(
        module=module, elearning__progress_percent__gte=module.completion_percent
    ).count()
    assert row["form"] == "e_learning"
    assert row["people_trained"] == completed
    assert row["hours_delivered"] == Decimal("1.5")


def test_totals_count_a_person_once_whatever_the_modules():
    figures = training_figures()
    people = {t.person_pesel for t in Trainee.objects.select_related("member")}
    assert figures["totals"]["people_enrolled"] == len(people)
    # 8 groups x 12 academic hours and the e-learning's 1.5 clock hours: never one sum (97.5).
    assert figures["totals"]["hours_planned"] == {
        "academic": Decimal("96"),
        "clock": Decimal("1.5"),
    }
    assert [(m["number"], m["hour_unit"]) for m in figures["modules"]] == [
        (1, "academic"),
        (2, "clock"),
    ]
    assert figures["project_id"] == Project.current().pk


def test_a_groups_attendance_rate_weighs_hours(group, trainees, sessions, assistant):
    mark_all(sessions[0], trainees, assistant)
    attendance_services.do_record_attendance(
        sessions[1], {trainees[0].pk: ("absent", "")}, actor=assistant
    )
    row = module_row(training_figures(), 9)
    (group_row,) = [g for g in row["groups"] if g["id"] == group.pk]
    # 3 present of 4 marks, all of 2 hours; one session of three delivered so far... two.
    assert group_row["attendance_rate"] == 0.75
    assert group_row["hours_delivered"] == Decimal("4")
    assert group_row["hours_scheduled"] == Decimal("6")
    assert row["people_trained"] == 0


def test_the_figures_take_a_constant_number_of_queries(group, households, coordinator, sessions):
    with CaptureQueriesContext(connection) as before:
        training_figures()
    group.capacity = 20
    group.save()
    people = trainee_services.do_add_members(
        group, [applicant_of(p) for p in households[3:20]], actor=coordinator
    )
    mark_all(sessions[0], people, coordinator)
    with CaptureQueriesContext(connection) as after:
        training_figures()
    assert len(after.captured_queries) == len(before.captured_queries) <= 6


def test_without_a_project_the_figures_are_empty(db, monkeypatch):
    monkeypatch.setattr(Project, "current", classmethod(lambda cls: None))
    figures = training_figures()
    assert figures["modules"] == [] and figures["totals"]["people_trained"] == 0


# --- §6.7 --------------------------------------------------------------------------------------------


def _demo_findings():
    """The demo's §6.7 list: the household of the trainee short of completion, and the households
    promoted from the reserve list in February 2013 and April 2014 (after module 1), nobody
    enrolled yet."""
    by_kind = {}
    for household in households_to_act_on():
        for finding in household.findings:
            by_kind.setdefault(finding.kind, []).append((household, finding))
    return by_kind


def test_the_demo_lists_the_household_of_the_trainee_short_of_completion():
    by_kind = _demo_findings()
    assert len(by_kind["missed"]) == 1
    ((_household, finding),) = by_kind["missed"]
    assert finding.kind == "missed"
    assert finding.text == (
        f"{finding.trainee.full_name}: 4 h nieusprawiedliwionej nieobecności w module "
        "Podstawy obsługi komputera i Internetu; dopuszczalne 2,4 h."
    )


def test_the_demo_lists_the_households_promoted_after_module_1():
    """Promoted in February 2013 (the resignation) and in April 2014 (the exclusion)."""
    households = households_to_act_on()
    promoted = [h for h in households if h.participant.joined_on > datetime.date(2012, 12, 7)]
    assert sorted(h.participant.joined_on.year for h in promoted) == [2013, 2014]
    for household in promoted:
        assert [f.text for f in household.findings] == [
            "Podstawy obsługi komputera i Internetu: nikt z gospodarstwa domowego nie jest zapisany."
        ]
    assert len(households) == 3


def test_the_list_page_links_to_the_households_lending_page(assistant_client):
    households = households_to_act_on()
    page = assistant_client.get(reverse("training:obligations")).content.decode()
    for household in households:
        assert reverse("lending:participant_detail", args=[household.participant.pk]) in page
    assert "3 gospodarstwa" in page


def test_households_with_nobody_enrolled_or_completed_are_listed(
    module, group, trainees, sessions, households, assistant
):
    module.obligatory = True
    module.save()
    mark_all(sessions[0], trainees, assistant)
    findings = {h.participant.pk: h.findings for h in households_to_act_on()}
    enrolled = findings[trainees[0].participant_id]
    assert [f.text for f in enrolled if f.module == module] == [
        "Moduł testowy: nikt z gospodarstwa domowego jeszcze go nie ukończył."
    ]
    outside = findings[households[30].pk]
    assert [f.text for f in outside if f.module == module] == [
        "Moduł testowy: nikt z gospodarstwa domowego nie jest zapisany."
    ]


def test_excused_absences_do_not_break_the_duty(module, trainees, sessions, assistant):
    module.obligatory = True
    module.save()
    for session in sessions:
        mark_all(session, trainees, assistant)
    for session in sessions[:2]:
        attendance_services.do_record_attendance(
            session, {trainees[0].pk: ("excused", "choroba")}, actor=assistant
        )
    attendance_services.do_record_attendance(
        sessions[0], {trainees[1].pk: ("absent", "")}, actor=assistant
    )
    attendance_services.do_record_attendance(
        sessions[1], {trainees[1].pk: ("absent", "")}, actor=assistant
    )
    findings = {h.participant.pk: h.findings for h in households_to_act_on()}
    kinds = [f.kind for f in findings[trainees[0].participant_id] if f.module == module]
    assert kinds == ["not_completed"]  # not completed yet, but no breach of the duty
    (missed,) = [f for f in findings[trainees[1].participant_id] if f.kind == "missed"]
    assert missed.module == module and missed.missed == Decimal("4")


def test_the_list_takes_a_constant_number_of_queries(
    module, group, trainees, sessions, assistant, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        households_to_act_on()
    module.obligatory = True
    module.save()
    mark_all(sessions[0], trainees, assistant)
    with django_assert_max_num_queries(4):
        assert len(households_to_act_on()) == 75
