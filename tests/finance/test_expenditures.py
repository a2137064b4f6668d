"""Recording expenditures: the scan, and the limits of the contract and the budget line."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.models import Expenditure, PaymentClaim
from tests.finance.conftest import SCAN, form_data, invoice_data, snapshot


def test_the_officer_records_an_invoice_with_its_scan(
    officer_client, equipment_contract, equipment_line
):
    data = form_data(invoice_data(equipment_contract, equipment_line))
    data["scan"] = SimpleUploadedFile("faktura.pdf", SCAN, content_type="application/pdf")
    response = officer_client.post(reverse("finance:expenditure_new"), data)
    assert response.status_code == 302
    invoice = Expenditure.objects.get(number="FV/2013/08/0099")
    assert (invoice.issuer, invoice.contract, invoice.line) == (
        equipment_contract.supplier,
        equipment_contract,
        equipment_line,
    )
    assert invoice.eligible == Decimal("12300.00")
    assert invoice.claim is None
    scan = officer_client.get(reverse("finance:expenditure_scan", args=[invoice.pk]))
    assert b"".join(scan.streaming_content) == SCAN
    assert scan["X-Content-Type-Options"] == "nosniff"


def test_a_scan_that_is_not_a_document_is_refused(
    officer_client, equipment_contract, equipment_line
):
    before = snapshot()
    data = form_data(invoice_data(equipment_contract, equipment_line))
    data["scan"] = SimpleUploadedFile("faktura.pdf", b"<html>", content_type="application/pdf")
    response = officer_client.post(reverse("finance:expenditure_new"), data)
    assert response.context["form"].errors["scan"] == [
        "Niedozwolony typ pliku. Dozwolone: PDF, JPEG, PNG."
    ]
    assert snapshot() == before


def test_beyond_the_contracts_value_needs_a_reason(
    officer_client, equipment_contract, equipment_line
):
    # 332 100,00 zł of the 389 420,00 zł contract are paid: 60 000 more goes beyond it.
    big = {"net": "48780.49", "vat": "11219.51", "gross": "60000.00", "eligible": "50000.00"}
    data = form_data(invoice_data(equipment_contract, equipment_line)) | big
    before = snapshot()
    response = officer_client.post(reverse("finance:expenditure_new"), data)
    errors = " ".join(response.context["form"].errors["over_limit_reason"])
    assert "z umowy RZP.272.14.2012 wynoszą 392100.00 zł, więcej niż jej wartość 389420.00 zł" in (
        errors
    )
    assert snapshot() == before
    data["over_limit_reason"] = "Aneks nr 2 do umowy: dodatkowe zestawy."
    response = officer_client.post(reverse("finance:expenditure_new"), data)
    assert response.status_code == 302
    assert Expenditure.objects.get(number="FV/2013/08/0099").over_limit_reason


def test_an_expenditure_in_a_filed_claim_cannot_be_changed(officer_client):
    invoice = Expenditure.objects.get(number="FV/2012/12/0141")
    assert invoice.claim.status == PaymentClaim.Status.PAID
    before = snapshot()
    data = {
        name: getattr(invoice, name)
        for name in ("number", "issuer", "issued_on", "paid_on", "net", "vat", "gross")
    } | {
        "eligible": invoice.eligible - 1,
        "line": invoice.line,
        "contract": invoice.contract,
        "description": invoice.description,
        "over_limit_reason": "",
        "version": invoice.version,
    }
    response = officer_client.post(
        reverse("finance:expenditure_edit", args=[invoice.pk]), form_data(data)
    )
    assert "jest w złożonym wniosku" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["assistant", "auditor"])
def test_readers_cannot_record_expenditures(client, make_user, role):
    client.force_login(make_user(role))
    assert client.post(reverse("finance:expenditure_new"), {}).status_code == 403


def test_the_expenditure_list_takes_the_same_queries_for_few_and_many(
    officer_client, officer, equipment_contract, equipment_line, django_assert_max_num_queries
):
    from finance.services import expenditures as expenditure_services
    from tests.finance.conftest import day

    url = reverse("finance:expenditure_list")
    officer_client.get(url)  # the session and the user, once
    for n in range(5):
        expenditure_services.do_save_expenditure(
            None,
            invoice_data(
                equipment_contract,
                equipment_line,
                number=f"FV/2013/08/{n:04}",
                net=Decimal("100.00"),
                vat=Decimal("23.00"),
                gross=Decimal("123.00"),
                eligible=Decimal("123.00"),
                paid_on=day("2013-08-12"),
            ),
            actor=officer,
        )
    # Session, user, groups, the agreement, the count, the page's rows (with their issuer, line,
    # contract and claim), the messages and the menu's role look-ups: a bound, not a count.
    with django_assert_max_num_queries(12):
        response = officer_client.get(url)
    assert response.status_code == 200
    assert "FV/2013/08/0004" in response.content.decode()
