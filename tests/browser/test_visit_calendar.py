"""The visit calendar and the charts in a real browser: axe-core finds nothing serious, the CSP
refuses nothing (the SVG carries no style), the phone gets the week list without sideways
scroll."""

import pytest
from playwright.sync_api import expect

from training.models import TrainingGroup

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

APRIL = "/monitoring/visits/calendar/?month=2013-03&officer=all"
OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def csp_refusals(page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_the_month_grid_on_a_desktop_is_accessible_and_links_each_visit(page):
    refused = csp_refusals(page)
    log_in(page, "monitoring")
    page.goto(APRIL)
    grid = page.locator("table.calendar-grid")
    expect(grid).to_be_visible()
    assert grid.locator("a.calendar-made").count() > 0
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page)
    grid.locator("a.calendar-made").first.click()
    page.wait_for_load_state()
    assert "/monitoring/visits/" in page.url and "calendar" not in page.url
    assert refused == []


def test_the_phone_gets_the_week_list_without_sideways_scroll(phone_page):
    refused = csp_refusals(phone_page)
    log_in(phone_page, "monitoring")
    phone_page.goto(APRIL)
    expect(phone_page.locator("table.calendar-grid")).not_to_be_visible()
    expect(phone_page.locator(".calendar-weeks a.calendar-made").first).to_be_visible()
    assert phone_page.evaluate(OVERFLOW)
    assert_accessible(phone_page)
    assert refused == []


def test_the_charts_on_the_labs_and_group_pages_are_accessible(page):
    refused = csp_refusals(page)
    log_in(page, "koordynator")
    page.goto("/monitoring/labs/?year=2013")
    assert page.locator("figure.chart svg[role=img]").count() == 2
    assert_accessible(page)
    group = TrainingGroup.objects.filter(sessions__attendance__isnull=False).first()
    page.goto(f"/training/groups/{group.pk}/")
    assert page.locator("figure.chart svg[role=img]").count() == 1
    assert_accessible(page)
    assert refused == []
