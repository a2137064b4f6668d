"""Papers archived as signed (lebork_einclusion.archive): the agreement's papers are stored
once when they become binding and served byte for byte ever after; drafts render live and say
„PROJEKT”; the scan of the signed paper is attached beside the stored PDF."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import archive, roles
from lebork_einclusion.models import ArchivedPaper
from lending import papers
from lending.services import agreements
from recruitment.models import Application
from tests.helpers import snapshot

from .conftest import DAY
from .test_papers import pdf_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def signed(bare_participant, stock, coordinator, django_capture_on_commit_callbacks):
    agreement = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        agreements.do_sign_agreement(
            agreement,
            DAY,
            actor=coordinator,
            issuer_document_type="id_card",
            issuer_document_number="ABC123456",
        )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def office(client, make_user):
    client.force_login(make_user(roles.ASSISTANT))
    return client


def test_the_signature_archives_the_agreement_and_the_declaration_once(signed):
    stored = {paper.kind: paper for paper in archive.papers_of(signed)}
    assert set(stored) == {papers.AGREEMENT, papers.DECLARATION}
    for paper in stored.values():
        content = archive.stored_bytes(paper)
        assert hashlib.sha256(content).hexdigest() == paper.sha256
        assert paper.archived_by is not None
    assert "UMOWA UŻYCZENIA" in pdf_text(archive.stored_bytes(stored[papers.AGREEMENT]))
    assert "PROJEKT" not in pdf_text(archive.stored_bytes(stored[papers.AGREEMENT]))


def test_the_address_changed_after_signing_gives_the_same_bytes(signed, office):
    url = reverse("lending:agreement_pdf", args=[signed.pk])
    before = office.get(url)
    Application.objects.filter(pk=signed.participant.application_id).update(
        street="ul. Zupełnie Nowa"
    )
    after = office.get(url)
    assert after.content == before.content
    stored = archive.find(signed, papers.AGREEMENT)
    assert hashlib.sha256(after.content).hexdigest() == stored.sha256
    assert after["X-Content-SHA256"] == stored.sha256
    # A fresh rendering would print the new address: the archive is what kept the old one.
    assert "ul. Zupełnie Nowa" in pdf_text(papers.agreement_pdf(signed))
    assert "ul. Zupełnie Nowa" not in pdf_text(after.content)


def test_regenerating_an_archived_paper_serves_the_stored_file(signed, office, coordinator):
    stored = archive.find(signed, papers.DECLARATION)
    before = snapshot((ArchivedPaper, "pk", "kind", "sha256", "file", "archived_at"))
    again = archive.store(
        signed, papers.DECLARATION, lambda draft: b"%PDF-1.7 another", actor=coordinator
    )
    assert again.pk == stored.pk
    assert snapshot((ArchivedPaper, "pk", "kind", "sha256", "file", "archived_at")) == before
    response = office.get(reverse("lending:declaration_pdf", args=[signed.pk]))
    assert response.content == archive.stored_bytes(stored)


def test_a_draft_renders_live_with_projekt_across_the_page(
    bare_participant, stock, coordinator, office
):
    draft = agreements.do_create_agreement(bare_participant, stock, DAY, actor=coordinator)
    response = office.get(reverse("lending:agreement_pdf", args=[draft.pk]))
    text = pdf_text(response.content)
    assert "PROJEKT" in text and "UMOWA UŻYCZENIA" in text
    assert archive.papers_of(draft) == []


def test_a_binding_paper_signed_before_the_archive_is_stored_on_its_first_opening(
    agreement, office
):
    assert archive.find(agreement, papers.HANDOVER) is None  # the demo stores nothing
    first = office.get(reverse("lending:handover_pdf", args=[agreement.pk]))
    stored = archive.find(agreement, papers.HANDOVER)
    assert stored is not None and "PROJEKT" not in pdf_text(first.content)
    second = office.get(reverse("lending:handover_pdf", args=[agreement.pk]))
    assert second.content == first.content


def test_the_handover_and_the_return_are_archived_at_their_steps(
    signed, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreements.do_hand_over(signed, DAY, actor=coordinator)
    assert archive.find(signed, papers.HANDOVER) is not None
    with django_capture_on_commit_callbacks(execute=True):
        agreements.do_end_agreement(signed, DAY, "Koniec (test).", actor=coordinator)
        items = list(agreements.open_items(signed).select_related("asset"))
        agreements.do_record_return(signed, [(items[0].asset, "worn", "")], DAY, actor=coordinator)
    # One set still out: the return protocol is not binding yet.
    assert archive.find(signed, papers.RETURN) is None
    with django_capture_on_commit_callbacks(execute=True):
        agreements.do_record_return(
            signed, [(item.asset, "worn", "") for item in items[1:]], DAY, actor=coordinator
        )
    assert archive.find(signed, papers.RETURN) is not None


def test_the_scan_of_the_signed_paper_is_attached_beside_it(signed, office):
    paper = archive.find(signed, papers.AGREEMENT)
    page = reverse("core:archived_paper", args=[paper.pk])
    response = office.post(page, {"scan": SimpleUploadedFile("skan.png", PNG)})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.scan.name.endswith(".png") and paper.scan_uploaded_at is not None
    download = office.get(reverse("core:archived_paper_scan", args=[paper.pk]))
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    # The stored PDF is untouched by the scan.
    assert hashlib.sha256(archive.stored_bytes(paper)).hexdigest() == paper.sha256


def test_a_scan_of_the_wrong_type_is_refused_and_nothing_changes(signed, office):
    paper = archive.find(signed, papers.AGREEMENT)
    before = snapshot(ArchivedPaper)
    response = office.post(
        reverse("core:archived_paper", args=[paper.pk]),
        {"scan": SimpleUploadedFile("skan.pdf", b"<html><script>alert(1)</script></html>")},
    )
    assert response.status_code == 200
    assert "Niedozwolony typ pliku. Dozwolone: PDF, JPEG, PNG." in response.content.decode()
    assert snapshot(ArchivedPaper) == before


def test_the_agreement_page_lists_its_archived_papers(signed, office):
    page = office.get(reverse("lending:agreement_detail", args=[signed.pk])).content.decode()
    assert "Zarchiwizowane jako podpisane" in page
    assert archive.find(signed, papers.AGREEMENT).sha256[:12] in page


def test_the_archive_is_in_the_record_of_processing(db):
    from lebork_einclusion.gdpr import source_for

    source = source_for("core.ArchivedPaper")
    assert source is not None and source.managed_by_retention


def test_the_call_batch_copies_a_signed_agreement_instead_of_rendering_it(signed, tmp_path):
    """The call's agreements in one PDF print what was signed: the archived file is copied into
    the batch, so an address changed after signing does not appear in it."""
    call_id = signed.participant.application.call_id
    only_this = papers.call_agreements(call_id, [signed.status]).filter(pk=signed.pk)
    Application.objects.filter(pk=signed.participant.application_id).update(
        street="ul. Zupełnie Nowa"
    )
    stored = archive.find(signed, papers.AGREEMENT)
    joined = papers.call_agreements_file(only_this, tmp_path)
    text = pdf_text(joined.read_bytes())
    assert "Zupełnie Nowa" not in text
    assert text == pdf_text(archive.stored_bytes(stored))
