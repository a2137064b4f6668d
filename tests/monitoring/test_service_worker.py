"""The visit pages' service worker (issue 16): its script is served from /monitoring/ as
JavaScript, never kept by the browser's HTTP cache, only to those who record visits, the same
for everyone (no personal data in it); the list of what it keeps names only the asking
officer's own visits of the coming days."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lebork_einclusion import clock, roles
from monitoring import offline
from monitoring.models import PlannedVisit
from monitoring.services.plans import do_add_planned_visit

WORKER = "/monitoring/sw.js"


def test_the_worker_is_served_as_javascript_from_the_visit_pages_folder(officer_phone):
    assert reverse("monitoring:service_worker") == WORKER
    response = officer_phone.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    script = response.content.decode()
    assert 'addEventListener("fetch"' in script and "einclusion-visits-" in script
    # Its scope, /monitoring/visits/, lies under /monitoring/: no wider scope is granted.
    assert "Service-Worker-Allowed" not in response


def test_the_page_may_register_it_under_its_content_security_policy(officer_phone):
    response = officer_phone.get(WORKER)
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    page = officer_phone.get(reverse("monitoring:visit_list"))
    assert "worker-src 'self'" in page["Content-Security-Policy"]


def test_the_worker_holds_no_personal_data(officer_phone, officer, household):
    script = officer_phone.get(WORKER).content.decode()
    other = get_user_model().objects.exclude(pk=officer.pk).first()
    for text in (
        officer.last_name,
        officer.first_name,
        household.application.number,
        household.signatory.last_name,
        household.signatory.pesel,
        other.last_name,
    ):
        assert text and text not in script
    # The same script for everyone who may have it.
    assert officer_phone.get(WORKER).content.decode() == script


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.FINANCE, roles.COMMITTEE])
def test_roles_that_record_no_visits_do_not_get_the_worker_nor_its_list(client_as, role):
    client = client_as(role)
    assert client.get(WORKER).status_code == 403
    assert client.get(reverse("monitoring:offline_pages")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for url in (WORKER, reverse("monitoring:offline_pages")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_worker_is_only_read(officer_phone):
    assert officer_phone.post(WORKER).status_code == 403


def test_the_list_names_only_the_officer_s_own_visits_of_the_coming_days(
    officer_phone, officer, household, coordinator
):
    today = clock.today()
    mine = do_add_planned_visit(household, due_on=today, officer=officer, actor=officer, note="")
    later = do_add_planned_visit(
        household,
        due_on=today + datetime.timedelta(days=offline.KEEP_DAYS + 1),
        officer=officer,
        actor=officer,
        note="",
    )
    theirs = do_add_planned_visit(
        household, due_on=today, officer=coordinator, actor=coordinator, note=""
    )
    response = officer_phone.get(reverse("monitoring:offline_pages"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    form = reverse("monitoring:visit_new", args=[household.pk])
    assert f"{form}?planned={mine.pk}" in data["pages"]
    assert f"{form}?planned={later.pk}" not in data["pages"]
    assert f"{form}?planned={theirs.pk}" not in data["pages"]
    assert reverse("monitoring:visit_list") + "?tab=week&officer=me" in data["pages"]
    named = [int(page.rsplit("=", 1)[1]) for page in data["pages"] if "planned=" in page]
    assert len(named) == len(set(named)) <= offline.MAX_FORMS
    kept = PlannedVisit.objects.filter(pk__in=named)
    assert {(p.officer_id, p.status) for p in kept} == {(officer.pk, "planned")}
    assert max(p.due_on for p in kept) <= today + datetime.timedelta(days=offline.KEEP_DAYS)
    # The coming days first, then the latest overdue ones: none later than one left out.
    left_out = PlannedVisit.objects.filter(officer=officer, status="planned", due_on__lt=today)
    left_out = left_out.exclude(pk__in=named)
    overdue_kept = [p.due_on for p in kept if p.due_on < today]
    if left_out.exists() and overdue_kept:
        assert min(overdue_kept) >= max(p.due_on for p in left_out)
    assert "/static/js/visit-form.js" in data["assets"]
    # URLs only: no name in the list.
    assert household.signatory.last_name not in response.content.decode()
