"""Login throttling, sessions and deactivation (SECURITY.md, "Access")."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lebork_einclusion import roles
from lebork_einclusion.models import Project
from lebork_einclusion.security import do_deactivate_user

PASSWORD = "correct horse battery staple"
OFFICE_IP = "192.0.2.10"


def _login(username, password, ip=OFFICE_IP):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def _fail(username, times, ip=OFFICE_IP):
    responses = [_login(username, "wrong password", ip)[1] for _ in range(times)]
    return responses[-1]


def test_ten_wrong_passwords_lock_that_account_from_that_address(make_user):
    user = make_user(roles.ASSISTANT)
    assert settings.AXES_FAILURE_LIMIT == 10
    assert _fail(user.username, 9).status_code == 200  # the form again, with its error
    locked = _fail(user.username, 1)
    assert locked.status_code == 429
    _client, response = _login(user.username, PASSWORD)
    assert response.status_code == 429  # even the right password, for the cool-off
    assert "_auth_user_id" not in _client.session


def test_a_lockout_leaves_colleagues_in_the_same_office_unaffected(make_user):
    locked_user = make_user(roles.ASSISTANT)
    colleague = make_user(roles.COMMITTEE)
    _fail(locked_user.username, 10)
    client, response = _login(colleague.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_locked_user_can_still_log_in_from_another_address(make_user):
    user = make_user(roles.ASSISTANT)
    _fail(user.username, 10)
    _client, response = _login(user.username, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_the_lockout_page_explains_in_polish(make_user):
    user = make_user(roles.ASSISTANT)
    response = _fail(user.username, 10)
    text = response.content.decode()
    assert "Logowanie zablokowane" in text
    assert "15 minut" in text
    assert "nie dotyczy" in text  # colleagues are not affected


def test_the_lock_lifts_after_the_cool_off(make_user):
    user = make_user(roles.ASSISTANT)
    _fail(user.username, 10)
    AccessAttempt.objects.filter(username=user.username).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=5)
    )
    _client, response = _login(user.username, PASSWORD)
    assert response.status_code == 302


def test_logins_failures_and_lockouts_are_logged_without_pesel(make_user, caplog):
    user = make_user(roles.ASSISTANT)
    caplog.set_level(logging.INFO, logger="einclusion.security")
    _login("44051401359", "wrong")  # someone typed a PESEL as the login name
    _fail(user.username, 10)
    _login(make_user(roles.COMMITTEE).username, PASSWORD)
    messages = [r.getMessage() for r in caplog.records if r.name == "einclusion.security"]
    assert any(m.startswith("login failed") and "[REDACTED]" in m for m in messages)
    assert any(m.startswith("login locked out") for m in messages)
    assert any(m.startswith("login ok") for m in messages)
    assert not any("44051401359" in m for m in messages)


def test_the_session_gets_a_new_id_at_login(make_user):
    user = make_user(roles.ASSISTANT)
    client = Client()
    session = client.session
    session["before_login"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    old_key = session.session_key
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_an_idle_session_expires(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("core:project"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_request_moves_the_idle_deadline(client, make_user):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(make_user(roles.ASSISTANT))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=60)
    )
    client.get(reverse("core:project"))
    expires = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 30


def test_session_cookies_are_httponly_and_samesite():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def test_logout_ends_the_session_on_the_server(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get(reverse("core:project"))
    assert response["Location"].startswith(reverse("login"))


def test_a_post_with_an_expired_session_changes_nothing(client, make_user):
    client.force_login(make_user(roles.COORDINATOR))
    project = Project.current()
    Session.objects.filter(session_key=client.session.session_key).delete()
    response = client.post(reverse("core:project_edit"), {"name": "changed"})
    assert response["Location"].startswith(reverse("login"))
    project.refresh_from_db()
    assert project.name != "changed"


def _logged_in_clients(user, n=2):
    clients = []
    for _ in range(n):
        c = Client()
        c.force_login(user)
        clients.append(c)
    return clients


def test_deactivation_ends_every_session_of_the_user_at_once(make_user):
    leaver = make_user(roles.ASSISTANT)
    colleague = make_user(roles.ASSISTANT)
    clients = _logged_in_clients(leaver)
    (other,) = _logged_in_clients(colleague, 1)
    ended = do_deactivate_user(leaver, actor=make_user(roles.COORDINATOR))
    assert ended == 2
    leaver.refresh_from_db()
    assert leaver.is_active is False
    for c in clients:
        assert c.get(reverse("core:project"))["Location"].startswith(reverse("login"))
    assert other.get(reverse("core:project")).status_code == 200


def test_nobody_deactivates_their_own_account(make_user):
    user = make_user(roles.COORDINATOR)
    with pytest.raises(ValidationError):
        do_deactivate_user(user, actor=user)
    user.refresh_from_db()
    assert user.is_active


def test_the_coordinator_deactivates_a_leaver_from_the_users_page(client, make_user):
    leaver = make_user(roles.COMMITTEE)
    (leaver_client,) = _logged_in_clients(leaver, 1)
    client.force_login(make_user(roles.COORDINATOR))
    response = client.post(reverse("core:user_deactivate", args=[leaver.pk]), follow=True)
    assert "zdezaktywowane" in response.content.decode()
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver_client.get(reverse("core:project")).status_code == 302


def test_deactivating_in_the_admin_ends_the_sessions_too(client, make_user):
    leaver = make_user(roles.COMMITTEE)
    (leaver_client,) = _logged_in_clients(leaver, 1)
    admin = get_user_model().objects.create_superuser("admin-x", "a@example.org", "x")
    client.force_login(admin)
    change_url = reverse("admin:auth_user_change", args=[leaver.pk])
    form = client.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": leaver.username,
            "is_active": "",
            "groups": [g.pk for g in leaver.groups.all()],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2012-08-01",
            "date_joined_1": "10:00:00",
        }
    )
    data.pop("is_active")
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver_client.get(reverse("core:project")).status_code == 302


def test_an_auditor_posting_a_change_gets_403_and_nothing_changes(client, make_user, caplog):
    client.force_login(make_user(roles.AUDITOR))
    before = Project.current().name
    caplog.set_level(logging.WARNING, logger="einclusion.security")
    response = client.post(reverse("core:project_edit"), {"name": "changed by auditor"})
    assert response.status_code == 403
    assert "Brak dostępu" in response.content.decode()
    assert Project.current().name == before
    assert any("request refused (403)" in r.getMessage() for r in caplog.records)


def test_passwords_are_hashed_with_argon2_and_checked_against_common_passwords():
    from django.contrib.auth.password_validation import get_password_validators, validate_password

    import lebork_einclusion.settings as configured  # tests swap in a fast hasher at run time

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    validators = get_password_validators(configured.AUTH_PASSWORD_VALIDATORS)
    for weak in ("password1234", "123456789012", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, password_validators=validators)
    validate_password("Lębork-wiosna-2012!", password_validators=validators)
