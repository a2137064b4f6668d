"""Main flow of lending: the coordinator opens a household, prints its loan agreement (with the
declaration and the handover protocol), records its resignation and sees the first applicant of
the reserve list promoted in its place; axe-core checks every page on the way."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from lending.models import Participant, ParticipationEnd
from recruitment.models import Call
from recruitment.queries import latest_version

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_the_coordinator_prints_the_agreement_and_records_a_resignation(page, demo_server):
    participant = (
        Participant.objects.active()
        .filter(agreements__status="active")
        .select_related("application", "signatory")
        .order_by("application__sequence")
        .first()
    )
    agreement = participant.agreements.get(status="active")
    serial = agreement.items.get(asset__kind="computer_set").asset.serial_number
    call = Call.objects.get(code="2012")
    first_reserve = (
        latest_version(call).entries.filter(status="reserve").order_by("rank").first().application
    )
    versions_before = latest_version(call).number

    log_in(page, "koordynator")
    page.get_by_role("link", name="Użyczenia", exact=True).click()
    page.get_by_label("Numer lub nazwisko").fill(participant.application.number)
    page.get_by_role("button", name="Pokaż").click()
    assert_accessible(page)
    page.get_by_role("link", name=participant.application.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Uczestnik {participant.application.number}"
    )
    assert serial in page.content()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Umowa użyczenia z deklaracją i protokołem (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).split())
    signatory = participant.signatory
    assert f"{signatory.first_name} {signatory.last_name}" in text
    assert serial in text
    assert agreement.ends_on.strftime("%d.%m.%Y") in text
    assert "DEKLARACJA WEKSLOWA" in text and "PROTOKÓŁ ZDAWCZO-ODBIORCZY" in text

    page.get_by_role("link", name="Zakończ udział").click()
    assert first_reserve.number in page.content()  # the form says who takes the place
    assert_accessible(page)
    page.get_by_label("rezygnacja (§7 ust. 1-2)").check()
    today = timezone.localdate().isoformat()
    page.get_by_label("Data pisemnego oświadczenia").fill(today)
    page.get_by_label("Powód lub ustalenia").fill("Wyjazd z Lęborka, pismo z dzisiejszą datą.")
    page.get_by_label("Potwierdzam: udział się kończy", exact=False).check()
    page.get_by_role("button", name="Zakończ udział").click()
    page.wait_for_load_state()

    assert page.get_by_role("status").first.inner_text() == (
        "Udział został zakończony. Dalsze kroki podano poniżej."
    )
    promoted_note = page.locator("#promoted").inner_text()
    assert f"wniosek {first_reserve.number}" in promoted_note
    assert_accessible(page)
    end = ParticipationEnd.objects.get(participant=participant)
    assert end.promoted.application == first_reserve
    # The promotion makes the call's next list version (the demo has its own up to 2014).
    assert (end.ranking_version.number, end.ranking_version.kind) == (
        versions_before + 1,
        "promotion",
    )

    # The next steps lead to the promoted household, which waits for its agreement.
    page.get_by_role("link", name="Otwórz przeniesione gospodarstwo").click()
    assert re.search("Przygotuj umowę użyczenia", page.content())
    assert_accessible(page)
    page.get_by_role("link", name="Przygotuj umowę użyczenia").click()
    assert_accessible(page)


def test_the_lending_registers_are_accessible(page, demo_server):
    log_in(page, "koordynator")
    for path in (
        "/lending/agreements/",
        "/lending/notes/",
        "/lending/equipment/",
        "/lending/connections/",
        "/lending/due/",
        "/lending/exclusions/",
        "/lending/equipment/import/",
    ):
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)
