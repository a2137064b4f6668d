"""Spreadsheets in and out: the one export helper (XLSX, CSV) and the one import reader
(XLSX/CSV).

Exports stream rows through openpyxl's write-only mode; imports return plain dicts keyed by
the header row, so every importer checks every row before saving anything.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .fields import CELL_LENGTH

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell that starts with one of these would be a formula in Excel (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """(title, column headers, rows) per sheet -> the bytes of an .xlsx file."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """(column headers, rows) -> CSV text, every cell neutralised as in the XLSX files: a text
    starting with = + - @ TAB or CR is prefixed with an apostrophe (spreadsheet programs open
    CSV files too). Numbers and dates are written as they are. Lines end in CRLF (RFC 4180), so
    that a CR or LF inside a cell is quoted and cannot start a row of its own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(header) for header in headers])
    writer.writerows([_safe(value) for value in row] for row in rows)
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    response = HttpResponse(workbook_bytes([(title, headers, rows)]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _normalise_header(value) -> str:
    return str(value or "").strip().lower()


def _cells(rows, max_cell: int):
    """The rows, each refused (ValidationError) when one of its cells is longer than max_cell;
    a CSV line the csv module cannot split (a cell past its own limit, 128 KiB) likewise."""
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and len(value) > max_cell:
                    raise ValidationError(
                        _(
                            "Row %(row)d, column %(column)d: the cell has %(length)d characters, "
                            "more than %(limit)d."
                        )
                        % {"row": number, "column": column, "length": len(value), "limit": max_cell}
                    )
            yield row
    except csv.Error as error:
        raise ValidationError(
            _("Row %(row)d cannot be read: %(error)s") % {"row": number + 1, "error": error}
        ) from None


def read_table(upload, max_rows: int = 20_000, max_cell: int = CELL_LENGTH) -> list[dict]:
    """Rows of an uploaded .xlsx or .csv file as dicts keyed by the (lower-cased) header row.

    Each dict also carries "_row": the row's number as the user sees it in the spreadsheet.
    Raises ValidationError when the file is neither a readable XLSX nor a CSV file, or when a
    cell is longer than max_cell characters (issue 12: no unbounded text gets in this way).
    """
    data = upload.read()
    name = (getattr(upload, "name", "") or "").lower()
    if data.startswith(b"PK"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise ValidationError(
                _("The spreadsheet cannot be read: %(error)s") % {"error": error}
            ) from None
        rows = workbook.worksheets[0].iter_rows(values_only=True)
    elif name.endswith(".csv") or not name:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1250")  # what Polish Excel writes as "CSV"
            except UnicodeDecodeError:
                raise ValidationError(
                    _("The CSV file is not UTF-8 or Windows-1250 text.")
                ) from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = csv.reader(io.StringIO(text), dialect)
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    rows = _cells(rows, max_cell)
    try:
        headers = [_normalise_header(h) for h in next(rows)]
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    result = []
    for number, row in enumerate(rows, start=2):
        values = list(row)
        if not any(v not in (None, "") for v in values):
            continue
        if len(result) >= max_rows:
            raise ValidationError(_("The file has more than %(n)d rows.") % {"n": max_rows})
        record = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}
        record["_row"] = number
        result.append(record)
    return result
