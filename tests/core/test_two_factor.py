"""Two-factor login with django-otp: enrolment, the second step, recovery codes, the setting
that makes it compulsory (SECURITY.md: ASVS 6.3.3)."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lebork_einclusion import roles

PASSWORD = "correct horse battery staple"


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _password_login(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client):
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"token": _code(device)})
    device.refresh_from_db()
    return device, response


@pytest.fixture
def enrolled(make_user):
    user = make_user(roles.ASSISTANT)
    client = _password_login(user)
    device, response = _enrol(client)
    codes = list(response.context["codes"])
    # Next login must not reuse the same time step's code.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=0)
    return user, device, codes


def test_the_setup_page_shows_a_qr_code_as_an_image_and_the_key(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    response = client.get(reverse("two_factor_setup"))
    text = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    assert response.context["secret"].replace(" ", "")
    assert "<script>" not in text and "style=" not in text


def test_a_wrong_code_does_not_confirm_the_device(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(confirmed=False, user__in=get_user_model().objects.all())
    response = client.post(
        reverse("two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert device.confirmed is False


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes(make_user):
    user = make_user(roles.ASSISTANT)
    client = _password_login(user)
    device, response = _enrol(client)
    assert device.confirmed
    assert len(response.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    for code in response.context["codes"]:
        assert code in response.content.decode()


def test_after_the_password_a_user_with_a_device_must_give_the_code(enrolled):
    user, device, _codes = enrolled
    client = _password_login(user)
    response = client.get(reverse("core:project"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(
        reverse("two_factor_verify"), {"token": _code(device), "next": reverse("core:project")}
    )
    assert response["Location"] == reverse("core:project")
    assert client.get(reverse("core:project")).status_code == 200


def test_a_recovery_code_works_once(enrolled):
    user, _device, codes = enrolled
    client = _password_login(user)
    client.post(reverse("two_factor_verify"), {"token": codes[0]})
    assert client.get(reverse("core:project")).status_code == 200
    again = _password_login(user)
    response = again.post(reverse("two_factor_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert again.get(reverse("core:project")).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_codes_are_throttled(enrolled):
    user, device, _codes = enrolled
    client = _password_login(user)
    client.post(reverse("two_factor_verify"), {"token": "000001"})
    response = client.post(reverse("two_factor_verify"), {"token": _code(device)})
    assert response.status_code == 200  # refused: too soon after a wrong code
    assert client.get(reverse("core:project")).status_code == 302


def test_a_password_alone_cannot_enrol_a_new_phone(enrolled):
    user, _device, _codes = enrolled
    client = _password_login(user)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_setting_makes_two_factor_login_compulsory(settings, make_user):
    settings.EINCLUSION_REQUIRE_2FA = True
    user = make_user(roles.ASSISTANT)
    client = _password_login(user)
    response = client.get(reverse("core:project"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    device, _response = _enrol(client)
    assert device.confirmed
    assert client.get(reverse("core:project")).status_code == 200


def test_without_the_setting_two_factor_login_is_optional(make_user):
    client = _password_login(make_user(roles.ASSISTANT))
    assert client.get(reverse("core:project")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(enrolled):
    user, device, codes = enrolled
    client = _password_login(user)
    client.post(reverse("two_factor_verify"), {"token": _code(device)})
    response = client.post(reverse("two_factor_recovery_codes"))
    new_codes = response.context["codes"]
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(codes)


def test_the_coordinator_resets_a_lost_phone(client, enrolled, make_user):
    user, _device, _codes = enrolled
    client.force_login(make_user(roles.COORDINATOR))
    client.post(reverse("core:user_reset_two_factor", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
