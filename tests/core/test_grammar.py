"""Polish as the office writes it (issue 16, item 6): words agree with a person's recorded sex,
labels are in sentence case, month names are lowercase mid-sentence (the format settings)."""

import datetime
from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from lebork_einclusion.grammar import FEMALE, MALE, for_sex, sex_of
from lebork_einclusion.pesel import make_pesel

WOMAN = make_pesel(datetime.date(1950, 3, 1), 123, female=True)
MAN = make_pesel(datetime.date(1950, 3, 1), 123, female=False)


def test_the_sex_comes_from_the_record_or_the_pesel():
    assert sex_of(SimpleNamespace(sex="F", pesel=MAN)) == FEMALE  # the record first
    assert sex_of(SimpleNamespace(sex="", pesel=WOMAN)) == FEMALE
    assert sex_of(SimpleNamespace(pesel=MAN)) == MALE
    assert sex_of(SimpleNamespace(person_pesel=WOMAN)) == FEMALE
    # Staff users, a missing or a bad PESEL: not known.
    assert sex_of(SimpleNamespace(username="koordynator")) is None
    assert sex_of(SimpleNamespace(pesel="12345678901")) is None
    assert sex_of(None) is None


@pytest.mark.parametrize(
    "text,sex,expected",
    [
        ("ukończył(a) szkolenie", FEMALE, "ukończyła szkolenie"),
        ("ukończył(a) szkolenie", MALE, "ukończył szkolenie"),
        ("ukończył(a) szkolenie", None, "ukończył(a) szkolenie"),
        ("Pan(i) Anna", FEMALE, "Pani Anna"),
        ("obecny(a)", FEMALE, "obecna"),
        ("obecny", FEMALE, "obecna"),
        ("nieobecny", MALE, "nieobecny"),
        ("usprawiedliwiony", FEMALE, "usprawiedliwiona"),
        ("obecny", None, "obecny"),
        # Brackets that are not an ending stay as they are.
        ("umowa (2012)", FEMALE, "umowa (2012)"),
    ],
)
def test_words_agree_with_the_sex(text, sex, expected):
    assert for_sex(text, sex) == expected


def test_the_template_filter_keeps_the_text_safe_or_escaped():
    template = Template("{% load grammar %}{{ text|for_person:person }}")
    woman = SimpleNamespace(pesel=WOMAN)
    rendered = template.render(Context({"text": "<b>ukończył(a)</b>", "person": woman}))
    assert rendered == "&lt;b&gt;ukończyła&lt;/b&gt;"


def test_a_plain_forms_label_is_in_sentence_case():
    class Address(forms.Form):
        postal_code = forms.CharField(label="kod pocztowy")

    form = Address()
    assert form["postal_code"].label == "Kod pocztowy"
    assert ">Kod pocztowy:<" in form["postal_code"].label_tag()


def test_a_month_name_is_lowercase_in_the_polish_formats():
    with translation.override("pl"):
        assert date_format(datetime.date(2026, 12, 6), "YEAR_MONTH_FORMAT") == "grudzień 2026"
    with translation.override("en"):
        assert date_format(datetime.date(2026, 12, 6), "YEAR_MONTH_FORMAT") == "December 2026"
