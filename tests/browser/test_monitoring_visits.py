"""A monitoring visit on a phone with a weak signal: the officer opens a visit due today, checks
the equipment by serial, adds a photo and a finding, reloads (the draft comes back), loses the
connection, finishes the form and sends it (it waits on the phone), regains the connection (it
is sent by itself); the visit, its photo without EXIF and its follow-up are stored exactly once,
and the protocol PDF holds the serial and the finding."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import ExifTags, Image
from playwright.sync_api import expect
from pypdf import PdfReader

from lending.models import Participant, ServiceRecord
from lending.services import lent_assets
from monitoring.models import FollowUp, MonitoringVisit, VisitPhoto
from monitoring.services.plans import do_add_planned_visit

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

FINDING = "Monitor migocze i gaśnie po kilku minutach; jednostka centralna działa."


def phone_photo() -> bytes:
    """A JPEG with the camera's EXIF: make, model and the GPS position of the home."""
    picture = Image.new("RGB", (640, 480), "#5577aa")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Pixel 7"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (54.0, 32.0, 24.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (17.0, 44.0, 58.2)
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def due_visit(demo_server):
    """An active household, with a visit the officer added for today."""
    officer = get_user_model().objects.get(username="monitoring")
    household = Participant.objects.filter(status="active").order_by("pk").first()
    planned = do_add_planned_visit(
        household, due_on=timezone.localdate(), officer=officer, actor=officer, note="Kontrola"
    )
    return planned


def test_the_officer_records_a_visit_offline_on_a_phone(phone_page, due_visit):
    page = phone_page
    household = due_visit.participant
    number = household.application.number
    serial = lent_assets(household)[0].serial_number

    log_in(page, "monitoring")
    # The officer's home page opens on their own work: today's visits first.
    today = page.locator('[data-todo="visits_today"]')
    assert int(today.locator("[data-count]").get_attribute("data-count")) >= 1
    today.get_by_role("link", name="Moje wizyty dziś").click()
    expect(page.get_by_text(number).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Zapisz wizytę {number}").click()
    page.wait_for_selector("#visit-form")
    assert_accessible(page)

    # The equipment, by serial number; a photo; a finding.
    page.get_by_label("Obecni podczas wizyty").fill("beneficjent i córka")
    asset = page.get_by_role("group", name=f"Numer seryjny {serial}")
    asset.get_by_label("uszkodzony", exact=True).check()
    asset.get_by_label("Dalsze działanie").select_option(label="zgłoszenie serwisowe (naprawa)")
    asset.get_by_label("Uwaga").fill("Monitor gaśnie po kilku minutach.")
    for other in lent_assets(household)[1:]:  # the provider's router, lent with the connection
        group = page.get_by_role("group", name=f"Numer seryjny {other.serial_number}")
        group.get_by_label("jest, sprawny").check()
    page.set_input_files(
        "#id_photos",
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}],
    )
    page.locator("#visit-photo-list li").first.wait_for()
    page.get_by_label("Ustalenia").fill(FINDING)
    page.wait_for_function(
        "document.getElementById('visit-draft-state').textContent.includes('Zapisano')"
    )

    # A reload (the phone killed the tab) loses nothing.
    page.reload()
    page.get_by_text("Przywrócono wizytę wpisaną wcześniej na tym telefonie").wait_for()
    assert page.get_by_label("Ustalenia").input_value() == FINDING
    assert asset.get_by_label("uszkodzony", exact=True).is_checked()
    page.locator("#visit-photo-list li").first.wait_for()
    assert page.locator("#visit-photo-list li").count() == 1

    # The signal goes; the officer finishes the form and sends it.
    page.context.set_offline(True)
    page.get_by_role("group", name="Internet działa").get_by_label("tak").check()
    for question in (
        "Sprzęt jest w gospodarstwie: niesprzedany, niezastawiony, nieobciążony (§ 6 ust. 4)",
        "Nie jest użyczony ani oddany nikomu spoza gospodarstwa (§ 6 ust. 4)",
        "Jest używany zgodnie z prawem (§ 6 ust. 2)",
    ):
        page.get_by_role("group", name=question).get_by_label("dotrzymane").check()
    action = page.get_by_role("group", name="Działanie 1")
    action.get_by_label("Co należy zrobić").fill("Potwierdzić naprawę monitora przez serwis")
    action.get_by_label("Odpowiedzialny").select_option(label="Ewa Wizytacyjna")
    action.get_by_label("Termin").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Zapisz wizytę").click()
    page.get_by_text("Brak połączenia. Wizyta jest zapisana na tym telefonie").wait_for()
    page.get_by_role("button", name="Zapisz wizytę").click()  # an impatient second tap
    assert not MonitoringVisit.objects.filter(participant=household, planned=due_visit).exists()

    # The signal is back: the visit is sent by itself, once.
    with page.expect_navigation(url="**/monitoring/visits/*/"):
        page.context.set_offline(False)
    page.get_by_text("Wizyta została zapisana.").wait_for()
    assert_accessible(page)

    visit = MonitoringVisit.objects.get(participant=household, planned=due_visit)
    assert visit.planned == due_visit and visit.findings == FINDING
    [check] = visit.checks.filter(serial_number=serial)
    assert (check.serial_number, check.state, check.action) == (serial, "damaged", "service")
    assert (
        ServiceRecord.objects.filter(
            asset=check.asset, started_on=timezone.localtime(visit.visited_at).date()
        ).count()
        == 1
    )
    [follow_up] = FollowUp.objects.filter(participant=household)
    assert follow_up.what == "Potwierdzić naprawę monitora przez serwis"
    [photo] = VisitPhoto.objects.filter(visit__participant=household)
    with photo.image.open("rb") as handle:
        raw = handle.read()
    stored = Image.open(io.BytesIO(raw))
    assert dict(stored.getexif()) == {} and b"Pixel 7" not in raw and b"Exif" not in raw
    drafts = page.evaluate(
        "Object.keys(window.localStorage).filter(k => k.startsWith('visit-draft'))"
    )
    assert drafts == []

    # The protocol holds the serial and the finding.
    with page.expect_download() as download:
        page.get_by_role("link", name="Protokół z wizyty (PDF)").click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert serial in text and FINDING in text
    assert "Protokół z wizyty monitorującej" in text
