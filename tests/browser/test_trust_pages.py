"""The pages of issue 9 in Chromium: axe-core finds no serious or critical violation, and the
two-factor enrolment works with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

PUBLIC = ["/accessibility/", "/privacy/", "/accounts/login/"]
COORDINATOR = [
    "/core/personal-data-log/",
    "/core/gdpr/register/",
    "/core/gdpr/legal-holds/",
    "/core/gdpr/subject-export/",
    "/core/users/",
    "/accounts/two-factor/",
    "/accounts/two-factor/setup/",
]


def test_public_pages_are_accessible_and_link_the_statement(page):
    for path in PUBLIC:
        page.goto(path)
        assert_accessible(page)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Deklaracja dostępności").click()
    page.wait_for_load_state()
    expect(page.locator("#a11y-status")).to_be_visible()


def test_the_coordinators_data_protection_pages_are_accessible(page):
    log_in(page, "koordynator")
    for path in COORDINATOR:
        page.goto(path)
        assert_accessible(page)


def test_an_empty_code_is_explained_next_to_the_field_using_the_keyboard(page):
    log_in(page, "asystent")
    page.goto("/accounts/two-factor/setup/")
    page.get_by_label("Kod z aplikacji").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#form-error-summary")).to_be_visible()
    assert "/accounts/two-factor/setup/" in page.url
