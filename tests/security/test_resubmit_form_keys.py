"""Issue 12, item 7: a create form sent twice creates once.

Every create form carries a one-time key ({% form_key %}); every `*_new` URL of every app is
wrapped by lebork_einclusion.formkeys.once: a second POST with the same key, one after the other
or at the same moment, is sent where the first one went and creates nothing. Two tabs with two
keys and the same household: the PESEL is refused the second time, under the call's row lock.
"""

import re
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from lebork_einclusion import roles
from recruitment.models import Application, Call, HouseholdMember, Notification
from recruitment.services import applications
from tests.factories import UserFactory
from tests.recruitment.test_application_entry import ADULT, form_data, new_url
from tests.url_samples import SAMPLES, all_url_names

KEY = re.compile(r'<input type="hidden" name="form_key" value="([A-Za-z0-9_-]+)">')


def key_of(html: str) -> str:
    found = KEY.findall(html)
    assert found, "the form carries no one-time key"
    return found[0]


@pytest.fixture
def call(db):
    return Call.objects.get(code="2012")


@pytest.fixture
def office(client_as):
    return client_as(roles.ASSISTANT)


def test_the_application_form_sent_twice_registers_one_application(office, call):
    page = office.get(new_url(call)).content.decode()
    data = {**form_data(), "form_key": key_of(page)}
    before = Application.objects.filter(call=call).count()

    first = office.post(new_url(call), data)
    second = office.post(new_url(call), data)

    assert Application.objects.filter(call=call).count() == before + 1
    created = Application.objects.get(call=call, members__pesel=ADULT)
    detail = reverse("recruitment:application_detail", args=[created.pk])
    assert (first.status_code, first["Location"]) == (302, detail)
    assert (second.status_code, second["Location"]) == (302, detail)
    notes = [str(m) for m in get_messages(second.wsgi_request)]
    assert any("już wysłany" in note for note in notes), notes


def test_a_form_sent_back_with_errors_releases_its_key(office, call):
    page = office.get(new_url(call)).content.decode()
    key = key_of(page)
    bad = {**form_data(), "form_key": key, "postal_code": "zły"}
    response = office.post(new_url(call), bad)
    assert response.status_code == 200
    from lebork_einclusion.models import FormKey

    assert not FormKey.objects.filter(key=key).exists()
    assert key_of(response.content.decode()) != key  # the form comes back with a new key
    good = {**form_data(), "form_key": key}
    assert office.post(new_url(call), good).status_code == 302
    assert Application.objects.filter(call=call, members__pesel=ADULT).count() == 1


def test_a_notification_recorded_twice_is_recorded_once(client_as, call):
    coordinator = client_as(roles.COORDINATOR)
    application = Application.objects.get(number="2012/001")
    page = coordinator.get(
        reverse("recruitment:application_detail", args=[application.pk])
    ).content.decode()
    url = reverse("recruitment:notification_new", args=[application.pk])
    form = page[page.index(f'action="{url}"') :]
    data = {
        "channel": "letter",
        "sent_on": "2012-10-01",
        "note": "pismo",
        "form_key": key_of(form),
    }
    before = Notification.objects.filter(application=application).count()
    coordinator.post(url, data)
    coordinator.post(url, data)
    assert Notification.objects.filter(application=application).count() == before + 1


def test_a_key_belongs_to_the_user_who_sent_it(office, client_as, call):
    data = {**form_data(), "form_key": key_of(office.get(new_url(call)).content.decode())}
    office.post(new_url(call), data)
    other = client_as(roles.ASSISTANT)
    response = other.post(new_url(call), data)
    assert response.status_code == 400


def test_every_create_url_of_every_app_takes_a_one_time_key(client_as):
    """Every `*_new` URL is wrapped; every create page it shows carries the key."""
    coordinator = client_as(roles.COORDINATOR)
    names = [(name, has_args) for name, has_args in all_url_names() if name.endswith("_new")]
    assert len(names) >= 20
    pages = 0
    for name, has_args in names:
        url = reverse(name, kwargs=SAMPLES[name]() if has_args else {})
        assert getattr(resolve(url).func, "form_key_once", False), f"{name} is not wrapped"
        response = coordinator.get(url)
        if response.status_code == 200 and 'method="post"' in response.content.decode():
            assert KEY.search(response.content.decode()), f"{name}: the form has no key"
            pages += 1
    assert pages >= 18


def test_the_wrapper_runs_the_view_once_per_key(db):
    from lebork_einclusion import formkeys

    calls = []

    def view(request):
        calls.append(request.POST.get("x"))
        return redirect("/made/1/")

    wrapped = formkeys.once(view)
    user = UserFactory()
    factory = RequestFactory()

    def post():
        request = factory.post("/x/new/", {"form_key": "k" * 24, "x": "1"})
        request.user = user
        request.session = {}
        request._messages = type("M", (), {"add": lambda *a, **k: None})()
        return wrapped(request)

    assert post()["Location"] == "/made/1/"
    assert post()["Location"] == "/made/1/"
    assert calls == ["1"]
    # Without a key (a script, an old page) the view runs as before.
    request = factory.post("/x/new/", {"x": "2"})
    request.user = user
    wrapped(request)
    assert calls == ["1", "2"]
    # A malformed key is refused.
    request = factory.post("/x/new/", {"form_key": "<script>"})
    request.user = user
    assert wrapped(request).status_code == 400
    assert isinstance(wrapped(request), HttpResponse)


# --- the same form sent at the same moment: two threads, two database connections ----------------


def _slow_create(monkeypatch):
    """Registration holds its transaction a little longer, so the second POST arrives while the
    first is still working (the race of a double click)."""
    original = applications.do_create_application

    def slow(*args, **kwargs):
        created = original(*args, **kwargs)
        time.sleep(0.5)
        return created

    monkeypatch.setattr(applications, "do_create_application", slow)


def _post_at_once(clients, url, datas):
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)
    errors = []

    def run(index):
        try:
            barrier.wait()
            responses[index] = clients[index].post(url, datas[index])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return responses


def _the_call() -> Call:
    """The demo's call (transactional tests may start from an empty database: then a new one
    with the same dates)."""
    from decimal import Decimal

    from recruitment.demo import CODE, DEADLINE, OPENS

    return Call.objects.filter(code=CODE).first() or Call.objects.create(
        code=CODE,
        title="Nabór",
        opens_on=OPENS,
        deadline=DEADLINE,
        places=75,
        average_salary=Decimal("3399.52"),
    )


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_registers_once(monkeypatch):
    call = _the_call()
    user = UserFactory(role=roles.ASSISTANT)
    first, second = _logged_in(user), _logged_in(user)
    key = key_of(first.get(new_url(call)).content.decode())
    data = {**form_data(), "form_key": key}
    _slow_create(monkeypatch)

    responses = _post_at_once([first, second], new_url(call), [data, data])

    created = Application.objects.filter(call=call, members__pesel=ADULT)
    assert created.count() == 1
    detail = reverse("recruitment:application_detail", args=[created.get().pk])
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, detail)] * 2


@pytest.mark.django_db(transaction=True)
def test_two_tabs_with_the_same_household_at_the_same_moment_register_once(monkeypatch):
    call = _the_call()
    user = UserFactory(role=roles.ASSISTANT)
    first, second = _logged_in(user), _logged_in(user)
    datas = [
        {**form_data(), "form_key": key_of(client.get(new_url(call)).content.decode())}
        for client in (first, second)
    ]
    _slow_create(monkeypatch)

    responses = _post_at_once([first, second], new_url(call), datas)

    assert HouseholdMember.objects.filter(application__call=call, pesel=ADULT).count() == 1
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "jest już ujęty we wniosku" in refused
