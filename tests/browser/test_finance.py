"""The finance officer, in the browser: records an invoice of the equipment supplier against
the equipment contract, puts it into a new interim claim with the indicators frozen at the end of
2013, files the claim, and downloads its PDF and XLSX, which hold the invoice and the
co-financing split (85% EU, 15% state budget). axe-core checks every page on the way."""

import re
from io import BytesIO

import pytest
from django.apps import apps
from openpyxl import load_workbook
from pypdf import PdfReader

from finance.models import ClaimFiling, Expenditure, PaymentClaim

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def pdf_text(path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def submit(page):
    page.get_by_role("button", name="Zapisz", exact=True).click()
    page.wait_for_load_state()


def test_the_finance_officer_files_a_claim_with_a_new_invoice(page):
    log_in(page, "finanse")
    page.get_by_role("link", name="Finanse", exact=True).first.click()
    page.wait_for_load_state()
    assert "Kwoty tego budżetu są zmyślone" in page.content()
    assert_accessible(page)

    # The invoice, against the equipment contract.
    page.get_by_role("link", name="Wydatki", exact=True).click()
    page.get_by_role("link", name="Zarejestruj wydatek").click()
    page.wait_for_load_state()
    page.get_by_label("Numer dokumentu").fill("FV/2013/08/0099")
    page.get_by_label("Wystawca").select_option(label="MAXTO Sp. z o.o. S.K.A.")
    page.get_by_label("Data wystawienia").fill("2013-08-05")
    page.get_by_label("Data zapłaty").fill("2013-08-12")
    page.get_by_label(re.compile(r"Netto \(zł\)")).fill("10000.00")
    page.get_by_label(re.compile(r"VAT \(zł\)")).fill("2300.00")
    page.get_by_label(re.compile(r"Brutto \(zł\)")).fill("12300.00")
    page.get_by_label("Część kwalifikowalna (zł)").fill("12300.00")
    page.get_by_label("Pozycja budżetu (zadanie i kategoria)").select_option(
        label="Zakup komputerów z instalacją i podłączeniem do sieci – Sprzęt i oprogramowanie"
    )
    page.get_by_label("Umowa, której dotyczy płatność").select_option(
        label="RZP.272.14.2012 – MAXTO Sp. z o.o. S.K.A."
    )
    page.get_by_label("Opis").fill("Dostawa zestawów zastępczych")
    assert_accessible(page)
    submit(page)
    assert "Wydatek został zapisany." in page.content()
    invoice = Expenditure.objects.get(number="FV/2013/08/0099")
    assert invoice.contract.number == "RZP.272.14.2012"

    # The claim, with the invoice and the indicators frozen on 31.12.2013.
    snapshot = apps.get_model("monitoring", "IndicatorSnapshot").objects.get(as_of="2013-12-31")
    page.get_by_role("link", name="Wnioski o płatność", exact=True).click()
    page.get_by_role("link", name="Nowy wniosek o płatność").click()
    page.wait_for_load_state()
    page.get_by_label("Rodzaj wniosku").select_option("interim")
    page.get_by_label("Okres od").fill("2013-07-01")
    page.get_by_label("Okres do").fill("2013-09-30")
    page.get_by_label("Wskaźniki (zamrożone zestawienie)").select_option(str(snapshot.pk))
    page.get_by_label("FV/2013/08/0099", exact=False).check()
    page.get_by_label("Postęp: Zakup komputerów z instalacją i podłączeniem do sieci").fill(
        "Wymieniono zestawy uszkodzone."
    )
    assert_accessible(page)
    submit(page)
    assert "Wniosek został zapisany." in page.content()
    claim = PaymentClaim.objects.get(expenditures=invoice)
    assert claim.indicator_snapshot == snapshot
    assert_accessible(page)

    # Filed, and archived as filed.
    page.get_by_role("link", name="Złóż wniosek").click()
    page.wait_for_load_state()
    page.get_by_label("Data złożenia").fill("2013-10-10")
    page.get_by_label("Potwierdzam").check()
    submit(page)
    assert page.locator("#claim-status").inner_text() == "złożony"
    assert ClaimFiling.objects.filter(claim=claim).count() == 1
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz PDF").click()
    text = pdf_text(download.value.path())
    assert "FV/2013/08/0099" in text
    assert "MAXTO Sp. z o.o. S.K.A." in text
    assert "12300,00" in text and "10455,00" in text and "1845,00" in text
    assert snapshot.reference in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz XLSX").click()
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    documents = list(workbook["Dokumenty"].iter_rows(values_only=True))
    assert documents[1][1] == "FV/2013/08/0099"
    assert documents[1][3] == "MAXTO Sp. z o.o. S.K.A."
    assert float(documents[1][8]) == 12300.0
    total = list(workbook["Podsumowanie"].iter_rows(values_only=True))[-1]
    assert [float(value) for value in total[2:]] == [12300.0, 10455.0, 1845.0]
