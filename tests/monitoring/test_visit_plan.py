"""The visit plan: made by the call's rule from the handover to the end of the durability
period, moved to the promoted household when a participant leaves, added to and moved by the
officer; the lists of visits due, overdue and done, by officer, in a constant number of
queries."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lebork_einclusion.models import Project
from lending import services as lending_services
from lending.models import Asset, LoanAgreement, Participant
from monitoring import visit_rules
from monitoring.models import MonitoringVisit, PlannedVisit, VisitRule
from monitoring.services.plans import (
    do_add_planned_visit,
    do_move_planned_visit,
    do_save_visit_rule,
    do_sync_plans,
)
from recruitment.models import Call
from tests.helpers import messages_of

from .conftest import visit_state

D = datetime.date


def plan_of(participant) -> list[tuple]:
    return list(
        PlannedVisit.objects.filter(participant=participant)
        .order_by("due_on", "pk")
        .values_list("due_on", "status", "origin")
    )


def first_handover(participant) -> D:
    return (
        LoanAgreement.objects.filter(participant=participant, handed_over_on__isnull=False)
        .order_by("handed_over_on")
        .values_list("handed_over_on", flat=True)
        .first()
    )


# --- the rule ------------------------------------------------------------------------------


def test_plan_dates_follow_the_rule():
    assert visit_rules.plan_dates(D(2012, 11, 30), 4, 12, D(2018, 12, 31)) == [
        D(2013, 3, 30),
        D(2014, 3, 30),
        D(2015, 3, 30),
        D(2016, 3, 30),
        D(2017, 3, 30),
        D(2018, 3, 30),
    ]
    assert visit_rules.add_months(D(2013, 10, 31), 4) == D(2014, 2, 28)
    assert visit_rules.plan_dates(D(2018, 10, 1), 4, 6, D(2018, 12, 31)) == []
    with pytest.raises(ValueError):
        visit_rules.plan_dates(D(2013, 1, 1), 3, 13, D(2018, 12, 31))


def test_every_household_has_its_visits_from_its_handover_to_the_end_of_durability(db):
    rule = VisitRule.objects.get(call__code="2012")
    assert (rule.first_within_months, rule.every_months, rule.officer.username) == (
        4,
        12,
        "monitoring",
    )
    for participant in Participant.objects.active().order_by("pk")[:10]:
        handover = first_handover(participant)
        rule_dates = visit_rules.plan_dates(handover, 4, 12, Project.current().durability_end)
        planned = PlannedVisit.objects.filter(participant=participant, origin="rule")
        assert sorted(p.rule_due_on for p in planned) == rule_dates
        assert rule_dates[-1].year == 2018


def test_the_promoted_household_has_its_plan_from_its_own_handover(db):
    resigned = Participant.objects.get(status="resigned")
    promoted = resigned.participation_end.promoted
    # The demo's household resigned in February 2013, before the first visit was due: it was
    # never planned; the one promoted in its place got its equipment on 21.02.2013.
    assert plan_of(resigned) == []
    assert first_handover(promoted) == D(2013, 2, 21)
    # Its first visit was made before it was due (monitoring's demo), the others every year.
    assert plan_of(promoted)[0] == (D(2013, 6, 21), "done", "rule")
    assert len(plan_of(promoted)) == 6


def test_a_replacement_moves_the_plan_in_lending_s_own_transaction(coordinator):
    """lending.signals.participation_changed: no page needs opening, no command running."""
    # The demo made every visit to 2018 but one: the household not reached in 2018 leaves.
    leaving = Participant.objects.active().filter(planned_visits__status="planned").get()
    end = lending_services.do_end_participation(
        leaving,
        "resignation",
        D(2018, 6, 4),
        "Przeprowadzka",
        statement_on=D(2018, 5, 30),
        actor=coordinator,
    )
    promoted = end.promoted
    cancelled = PlannedVisit.objects.filter(participant=leaving, status="cancelled")
    assert [p.due_on.year for p in cancelled] == [2018]
    assert PlannedVisit.objects.filter(participant=leaving, status="done").count() == 5
    assert (
        "jego miejsce zajął wniosek " + promoted.application.number
        in cancelled.first().cancel_reason
    )
    assert plan_of(promoted) == []  # nothing handed over yet
    # The promoted household gets its equipment: a lab's set taken back to stock.
    asset = Asset.objects.filter(status="at_unit").order_by("serial_number").first()
    lending_services.do_return_from_unit(asset, D(2018, 6, 5), actor=coordinator)
    agreement = lending_services.do_create_agreement(
        promoted, [asset], D(2018, 6, 6), actor=coordinator
    )
    lending_services.do_sign_agreement(agreement, D(2018, 6, 7), actor=coordinator)
    lending_services.do_hand_over(agreement, D(2018, 6, 8), actor=coordinator)
    assert [due for due, _s, _o in plan_of(promoted)] == [D(2018, 10, 8)]


def test_the_command_catches_up_with_what_was_written_outside_lending_s_services(db):
    """E.g. a status corrected in the database: no signal, so the daily command does it."""
    leaving = Participant.objects.active().filter(planned_visits__status="planned").first()
    Participant.objects.filter(pk=leaving.pk).update(
        status=Participant.Status.RESIGNED, ended_on=D(2014, 6, 2)
    )
    assert leaving.planned_visits.filter(status="planned").exists()
    out = io.StringIO()
    call_command("sync_visit_plans", stdout=out)
    assert not leaving.planned_visits.filter(status="planned").exists()
    assert leaving.planned_visits.filter(status="cancelled", cancelled_on=D(2014, 6, 2)).exists()
    assert out.getvalue()


def test_syncing_again_changes_nothing(db):
    before = visit_state()
    result = do_sync_plans(actor=None)
    assert (result.planned, result.cancelled) == (0, 0)
    assert visit_state() == before


def test_a_changed_rule_plans_the_visits_ahead_again_and_keeps_the_moved_ones(
    officer_phone, coordinator
):
    project = Project.current()
    project.end_date = D(2026, 12, 31)  # durability to 2031: visits ahead of today
    project.save()
    call = Call.objects.get(code="2012")
    # The household whose 2018 visit was not made (the demo made all the others).
    participant = Participant.objects.active().filter(planned_visits__status="planned").get()
    moved = PlannedVisit.objects.filter(participant=participant, status="planned").first()
    do_move_planned_visit(
        moved, due_on=D(2030, 1, 15), officer=None, note="Na prośbę rodziny", actor=coordinator
    )
    rule = VisitRule.objects.get(call=call)
    response = officer_phone.post(
        reverse("monitoring:visit_rule", args=[call.pk]),
        {"first_within_months": "4", "every_months": "6", "officer": "", "version": rule.version},
    )
    assert response.status_code == 302
    ahead = PlannedVisit.objects.filter(
        participant=participant, status="planned", origin="rule", due_on__gt=D(2027, 1, 1)
    ).exclude(pk=moved.pk)
    gaps = [
        (b - a).days
        for a, b in zip(
            ahead.values_list("due_on", flat=True).order_by("due_on"),
            ahead.values_list("due_on", flat=True).order_by("due_on")[1:],
            strict=False,
        )
    ]
    assert gaps and all(175 <= gap <= 190 for gap in gaps)
    moved.refresh_from_db()
    assert (moved.due_on, moved.note) == (D(2030, 1, 15), "Na prośbę rodziny")
    assert PlannedVisit.objects.filter(participant=participant, status="done").exists()


def test_a_rule_of_more_than_a_year_is_refused(officer_phone):
    call = Call.objects.get(code="2012")
    rule = VisitRule.objects.get(call=call)
    before = visit_state()
    response = officer_phone.post(
        reverse("monitoring:visit_rule", args=[call.pk]),
        {"first_within_months": "4", "every_months": "18", "officer": "", "version": rule.version},
    )
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors["every_months"]
    rule.refresh_from_db()
    assert rule.every_months == 12
    assert visit_state() == before
    with pytest.raises(ValidationError) as caught:
        do_save_visit_rule(
            call, first_within_months=4, every_months=18, officer=None, actor=rule.updated_by
        )
    assert "co najmniej raz w roku" in messages_of(caught.value)


# --- the officer adds and moves visits ------------------------------------------------------------


def test_the_officer_adds_a_visit_to_the_plan(officer_phone, household, officer):
    response = officer_phone.post(
        reverse("monitoring:planned_new"),
        {
            "participant": household.pk,
            "due_on": "2013-05-20",
            "officer": officer.pk,
            "note": "Kontrola po zgłoszeniu",
        },
    )
    added = PlannedVisit.objects.get(participant=household, due_on=D(2013, 5, 20))
    assert response["Location"] == reverse("monitoring:household_visits", args=[household.pk])
    assert (added.origin, added.officer, added.note) == (
        "officer",
        officer,
        "Kontrola po zgłoszeniu",
    )


def test_the_officer_moves_a_visit_and_the_rule_s_date_is_kept(officer_phone, planned, officer):
    rule_date = planned.due_on
    response = officer_phone.post(
        reverse("monitoring:planned_edit", args=[planned.pk]),
        {
            "due_on": "2013-05-06",
            "officer": officer.pk,
            "note": "Urlop",
            "version": planned.version,
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.due_on, planned.rule_due_on, planned.is_moved) == (
        D(2013, 5, 6),
        rule_date,
        True,
    )


def test_a_visit_already_made_cannot_be_moved(officer_phone):
    done = PlannedVisit.objects.filter(status="done").first()
    before = visit_state()
    response = officer_phone.post(
        reverse("monitoring:planned_edit", args=[done.pk]),
        {"due_on": "2013-05-06", "officer": "", "note": "", "version": done.version},
    )
    assert response.status_code == 200
    assert "Ta wizyta jest przeprowadzona: nie można jej przesunąć." in response.content.decode()
    assert visit_state() == before


def test_a_household_that_left_gets_no_visit_added(coordinator):
    resigned = Participant.objects.get(status="resigned")
    before = visit_state()
    with pytest.raises(ValidationError) as caught:
        do_add_planned_visit(resigned, due_on=D(2014, 1, 10), officer=None, actor=coordinator)
    assert f"Gospodarstwo {resigned.application.number} nie uczestniczy już w projekcie." in (
        messages_of(caught.value)
    )
    assert visit_state() == before


# --- the lists ------------------------------------------------------------------------------


def rows(response) -> list:
    return list(response.context["page"].object_list)


def test_the_lists_of_visits_due_overdue_and_made(officer_phone, officer):
    due = officer_phone.get(reverse("monitoring:visit_list"), {"tab": "due", "month": "2013-06"})
    # The list shows visits from today on; June 2013 is long past, so nothing is "due" there.
    assert rows(due) == []
    overdue = rows(officer_phone.get(reverse("monitoring:visit_list"), {"tab": "overdue"}))
    assert overdue and all(p.status == "planned" for p in overdue)
    assert all(p.officer == officer for p in overdue)
    made = officer_phone.get(
        reverse("monitoring:visit_list"), {"tab": "done", "month": "2013-03"}
    ).context["page"]
    march = MonitoringVisit.objects.filter(visited_at__year=2013, visited_at__month=3)
    assert made.paginator.count == march.count() == 69


def test_visits_due_this_month_are_listed(officer_phone, household, officer):
    from django.utils import timezone

    today = timezone.localdate()
    do_add_planned_visit(household, due_on=today, officer=officer, actor=officer)
    page = officer_phone.get(reverse("monitoring:visit_list"))
    assert [p.participant for p in rows(page)] == [household]
    assert household.application.number in page.content.decode()
    assert page.context["counts"]["due"] == 1


def test_the_list_by_officer(officer_phone, make_user, officer):
    other = Client()
    other.force_login(make_user("monitoring"))
    mine = officer_phone.get(reverse("monitoring:visit_list"), {"tab": "overdue"})
    theirs = other.get(reverse("monitoring:visit_list"), {"tab": "overdue"})  # defaults to "me"
    everyone = other.get(reverse("monitoring:visit_list"), {"tab": "overdue", "officer": "all"})
    chosen = other.get(
        reverse("monitoring:visit_list"), {"tab": "overdue", "officer": str(officer.pk)}
    )
    assert rows(theirs) == []
    assert mine.context["counts"]["overdue"] == everyone.context["counts"]["overdue"] > 0
    assert rows(chosen) == rows(mine)


@pytest.mark.parametrize("tab", ["due", "overdue", "done"])
def test_the_lists_keep_their_queries_whatever_the_number_of_visits(
    officer_phone, officer, tab, django_assert_max_num_queries
):
    def measure():
        with django_assert_max_num_queries(19):
            officer_phone.get(
                reverse("monitoring:visit_list"), {"tab": tab, "month": "2013-03", "officer": "all"}
            )

    measure()
    participants = list(Participant.objects.active()[:40])
    PlannedVisit.objects.bulk_create(
        PlannedVisit(participant=p, due_on=D(2013, 3, 20), officer=officer, origin="officer")
        for p in participants
    )
    measure()


def test_the_household_page_keeps_its_queries(
    officer_phone, household, django_assert_max_num_queries
):
    with django_assert_max_num_queries(18):
        officer_phone.get(reverse("monitoring:household_visits", args=[household.pk]))
