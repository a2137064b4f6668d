"""The register of procedures as a spreadsheet."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook


def rows_of(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_register_lists_every_procedure_with_its_outcome(finance_client):
    response = finance_client.get(reverse("procurement:procedure_export"))
    assert response["Content-Disposition"] == 'attachment; filename="rejestr-zamowien.xlsx"'
    rows = rows_of(response)
    header = rows[0]
    assert header[:4] == [
        "Numer ogłoszenia",
        "Data ogłoszenia",
        "Znak sprawy",
        "Przedmiot zamówienia",
    ]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:] if row[0]}
    annulled = by_number["235583-2012"]
    assert annulled["Stan"] == "unieważnione"
    assert annulled["Data unieważnienia"] == datetime.datetime(2012, 11, 20)
    again = by_number["460720-2012"]
    assert again["Ponowne ogłoszenie postępowania"] == "BZP 235583-2012"
    assert again["Wybrany wykonawca"] == "SCORPION-COMPUTER"
    assert again["Umowa"] == "RZP.272.19.2012"
    assert Decimal(str(again["Wartość umowy brutto (zł)"])) == Decimal("287340")
    # The project's 8 procedures and the durability period's 7 (two tenders for the Internet,
    # five requests for quotation for the insurance).
    assert len(rows) == 1 + 8 + 7


def test_the_register_keeps_the_lists_filters(finance_client):
    response = finance_client.get(
        reverse("procurement:procedure_export"), {"procedure_type": "request_for_quotation"}
    )
    rows = rows_of(response)
    assert {row[2] for row in rows[1:]} == {
        "ZO.1.2012",
        "ZO.2.2012",
        "ZO.3.2012",
        "ZO.4.2012",
        # the yearly insurance of the durability period
        "ZO.5.2013",
        "ZO.4.2014",
        "ZO.3.2015",
        "ZO.4.2016",
        "ZO.2.2017",
    }
