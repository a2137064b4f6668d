"""Issue 12, item 1: a password alone never reveals or changes a second factor.

With an authenticator enrolled, a session that has given only the password walks every
two-factor and account URL of the project with GET and POST (CSRF token included, as a browser
would send it): no recovery code, secret or QR code is shown, no device, code or password
changes, and the pages with personal data stay closed.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lebork_einclusion import roles
from tests.core.test_two_factor import PASSWORD, _code, _enrol, _password_login
from tests.url_samples import all_url_names

NEW_PASSWORD = "a completely different passphrase 42"


def _factor_urls(user) -> list[tuple[str, str]]:
    """Every URL about a factor: the two-factor pages, the password pages, the reset of a
    user's two-factor login (aimed at the user themselves)."""
    names = [
        name
        for name, _args in all_url_names()
        if "two_factor" in name or name.startswith("password")
    ]
    urls = []
    for name in names:
        kwargs = {"pk": user.pk} if name == "core:user_reset_two_factor" else {}
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


def _factor_state(user):
    user.refresh_from_db()
    return (
        sorted(TOTPDevice.objects.filter(user=user).values_list("pk", "key", "confirmed")),
        sorted(StaticToken.objects.filter(device__user=user).values_list("pk", "token")),
        user.password,
    )


@pytest.fixture
def half_logged_in(make_user):
    """A coordinator (who may reset two-factor logins) with a phone and recovery codes, and a
    client that has given only the password."""
    user = make_user(roles.COORDINATOR)
    device, response = _enrol(_password_login(user))
    assert device.confirmed
    codes = list(response.context["codes"])
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=0)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return user, device, codes, client


def _csrf_token(client) -> str:
    client.get(reverse("login"))
    return client.cookies["csrftoken"].value


def test_the_walk_covers_every_factor_url(make_user):
    names = {name for name, _url in _factor_urls(make_user(roles.COORDINATOR))}
    assert {
        "two_factor",
        "two_factor_verify",
        "two_factor_setup",
        "two_factor_recovery_codes",
        "password_change",
        "core:user_reset_two_factor",
    } <= names


@pytest.mark.parametrize("required", [False, True], ids=["2fa-optional", "2fa-required"])
def test_a_password_alone_reveals_and_changes_no_factor(settings, half_logged_in, required):
    settings.EINCLUSION_REQUIRE_2FA = required
    user, device, codes, client = half_logged_in
    before = _factor_state(user)
    token = _csrf_token(client)
    post_data = {
        "csrfmiddlewaretoken": token,
        "token": "123456",
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    secret = device.bin_key
    for name, url in _factor_urls(user):
        for method in ("get", "post"):
            response = getattr(client, method)(url, post_data if method == "post" else None)
            where = f"{method.upper()} {name}"
            body = response.content.decode()
            if name == "two_factor_verify":
                assert response.status_code == 200, where  # the second step itself
            else:
                assert response.status_code in (302, 405), where
                if response.status_code == 302:
                    assert response["Location"].startswith(reverse("two_factor_verify")), where
            assert "codes" not in (response.context or {}), where
            assert "secret" not in (response.context or {}), where
            assert "data:image/svg+xml" not in body, where
            stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
            assert not any(code in body for code in [*codes, *stored]), where
            assert _factor_state(user) == before, where
            assert secret == TOTPDevice.objects.get(pk=device.pk).bin_key
    # Still half logged in: a page with PESEL numbers stays closed.
    response = client.get(reverse("recruitment:application_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert not get_user_model().objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_the_recovery_code_attack_of_the_issue_is_refused(half_logged_in):
    """The attack as reported: POST only the CSRF token, then use a fresh code."""
    user, _device, codes, client = half_logged_in
    response = client.post(
        reverse("two_factor_recovery_codes"), {"csrfmiddlewaretoken": _csrf_token(client)}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(codes)
    )


def test_after_the_second_factor_the_same_pages_work(half_logged_in):
    _user, device, codes, client = half_logged_in
    client.post(reverse("two_factor_verify"), {"token": _code(device)})
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert not set(response.context["codes"]) & set(codes)
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_the_admin_pages_of_devices_stay_closed_to_a_password_alone(make_user):
    """django-otp's admin shows a phone's QR code and every recovery code: a superuser who has
    given only the password is sent to the second step there too."""
    user = make_user(roles.COORDINATOR, is_staff=True, is_superuser=True)
    device, response = _enrol(_password_login(user))
    codes = list(response.context["codes"])
    client = _password_login(user)
    static = StaticToken.objects.filter(device__user=user).first().device
    before = _factor_state(user)
    for url in (
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk]),
        reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_change", args=[static.pk]),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_factor_verify")), url
            assert not any(code in response.content.decode() for code in codes)
    assert _factor_state(user) == before


def test_a_password_session_from_before_the_phone_ends_when_the_phone_is_enrolled(make_user):
    """Two-factor login optional: a browser that logged in with the password before the owner
    enrolled a phone was never asked for a code and kept every page open."""
    user = make_user(roles.ASSISTANT)
    earlier = _password_login(user)
    assert earlier.get(reverse("recruitment:application_list")).status_code == 200
    owner = _password_login(user)
    device, _response = _enrol(owner)
    assert device.confirmed
    response = earlier.get(reverse("recruitment:application_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert owner.get(reverse("recruitment:application_list")).status_code == 200
