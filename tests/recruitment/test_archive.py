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
from recruitment import domain, papers
from recruitment.models import (
    Application,
    Call,
    CommitteeMeeting,
    HouseholdMember,
    RankingVersion,
)
from recruitment.queries import latest_version
from recruitment.services import lists

from .test_lists import pdf_text

DAY = datetime.date(2012, 9, 21)


@pytest.fixture
def office(client_as):
    return client_as(roles.COORDINATOR)


@pytest.fixture
def approved(make_user, django_capture_on_commit_callbacks):
    """A small call of one application, approved by a meeting of one member."""
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
    with django_capture_on_commit_callbacks(execute=True):
        version = lists.do_approve_lists(call, meeting, DAY, actor=make_user(roles.COORDINATOR))
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
