"""A certificate of completion is issued once, confirmed (do_issue_certificate): its PDF is
archived at that moment and served byte for byte after; before it, it prints live as a draft
marked "PROJEKT"."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import archive
from recruitment.models import HouseholdMember
from tests.helpers import messages_of
from training import papers
from training.models import Trainee
from training.services import trainees as trainee_services

from .conftest import mark_all, pdf_text

ISSUED = datetime.date(2024, 3, 20)


@pytest.fixture
def completed(trainees, sessions, assistant):
    for session in sessions:
        mark_all(session, trainees, assistant)
    return trainees[0]


@pytest.fixture
def issued(completed, assistant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.do_issue_certificate(completed, ISSUED, actor=assistant)
    completed.refresh_from_db()
    return completed


def certificate(client, trainee):
    return client.get(reverse("training:trainee_certificate_pdf", args=[trainee.pk]))


def test_a_certificate_not_issued_yet_prints_live_as_a_draft(completed, assistant_client):
    text = pdf_text(certificate(assistant_client, completed).content)
    assert "PROJEKT" in text and "ZAŚWIADCZENIE" in text
    assert archive.papers_of(completed) == []


def test_the_issue_archives_the_certificate_and_later_changes_do_not_alter_it(
    issued, assistant, assistant_client
):
    assert (issued.certificate_issued_on, issued.certificate_issued_by) == (ISSUED, assistant)
    stored = archive.find(issued, papers.CERTIFICATE)
    content = archive.stored_bytes(stored)
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    assert stored.archived_by == assistant
    text = pdf_text(content)
    assert "PROJEKT" not in text and "Lębork, dnia 20.03.2024" in text
    # The person's name corrected after the issue: the certificate issued stays as it was.
    old_name = issued.full_name
    HouseholdMember.objects.filter(pk=issued.member_id).update(last_name="Zmieniony")
    response = certificate(assistant_client, issued)
    assert response.content == content
    assert response["X-Content-SHA256"] == stored.sha256
    assert old_name in pdf_text(response.content)
    assert "Zmieniony" in pdf_text(papers.certificate_renderer(issued.pk)(False))


def test_the_issue_page_asks_for_the_confirmation(completed, assistant_client):
    url = reverse("training:trainee_certificate_issue", args=[completed.pk])
    assert "Potwierdzam" in assistant_client.get(url).content.decode()
    response = assistant_client.post(url, {"issued_on": "2024-03-20"})
    assert response.status_code == 200
    assert "Potwierdź wydanie" in response.content.decode()
    completed.refresh_from_db()
    assert completed.certificate_issued_on is None
    assert archive.papers_of(completed) == []
    response = assistant_client.post(url, {"issued_on": "2024-03-20", "confirm": "on"})
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.certificate_issued_on == ISSUED


def test_a_certificate_is_issued_only_once(issued, assistant):
    with pytest.raises(ValidationError) as refused:
        trainee_services.do_issue_certificate(
            issued, ISSUED + datetime.timedelta(days=1), actor=assistant
        )
    assert "wydano 20.03.2024" in messages_of(refused.value)
    assert Trainee.objects.get(pk=issued.pk).certificate_issued_on == ISSUED


def test_no_certificate_is_issued_to_a_trainee_short_of_completion(trainees, assistant):
    with pytest.raises(ValidationError) as refused:
        trainee_services.do_issue_certificate(trainees[1], ISSUED, actor=assistant)
    assert "Zaświadczenie nie zostanie wydane" in messages_of(refused.value)
    assert Trainee.objects.get(pk=trainees[1].pk).certificate_issued_on is None
