"""The accessibility statement (deklaracja dostępności): public, in the structure of the act of
4 April 2019 with the element ids of the minister's guidance, linked from every page."""

import pytest
from django.test import Client
from django.urls import reverse

from lebork_einclusion.models import AccessibilityStatement

REQUIRED_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
]


def test_the_statement_is_public_and_has_every_required_element(client, db):
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    text = response.content.decode()
    for element_id in REQUIRED_IDS:
        assert f'id="{element_id}"' in text, element_id
    assert "ustawą z dnia 4 kwietnia 2019 r." in text
    assert "Rzecznika Praw Obywatelskich" in text
    statement = AccessibilityStatement.current()
    assert statement.published_on.strftime("%Y-%m-%d") in text


@pytest.mark.parametrize("name", ["login", "monitoring:home", "core:project", "privacy_notice"])
def test_every_page_links_to_it_in_the_footer(client, coordinator_client, name):
    visitor = Client() if name == "login" else coordinator_client
    text = visitor.get(reverse(name)).content.decode()
    footer = text[text.index("<footer") :]
    assert f'href="{reverse("accessibility_statement")}"' in footer
    assert 'name="deklaracja-dostępności"' in text


def _form_data(client):
    form = client.get(reverse("core:accessibility_statement_edit")).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    return data


def test_the_coordinator_updates_the_review_date(coordinator_client):
    data = _form_data(coordinator_client)
    data["reviewed_on"] = "2026-01-15"
    response = coordinator_client.post(reverse("core:accessibility_statement_edit"), data)
    assert response.status_code == 302
    assert AccessibilityStatement.current().reviewed_on.isoformat() == "2026-01-15"


def test_an_external_assessment_needs_the_assessors_name(coordinator_client):
    before = AccessibilityStatement.current().method
    data = _form_data(coordinator_client)
    data.update(method="external", auditor="")
    response = coordinator_client.post(reverse("core:accessibility_statement_edit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["auditor"]
    assert AccessibilityStatement.current().method == before
