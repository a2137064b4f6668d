"""Payment claims: drafted with an invoice and the indicators, filed (archived as filed), then
corrected, accepted and paid; the PDF and XLSX hold the invoice and the split."""

import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from finance import papers, queries
from finance.models import ClaimFiling, PaymentClaim
from finance.services import claims as claim_services
from finance.services import expenditures as expenditure_services
from tests.finance.conftest import day, invoice_data, pdf_text


@pytest.fixture
def invoice(officer, equipment_contract, equipment_line):
    return expenditure_services.do_save_expenditure(
        None, invoice_data(equipment_contract, equipment_line), actor=officer
    )


@pytest.fixture
def snapshot_2013(db):
    return apps.get_model("monitoring", "IndicatorSnapshot").objects.get(as_of=day("2013-12-31"))


@pytest.fixture
def draft(officer, invoice, snapshot_2013):
    return claim_services.do_save_claim(
        None,
        {
            "kind": "interim",
            "period_start": day("2013-07-01"),
            "period_end": day("2013-09-30"),
            "indicator_snapshot": snapshot_2013,
            "problems": "",
            "expenditures": [invoice],
            "progress": {"equipment": "Wymieniono zestawy uszkodzone."},
        },
        actor=officer,
    )


def test_a_draft_claim_takes_the_invoice_and_the_next_number(draft, invoice):
    invoice.refresh_from_db()
    assert invoice.claim == draft
    assert draft.number == 4
    assert draft.status == PaymentClaim.Status.DRAFT
    summary = queries.claim_summary(draft)
    assert summary["total"]["eligible"] == Decimal("12300.00")
    assert (summary["total"]["eu"], summary["total"]["state"]) == (
        Decimal("10455.00"),
        Decimal("1845.00"),
    )
    assert summary["requested"] == Decimal("12300.00")


def test_filing_archives_the_pdf_with_its_sha256_and_serves_it_as_stored(
    draft, officer, officer_client, monkeypatch, snapshot_2013
):
    claim_services.do_file_claim(draft, filed_on=day("2013-10-10"), actor=officer)
    draft.refresh_from_db()
    assert (draft.status, draft.filed_on) == (PaymentClaim.Status.FILED, day("2013-10-10"))
    filing = ClaimFiling.objects.get(claim=draft)
    stored = filing.pdf.read()
    assert filing.sha256 == hashlib.sha256(stored).hexdigest()

    # Served as filed: never rendered again.
    monkeypatch.setattr(papers, "claim_pdf", lambda claim: pytest.fail("rendered again"))
    response = officer_client.get(reverse("finance:claim_pdf", args=[draft.pk]))
    assert response.content == stored
    text = pdf_text(stored)
    assert "WNIOSEK O PŁATNOŚĆ NR 4 (pośredni)" in text
    assert "FV/2013/08/0099" in text
    assert "MAXTO Sp. z o.o. S.K.A." in text
    assert "12300,00" in text and "10455,00" in text and "1845,00" in text
    assert "Wymieniono zestawy uszkodzone." in text
    frozen = snapshot_2013.values.order_by("position").first()
    assert frozen.name in text  # the indicators, read through the link


def test_the_xlsx_holds_the_invoice_and_the_split(draft, officer_client):
    response = officer_client.get(reverse("finance:claim_xlsx", args=[draft.pk]))
    workbook = load_workbook(BytesIO(response.content))
    documents = list(workbook["Dokumenty"].iter_rows(values_only=True))
    assert documents[1][1] == "FV/2013/08/0099"
    assert documents[1][3] == "MAXTO Sp. z o.o. S.K.A."
    assert Decimal(str(documents[1][8])) == Decimal("12300.00")
    total = list(workbook["Podsumowanie"].iter_rows(values_only=True))[-1]
    assert [Decimal(str(v)) for v in total[2:]] == [
        Decimal("12300.00"),
        Decimal("10455.00"),
        Decimal("1845.00"),
    ]


def test_corrections_open_the_claim_again_and_a_second_filing_is_archived(draft, officer):
    claim_services.do_file_claim(draft, filed_on=day("2013-10-10"), actor=officer)
    claim_services.do_request_corrections(draft, "Brak protokołu odbioru.", actor=officer)
    draft.refresh_from_db()
    assert draft.status == PaymentClaim.Status.CORRECTIONS
    claim_services.do_save_claim(
        draft,
        {
            "kind": "interim",
            "period_start": draft.period_start,
            "period_end": draft.period_end,
            "problems": "Dołączono protokół odbioru.",
            "expenditures": list(draft.expenditures.all()),
            "progress": {},
        },
        actor=officer,
    )
    claim_services.do_file_claim(draft, filed_on=day("2013-10-20"), actor=officer)
    claim_services.do_accept_claim(draft, day("2013-11-05"), actor=officer)
    claim_services.do_record_payment(draft, Decimal("12300.00"), day("2013-11-20"), actor=officer)
    draft.refresh_from_db()
    assert draft.status == PaymentClaim.Status.PAID
    assert (draft.amount_received, draft.received_on) == (Decimal("12300.00"), day("2013-11-20"))
    assert list(draft.filings.values_list("filed_on", flat=True)) == [
        day("2013-10-10"),
        day("2013-10-20"),
    ]


def test_the_steps_go_in_order(draft, officer, officer_client):
    response = officer_client.post(
        reverse("finance:claim_step", args=[draft.pk, "pay"]),
        {"amount": "100.00", "received_on": "2013-10-01", "version": draft.version},
    )
    assert (
        "Wypłatę można zarejestrować tylko dla zatwierdzonego wniosku" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == PaymentClaim.Status.DRAFT


def test_the_demo_has_three_claims_with_their_statuses(db):
    claims = list(PaymentClaim.objects.order_by("number").values_list("kind", "status"))
    assert claims == [
        ("advance", "paid"),
        ("interim", "paid"),
        ("final", "corrections"),
    ]
    assert ClaimFiling.objects.count() == 3


def test_the_to_dos_count_unclaimed_documents_claims_to_correct_and_lines_near_limit(db):
    assert queries.todo_counts(day("2014-05-20")) == {
        "unclaimed_expenditures": 2,
        "claims_to_correct": 1,
        "lines_near_limit": 4,
    }
    assert queries.todo_counts(day("2013-07-06"))["unclaimed_expenditures"] == 1


def test_a_claim_is_not_filed_without_the_confirmation(draft, officer_client):
    # Filing cannot be undone (tests/core/test_irreversible_steps.py): the server asks.
    url = reverse("finance:claim_step", args=[draft.pk, "file"])
    assert "Potwierdzam: wniosek zostaje złożony" in officer_client.get(url).content.decode()
    response = officer_client.post(url, {"filed_on": "2013-10-10", "version": draft.version})
    assert response.status_code == 200
    assert "Potwierdź złożenie: złożonego wniosku nie można wycofać." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PaymentClaim.Status.DRAFT
    assert not ClaimFiling.objects.filter(claim=draft).exists()
    response = officer_client.post(
        url, {"filed_on": "2013-10-10", "version": draft.version, "confirm": "on"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PaymentClaim.Status.FILED
