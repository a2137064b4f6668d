"""Every form usable by keyboard alone: the assistant registers an application without a mouse."""

import datetime

import pytest

from lebork_einclusion.pesel import make_pesel
from recruitment.models import Application

from .conftest import log_in

pytestmark = pytest.mark.browser

APPLICANT = make_pesel(datetime.date(1981, 3, 9), 611, True)
CHILD = make_pesel(datetime.date(2003, 5, 17), 612, False)


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user)."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_date(page, selector: str, day: datetime.date) -> None:
    """Type a date into a date field by keyboard in the order the browser shows its parts
    (day first in Polish, month first in an English browser): input.value is always ISO."""
    tab_to(page, selector)
    for order in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(day.strftime(order))
        if page.input_value(selector) == day.isoformat():
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        tab_to(page, selector)
    raise AssertionError(f"could not type {day} into {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_the_application_form_can_be_filled_in_and_sent_by_keyboard_alone(page):
    log_in(page, "asystent")
    page.goto("/recruitment/applications/")
    tab_to(page, "a[href^='/recruitment/applications/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/applications/new/**")

    tab_to(page, "#id_channel_0")  # the radio group is entered on its checked item: in person
    assert page.is_checked("#id_channel_0")
    type_date(page, "#id_received_on", datetime.date(2012, 8, 20))
    type_into(page, "#id_street", "ul. Klawiaturowa")
    type_into(page, "#id_building", "12")
    type_into(page, "#id_postal_code", "84-300")
    tab_to(page, "#id_city")
    page.keyboard.press("Control+A")
    page.keyboard.type("Lębork")
    type_into(page, "#id_monthly_net_income", "1800")
    tab_to(page, "#id_social_assistance")
    page.keyboard.press("Space")

    type_into(page, "#id_members-0-first_name", "Halina")
    type_into(page, "#id_members-0-last_name", "Klawiszowa")
    type_into(page, "#id_members-0-pesel", APPLICANT)
    tab_to(page, "#id_members-0-role")
    page.keyboard.press("ArrowDown")  # the first choice after the empty one: applicant
    type_into(page, "#id_members-1-first_name", "Adam")
    type_into(page, "#id_members-1-last_name", "Klawiszowy")
    type_into(page, "#id_members-1-pesel", CHILD)
    tab_to(page, "#id_members-1-role")
    for _ in range(3):  # applicant, spouse, child
        page.keyboard.press("ArrowDown")

    for doc in (
        "participation_declaration",
        "application_form_with_id",
        "income_statement",
        "recommendation",
        "no_public_funds_statement",
        "mops_social_assistance_certificate",
    ):
        tab_to(page, f"#id_received_{doc}")
        page.keyboard.press("Space")
    tab_to(page, "#application-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    errors = page.locator("#form-error-summary")
    assert not errors.count(), errors.inner_text()
    assert "został zarejestrowany" in page.get_by_role("status").inner_text()
    application = Application.objects.get(members__pesel=APPLICANT)
    assert application.street == "ul. Klawiaturowa"
    assert application.received_on == datetime.date(2012, 8, 20)
    assert sorted(application.members.values_list("role", flat=True)) == ["applicant", "child"]
    assert application.documents.count() == 6
