"""Standing attack: a cross-site POST to any URL of the project (issue 12).

Every named URL of the role x URL matrix (tests/url_samples.py) is posted to without a CSRF
token, by a user whose role may change what the URL changes, with a client that checks CSRF as
a browser would: each answers the Polish CSRF page (403) and nothing is written: no row of any
history (audit) table, no session, no personal-data access row.
"""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.models import PersonalDataAccess
from tests.url_samples import SAMPLES, all_url_names

URLS = all_url_names()
FORM_DATA = {
    "token": "123456",
    "username": "koordynator",
    "password": "x",
    "name": "zmiana",
    "status": "active",
    "confirm": "1",
}


def _writes() -> dict:
    """The highest row id of every history table, of the access log and the session count."""
    state = {"sessions": Session.objects.count()}
    for model in apps.get_models():
        if model.__name__.endswith("Event") and hasattr(model, "pgh_obj"):
            state[model._meta.label] = (
                model.objects.order_by("-pk").values_list("pk", flat=True).first()
            )
    state["access"] = (
        PersonalDataAccess.objects.order_by("-pk").values_list("pk", flat=True).first()
    )
    return state


def test_the_walk_covers_the_project():
    assert len(URLS) > 150
    names = {name for name, _ in URLS}
    assert {"login", "two_factor_recovery_codes", "core:user_deactivate"} <= names


@pytest.mark.parametrize(
    "app", ["", "core", "recruitment", "procurement", "lending", "training", "monitoring"]
)
def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(db, make_user, app):
    names = [name for name, _args in URLS if (name.split(":")[0] if ":" in name else "") == app]
    assert names
    before = _writes()
    accepted = []
    clients = {}
    for name in names:
        rule = roles.ACCESS[name]
        role = sorted(rule.change)[0] if rule.change else roles.COORDINATOR
        if role not in clients:
            clients[role] = Client(enforce_csrf_checks=True)
            clients[role].force_login(make_user(role))
        client = clients[role]
        url = reverse(name, kwargs=SAMPLES[name]() if name in SAMPLES else {})
        before_name = _writes()
        response = client.post(url, FORM_DATA)
        templates = {t.name for t in response.templates}
        if response.status_code != 403 or "403_csrf.html" not in templates:
            accepted.append((name, response.status_code))
        after = _writes()
        assert after["sessions"] == before_name["sessions"], name
        assert {k: v for k, v in after.items() if k != "sessions"} == {
            k: v for k, v in before_name.items() if k != "sessions"
        }, name
    assert accepted == []
    assert _writes()["access"] == before["access"]
