"""Bad files get a clear message: wrong type, macros, formulas, too large, too many rows, a
broken or zip-bomb workbook, a CSV not in UTF-8. Good files read as rows of text."""

import io
import zipfile

import pytest

from riskreg.dataio import reading
from riskreg.dataio.reading import BadFile, read_upload
from riskreg.dataio.tables import Table, neutralise, write_csv, write_xlsx

from .helpers import csv_bytes, upload, xlsx


def refused(name: str, data: bytes) -> str:
    with pytest.raises(BadFile) as caught:
        read_upload(upload(name, data))
    return str(caught.value)


def test_a_workbook_reads_as_text_with_numbers_as_excel_shows_them():
    rows = read_upload(upload("r.xlsx", xlsx([["Ref", "Title", "L"], [1, "VIOLENT CRIME", 2.0]])))
    assert rows == [["Ref", "Title", "L"], ["1", "VIOLENT CRIME", "2"]]


def test_a_csv_reads_with_its_byte_order_mark_and_semicolons():
    data = "\ufeffRef;Title\n1;CRIME, VIOLENT\n".encode()
    assert read_upload(upload("r.csv", data)) == [["Ref", "Title"], ["1", "CRIME, VIOLENT"]]


def test_a_utf16_csv_as_excel_writes_unicode_text_is_read():
    data = "Ref,Title\n1,Café\n".encode("utf-16")
    assert read_upload(upload("r.csv", data))[1] == ["1", "Café"]


@pytest.mark.parametrize("name", ["register.pdf", "register.txt", "register", "register.docx"])
def test_other_types_are_refused(name):
    assert "must be an Excel workbook (.xlsx) or a CSV file" in refused(name, b"Ref\n1\n")


def test_old_xls_workbooks_are_refused():
    assert "97–2003" in refused("r.xls", b"\xd0\xcf\x11\xe0")


@pytest.mark.parametrize("name", ["r.xlsm", "r.XLSM", "r.xlsb", "r.xltm"])
def test_macro_enabled_names_are_refused(name):
    assert "macro-enabled" in refused(name, xlsx([["Ref"], [1]]))


def _with_part(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, body)
    return out.getvalue()


def test_a_vba_project_inside_an_xlsx_is_refused():
    data = _with_part(xlsx([["Ref"], [1]]), "xl/vbaProject.bin", b"\x00" * 100)
    assert "contains macros" in refused("r.xlsx", data)


def test_formulas_are_refused_with_their_cell():
    message = refused("r.xlsx", xlsx([["Ref", "Title"], [1, "=1+1"]]))
    assert "Cell B2 holds a formula (=1+1)" in message
    assert "paste it back as values" in message


def test_a_csv_cell_that_is_a_formula_is_refused():
    assert "Cell C2 holds a formula" in refused(
        "r.csv", csv_bytes([["Ref", "Title", "L"], ["1", "x", '=HYPERLINK("http://evil")']])
    )


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    big = upload("r.csv", b"Ref\n" + b"1\n" * (25 * 1024 * 1024))
    message = str(pytest.raises(BadFile, read_upload, big).value)
    assert "the largest file that can be imported is 2 MB" in message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_more_rows_than_a_register_holds_are_refused(kind, monkeypatch):
    rows = [["Ref"]] + [[n] for n in range(1, 100_001)]
    if kind == "xlsx":
        # 100,000 rows read in full cost seconds: the limit is checked as rows stream past,
        # so a lower limit shows the same refusal.
        monkeypatch.setattr(reading, "MAX_ROWS", 500)
        data = xlsx(rows[:1000])
    else:
        data = csv_bytes(rows)
    assert "more than" in refused(f"r.{kind}", data)


def test_a_broken_workbook_is_refused():
    data = xlsx([["Ref"], [1]])
    assert "could not be read as an Excel workbook" in refused("r.xlsx", data[: len(data) // 2])
    assert "could not be read as an Excel workbook" in refused("r.xlsx", b"not a zip at all")


def test_a_workbook_with_broken_xml_inside_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["Ref"], [1]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else (
                src.read(item.filename))
            dst.writestr(item, body)
    assert "could not be read" in refused("r.xlsx", out.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["Ref"], [1]]))) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        dst.writestr("xl/media/bomb.bin", b"\x00" * (60 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200_000
    assert "unpacks to far more data" in refused("r.xlsx", data)


def test_an_entity_expansion_in_the_workbook_xml_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b"<worksheet><sheetData>&lol2;</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["Ref"], [1]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, bomb if item.filename.endswith("sheet1.xml") else
                         src.read(item.filename))
    assert "could not be read" in refused("r.xlsx", out.getvalue())


def test_a_csv_not_in_utf8_is_refused_with_how_to_save_it():
    message = refused("r.csv", "Ref,Title\n1,Café – risk\n".encode("cp1252"))
    assert "not in UTF-8" in message and "CSV UTF-8" in message


def test_binary_data_named_csv_is_refused():
    assert "binary data" in refused("r.csv", b"Ref\x00\x01\n")
    assert "workbook named .csv" in refused("r.csv", xlsx([["Ref"]]))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://x")'])
def test_exports_neutralise_what_a_spreadsheet_would_run_and_imports_undo_it(text):
    assert neutralise(text) == "'" + text
    table = Table("t", ["Ref", "Title"], [[1, text]])
    assert read_upload(upload("r.csv", write_csv([table])))[1][1] == text
    # XML keeps no carriage returns: a workbook gives them back as new lines.
    assert read_upload(upload("r.xlsx", write_xlsx([table])))[1][1] == text.replace("\r", "\n")


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("VIOLENT CRIME") == "VIOLENT CRIME"
    assert neutralise(-3) == -3
    assert neutralise("'quoted'") == "'quoted'"
