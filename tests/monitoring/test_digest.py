"""The daily e-mail of each user's to-dos: opted in on the account page, sent by the daily job,
at most once a day, counts and links only."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from lebork_einclusion import daily, roles
from monitoring.daily import send_digests
from monitoring.models import DigestSubscription
from recruitment.models import HouseholdMember

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 10, 1)  # the coordinator has agreements ending and proposals


@pytest.fixture
def coordinator(client, settings):
    settings.EINCLUSION_SITE_URL = "https://einclusion.example"
    user = get_user_model().objects.get(username="koordynator")
    user.email = "koordynator@example.org"
    user.save(update_fields=["email"])
    client.force_login(user)
    return user


def test_the_account_page_turns_the_digest_on_and_off(client, coordinator):
    assert client.get(reverse("monitoring:account")).status_code == 200
    response = client.post(reverse("monitoring:account"), {"daily_digest": "on"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=coordinator).daily_digest is True
    client.post(reverse("monitoring:account"), {})
    assert DigestSubscription.objects.get(user=coordinator).daily_digest is False


def test_every_role_may_choose_it_the_auditor_too(client, make_user):
    auditor = make_user(roles.AUDITOR)
    client.force_login(auditor)
    client.post(reverse("monitoring:account"), {"daily_digest": "on"})
    assert DigestSubscription.objects.get(user=auditor).daily_digest is True


def test_nobody_gets_it_without_asking(coordinator):
    assert send_digests(DAY) == "0 daily digests sent"
    assert mail.outbox == []


def test_the_digest_is_sent_once_a_day_with_counts_and_links(client, coordinator, settings):
    client.post(reverse("monitoring:account"), {"daily_digest": "on"})
    settings.DEMO_TODAY = DAY
    home = client.get(reverse("monitoring:home")).context["blocks"]
    items = [item for block in home for item in block.items if item.count]
    assert items

    assert send_digests(DAY) == "1 daily digests sent"
    assert send_digests(DAY) == "0 daily digests sent"  # the timer fired twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["koordynator@example.org"]
    assert "01.10.2015" in message.subject
    for item in items:
        assert f"{item.label}: {item.count}" in message.body
        assert f"https://einclusion.example{item.url}" in message.body
    assert DigestSubscription.objects.get(user=coordinator).last_sent_on == DAY

    assert send_digests(DAY + datetime.timedelta(days=1)) == "1 daily digests sent"
    assert len(mail.outbox) == 2


def test_the_digest_holds_no_personal_data(client, coordinator):
    client.post(reverse("monitoring:account"), {"daily_digest": "on"})
    send_digests(DAY)
    body = mail.outbox[0].body
    assert not re.search(r"\b\d{11}\b", body)  # no PESEL
    surnames = set(HouseholdMember.objects.values_list("last_name", flat=True))
    assert not [name for name in surnames if name and name in body]


def test_no_mail_without_an_address_or_with_nothing_to_do(client, coordinator, make_user):
    client.post(reverse("monitoring:account"), {"daily_digest": "on"})
    coordinator.email = ""
    coordinator.save(update_fields=["email"])
    idle = make_user(roles.AUDITOR, email="audytor@example.org")  # the auditor has no to-dos
    DigestSubscription.objects.create(user=idle, daily_digest=True)
    assert send_digests(DAY) == "0 daily digests sent"
    assert mail.outbox == []


def test_the_daily_job_sends_them():
    assert "send_digests" in [task.name for task in daily.tasks()]
