"""Finance tests start from the demo: the agreement POIG.08.03.00-22-045/12 (eligible
01.06.2012–31.12.2013, 85% EU + 15% state budget, VAT eligible), its seven budget lines, eleven
expenditures and three claims (advance paid, interim paid, final with corrections requested)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from finance.models import (
    BudgetAmendment,
    BudgetLine,
    BudgetLineChange,
    ClaimFiling,
    ClaimProgress,
    Expenditure,
    FundingAgreement,
    PaymentClaim,
)
from lebork_einclusion import roles
from procurement import demo as procurement_demo
from procurement.models import Contract
from tests import helpers

# A minimal PDF: what a scanner produces starts like this (the upload check reads the content).
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def snapshot() -> dict:
    """Everything of finance a refused step must leave as it was."""
    return helpers.snapshot(
        FundingAgreement,
        BudgetLine,
        BudgetAmendment,
        BudgetLineChange,
        Expenditure,
        PaymentClaim,
        ClaimProgress,
        (ClaimFiling, "pk", "claim", "sha256"),
    )


@pytest.fixture
def officer(make_user):
    return make_user(roles.FINANCE, first_name="Maria", last_name="Rozliczająca")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    client.user = officer
    return client


@pytest.fixture
def agreement(db):
    return FundingAgreement.current()


@pytest.fixture
def equipment_contract(db):
    return Contract.objects.select_related("supplier").get(
        number=procurement_demo.EQUIPMENT_CONTRACT
    )


@pytest.fixture
def equipment_line(agreement):
    return agreement.lines.get(task="equipment", category="equipment")


def invoice_data(contract, line, **changes) -> dict:
    """A valid invoice of the equipment supplier, paid in August 2013 (inside the eligibility
    period, in no claim's period)."""
    data = {
        "number": "FV/2013/08/0099",
        "issuer": contract.supplier,
        "issued_on": day("2013-08-05"),
        "paid_on": day("2013-08-12"),
        "net": Decimal("10000.00"),
        "vat": Decimal("2300.00"),
        "gross": Decimal("12300.00"),
        "eligible": Decimal("12300.00"),
        "line": line,
        "contract": contract,
        "description": "Dostawa zestawów zastępczych",
        "over_limit_reason": "",
    }
    data.update(changes)
    return data


def form_data(data: dict) -> dict:
    """Service values as the form posts them."""
    posted = {}
    for name, value in data.items():
        if hasattr(value, "pk"):
            posted[name] = value.pk
        elif value is None:
            posted[name] = ""
        else:
            posted[name] = str(value)
    return posted
