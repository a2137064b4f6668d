"""The one way a domain write is done (lebork_einclusion.records) and the one form page
(lebork_einclusion.pages): issue 13."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from pghistory.models import Events

from lebork_einclusion.models import PublicUnit
from lebork_einclusion.pages import form_page
from lebork_einclusion.records import locked, save_changed, service


@service
def do_rename_unit(unit, name, *, actor):
    unit = locked(unit)
    unit.short_name = name
    save_changed(unit, "short_name")
    return unit


@service
def do_rename_then_fail(unit, name, *, actor):
    do_rename_unit(unit, name, actor=actor)
    raise ValidationError("Odmowa.")


def _positional(x, actor): ...


def _optional(x, *, actor=None): ...


def _none(x): ...


def _anything(x, *args, **kwargs): ...


@pytest.mark.parametrize("function", [_positional, _optional, _none, _anything])
def test_a_service_must_take_the_actor_keyword_only_and_required(function):
    with pytest.raises(TypeError, match="keyword-only"):
        service(function)


@pytest.mark.django_db
def test_a_service_names_its_actor_and_itself_in_the_audit_trail(make_user):
    officer = make_user("coordinator")
    unit = PublicUnit.objects.order_by("pk").first()
    before = unit.version
    do_rename_unit(unit, "Biblioteka", actor=officer)
    unit.refresh_from_db()
    assert (unit.short_name, unit.version) == ("Biblioteka", before + 1)
    event = Events.objects.tracks(unit).order_by("-pgh_created_at").first()
    assert event.pgh_context["user"] == officer.pk
    assert event.pgh_context["service"] == "tests.core.test_records.do_rename_unit"


@pytest.mark.django_db
def test_a_refused_service_changes_nothing(make_user):
    unit = PublicUnit.objects.order_by("pk").first()
    kept = (unit.short_name, unit.version)
    with pytest.raises(ValidationError):
        do_rename_then_fail(unit, "Inna nazwa", actor=make_user("coordinator"))
    unit.refresh_from_db()
    assert (unit.short_name, unit.version) == kept


@pytest.mark.django_db
def test_a_form_opened_before_someone_elses_save_is_refused(make_user):
    unit = PublicUnit.objects.order_by("pk").first()
    opened_at = unit.version
    do_rename_unit(unit, "Pierwsza", actor=make_user("coordinator"))
    with pytest.raises(ValidationError) as refused:
        locked(unit, expected_version=opened_at)
    assert refused.value.code == "concurrent_edit"
    assert locked(unit, expected_version=opened_at + 1).short_name == "Pierwsza"
    assert locked(unit, expected_version="").short_name == "Pierwsza"


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(data=None):
    factory = RequestFactory()
    request = factory.post("/x/", data) if data is not None else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
def test_the_form_page_runs_the_service_and_redirects_with_a_message():
    request = _request({"name": "Anna"})
    done = []
    response = form_page(
        request,
        NameForm(request.POST),
        lambda data: done.append(data["name"]) or "/next/",
        template="lending/form.html",
        success="Zapisano.",
        back="/back/",
    )
    assert (response.status_code, response["Location"], done) == (302, "/next/", ["Anna"])
    assert [str(m) for m in request._messages] == ["Zapisano."]


@pytest.mark.django_db
def test_the_form_page_puts_a_refusal_next_to_its_field_and_keeps_the_input():
    request = _request({"name": "Anna"})

    def refuse(data):
        raise ValidationError({"name": "Ta nazwa jest zajęta."})

    response = form_page(
        request,
        NameForm(request.POST),
        refuse,
        template="lending/form.html",
        context={"title": "Nazwa"},
        success="Zapisano.",
        back="/back/",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ta nazwa jest zajęta." in page and 'value="Anna"' in page
    assert list(request._messages) == []


class UnitNameForm(forms.Form):
    short_name = forms.CharField(max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput)


@pytest.mark.django_db
def test_a_stale_form_is_refused_in_polish_then_carries_the_stored_version(make_user):
    officer = make_user("coordinator")
    unit = PublicUnit.objects.order_by("pk").first()
    opened_at = unit.version
    do_rename_unit(unit, "Cudza zmiana", actor=officer)

    @service
    def do_save(data, *, actor):
        current = locked(unit, expected_version=data["version"])
        current.short_name = data["short_name"]
        save_changed(current, "short_name")

    def post(version):
        request = _request({"short_name": "Moja zmiana", "version": version})
        form = UnitNameForm(request.POST)
        response = form_page(
            request,
            form,
            lambda data: do_save(data, actor=officer),
            template="lending/form.html",
            success="Zapisano.",
            back="/back/",
        )
        return response, form

    refused, form = post(opened_at)
    assert refused.status_code == 200
    assert "Ktoś inny zapisał ten rekord w czasie Twojej pracy" in refused.content.decode()
    assert form.data["short_name"] == "Moja zmiana"
    assert form.data["version"] == str(opened_at + 1)
    unit.refresh_from_db()
    assert unit.short_name == "Cudza zmiana"
    saved, _ = post(form.data["version"])
    unit.refresh_from_db()
    assert (saved.status_code, unit.short_name) == (302, "Moja zmiana")
