"""The demo day (EINCLUSION_DEMO_TODAY, lebork_einclusion.clock): every page names it, and
logins, sessions, lockouts and two-factor codes keep real time."""

import datetime
import re
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lebork_einclusion import clock, roles

PASSWORD = "correct horse battery staple"
BANNER = "Tryb demonstracyjny: dzień w biurze to 15.05.2014"
FAR_PAST = datetime.date(2012, 1, 2)
CORE = Path(__file__).resolve().parents[2] / "lebork_einclusion"


def _banner(html: str) -> str | None:
    found = re.search(r'<div class="demo-day-banner" role="status">([^<]*)</div>', html)
    return found.group(1) if found else None


def test_every_page_names_the_demo_day(settings, coordinator_client):
    settings.DEMO_TODAY = datetime.date(2014, 5, 15)
    for url in (reverse("monitoring:home"), reverse("two_factor")):
        response = coordinator_client.get(url)
        assert response.status_code == 200
        assert _banner(response.content.decode()) == BANNER


def test_the_login_page_names_the_demo_day_too(settings, client, db):
    settings.DEMO_TODAY = datetime.date(2014, 5, 15)
    response = client.get(reverse("login"))
    assert _banner(response.content.decode()) == BANNER


def test_without_a_demo_day_there_is_no_banner(settings, coordinator_client):
    settings.DEMO_TODAY = None
    response = coordinator_client.get(reverse("monitoring:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _banner(html) is None
    assert "Tryb demonstracyjny" not in html


@pytest.fixture
def far_past_demo_day(settings):
    settings.DEMO_TODAY = FAR_PAST
    assert clock.today() == FAR_PAST


def test_a_login_on_a_far_past_demo_day_works_and_its_session_lives(far_past_demo_day, make_user):
    user = make_user(roles.COORDINATOR)
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    expires = client.session.get_expiry_date()
    assert (
        timezone.now()
        < expires
        <= timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    response = client.get(reverse("monitoring:home"))
    assert response.status_code == 200  # still logged in: the session did not expire in 2012
    assert _banner(response.content.decode()) == "Tryb demonstracyjny: dzień w biurze to 02.01.2012"
    user.refresh_from_db()
    assert abs(user.last_login - timezone.now()) < datetime.timedelta(minutes=1)


def test_failed_logins_on_a_demo_day_are_counted_in_real_time(far_past_demo_day, make_user):
    user = make_user(roles.ASSISTANT)
    Client().post(reverse("login"), {"username": user.username, "password": "wrong"})
    attempt = AccessAttempt.objects.get(username=user.username)
    assert abs(attempt.attempt_time - timezone.now()) < datetime.timedelta(minutes=1)


def test_two_factor_codes_on_a_demo_day_are_those_of_the_real_time(far_past_demo_day, make_user):
    user = make_user(roles.ASSISTANT)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    client.post(reverse("two_factor_setup"), {"token": f"{totp.token():06d}"})
    device.refresh_from_db()
    assert device.confirmed


# Security and housekeeping keep real time: these modules never ask the office's clock.
REAL_TIME_MODULES = ["security.py", "twofactor.py", "formkeys.py", "background.py", "backups.py"]


@pytest.mark.parametrize("name", REAL_TIME_MODULES)
def test_security_and_housekeeping_do_not_use_the_office_clock(name):
    source = (CORE / name).read_text()
    assert not re.search(r"\bclock\b", source), f"{name} must keep real time (timezone.now())"
