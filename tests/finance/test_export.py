"""manage.py export_claim gives the claim's tables as the records hold them."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from finance import rules
from finance.models import PaymentClaim


@pytest.fixture
def interim(db):
    return PaymentClaim.objects.get(kind="interim")


def test_the_json_export_lists_the_claims_documents_and_split(interim):
    out = io.StringIO()
    call_command("export_claim", "--claim", str(interim.number), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    documents = list(interim.expenditures.order_by("paid_on", "issued_on", "number", "pk"))
    assert [row["number"] for row in data["documents"]] == [d.number for d in documents]
    first = data["documents"][0]
    assert first == {
        "position": 1,
        "number": documents[0].number,
        "issued_on": str(documents[0].issued_on),
        "issuer": documents[0].issuer.name,
        "issuer_nip": documents[0].issuer.nip,
        "net": str(documents[0].net),
        "vat": str(documents[0].vat),
        "gross": str(documents[0].gross),
        "eligible": str(documents[0].eligible),
        "paid_on": str(documents[0].paid_on),
        "task": documents[0].line.get_task_display(),
        "category": documents[0].line.get_category_display(),
        "contract": documents[0].contract.number,
    }
    eligible = sum((d.eligible for d in documents), Decimal("0"))
    share = rules.split(eligible, Decimal("85"), Decimal("15"))
    assert data["total"]["eligible"] == str(eligible)
    assert data["total"]["eu"] == str(share.eu)
    assert data["total"]["state"] == str(share.state)
    assert data["claim"]["requested"] == str(share.eu + share.state)
    assert data["claim"]["amount_received"] == str(interim.amount_received)
    equipment = next(row for row in data["summary"] if row["task"] == "equipment")
    assert equipment["eligible"] == str(
        sum((d.eligible for d in documents if d.line.task == "equipment"), Decimal("0"))
    )


def test_the_xlsx_export_holds_the_same_documents(interim, tmp_path):
    target = tmp_path / "claim.xlsx"
    call_command(
        "export_claim", "--claim", str(interim.number), "--format", "xlsx", "-o", str(target)
    )
    workbook = load_workbook(target)
    documents = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert documents[0][:4] == ("Lp.", "Numer dokumentu", "Data wystawienia", "Wystawca")
    records = list(interim.expenditures.order_by("paid_on", "issued_on", "number", "pk"))
    assert [row[1] for row in documents[1:]] == [d.number for d in records]
    assert [Decimal(str(row[8])) for row in documents[1:]] == [d.eligible for d in records]
    summary = list(workbook.worksheets[1].iter_rows(values_only=True))
    total = summary[-1]
    eligible = sum((d.eligible for d in records), Decimal("0"))
    assert total[0] == "Razem"
    assert Decimal(str(total[2])) == eligible
    assert Decimal(str(total[3])) == rules.split(eligible, Decimal("85"), Decimal("15")).eu


def test_an_unknown_claim_number_is_an_error(db):
    with pytest.raises(CommandError, match="No payment claim number 99"):
        call_command("export_claim", "--claim", "99")
