"""A group's or module's sign-in sheets in one PDF: the sheet of a session whose signed scan is
attached is that scan (a PDF copied page for page, an image on a page as it is), never the
blank form rendered again with today's names; the others are blank forms to sign."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from lebork_einclusion import pdf as core_pdf
from lebork_einclusion.pdf import html_to_pdf
from recruitment.models import HouseholdMember
from training import papers
from training.models import TrainingSession
from training.services import attendance as attendance_services

from .conftest import mark_all


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def rendered(monkeypatch):
    """The sessions whose blank sheet was rendered."""
    seen = []
    real = core_pdf.render_to_string

    def spy(template_name, context=None, *args, **kwargs):
        seen.extend(sheet["session"].pk for sheet in (context or {}).get("sheets", []))
        return real(template_name, context, *args, **kwargs)

    monkeypatch.setattr(core_pdf, "render_to_string", spy)
    return seen


@pytest.fixture
def signed(trainees, sessions, assistant):
    """The first session's sheet scanned to PDF, the second's to PNG; the third is open."""
    scan = html_to_pdf("<p>Podpisana lista obecności, skan z podpisami.</p>")
    for session, content, name in ((sessions[0], scan, "skan.pdf"), (sessions[1], png(), "s.png")):
        mark_all(session, trainees, assistant)
        attendance_services.do_attach_sheet(
            session, ContentFile(content, name=name), actor=assistant
        )
    return scan


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def test_a_groups_sheets_copy_the_signed_scans_and_print_blank_forms_for_the_others(
    group, trainees, sessions, signed, assistant_client, rendered
):
    HouseholdMember.objects.filter(pk=trainees[0].member_id).update(last_name="Zmieniony")

    response = assistant_client.get(reverse("training:group_sheets_pdf", args=[group.pk]))

    pages = PdfReader(BytesIO(response.content)).pages
    assert len(pages) == 3
    scan_page = PdfReader(BytesIO(signed)).pages[0]
    assert page_text(pages[0]) == page_text(scan_page)
    assert pages[0].get_contents().get_data() == scan_page.get_contents().get_data()
    assert "Podpisana lista obecności: Grupa A, 12.03.2024 10:00" in page_text(pages[1])
    assert len(pages[1].images) == 1 and "Zmieniony" not in page_text(pages[1])
    assert "Zmieniony" in page_text(pages[2]) and "19.03.2024" in page_text(pages[2])
    assert rendered == [sessions[2].pk]  # the signed sheets were not rendered again


def test_a_signed_scan_pypdf_cannot_read_goes_in_as_a_page_naming_it(
    group, trainees, sessions, assistant
):
    mark_all(sessions[0], trainees, assistant)
    damaged = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attendance_services.do_attach_sheet(
        sessions[0], ContentFile(damaged, name="skan.pdf"), actor=assistant
    )
    content = papers.sheets_batch_pdf(TrainingSession.objects.filter(group=group))
    pages = PdfReader(BytesIO(content)).pages
    assert len(pages) == 3
    assert "nie można tu pokazać" in page_text(pages[0])
    assert trainees[0].full_name not in page_text(pages[0])


def test_the_sheet_of_a_signed_session_opens_as_its_scan(sessions, signed, assistant_client):
    url = reverse("training:session_sheet_pdf", args=[sessions[0].pk])
    response = assistant_client.get(url)
    assert response["Location"] == reverse("training:session_scan", args=[sessions[0].pk])
    scan = assistant_client.get(response["Location"])
    assert b"".join(scan.streaming_content) == signed
    detail = assistant_client.get(reverse("training:session_detail", args=[sessions[0].pk]))
    assert url not in detail.content.decode()
