"""The visit plan as a calendar: a month grid and a week list of planned, overdue, moved and made
visits, by officer, each a link; the same month printed; a constant number of queries."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from lending.models import Participant
from monitoring import visit_calendar
from monitoring.models import MonitoringVisit, PlannedVisit

D = datetime.date
APRIL = D(2013, 4, 1)
TODAY = D(2013, 4, 15)


@pytest.fixture
def office_day(settings):
    settings.DEMO_TODAY = TODAY
    return TODAY


def entries(weeks):
    return [(day.day, entry) for week in weeks for day in week for entry in day.entries]


def test_the_month_has_whole_weeks_from_monday(db, office_day):
    weeks = visit_calendar.month_weeks(APRIL, office_day)
    assert weeks[0][0].day == D(2013, 4, 1)  # a Monday
    assert weeks[-1][-1].day == D(2013, 5, 5)
    assert all(len(week) == 7 for week in weeks)
    assert [d.day for w in weeks for d in w if d.is_today] == [TODAY]


def test_each_visit_is_on_its_day_with_its_kind(db, office_day, officer):
    participants = list(Participant.objects.active()[:3])
    late = PlannedVisit.objects.create(
        participant=participants[0], due_on=D(2013, 4, 10), officer=officer, origin="officer"
    )
    moved = PlannedVisit.objects.create(
        participant=participants[1],
        due_on=D(2013, 4, 22),
        rule_due_on=D(2013, 4, 18),
        officer=officer,
        origin="rule",
    )
    ahead = PlannedVisit.objects.create(
        participant=participants[2], due_on=D(2013, 4, 23), officer=officer, origin="officer"
    )
    found = {
        entry.planned.pk: (day, entry.kind)
        for day, entry in entries(visit_calendar.month_weeks(APRIL, office_day))
        if entry.planned
    }
    assert found[late.pk] == (D(2013, 4, 10), visit_calendar.OVERDUE)
    assert found[moved.pk] == (D(2013, 4, 22), visit_calendar.MOVED)
    assert found[ahead.pk] == (D(2013, 4, 23), visit_calendar.PLANNED)


def test_made_visits_are_on_the_day_they_were_made(db, office_day):
    from lebork_einclusion.clock import day_of

    made = {
        entry.visit_id: day
        for day, entry in entries(visit_calendar.month_weeks(D(2013, 3, 1), office_day))
        if entry.visit_id  # made, or not made (nobody at home, refused)
    }
    expected = {
        v.pk: day_of(v.visited_at)
        for v in MonitoringVisit.objects.filter(
            visited_at__date__range=(D(2013, 2, 25), D(2013, 3, 31))
        )
    }
    assert made and made == expected


def test_cancelled_and_done_plans_are_not_shown_as_planned(db, office_day, officer):
    participant = Participant.objects.active().first()
    PlannedVisit.objects.create(
        participant=participant,
        due_on=D(2013, 4, 24),
        officer=officer,
        origin="officer",
        status="cancelled",
    )
    shown = [e for _d, e in entries(visit_calendar.month_weeks(APRIL, office_day)) if e.planned]
    assert all(e.planned.status == "planned" for e in shown)


def test_the_page_links_each_entry_and_filters_by_officer(
    office_day, officer_phone, officer, make_user
):
    participant = Participant.objects.active().first()
    planned = PlannedVisit.objects.create(
        participant=participant, due_on=D(2013, 4, 23), officer=officer, origin="officer"
    )
    page = officer_phone.get(reverse("monitoring:visit_calendar"), {"month": "2013-04"})
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("monitoring:planned_edit", args=[planned.pk]) in html
    assert page.context["counts"]["planned"] >= 1
    # A newcomer without visits sees nothing of hers by default ("me"), everything with "all".
    other = Client()
    other.force_login(make_user("monitoring"))
    theirs = other.get(reverse("monitoring:visit_calendar"), {"month": "2013-04"})
    everyone = other.get(
        reverse("monitoring:visit_calendar"), {"month": "2013-04", "officer": "all"}
    )
    assert sum(theirs.context["counts"].values()) == 0
    assert reverse("monitoring:planned_edit", args=[planned.pk]) in everyone.content.decode()


def test_made_visits_link_to_the_visit(office_day, officer_phone):
    page = officer_phone.get(
        reverse("monitoring:visit_calendar"), {"month": "2013-03", "officer": "all"}
    )
    visit = MonitoringVisit.objects.filter(
        visited_at__date__range=(D(2013, 3, 5), D(2013, 3, 25))
    ).first()
    assert visit is not None
    assert reverse("monitoring:visit_detail", args=[visit.pk]) in page.content.decode()


def test_a_bad_month_shows_the_current_one(office_day, officer_phone):
    page = officer_phone.get(reverse("monitoring:visit_calendar"), {"month": "2013-13"})
    assert page.status_code == 200
    assert page.context["month"] == APRIL


def test_no_names_on_the_calendar(office_day, officer_phone):
    participant = Participant.objects.active().select_related("signatory").first()
    page = officer_phone.get(
        reverse("monitoring:visit_calendar"), {"month": "2013-03", "officer": "all"}
    )
    assert participant.signatory.last_name not in page.content.decode()


def test_the_calendar_keeps_its_queries_whatever_the_number_of_visits(
    office_day, officer_phone, officer, django_assert_max_num_queries
):
    def measure():
        # session, user, roles; the month's planned visits, the visits made (each with its
        # household and officer), the project, planned and made per month (the chart), the
        # officers of the filter; savepoints and the session's update.
        with django_assert_max_num_queries(14):
            officer_phone.get(
                reverse("monitoring:visit_calendar"), {"month": "2013-04", "officer": "all"}
            )

    measure()
    PlannedVisit.objects.bulk_create(
        PlannedVisit(
            participant=p, due_on=D(2013, 4, 20 + n % 8), officer=officer, origin="officer"
        )
        for n, p in enumerate(Participant.objects.active()[:40])
    )
    measure()


def test_the_month_prints_for_the_round(office_day, officer_phone, officer):
    participant = Participant.objects.active().select_related("application").first()
    PlannedVisit.objects.create(
        participant=participant, due_on=D(2013, 4, 23), officer=officer, origin="officer"
    )
    response = officer_phone.get(reverse("monitoring:visit_calendar_pdf", args=[2013, 4]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kalendarz wizyt" in text
    assert participant.application.number in text
    assert "zaplanowana" in text


def test_a_month_out_of_range_is_not_found(officer_phone):
    response = officer_phone.get(reverse("monitoring:visit_calendar_pdf", args=[2013, 13]))
    assert response.status_code == 404


def test_a_visit_not_made_is_shown_as_such(db, office_day):
    missed = MonitoringVisit.objects.exclude(outcome="made").order_by("visited_at").first()
    assert missed is not None
    from lebork_einclusion.clock import day_of

    month = day_of(missed.visited_at).replace(day=1)
    kinds = {
        entry.visit_id: entry.kind
        for _day, entry in entries(visit_calendar.month_weeks(month, office_day))
        if entry.visit_id
    }
    assert kinds[missed.pk] == visit_calendar.NOT_MADE
