"""The certificates of a group or a module in one PDF (the pool of PDF workers): a certificate
issued is copied from its archived PDF, never rendered again; one not issued yet prints live
as a draft marked "PROJEKT"."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import archive
from lebork_einclusion import pdf as core_pdf
from lebork_einclusion.models import GeneratedFile
from recruitment.models import HouseholdMember
from training import papers
from training.models import Attendance
from training.services import trainees as trainee_services

from .conftest import mark_all, pdf_text

ISSUED = datetime.date(2024, 3, 20)
ABSENT = (Attendance.Status.ABSENT, "")


@pytest.fixture
def marked(trainees, sessions, assistant):
    """trainees[0] and [1] completed the module; trainees[2] missed two sessions of three."""
    mark_all(sessions[0], trainees, assistant, marks={trainees[2]: ABSENT})
    mark_all(sessions[1], trainees, assistant, marks={trainees[2]: ABSENT})
    mark_all(sessions[2], trainees, assistant)
    return trainees


@pytest.fixture
def rendered(monkeypatch):
    """The trainees whose certificate the batch rendered (its HTML made from a context)."""
    seen = []
    real = core_pdf.render_to_string

    def spy(template_name, context=None, *args, **kwargs):
        for item in (context or {}).get("certificates", []):
            seen.append(item["trainee"].pk)
        return real(template_name, context, *args, **kwargs)

    monkeypatch.setattr(core_pdf, "render_to_string", spy)
    return seen


def issue(trainee, actor, capture):
    with capture(execute=True):
        trainee_services.do_issue_certificate(trainee, ISSUED, actor=actor)
    trainee.refresh_from_db()


def rename(trainee, last_name):
    HouseholdMember.objects.filter(pk=trainee.member_id).update(last_name=last_name)


def pages_of(content: bytes):
    return PdfReader(BytesIO(content)).pages


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def page_of(pages, name: str):
    (found,) = [page for page in pages if name in page_text(page)]
    return found


def test_a_groups_batch_copies_the_issued_certificate_and_prints_the_others_as_drafts(
    marked, assistant, assistant_client, rendered, django_capture_on_commit_callbacks
):
    issued, draft, short = marked
    issue(issued, assistant, django_capture_on_commit_callbacks)
    stored = archive.find(issued, papers.CERTIFICATE)
    archived_page = pages_of(archive.stored_bytes(stored))[0]
    old_name = issued.full_name
    # Both names corrected after the issue: the issued certificate keeps the old one, the
    # draft shows the new one.
    rename(issued, "Zmieniony")
    rename(draft, "Poprawiona")
    draft.refresh_from_db()
    rendered.clear()

    response = assistant_client.get(
        reverse("training:group_certificates_pdf", args=[issued.group_id])
    )

    assert response.status_code == 200
    pages = pages_of(response.content)
    assert len(pages) == 2
    assert short.full_name not in pdf_text(response.content)
    copied = page_of(pages, old_name)
    assert page_text(copied) == page_text(archived_page)
    assert copied.get_contents().get_data() == archived_page.get_contents().get_data()
    assert "PROJEKT" not in page_text(copied) and "Zmieniony" not in page_text(copied)
    live = page_of(pages, draft.full_name)
    assert "Poprawiona" in draft.full_name
    assert "PROJEKT" in page_text(live)
    assert rendered == [draft.pk]  # the issued certificate was not rendered again


def test_a_modules_batch_in_the_background_copies_the_issued_certificate(
    module, marked, assistant, assistant_client, rendered, django_capture_on_commit_callbacks
):
    issued, draft, _short = marked
    issue(issued, assistant, django_capture_on_commit_callbacks)
    archived_text = pdf_text(archive.stored_bytes(archive.find(issued, papers.CERTIFICATE)))
    old_name = issued.full_name
    rename(issued, "Zmieniony")
    rendered.clear()

    assistant_client.post(reverse("training:module_certificates", args=[module.pk]))

    generated = GeneratedFile.objects.get(created_by=assistant)
    assert generated.status == GeneratedFile.Status.DONE
    with generated.file.open("rb") as handle:
        pages = pages_of(handle.read())
    assert len(pages) == 2
    assert page_text(page_of(pages, old_name)) == archived_text
    assert "PROJEKT" in page_text(page_of(pages, draft.full_name))
    assert "Zmieniony" not in " ".join(page_text(page) for page in pages)
    assert rendered == [draft.pk]


def test_a_certificate_issued_while_archiving_was_suspended_is_archived_by_the_batch(
    marked, assistant, assistant_client, rendered, django_capture_on_commit_callbacks
):
    issued, draft, _short = marked
    with archive.suspended():
        issue(issued, assistant, django_capture_on_commit_callbacks)
    assert archive.find(issued, papers.CERTIFICATE) is None

    first = assistant_client.get(reverse("training:group_certificates_pdf", args=[issued.group_id]))

    stored = archive.find(issued, papers.CERTIFICATE)
    assert stored is not None and stored.archived_by == assistant
    page = page_of(pages_of(first.content), issued.full_name)
    assert "PROJEKT" not in page_text(page)
    assert page_text(page) == pdf_text(archive.stored_bytes(stored))
    # From now on the stored file is served, in the batch and on its own.
    old_name = issued.full_name
    rename(issued, "Zmieniony")
    rendered.clear()
    second = assistant_client.get(
        reverse("training:group_certificates_pdf", args=[issued.group_id])
    )
    assert page_text(page_of(pages_of(second.content), old_name)) == page_text(page)
    assert rendered == [draft.pk]
    single = assistant_client.get(reverse("training:trainee_certificate_pdf", args=[issued.pk]))
    assert single.content == archive.stored_bytes(stored)


def test_a_batch_with_nobody_to_certify_is_refused_with_a_message(
    trainees, sessions, assistant_client
):
    response = assistant_client.get(
        reverse("training:group_certificates_pdf", args=[trainees[0].group_id])
    )
    assert response.status_code == 302
    page = assistant_client.get(response["Location"]).content.decode()
    assert "Nikt w tej grupie nie ukończył jeszcze modułu." in page
    assert archive.papers_of(trainees[0]) == []
