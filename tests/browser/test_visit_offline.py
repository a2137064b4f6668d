"""The visit form with no signal from the start (issue 16): the officer opens a visit page once
with a signal (the service worker keeps her visit forms of the coming days and the week's
list), loses the signal, reloads the form (it opens from the phone), opens the week's list and
another due visit's form never opened before, records a visit (it waits on the phone, the page
says so), regains the signal: the visit is stored exactly once. After logging out nothing of
the kept pages is left."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from lending.models import Participant
from monitoring.models import MonitoringVisit
from monitoring.services.plans import do_add_planned_visit

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

FINDING = "Zapisane bez zasięgu: sprzęt kompletny."
KEPT = "async () => { const c = await caches.open('einclusion-visits-v1'); return (await c.keys()).map(r => r.url); }"


@pytest.fixture
def due_visits(demo_server):
    """Two households, each with a visit the officer added: today and
    in three days."""
    officer = get_user_model().objects.get(username="monitoring")
    # Every household of the demo has been visited by 2018: two active ones, by number.
    first, second = Participant.objects.filter(status="active").order_by("pk")[:2]
    today = timezone.localdate()
    return [
        do_add_planned_visit(household, due_on=day, officer=officer, actor=officer, note="")
        for household, day in ((first, today), (second, today + datetime.timedelta(days=3)))
    ]


def wait_until(page, script, expected, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if expected(value):
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"not reached: {script} -> {value!r}")


def test_a_visit_is_recorded_with_no_signal_from_the_start(phone_page, due_visits):
    page = phone_page
    today_visit, later_visit = due_visits
    household = today_visit.participant
    visits_before = MonitoringVisit.objects.filter(participant=household).count()
    form_url = reverse("monitoring:visit_new", args=[household.pk]) + f"?planned={today_visit.pk}"
    later_url = (
        reverse("monitoring:visit_new", args=[later_visit.participant_id])
        + f"?planned={later_visit.pk}"
    )
    week_url = reverse("monitoring:visit_list") + "?tab=week&officer=me"

    log_in(page, "monitoring")
    page.goto(form_url)
    page.locator("#visit-offline[data-offline-ready=yes]").wait_for(state="attached")
    page.get_by_text("Ten telefon przechowuje formularze Twoich wizyt").wait_for()
    kept = page.evaluate(KEPT)
    assert any(url.endswith(later_url) for url in kept)
    assert any(url.endswith(week_url) for url in kept)
    assert not any("/recruitment/" in url or "officer=all" in url for url in kept)

    # No signal; the phone reopens the form: it comes from the phone.
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#visit-form")
    assert page.evaluate("navigator.onLine") is False
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    # The week's list and a form never opened before open too.
    page.goto(week_url)
    page.get_by_role("heading", name="Wizyty monitorujące w gospodarstwach").wait_for()
    page.goto(later_url)
    page.wait_for_selector("#visit-form")
    assert later_visit.participant.application.number in page.locator("h1").inner_text()

    # The visit of today, recorded with no signal.
    page.goto(form_url)
    page.wait_for_selector("#visit-form")
    page.get_by_label("Obecni podczas wizyty").fill("beneficjent")
    for radio in page.locator(".asset-check input[type=radio][value=present]").all():
        radio.check()
    if page.locator("input[name=connection_working][value=yes]").count():
        page.locator("input[name=connection_working][value=yes]").check()
    for name in ("not_sold", "not_lent", "lawful_use"):
        page.locator(f"input[name={name}][value=yes]").check()
    page.get_by_label("Ustalenia").fill(FINDING)
    page.get_by_role("button", name="Zapisz wizytę").click()
    page.get_by_text("Brak połączenia. Wizyta jest zapisana na tym telefonie").wait_for()
    waiting = page.locator("#visit-waiting")
    waiting.get_by_text("czekają na wysłanie: 1").wait_for()
    assert household.application.number in waiting.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz wizytę").click()  # a second tap
    assert not MonitoringVisit.objects.filter(participant=household, planned=today_visit).exists()

    # The signal is back: the visit is sent, once.
    with page.expect_navigation(url="**/monitoring/visits/*/"):
        page.context.set_offline(False)
    page.get_by_text("Wizyta została zapisana.").wait_for()
    [visit] = MonitoringVisit.objects.filter(participant=household, planned=today_visit)
    assert visit.findings == FINDING and visit.planned == today_visit
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('visit-draft')).length")
        == 0
    )

    # Logging out leaves nothing kept on the phone.
    page.goto(week_url)
    page.locator("#visit-offline[data-offline-ready=yes]").wait_for(state="attached")
    assert page.evaluate("caches.keys()") == ["einclusion-visits-v1"]
    officer = get_user_model().objects.get(username="monitoring")
    page.get_by_role("button", name="Pokaż menu").click()
    page.get_by_role("button", name=officer.get_full_name()).click()
    page.get_by_role("button", name="Wyloguj się").click()
    page.get_by_role("button", name="Zaloguj się").wait_for()
    wait_until(page, "caches.keys()", lambda names: names == [])
    wait_until(
        page,
        "navigator.serviceWorker.getRegistrations().then(r => r.length)",
        lambda count: count == 0,
    )
    assert MonitoringVisit.objects.filter(participant=household).count() == visits_before + 1
