"""Issue 12, item 10: input that used to pass.

A name of invisible characters (U+200B) or with a text-direction override (U+202E), a child born
in 2150 or in 1805 with a checksum-valid PESEL, a 10 MB form answered by Django's bare English
"Bad Request (400)". Names and birth dates are checked by lebork_einclusion/people.py on every
person-name field of every app; the PESEL's birth date by lebork_einclusion/pesel.py.
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.pesel import make_pesel, validate_pesel
from recruitment.models import Application, HouseholdMember
from tests.recruitment.test_application_entry import form_data, new_url

INVISIBLE = "\u200b\u200b\u200b"
REVERSED = "Anna\u202eakswokaw"
BAD_NAMES = [
    ("zero-width spaces only", INVISIBLE),
    ("a right-to-left override", REVERSED),
    ("a zero-width joiner inside", "Ja\u200dn"),
    ("a soft hyphen inside", "No\u00adwak"),
    ("no letter at all", "123 ..."),
]
FUTURE_CHILD = make_pesel(datetime.date(2150, 6, 1), 502, False)
ANCIENT_CHILD = make_pesel(datetime.date(1805, 6, 1), 502, False)
ADULT = make_pesel(datetime.date(1980, 4, 1), 501, True)

# Every model field that holds a person's name, in every app.
PERSON_NAME_FIELDS = {
    ("recruitment", "householdmember", "first_name"),
    ("recruitment", "householdmember", "last_name"),
    ("training", "trainee", "first_name"),
    ("training", "trainee", "last_name"),
    ("lending", "promissorynote", "spouse_name"),
    ("procurement", "supplier", "contact_person"),
    ("monitoring", "monitoringvisit", "signed_by"),
    ("core", "publicunit", "contact_person"),
    ("core", "accessibilitystatement", "contact_person"),
}
NAME_LIKE = ("first_name", "last_name", "contact_person", "spouse_name", "signed_by", "surname")
PROJECT_APPS = ("core", "recruitment", "procurement", "lending", "training", "monitoring")


@pytest.fixture
def call_2012(db):
    from recruitment.models import Call

    return Call.objects.get(code="2012")


@pytest.fixture
def office(client_as, settings):
    client = client_as(roles.ASSISTANT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _member(**fields):
    return {"role": "child", "disability": "none", **fields}


def _applicant():
    return _member(first_name="Anna", last_name="Nowakowska", pesel=ADULT, role="applicant")


@pytest.mark.parametrize("value", [c[1] for c in BAD_NAMES], ids=[c[0] for c in BAD_NAMES])
def test_a_name_without_a_letter_or_with_a_format_character_is_refused(value):
    from lebork_einclusion import people

    with pytest.raises(ValidationError):
        people.validate_person_name(value)


@pytest.mark.parametrize("value", ["Anna", "Żaneta-Łucja", "O'Neill", "Zoë", "Nguyễn Văn"])
def test_real_names_pass(value):
    from lebork_einclusion import people

    assert people.validate_person_name(value) is None
    # The member's name fields (validators included) accept and keep the name as written.
    for name in ("first_name", "last_name"):
        assert HouseholdMember._meta.get_field(name).clean(value, None) == value


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("value", [INVISIBLE, REVERSED], ids=["U+200B", "U+202E"])
def test_the_application_form_refuses_an_invisible_or_reversed_name(
    office, call_2012, field, value
):
    child = _member(
        first_name="Jan",
        last_name="Nowakowski",
        pesel=make_pesel(datetime.date(2004, 6, 1), 502, False),
    )
    child[field] = value
    before = Application.objects.count(), HouseholdMember.objects.count()
    response = office.post(new_url(call_2012), form_data(members=[_applicant(), child]))
    assert response.status_code == 200
    assert field in response.context["members"].forms[1].errors
    assert (Application.objects.count(), HouseholdMember.objects.count()) == before


@pytest.mark.parametrize("pesel", [FUTURE_CHILD, ANCIENT_CHILD], ids=["born-2150", "born-1805"])
def test_a_pesel_born_in_the_future_or_over_130_years_ago_is_refused(pesel):
    with pytest.raises(ValidationError) as caught:
        validate_pesel(pesel)
    assert caught.value.error_list[0].code == "birth_date"


@pytest.mark.parametrize("pesel", [FUTURE_CHILD, ANCIENT_CHILD], ids=["born-2150", "born-1805"])
def test_the_application_form_refuses_a_child_born_in_2150_or_1805(office, call_2012, pesel):
    child = _member(first_name="Jan", last_name="Nowakowski", pesel=pesel)
    before = Application.objects.count(), HouseholdMember.objects.count()
    response = office.post(new_url(call_2012), form_data(members=[_applicant(), child]))
    assert response.status_code == 200
    assert "pesel" in response.context["members"].forms[1].errors
    assert (Application.objects.count(), HouseholdMember.objects.count()) == before


def test_the_import_checks_names_and_birth_dates_like_the_form(call_2012):
    from recruitment.validation import member_errors

    members = [
        {"first_name": INVISIBLE, "last_name": "Nowakowska", "pesel": ADULT, "role": "applicant"},
        {"first_name": "Jan", "last_name": REVERSED, "pesel": FUTURE_CHILD, "role": "child"},
    ]
    _overall, per_member = member_errors(members, {}, call_2012)
    assert "first_name" in per_member[0]
    assert "last_name" in per_member[1] and "pesel" in per_member[1]


def test_the_training_newcomer_form_refuses_an_invisible_name_and_a_future_birth():
    from training.forms import NewcomerForm

    form = NewcomerForm(
        data={"first_name": INVISIBLE, "last_name": REVERSED, "pesel": FUTURE_CHILD, "reason": "x"}
    )
    assert not form.is_valid()
    assert {"first_name", "last_name", "pesel"} <= set(form.errors)


def test_every_person_name_field_of_every_app_is_checked():
    found = set()
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in PROJECT_APPS or model.__name__.endswith("Event"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField) and field.name in NAME_LIKE:
                found.add((label, model._meta.model_name, field.name))
    assert found == PERSON_NAME_FIELDS
    for label, model_name, field_name in sorted(PERSON_NAME_FIELDS):
        field = apps.get_model(label, model_name)._meta.get_field(field_name)
        for _case, value in BAD_NAMES:
            with pytest.raises(ValidationError):
                field.run_validators(value)
        field.run_validators("Anna Nowak")


@pytest.mark.parametrize(
    ("form_path", "field"),
    [("lending.forms.SignForm", "spouse_name"), ("monitoring.forms.visits.VisitForm", "signed_by")],
)
def test_the_plain_forms_with_a_name_refuse_an_invisible_one(form_path, field):
    from django.utils.module_loading import import_string

    form_field = import_string(form_path).base_fields[field]
    with pytest.raises(ValidationError):
        form_field.clean(INVISIBLE)


# --- oversized requests: a Polish page, not Django's bare English line ---


@pytest.mark.parametrize("login", [False, True], ids=["anonymous", "logged-in"])
def test_a_10_mb_post_gets_the_polish_400_page(client, make_user, login):
    if login:
        client.force_login(make_user(roles.ASSISTANT))
    body = "q=" + "a" * (10 * 1024 * 1024)
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bad Request" not in text
    assert "Nie można przetworzyć żądania" in text
    assert '<html lang="pl"' in text


def test_too_many_fields_get_the_polish_400_page(db, client, settings):
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Nie można przetworzyć żądania" in response.content.decode()
