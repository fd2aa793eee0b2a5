"""A table as a spreadsheet: one `Table` (title, headings, rows of plain values) written as
.xlsx or .csv, with every cell that a spreadsheet would run as a formula neutralised.

Excel, LibreOffice and Google Sheets treat a cell that starts with = + - @ (or a tab or carriage
return before one) as a formula, which can run commands or send data away (CSV injection).
Such text gets a leading apostrophe, as OWASP advises: spreadsheets show it as text, and the
import strips it again (imports.unneutralise), so a register survives a round trip.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold: openpyxl refuses them, so they go (a spreadsheet shows none).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's longest sheet name, and the characters it refuses in one.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def neutralise(value):
    """The value as a cell may hold it: text that would start a formula gets an apostrophe."""
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


@dataclass
class Table:
    """One sheet: its title (the sheet's name), headings and rows. A page with several tables
    (the dashboard's counts) is several Tables, which .xlsx writes as sheets and .csv one after
    another, each under its title."""

    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return value


def write_csv(tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    several = len(tables) > 1
    for n, table in enumerate(tables):
        if several:
            if n:
                writer.writerow([])
            writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(h) for h in table.headings])
        for row in table.rows:
            writer.writerow([neutralise(_csv_text(_plain(v))) for v in row])
    # A byte-order mark, so that Excel opens the file as UTF-8 (it guesses otherwise).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def sheet_name(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME.sub(" ", title).strip("' ")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def write_xlsx(tables: list[Table]) -> bytes:
    """A workbook of one sheet a table, written in openpyxl's write-only mode (streamed: a
    register of thousands of rows never sits in memory as cell objects)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        headings = []
        for heading in table.headings:
            cell = WriteOnlyCell(sheet, value=neutralise(heading))
            cell.font = bold
            headings.append(cell)
        sheet.append(headings)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([neutralise(_plain(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chosen_format(request) -> str:
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404("Downloads come as format=csv or format=xlsx.")
    return fmt


def download(tables: list[Table], fmt: str, name: str) -> HttpResponse:
    """The tables as a file to save: `name` (without extension) becomes the file's name."""
    data = write_xlsx(tables) if fmt == "xlsx" else write_csv(tables)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    filename = f"{slugify(name) or 'table'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
