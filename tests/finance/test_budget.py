"""The budget: its standing per task and line (page and XLSX) and its amendments."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from finance import queries
from finance.models import BudgetLine, Expenditure
from finance.services import agreement as agreement_services
from tests.finance.conftest import day


def test_the_standing_adds_up_the_demo_records(agreement):
    standing = queries.budget_standing(agreement)
    equipment = next(row for row in standing["tasks"] if row["task"] == "equipment")
    assert equipment["eligible"] == Decimal("389420.00")
    assert equipment["spent"] == Decimal("332100.00")
    # Both equipment invoices are in the interim claim, which is paid: 85% + 15% of them.
    assert equipment["claimed"] == Decimal("332100.00")
    assert equipment["reimbursed"] == Decimal("332100.00")
    management = next(row for row in standing["tasks"] if row["task"] == "management")
    # The supervisors' second invoice is in the final claim (claimed, not yet reimbursed) and
    # the first in no claim.
    assert management["claimed"] == Decimal("7840.00") + Decimal("45600.00")
    assert management["reimbursed"] == Decimal("7840.00")
    assert standing["total"]["spent"] == sum(
        Expenditure.objects.values_list("eligible", flat=True), Decimal("0")
    )


def test_the_budget_page_shows_the_made_up_flag_and_the_lines(officer_client):
    response = officer_client.get(reverse("finance:budget"))
    content = response.content.decode()
    assert "Kwoty tego budżetu są zmyślone" in content
    assert "POIG.08.03.00-22-045/12" in content
    assert "Zakup komputerów z instalacją i podłączeniem do sieci" in content
    assert "389 420,00" in content or "389\xa0420,00" in content


def test_the_budget_xlsx_has_every_line_and_the_total(officer_client, agreement):
    response = officer_client.get(reverse("finance:budget_xlsx"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Zadanie", "Kategoria kosztów", "Netto (zł)")
    categories = agreement.lines.values("category").distinct().count()
    assert len(rows) == 1 + agreement.lines.count() + 5 + categories + 1
    assert rows[-1][0] == "Razem"
    assert Decimal(str(rows[-1][5])) == sum(
        agreement.lines.values_list("eligible", flat=True), Decimal("0")
    )


def test_an_amendment_changes_the_line_and_keeps_the_previous_values(
    officer_client, equipment_line
):
    response = officer_client.post(
        reverse("finance:amendment_new"),
        {
            "line": equipment_line.pk,
            "net": "400000.00",
            "vat": "92000.00",
            "eligible": "492000.00",
            "number": "Aneks nr 1",
            "signed_on": "2013-05-06",
            "reason": "Więcej zestawów dla jednostek",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(pk=equipment_line.pk)
    assert (line.net, line.vat, line.eligible) == (
        Decimal("400000.00"),
        Decimal("92000.00"),
        Decimal("492000.00"),
    )
    change = line.changes.get()
    assert change.amendment.number == "Aneks nr 1"
    assert change.amendment.signed_on == day("2013-05-06")
    assert (change.previous_net, change.previous_vat, change.previous_eligible) == (
        Decimal("316601.63"),
        Decimal("72818.37"),
        Decimal("389420.00"),
    )


def test_a_new_line_after_a_filed_claim_needs_an_amendment(agreement, officer):
    with pytest.raises(ValidationError, match="tylko zarejestrowanym aneksem"):
        agreement_services.do_add_budget_line(
            agreement,
            "promotion",
            "other",
            Decimal("1"),
            Decimal("0"),
            Decimal("1"),
            actor=officer,
        )


def test_loading_the_demo_again_changes_nothing(db):
    from finance import demo
    from tests.finance.conftest import snapshot

    before = snapshot()
    demo.load()
    assert snapshot() == before


def test_the_standing_per_category_sums_the_lines(agreement):
    standing = queries.budget_standing(agreement)
    services = next(row for row in standing["categories"] if row["category"] == "services")
    lines = agreement.lines.filter(category="services")
    assert services["eligible"] == sum((line.eligible for line in lines), Decimal("0"))
    assert services["spent"] == sum(
        Expenditure.objects.filter(line__category="services").values_list("eligible", flat=True),
        Decimal("0"),
    )


def test_the_co_financing_terms_are_locked_once_a_claim_is_filed(officer_client, agreement):
    from tests.finance.conftest import snapshot

    before = snapshot()
    response = officer_client.post(
        reverse("finance:agreement_edit"),
        {
            "number": agreement.number,
            "signed_on": agreement.signed_on,
            "eligible_from": agreement.eligible_from,
            "eligible_until": agreement.eligible_until,
            "eu_rate": "80.00",
            "state_rate": "20.00",
            "vat_eligible": "on",
            "version": agreement.version,
        },
    )
    errors = response.context["form"].errors
    assert "Złożono już wniosek o płatność na tych warunkach" in " ".join(errors["eu_rate"])
    assert snapshot() == before
