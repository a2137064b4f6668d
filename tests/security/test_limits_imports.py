"""Issue 12, item 9 (unbounded free text), the ways in without a form: the spreadsheet reader
refuses a huge cell with a message instead of a crash, the delivery import and the JSON import
of applications refuse a text longer than its field with a clear problem and save nothing
(before, bulk_create ended in a database error)."""

import copy
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from lebork_einclusion import roles
from lebork_einclusion.tables import read_table
from lending.models import Asset
from procurement.demo import EQUIPMENT_CONTRACT
from procurement.models import Contract
from recruitment.models import Call, HouseholdMember
from tests.recruitment.test_interchange import ADULT, KID, app, member

# lebork_einclusion/fields.py: CELL_LENGTH, a spreadsheet cell (as long as a statement).
CELL_LENGTH = 4000
CSV_HEADER = "rodzaj;marka i model;numer seryjny;wartość\n"


def xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Rodzaj", "Marka i model", "Numer seryjny", "Wartość"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("dostawa.xlsx", buffer.getvalue())


# --- the spreadsheet reader ------------------------------------------------------------------


def test_a_csv_cell_past_the_limit_is_refused_with_its_row_and_column():
    content = CSV_HEADER + f"laptop;{'x' * CELL_LENGTH};SN-1;10\n"
    rows = read_table(SimpleUploadedFile("dostawa.csv", content.encode()))
    assert rows[0]["marka i model"] == "x" * CELL_LENGTH  # the limit itself is read
    content = CSV_HEADER + f"laptop;{'x' * (CELL_LENGTH + 1)};SN-1;10\n"
    with pytest.raises(ValidationError) as refused:
        read_table(SimpleUploadedFile("dostawa.csv", content.encode()))
    assert refused.value.messages == [
        f"Wiersz 2, kolumna 2: komórka ma {CELL_LENGTH + 1} znaków, więcej niż {CELL_LENGTH}."
    ]


def test_a_csv_cell_of_megabytes_is_refused_not_a_crash():
    """The csv module gives up at 128 KiB with its own error, which reached the user as a 500."""
    content = CSV_HEADER + f'laptop;"{"x" * (2 * 1024 * 1024)}";SN-1;10\n'
    with pytest.raises(ValidationError) as refused:
        read_table(SimpleUploadedFile("dostawa.csv", content.encode()))
    assert refused.value.messages[0].startswith("Nie można odczytać wiersza 2:")


def test_an_xlsx_cell_past_the_limit_is_refused():
    with pytest.raises(ValidationError) as refused:
        read_table(xlsx([["laptop", "x" * 30_000, "SN-1", 10]]))
    assert refused.value.messages == [
        f"Wiersz 2, kolumna 2: komórka ma 30000 znaków, więcej niż {CELL_LENGTH}."
    ]


# --- the delivery import -------------------------------------------------------------------


@pytest.fixture
def equipment(db):
    return Contract.objects.get(number=EQUIPMENT_CONTRACT)


def test_the_delivery_page_refuses_a_make_longer_than_the_register_holds(
    client, make_user, equipment
):
    client.force_login(make_user(roles.ASSISTANT))
    assets = Asset.objects.count()
    response = client.post(
        reverse("lending:asset_import"),
        {
            "file": xlsx([["laptop", "L" * 201, "LONG-1", 2999], ["ups", "APC", "S" * 81, 300]]),
            "contract": equipment.pk,
            "delivered_on": "2013-03-04",
        },
    )
    assert response.status_code == 200
    assert response.context["problems"] == [
        "Wiersz 2: „marka i model” ma więcej niż 200 znaków (ma 201).",
        "Wiersz 3: „numer seryjny” ma więcej niż 80 znaków (ma 81).",
    ]
    assert Asset.objects.count() == assets


def test_the_delivery_command_refuses_a_huge_cell(tmp_path, equipment):
    path = tmp_path / "dostawa.csv"
    path.write_text(CSV_HEADER + f"laptop;{'x' * 500_000};SN-1;10\n", encoding="utf-8")
    assets = Asset.objects.count()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_delivery",
            str(path),
            "--contract",
            equipment.number,
            "--delivered-on",
            "2013-03-04",
        )
    assert Asset.objects.count() == assets


# --- the JSON import of applications ---------------------------------------------------------


@pytest.fixture
def applications(db):
    return {
        "call": {
            "code": "2099",
            "deadline": "2012-09-05",
            "places": 2,
            "average_salary_pln": "3399.52",
        },
        "applications": [
            app("2099/001", [member(ADULT, 1), member(KID, 2, "child")]),
            app("2099/002", [member(ADULT, 3)]),
        ],
    }


def test_an_application_with_an_over_long_street_imports_nothing(tmp_path, applications):
    bad = copy.deepcopy(applications)
    bad["applications"][1]["address"]["street"] = "ul. " + "x" * 5000
    bad["applications"][0]["members"][1]["last_name"] = "N" * 101
    path = tmp_path / "applications.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_applications", path, call="2099", stderr=err)
    problems = err.getvalue()
    assert "2099/002: street: Upewnij się, że ta wartość ma co najwyżej 120 znaków" in problems
    assert "2099/001: members[1].last_name: Upewnij się, że ta wartość ma co najwyżej 100" in (
        problems
    )
    assert not Call.objects.filter(code="2099").exists()
    assert not HouseholdMember.objects.filter(application__number__startswith="2099/").exists()


def test_an_over_long_registration_number_is_one_short_problem(tmp_path, applications):
    bad = copy.deepcopy(applications)
    bad["applications"][1]["number"] = "2099/" + "9" * 100_000
    path = tmp_path / "applications.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_applications", path, call="2099", stderr=err)
    assert len(err.getvalue()) < 300
    assert not Call.objects.filter(code="2099").exists()
