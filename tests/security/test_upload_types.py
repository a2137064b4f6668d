"""Issue 12, item 2: an upload keeps no extension the uploader chose and is served only as the
type its content shows, from every view that serves a stored file (attachment + nosniff)."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.uploads import PrivatePath, validate_upload
from procurement.models import Contract, ContractAttachment
from recruitment.models import Application
from tests.url_samples import SAMPLES

PDF = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

# Every view serving a stored file: URL name -> (model, file field, the URL's pk is the row's).
DOWNLOAD_VIEWS = {
    "recruitment:document_scan": ("recruitment.ApplicationDocument", "scan"),
    "training:session_scan": ("training.TrainingSession", "sheet_scan"),
    "procurement:procedure_document": ("procurement.Procedure", "terms_of_reference"),
    "procurement:contract_attachment": ("procurement.ContractAttachment", "file"),
    "monitoring:visit_photo": ("monitoring.VisitPhoto", "image"),
    "monitoring:visit_signature": ("monitoring.MonitoringVisit", "signature"),
    "core:generated_file_download": ("core.GeneratedFile", "file"),
}


def _stored_before_the_fix(view: str, name: str, content: bytes):
    """The view's sample row made to point at a file stored under a name of the uploader's
    choosing (as uploads were stored before the fix); returns the download URL."""
    kwargs = SAMPLES[view]()
    model_label, field = DOWNLOAD_VIEWS[view]
    stored = default_storage.save(f"legacy/{name}", ContentFile(content))
    apps.get_model(model_label).objects.filter(pk=kwargs["pk"]).update(**{field: stored})
    return reverse(view, kwargs=kwargs)


def _assert_served_as(response, content_type: str, extension: str):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.rstrip('"').endswith(extension), disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("view", sorted(DOWNLOAD_VIEWS))
@pytest.mark.parametrize("name", ["skan.hta", "aneks.svg", "strona.html"])
def test_every_download_view_serves_the_type_of_the_content_not_of_the_name(
    coordinator_client, view, name
):
    url = _stored_before_the_fix(view, name, PDF)
    _assert_served_as(coordinator_client.get(url), "application/pdf", ".pdf")


@pytest.mark.parametrize("view", sorted(DOWNLOAD_VIEWS))
def test_a_stored_file_of_no_accepted_type_is_served_as_opaque_bytes(coordinator_client, view):
    url = _stored_before_the_fix(view, "aneks.svg", SVG)
    _assert_served_as(coordinator_client.get(url), "application/octet-stream", ".bin")


def test_a_scan_named_hta_is_stored_and_served_as_the_pdf_it_is(client_as):
    from tests.recruitment.test_application_entry import ADULT, form_data, new_url

    office = client_as(roles.ASSISTANT)
    data = form_data()
    data["scan_recommendation"] = SimpleUploadedFile("skan.hta", PDF, "application/hta")
    response = office.post(new_url(_call()), data)
    assert response.status_code == 302
    document = Application.objects.get(members__pesel=ADULT).documents.get(
        doc_type="recommendation"
    )
    assert document.scan.name.endswith(".pdf")
    download = office.get(reverse("recruitment:document_scan", args=[document.pk]))
    _assert_served_as(download, "application/pdf", ".pdf")


def _call():
    from recruitment.models import Call

    return Call.objects.get(code="2012")


def test_a_contract_attachment_named_svg_is_stored_and_served_as_the_png_it_is(client_as):
    finance = client_as(roles.FINANCE)
    contract = Contract.objects.order_by("pk").first()
    response = finance.post(
        reverse("procurement:contract_attachment_new", args=[contract.pk]),
        {"title": "Aneks", "file": SimpleUploadedFile("aneks.svg", PNG, "image/svg+xml")},
    )
    assert response.status_code == 302
    attachment = ContractAttachment.objects.filter(contract=contract).latest("pk")
    assert attachment.file.name.endswith(".png")
    download = finance.get(reverse("procurement:contract_attachment", args=[attachment.pk]))
    _assert_served_as(download, "image/png", ".png")


@pytest.mark.parametrize("name", ["skan.html", "skan.svg", "skan.hta", "skan"])
def test_a_validated_upload_takes_the_extension_of_its_content(name):
    upload = SimpleUploadedFile(name, PDF)
    assert validate_upload(upload) == "pdf"
    assert PrivatePath("scans")(None, upload.name).endswith(".pdf")


@pytest.mark.parametrize("name", ["aneks.svg", "strona.html", "skan.hta", "x.PDF.exe"])
def test_a_stored_name_never_keeps_an_extension_outside_the_accepted_types(name):
    assert PrivatePath("scans")(None, name).endswith(".bin")
