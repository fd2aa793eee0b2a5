"""An uploaded spreadsheet read into rows of text, or refused with a message that says why.

Every limit is checked before the cost it bounds is paid: the upload's size before it is
read, a workbook's declared sizes (zip bombs) and its parts (macros) before openpyxl parses
it, and the rows as they stream past. openpyxl reads in read-only mode (one row at a time,
never the whole sheet as cell objects) and through defusedxml (no entity expansion). A CSV
must be UTF-8, as Excel's "CSV UTF-8" writes it: other encodings are refused rather than
guessed, because a wrong guess imports mojibake silently.
"""

import csv
import datetime
import io
import zipfile

from .tables import FORMULA_STARTS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 20_000
# A workbook's parts, uncompressed: a register of 5,000 long rows stays well under this.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# Ordinary workbooks compress their XML 5 to 20 times; a zip bomb, thousands of times.
MAX_RATIO = 200
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xlam")


class BadFile(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


def _size_words(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def read_upload(upload) -> list[list[str]]:
    """The rows of the first sheet (or of the CSV), each cell as text, or BadFile."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise BadFile(
            f"The file is {_size_words(upload.size)}: the largest file that can be imported is "
            f"{_size_words(MAX_UPLOAD_BYTES)}. Split the register into smaller files."
        )
    if name.endswith(MACRO_EXTENSIONS):
        raise BadFile(
            "The file is a macro-enabled workbook, which the service does not accept. In Excel, "
            "save it as “Excel Workbook (.xlsx)” and import that."
        )
    if name.endswith(".xls"):
        raise BadFile("The file is an old Excel 97–2003 workbook (.xls): save it as .xlsx first.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if name.endswith(".csv"):
        return read_csv(data)
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    raise BadFile("The file must be an Excel workbook (.xlsx) or a CSV file (.csv).")


def unneutralise(text: str) -> str:
    """Undo tables.neutralise: an exported cell "'=x" imports as "=x"."""
    # A workbook gives a neutralised carriage return back as a new line (XML keeps no \r).
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "\n")):
        return text[1:]
    return text


def _too_many_rows() -> BadFile:
    return BadFile(
        f"The file has more than {MAX_ROWS:,} rows: a register can be imported "
        f"{MAX_ROWS:,} risks at a time. Split it into smaller files."
    )


def _long_cell(where: str) -> BadFile:
    return BadFile(f"Cell {where} holds more than {MAX_CELL_CHARS:,} characters.")


# CSV --------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise BadFile("The file is a workbook named .csv: save it as CSV, or import it as .xlsx.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16")
    else:
        text = _decode(data, "utf-8-sig")
    if "\x00" in text:
        raise BadFile("The file is not a CSV text file (it holds binary data).")
    # The heading row says which separator the file uses (Excel writes ";" where the decimal
    # comma is the custom); csv.Sniffer guesses from quotes too, and guesses wrongly.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first.count(d), d == ","))
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, 1):
            if number > MAX_ROWS + 1:
                raise _too_many_rows()
            cells = []
            for col, cell in enumerate(row[:MAX_COLUMNS]):
                if len(cell) > MAX_CELL_CHARS:
                    raise _long_cell(_cell_name(number, col))
                if cell.startswith("="):
                    raise _formula(_cell_name(number, col), cell)
                cells.append(unneutralise(cell))
            rows.append(cells)
    except csv.Error as exc:
        raise BadFile(f"The CSV file could not be read: {exc}.") from exc
    return rows


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadFile(
            "The CSV file is not in UTF-8, so its accents and symbols would be read wrongly. "
            "In Excel, save it as “CSV UTF-8 (Comma delimited)” and import that."
        ) from exc


# Excel ------------------------------------------------------------------------------------------


def _cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def _formula(where: str, text: str) -> BadFile:
    return BadFile(
        f"Cell {where} holds a formula ({text[:30]}). The service imports values only: in Excel, "
        "copy the sheet and paste it back as values, then save and import again."
    )


def _broken() -> BadFile:
    return BadFile(
        "The file could not be read as an Excel workbook: it may be damaged, or not an .xlsx "
        "file. Open it in Excel, save it as “Excel Workbook (.xlsx)” and try again."
    )


def check_package(data: bytes) -> None:
    """The workbook's zip container: whole, without macros, and not a zip bomb."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
        content_types = package.read("[Content_Types].xml") if (
            "[Content_Types].xml" in package.namelist()
        ) else b""
    # zipfile raises NotImplementedError for a compression method it does not know, and
    # RuntimeError for an encrypted member: both are a broken workbook to the person uploading.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError,
            NotImplementedError, RuntimeError, ValueError) as exc:
        raise _broken() from exc
    if not content_types:
        raise _broken()
    if b"macroEnabled" in content_types or any(
        p.filename.lower().endswith("vbaproject.bin") for p in parts
    ):
        raise BadFile(
            "The workbook contains macros, which the service does not accept. In Excel, save "
            "it as “Excel Workbook (.xlsx)” (without macros) and import that."
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES or any(
        p.file_size > 1024 * 1024 and p.file_size > MAX_RATIO * max(p.compress_size, 1)
        for p in parts
    ):
        raise BadFile(
            "The workbook unpacks to far more data than a register holds, so it was not opened "
            "(it may be damaged, or built to exhaust the server)."
        )


def read_xlsx(data: bytes) -> list[list[str]]:
    check_package(data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise _broken() from exc
    try:
        if not book.worksheets:
            raise BadFile("The workbook has no sheets.")
        sheet = book.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), 1):
            if number > MAX_ROWS + 1:
                raise _too_many_rows()
            cells = []
            for col, cell in enumerate(row):
                if cell.data_type == "f":
                    raise _formula(_cell_name(number, col), str(cell.value))
                text = _text(cell.value)
                if len(text) > MAX_CELL_CHARS:
                    raise _long_cell(_cell_name(number, col))
                cells.append(unneutralise(text))
            while cells and not cells[-1]:
                cells.pop()
            rows.append(cells)
        return rows
    except BadFile:
        raise
    except Exception as exc:
        raise _broken() from exc
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
