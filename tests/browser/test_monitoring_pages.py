"""Monitoring in the browser: the public pages (the labs' hours, the chronicle) without login,
the monitoring officer entering a month's hours with a refused overlap, and the coordinator
freezing the indicators; axe-core on each page."""

import pytest
from playwright.sync_api import expect

from monitoring.models import IndicatorSnapshot, LabSchedule

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_the_public_hours_of_the_labs_without_login(page):
    page.goto("/public/labs/2013/3/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sale komputerowe dostępne dla uczących się: marzec 2013"
    )
    unit = page.get_by_role("region", name="Szkoła Podstawowa nr 3 w Lęborku")
    assert "wtorek, 05.03.2013" in unit.inner_text()
    assert "14:00–16:00" in unit.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="kwiecień 2013").first.click()
    page.wait_for_load_state()
    assert "kwiecień 2013" in page.get_by_role("heading", level=1).inner_text()


def test_the_public_chronicle_without_login(page):
    page.goto("/public/chronicle/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kronika projektu"
    expect(page.get_by_text("„Rozdają komputery rodzinom”")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="2013", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2).all_inner_texts() == ["2013"]
    assert_accessible(page)


def test_the_officer_enters_a_month_and_an_overlap_is_refused(page):
    log_in(page, "monitoring")
    page.goto("/monitoring/labs/?year=2013")
    assert_accessible(page)
    page.get_by_role("link", name="wprowadź godziny: SP3, listopad 2013").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Dzień").nth(0).fill("2013-11-05")
    page.get_by_label("Od").nth(0).fill("14:00")
    page.get_by_label("Do").nth(0).fill("16:00")
    page.get_by_label("Dzień").nth(1).fill("2013-11-05")
    page.get_by_label("Od").nth(1).fill("15:00")
    page.get_by_label("Do").nth(1).fill("17:00")
    page.get_by_role("button", name="Zapisz i opublikuj").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "Godziny 15:00–17:00 nachodzą na 14:00–16:00 w dniu 05.11.2013." in summary.inner_text()
    assert_accessible(page)
    assert not LabSchedule.objects.filter(month__year=2013, month__month=11).exists()
    # Corrected, with a fourth row added by the button, and weekly hours on Thursdays.
    page.get_by_label("Od").nth(1).fill("16:30")
    page.get_by_label("Do").nth(1).fill("18:00")
    page.get_by_role("button", name="Dodaj wiersz").click()
    expect(page.get_by_label("Dzień")).to_have_count(4)
    page.get_by_label("czwartek").check()
    page.locator("#id_weekly-starts_at").fill("14:00")
    page.locator("#id_weekly-ends_at").fill("16:00")
    page.get_by_role("button", name="Zapisz i opublikuj").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("status").inner_text()
        == "Godziny otwarcia zostały zapisane i opublikowane."
    )
    schedule = LabSchedule.objects.get(unit__short_name="SP3", month__year=2013, month__month=11)
    assert schedule.slots.count() == 2 + 4  # the two rows and four Thursdays


def test_the_coordinator_freezes_the_indicators(page):
    log_in(page, "koordynator")
    page.get_by_role("link", name="Monitoring", exact=True).click()
    page.get_by_role("link", name="Wskaźniki", exact=True).click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Wskaźniki wobec wartości docelowych"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Zamroź wskaźniki").click()
    page.get_by_label("Stan na dzień").fill("2013-06-30")
    page.get_by_label("Cel").select_option(label="wniosek o płatność")
    page.get_by_label("Oznaczenie").fill("Wniosek o płatność nr 4")
    page.get_by_role("button", name="Zamroź").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Wskaźniki zostały zamrożone."
    assert page.get_by_role("heading", level=1).inner_text() == "Wskaźniki na dzień 30.06.2013"
    assert_accessible(page)
    snapshot = IndicatorSnapshot.objects.get(reference="Wniosek o płatność nr 4")
    assert snapshot.values.get(code="main_list_households").value == 75
    with page.expect_download() as download:
        page.get_by_role("link", name="Drukuj (PDF)").click()
    assert download.value.suggested_filename == f"wskazniki-2013-06-30-{snapshot.pk}.pdf"
