"""The PDF pipeline: Polish text survives, user data is escaped, nothing outside static is fetched."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion.models import Project
from lebork_einclusion.pdf import StaticOnlyFetcher, html_to_pdf, render_pdf

HOSTILE_NAME = (
    'Zażółć gęślą jaźń <img src="http://evil.example/x.png"> <img src="file:///etc/passwd">'
)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with whitespace (line breaks included) collapsed to single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def hostile_project(db):
    project = Project.current()
    project.name = HOSTILE_NAME
    project.save()
    return project


def test_it_renders_user_data_escaped_and_fetches_only_static_files(hostile_project):
    fetcher = StaticOnlyFetcher()
    pdf = render_pdf("core/pdf/project.html", {"project": hostile_project, "units": []}, fetcher)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert "Zażółć gęślą jaźń" in text
    # The tags are printed as text, not interpreted as images.
    assert '<img src="file:///etc/passwd">' in text
    assert fetcher.refused == []
    assert "css/print.css" in fetcher.served
    assert "fonts/DejaVuSans.ttf" in fetcher.served
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+Print-Sans") for name in fonts), fonts  # the bundled DejaVu Sans


def test_it_prints_the_header_and_page_numbers_in_polish(hostile_project):
    text = pdf_text(render_pdf("core/pdf/project.html", {"project": hostile_project, "units": []}))
    assert "Europejskiego Funduszu Rozwoju Regionalnego" in text
    assert "Strona 1 z 1" in text


def test_the_fetcher_refuses_files_and_network_even_in_raw_html():
    fetcher = StaticOnlyFetcher()
    html = (
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="/static/../../etc/passwd"><p>ok</p>'
    )
    html_to_pdf(html, fetcher)
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    # The traversal resolves outside /static/ and is refused like any other URL.
    assert "https://print.einclusion.invalid/etc/passwd" in fetcher.refused
    assert fetcher.served == []


def test_the_project_sheet_downloads_as_pdf(coordinator_client):
    response = coordinator_client.get(reverse("core:project_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert "Przeciwdziałanie wykluczeniu cyfrowemu" in text
    assert "Szkoła Podstawowa nr 3 w Lęborku" in text
