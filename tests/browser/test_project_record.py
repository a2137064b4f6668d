"""Foundation flow: the coordinator logs in, opens the home page, edits the project record."""

import pytest
from playwright.sync_api import expect

from lebork_einclusion.models import Project

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_coordinator_edits_the_project_record(page):
    log_in(page, "koordynator")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Przeciwdziałanie")
    assert_accessible(page)

    page.get_by_role("link", name="Projekt", exact=True).click()
    page.get_by_role("link", name="Edytuj").click()
    assert_accessible(page)
    page.get_by_label("Wartość docelowa: gospodarstwa domowe").fill("76")
    page.get_by_label("Data zakończenia").fill("2014-06-30")
    page.get_by_role("button", name="Zapisz").click()

    assert page.get_by_role("status").inner_text() == "Dane projektu zostały zapisane."
    assert "30.06.2014" in page.content()
    project = Project.current()
    assert project.target_households == 76
    assert str(project.end_date) == "2014-06-30"
    assert_accessible(page)


def test_bad_input_shows_the_error_next_to_the_field_and_keeps_the_input(page):
    log_in(page, "koordynator")
    page.goto("/core/project/edit/")
    page.get_by_label("Data zakończenia").fill("2011-01-01")
    page.get_by_label("Nazwa projektu").fill("Nowa nazwa")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("alert").first).to_contain_text("Formularz zawiera błędy")
    assert page.get_by_label("Nazwa projektu").input_value() == "Nowa nazwa"
    expect(page.locator("#error_1_id_end_date, .invalid-feedback").first).to_be_visible()
    assert Project.current().name != "Nowa nazwa"
    assert_accessible(page)


def test_the_home_page_works_on_a_phone(phone_page):
    log_in(phone_page, "monitoring")
    phone_page.get_by_role("button", name="Pokaż menu").click()
    expect(phone_page.get_by_role("link", name="Projekt")).to_be_visible()
    phone_page.get_by_role("button", name="Administracja").click()
    expect(phone_page.get_by_role("link", name="Jednostki publiczne")).to_be_visible()
    assert_accessible(phone_page)
