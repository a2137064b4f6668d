"""The core's shared plumbing that every app's views, services and gdpr modules use
(issue 13: one way to do each thing)."""

import datetime
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr
from lebork_einclusion.dates import short_date
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.office_language import in_office_language, office_text
from lebork_einclusion.paging import PAGE_SIZE, page_of, query_without_page


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_naming_a_field_of_the_form_stands_beside_it():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError({"name": "Zajęte.", "elsewhere": "Nie teraz."}))
    assert form.errors["name"] == ["Zajęte."]
    assert form.non_field_errors() == ["Nie teraz."]


def test_a_refusal_naming_no_field_stands_at_the_top():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_error(form, ValidationError("Odmowa."))
    assert form.non_field_errors() == ["Odmowa."]
    assert "name" not in form.errors


def test_the_page_links_keep_the_filters_but_not_the_page():
    request = RequestFactory().get("/", {"page": "3", "status": ["a", "b"], "q": "Łeba"})
    assert query_without_page(request) == "status=a&status=b&q=%C5%81eba"


def test_a_page_holds_page_size_rows_and_a_bad_page_number_shows_the_first():
    rows = list(range(2 * PAGE_SIZE + 20))
    assert PAGE_SIZE == 50
    assert list(page_of(RequestFactory().get("/", {"page": "3"}), rows)) == rows[100:]
    assert page_of(RequestFactory().get("/", {"page": "x"}), rows).number == 1


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_day_is_written_the_same_in_both_languages(language):
    with translation.override(language):
        assert short_date(datetime.date(2013, 4, 9)) == "09.04.2013"


def test_text_written_into_a_record_is_in_the_office_s_language():
    with translation.override("en"):
        assert office_text(_("Corrected: %(fields)s."), fields="a") == "Poprawiono: a."
        assert office_text(_("Corrected: %(fields)s.")) == "Poprawiono: %(fields)s."


def test_a_paper_is_built_in_the_office_s_language():
    @in_office_language
    def build():
        return gettext("Corrected: %(fields)s.")

    with translation.override("en"):
        assert build() == "Poprawiono: %(fields)s."
        assert gettext("Corrected: %(fields)s.") == "Corrected: %(fields)s."


@pytest.mark.django_db
def test_overwriting_changes_the_row_and_the_instance_the_audit_trail_is_copied_from():
    unit = PublicUnit.objects.order_by("pk").first()
    PublicUnit.objects.filter(pk=unit.pk).update(contact_person="Jan Kontaktowy", phone="600100200")
    unit.refresh_from_db()
    anonymise = gdpr.overwriting(contact_person="", phone="")
    anonymise(unit, None)
    assert unit.contact_person == unit.phone == ""
    unit.refresh_from_db()
    assert unit.contact_person == unit.phone == ""


_SPELLED_DATE = re.compile(r'date:"d\.m\.Y( H:i)?"')


def test_templates_format_dates_through_the_format_settings():
    """Dates and moments in templates use the locale's SHORT_DATE_FORMAT and
    SHORT_DATETIME_FORMAT (lebork_einclusion/formats), never a pattern spelled out per page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spelled = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("*/templates/**/*.html")
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _SPELLED_DATE.search(line)
    ] + [
        f"{path.relative_to(root)}:{number}"
        for path in (root / "templates").glob("**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _SPELLED_DATE.search(line)
    ]
    assert spelled == []
