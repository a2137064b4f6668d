"""Bad input, each through the page as the finance officer sends it: a clear Polish message next
to the field at fault, and nothing of finance changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finance.models import Expenditure, PaymentClaim
from tests.finance.conftest import day, form_data, invoice_data, snapshot


def claim_post(claim=None, **changes) -> dict:
    data = {
        "kind": "interim",
        "period_start": "2013-07-01",
        "period_end": "2013-09-30",
        "advance_amount": "",
        "indicator_snapshot": "",
        "problems": "",
        "expenditures": [],
        "version": claim.version if claim else "",
    }
    data.update(changes)
    return data


def refused(response, field, text):
    assert response.status_code == 200
    form = response.context["form"]
    errors = " ".join(form.errors.get(field, []))
    assert text in errors, form.errors
    assert text in response.content.decode()


@pytest.fixture
def expenditure_page(officer_client, equipment_contract, equipment_line):
    def post(**changes):
        data = form_data(invoice_data(equipment_contract, equipment_line, **changes))
        return officer_client.post(reverse("finance:expenditure_new"), data)

    return post


def test_an_expenditure_paid_outside_the_eligibility_period_is_refused(expenditure_page):
    before = snapshot()
    response = expenditure_page(issued_on=day("2014-01-03"), paid_on=day("2014-01-10"))
    refused(response, "paid_on", "10.01.2014 to data poza okresem kwalifikowalności umowy")
    refused(response, "issued_on", "03.01.2014 to data poza okresem kwalifikowalności umowy")
    assert snapshot() == before


def test_the_same_invoice_number_of_the_same_issuer_is_refused(expenditure_page):
    before = snapshot()
    response = expenditure_page(number="FV/2012/12/0141")
    refused(
        response,
        "number",
        "Dokument FV/2012/12/0141 tego wystawcy jest już zarejestrowany: tego samego dokumentu "
        "nie można rozliczyć dwa razy.",
    )
    assert snapshot() == before


def test_an_eligible_part_larger_than_the_gross_amount_is_refused(expenditure_page):
    before = snapshot()
    response = expenditure_page(eligible="12300.01")
    refused(response, "eligible", "Część kwalifikowalna nie może przekraczać kwoty brutto")
    assert snapshot() == before


def test_an_expenditure_already_in_a_claim_cannot_go_into_another(officer_client):
    taken = Expenditure.objects.get(number="FV/2012/12/0141")
    before = snapshot()
    response = officer_client.post(
        reverse("finance:claim_new"),
        claim_post(period_start="2012-12-01", period_end="2012-12-31", expenditures=[taken.pk])
        | {"period_start": "2013-07-01", "period_end": "2013-09-30"},
    )
    refused(
        response,
        "expenditures",
        "Dokument FV/2012/12/0141 (MAXTO Sp. z o.o. S.K.A.) jest już we wniosku nr 2.",
    )
    assert snapshot() == before


def test_a_claim_whose_period_overlaps_a_filed_one_is_refused(officer_client):
    before = snapshot()
    response = officer_client.post(
        reverse("finance:claim_new"), claim_post(period_start="2013-06-01")
    )
    refused(
        response,
        "period_start",
        "Okres nakłada się na okres złożonego wniosku nr 2 (01.11.2012–30.06.2013).",
    )
    assert snapshot() == before


def test_a_second_final_claim_is_refused(officer_client):
    before = snapshot()
    response = officer_client.post(reverse("finance:claim_new"), claim_post(kind="final"))
    refused(response, "kind", "Umowa ma już wniosek o płatność końcową: może być tylko jeden.")
    assert snapshot() == before


def test_a_filed_claim_cannot_be_edited(officer_client):
    claim = PaymentClaim.objects.get(kind="interim")
    assert claim.status == PaymentClaim.Status.PAID
    before = snapshot()
    response = officer_client.post(
        reverse("finance:claim_edit", args=[claim.pk]),
        claim_post(
            claim,
            period_start="2012-11-01",
            period_end="2013-06-30",
            problems="Dopisane po złożeniu",
            expenditures=[e.pk for e in claim.expenditures.all()],
        ),
    )
    refused(
        response,
        "__all__",
        "Wniosek można zmieniać tylko jako projekt lub gdy zażądano poprawek (ten ma status: "
        "wypłacony).",
    )
    assert snapshot() == before


def test_a_budget_line_changed_without_an_amendment_is_refused(officer_client, equipment_line):
    before = snapshot()
    response = officer_client.post(
        reverse("finance:amendment_new"),
        {
            "line": equipment_line.pk,
            "net": "400000.00",
            "vat": "92000.00",
            "eligible": "492000.00",
            "number": "",
            "signed_on": "",
            "reason": "Więcej zestawów",
        },
    )
    refused(
        response,
        "number",
        "Pozycję budżetu można zmienić tylko aneksem do umowy: podaj numer aneksu.",
    )
    assert snapshot() == before


def test_a_budget_line_saved_directly_with_new_amounts_is_refused(equipment_line):
    before = snapshot()
    equipment_line.eligible += 1
    with pytest.raises(ValidationError) as error:
        equipment_line.save()
    assert "tylko zarejestrowanym aneksem" in " ".join(error.value.messages)
    assert snapshot() == before
