"""The committee's papers archived at the moment a version of the lists is decided: the
approval's protocol and letters, a promotion's decision and letters are stored once by the
service that decides (on commit, with their SHA-256 and the moment) and served byte for byte
after, whatever the records say later."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from lebork_einclusion import archive, roles
from lebork_einclusion.models import ArchivedPaper
from recruitment import domain, papers
from recruitment.models import (
    Application,
    Call,
    CommitteeMeeting,
    Evaluation,
    HouseholdMember,
    RankingVersion,
)
from recruitment.queries import latest_version
from recruitment.services import evaluation, lists

from .test_lists import pdf_text

DAY = datetime.date(2012, 9, 21)


@pytest.fixture
def office(client_as):
    return client_as(roles.COORDINATOR)


@pytest.fixture
def unapproved(make_user):
    """A small call of one application, assessed, its meeting held, the lists not approved."""
    member = make_user(roles.COMMITTEE, first_name="Zofia", last_name="Przewodnicząca")
    call = Call.objects.create(
        code="ARCH",
        title="Nabór do archiwum",
        opens_on=DAY - datetime.timedelta(days=40),
        deadline=DAY - datetime.timedelta(days=10),
        places=1,
        reserve_places=1,
        average_salary=Decimal("3399.52"),
    )
    application = Application.objects.create(
        call=call,
        number="ARCH/1",
        sequence=1,
        channel=domain.IN_PERSON,
        received_on=DAY - datetime.timedelta(days=20),
        street="ul. Stara",
        building="1",
        postal_code="84-300",
        monthly_net_income=Decimal(1000),
    )
    HouseholdMember.objects.create(
        application=application,
        first_name="Adam",
        last_name="Archiwalny",
        pesel="80010112345",
        role=domain.APPLICANT,
    )
    meeting = CommitteeMeeting.objects.create(call=call, held_on=DAY)
    meeting.members.add(member)
    evaluation.recompute(call)
    return application


@pytest.fixture
def approved(unapproved, make_user, django_capture_on_commit_callbacks):
    """The small call approved by its meeting (the papers archived by the task at once)."""
    call = unapproved.call
    with django_capture_on_commit_callbacks(execute=True):
        version = lists.do_approve_lists(
            call, call.meetings.get(), DAY, actor=make_user(roles.COORDINATOR)
        )
    return version


def test_the_approval_archives_its_protocol_and_letters_at_once(approved):
    for kind in (papers.PROTOCOL, papers.LETTERS):
        stored = archive.find(approved, kind)
        assert stored is not None, kind
        content = archive.stored_bytes(stored)
        assert hashlib.sha256(content).hexdigest() == stored.sha256
        assert stored.archived_at is not None and stored.archived_by is not None
        assert "PROJEKT" not in pdf_text(content)
    assert "Zofia Przewodnicząca" in pdf_text(
        archive.stored_bytes(archive.find(approved, papers.PROTOCOL))
    )


def test_names_changed_after_the_approval_give_the_same_bytes(approved, office):
    stored = {kind: archive.find(approved, kind) for kind in (papers.PROTOCOL, papers.LETTERS)}
    meeting = approved.meeting
    meeting.members.update(last_name="Zmieniona")
    HouseholdMember.objects.filter(application__call=approved.call).update(last_name="Nowak")
    Application.objects.filter(call=approved.call).update(street="ul. Nowa")
    for url_name, kind in (
        ("recruitment:protocol_pdf", papers.PROTOCOL),
        ("recruitment:letters_pdf", papers.LETTERS),
    ):
        response = office.get(reverse(url_name, args=[approved.call_id, approved.number]))
        assert hashlib.sha256(response.content).hexdigest() == stored[kind].sha256
        assert response["X-Content-SHA256"] == stored[kind].sha256
    # A fresh rendering would print the new name: the archive is what kept the decided one.
    assert "Zofia Zmieniona" in pdf_text(papers.protocol_pdf(approved))
    served = pdf_text(
        office.get(
            reverse("recruitment:protocol_pdf", args=[approved.call_id, approved.number])
        ).content
    )
    assert "Zofia Przewodnicząca" in served and "Zmieniona" not in served


def test_a_promotion_archives_the_coordinators_decision_and_letters(
    make_user, office, django_capture_on_commit_callbacks
):
    call = Call.objects.get(code="2012")
    leaving = latest_version(call).entries.filter(status="main").order_by("rank")[0].application
    with django_capture_on_commit_callbacks(execute=True):
        promotion = lists.do_promote_from_reserve(
            leaving, "Rezygnacja złożona na piśmie.", actor=make_user(roles.COORDINATOR)
        )
    version = promotion.version
    stored = archive.find(version, papers.PROTOCOL)
    assert stored is not None and archive.find(version, papers.LETTERS) is not None
    assert "Decyzja koordynatora projektu" in pdf_text(archive.stored_bytes(stored))
    # The coordinator's name corrected after the decision: the decision stays as made.
    get_user_model().objects.filter(pk=version.created_by_id).update(last_name="Poprawiona")
    version = RankingVersion.objects.get(pk=version.pk)
    assert "Poprawiona" in pdf_text(papers.protocol_pdf(version))
    response = office.get(reverse("recruitment:protocol_pdf", args=[call.pk, version.number]))
    assert response.content == archive.stored_bytes(stored)
    assert "Poprawiona" not in pdf_text(response.content)


def test_a_refused_promotion_archives_nothing(make_user, django_capture_on_commit_callbacks):
    call = Call.objects.get(code="2012")
    before = latest_version(call)
    leaving = before.entries.filter(status="main").order_by("rank")[0].application
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        lists.do_promote_from_reserve(leaving, "  ", actor=make_user(roles.COORDINATOR))
    assert latest_version(call) == before
    assert archive.papers_of(before) == []  # the demo's version: left to the first opening


def test_the_applicants_letter_is_served_as_stored_after_the_approval(approved, office):
    application = Application.objects.get(call=approved.call)
    url = reverse("recruitment:letter_pdf", args=[application.pk])
    first = office.get(url)
    entry = approved.entries.get(application=application)
    stored = archive.find(entry, papers.LETTER)
    assert stored is not None and first["X-Content-SHA256"] == stored.sha256
    assert hashlib.sha256(first.content).hexdigest() == stored.sha256
    text = pdf_text(first.content)
    assert "Adam Archiwalny" in text and "ul. Stara" in text and "PROJEKT" not in text
    HouseholdMember.objects.filter(application=application).update(last_name="Nowak")
    Application.objects.filter(pk=application.pk).update(street="ul. Nowa")
    again = office.get(url)
    assert again.content == first.content
    assert hashlib.sha256(again.content).hexdigest() == stored.sha256
    assert archive.papers_of(entry) == [stored]
    # A fresh rendering would print the new address: the archive kept the letter as sent.
    application.refresh_from_db()
    assert "ul. Nowa" in pdf_text(papers.letters_pdf(approved, only=application))


def test_before_the_approval_the_letter_is_a_draft_stored_nowhere(unapproved, office):
    url = reverse("recruitment:letter_pdf", args=[unapproved.pk])
    response = office.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "X-Content-SHA256" not in response
    text = pdf_text(response.content)
    assert "PROJEKT" in text and "Adam Archiwalny" in text and "ARCH/1" in text
    assert not ArchivedPaper.objects.filter(kind=papers.LETTER).exists()
    # The draft follows today's data (nothing was sent yet).
    Application.objects.filter(pk=unapproved.pk).update(street="ul. Nowa")
    assert "ul. Nowa" in pdf_text(office.get(url).content)


def test_a_letter_of_an_application_not_yet_assessed_is_refused(unapproved, office):
    Evaluation.objects.filter(application=unapproved).delete()
    response = office.get(reverse("recruitment:letter_pdf", args=[unapproved.pk]), follow=True)
    assert response.redirect_chain == [
        (reverse("recruitment:application_detail", args=[unapproved.pk]), 302)
    ]
    assert "Wniosek nie został jeszcze oceniony: brak pisma." in response.content.decode()
    assert not ArchivedPaper.objects.filter(kind=papers.LETTER).exists()


@pytest.fixture
def queued(settings):
    """Tasks queued, not run (as with the database worker): the test runs them when it says."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()

    def run_all():
        results, count = list(default_task_backend.results), 0
        default_task_backend.clear()
        for result in results:
            result.task.call(*result.args, **result.kwargs)
            count += 1
        return count

    return run_all


@pytest.fixture
def pdf_renders(monkeypatch):
    """How many PDFs were rendered (every paper goes through pdf.html_to_pdf)."""
    from lebork_einclusion import pdf

    calls = []
    real = pdf.html_to_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def test_a_promotion_from_lending_renders_no_pdf_and_the_task_archives_it(
    client, make_user, queued, pdf_renders, django_capture_on_commit_callbacks
):
    from lending.models import Participant

    participant = (
        Participant.objects.active()
        .filter(agreements__status="active")
        .order_by("application__sequence")
        .first()
    )
    call = participant.application.call
    before = latest_version(call)
    client.force_login(make_user(roles.COORDINATOR))
    end_day = datetime.date(2014, 6, 2)  # after the demo's latest version, agreements in force
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lending:participant_end", args=[participant.pk]),
            {
                "confirm": "on",
                "kind": "resignation",
                "decided_on": end_day.isoformat(),
                "statement_on": end_day.isoformat(),
                "reason": "Przeprowadzka do innej gminy.",
            },
        )
    assert response.status_code == 302
    version = latest_version(call)
    assert (version.number, version.kind) == (before.number + 1, "promotion")
    assert pdf_renders == []  # the request rendered no paper
    assert archive.papers_of(version) == []  # queued, not done yet

    assert queued() == 1
    for kind in (papers.PROTOCOL, papers.LETTERS):
        stored = archive.find(version, kind)
        assert stored is not None, kind
        assert hashlib.sha256(archive.stored_bytes(stored)).hexdigest() == stored.sha256
    rendered = len(pdf_renders)
    assert rendered == 2
    papers_before = [(p.pk, p.sha256) for p in archive.papers_of(version)]

    # Run again (a retried task): nothing rendered, nothing stored anew.
    from recruitment.tasks import archive_version_papers

    archive_version_papers.call(version.pk, None)
    assert len(pdf_renders) == rendered
    assert [(p.pk, p.sha256) for p in archive.papers_of(version)] == papers_before


def test_a_paper_opened_before_the_task_ran_is_stored_then_and_the_task_keeps_it(
    unapproved, make_user, office, queued, pdf_renders, django_capture_on_commit_callbacks
):
    call = unapproved.call
    with django_capture_on_commit_callbacks(execute=True):
        version = lists.do_approve_lists(
            call, call.meetings.get(), DAY, actor=make_user(roles.COORDINATOR)
        )
    assert pdf_renders == [] and archive.papers_of(version) == []
    # The worker has not run yet: the first opening stores the protocol (the fallback).
    response = office.get(reverse("recruitment:protocol_pdf", args=[call.pk, version.number]))
    protocol = archive.find(version, papers.PROTOCOL)
    assert response["X-Content-SHA256"] == protocol.sha256
    assert queued() == 1
    assert archive.find(version, papers.PROTOCOL) == protocol  # kept, not replaced
    assert archive.find(version, papers.LETTERS) is not None
    assert len(pdf_renders) == 2  # the protocol once on opening, the letters by the task


def test_an_approval_rolled_back_queues_nothing(
    unapproved, make_user, queued, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django_tasks import default_task_backend

    call = unapproved.call
    archived = ArchivedPaper.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lists.do_approve_lists(call, call.meetings.get(), DAY, actor=make_user(roles.COORDINATOR))
        raise RuntimeError("the request failed after the approval")
    assert callbacks == [] and default_task_backend.results == []
    assert not call.versions.exists() and ArchivedPaper.objects.count() == archived
