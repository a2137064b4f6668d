import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lebork_einclusion.tables import read_table, workbook_bytes, xlsx_response


def test_it_writes_a_workbook_that_reads_back():
    data = workbook_bytes([("Rejestr", ["Numer", "Kwota"], [["2012/001", 12.5], ["2012/002", 0]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Rejestr"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Numer", "Kwota"],
        ["2012/001", 12.5],
        ["2012/002", 0],
    ]


def test_it_neutralises_cells_that_would_be_formulas():
    data = workbook_bytes([("x", ["Nazwisko"], [['=HYPERLINK("http://evil")'], ["-1+2"]])])
    values = [row[0].value for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2)]
    assert values == ['\'=HYPERLINK("http://evil")', "'-1+2"]


def test_the_response_is_an_attachment_that_is_not_cached():
    response = xlsx_response("rejestr.xlsx", "Rejestr", ["A"], [[1]])
    assert response["Content-Disposition"] == 'attachment; filename="rejestr.xlsx"'
    assert response["Cache-Control"] == "no-store"


def test_it_reads_an_xlsx_upload_by_header_with_row_numbers():
    data = workbook_bytes(
        [("x", ["Serial", " Value "], [["SN1", 100], [None, None], ["SN2", 200]])]
    )
    rows = read_table(SimpleUploadedFile("dostawa.xlsx", data))
    assert rows == [
        {"serial": "SN1", "value": 100, "_row": 2},
        {"serial": "SN2", "value": 200, "_row": 4},
    ]


def test_it_reads_a_semicolon_csv_written_by_polish_excel():
    data = "Nazwisko;Procent\r\nŻółkiewska;80\r\n".encode("cp1250")
    rows = read_table(SimpleUploadedFile("postep.csv", data))
    assert rows == [{"nazwisko": "Żółkiewska", "procent": "80", "_row": 2}]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "Upload an .xlsx or .csv file."),
        ("a.csv", b"", "The file is empty."),
        ("a.xlsx", b"PK\x03\x04broken", "The spreadsheet cannot be read"),
    ],
)
def test_it_refuses_what_it_cannot_read(name, content, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match=message):
        read_table(SimpleUploadedFile(name, content))
