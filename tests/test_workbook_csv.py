"""CSV download of any table: formula-looking text is quoted, Excel reads accents (BOM); an uploaded
CSV is read whatever a spreadsheet made of it, or refused with a message naming what is expected."""
import csv as std_csv
import io
from datetime import date

import pandas as pd
import pytest
from test_workbook_engine import INJECTION
from wbtools import demo_copy

from aims.workbook import csv as wb_csv
from aims.workbook import export


def read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode("utf-8"))
    return list(std_csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_formula_looking_text_is_prefixed_with_a_quote_and_can_be_restored():
    frame = pd.DataFrame({"Owner": INJECTION, "n": range(len(INJECTION))})
    rows = read(wb_csv.to_csv(frame))
    assert rows[0] == ["Owner", "n"]
    for (owner, _), original in zip(rows[1:], INJECTION):
        assert owner == "'" + original
        assert wb_csv.unquote(owner) == original


def test_plain_values_are_untouched():
    frame = pd.DataFrame({"ID": ["R-001"], "Due": [date(2027, 3, 31)], "Done": [True], "Systems": [["AIS-001", "AIS-002"]],
                          "Note": ["Café déjà vu"], "Missing": [None]})
    rows = read(wb_csv.to_csv(frame, title="Risks of Northwind"))
    assert rows[0] == ["Risks of Northwind"]
    assert rows[2] == ["R-001", "2027-03-31", "Yes", "AIS-001; AIS-002", "Café déjà vu", ""]


def test_a_headline_that_looks_like_a_formula_is_quoted_too():
    rows = read(wb_csv.to_csv(pd.DataFrame({"=x": [1]}), title="=HYPERLINK()"))
    assert rows[0] == ["'=HYPERLINK()"] and rows[1] == ["'=x"]


def test_every_table_of_the_workbook_downloads_as_csv(tmp_path, tmp_path_factory):
    con, ws_id, _ = demo_copy(tmp_path, tmp_path_factory)
    ctx = export.context(con, ws_id)
    from aims.workbook import registry
    for sheet in registry.sheets():
        if sheet.rows:
            frame = export.frame(ctx, sheet)
            rows = read(wb_csv.to_csv(frame))
            assert rows[0] == [c.header for c in sheet.columns if c.formula is None]
            assert len(rows) == len(frame) + 1
    con.close()


# ---- reading an uploaded CSV: the AI system import ----------------------------------------------

@pytest.mark.parametrize("data, message", [
    (b"", "The CSV is empty. The first line must name the columns (for example: name,business_owner"),
    (b"\n\n\n", "The CSV holds only blank lines. The first line must name the columns"),
    (b"\r\n  \r\n\t\r\n", "The CSV holds only blank lines."),
    (b",,,\n;;\n", "The CSV holds only blank lines."),
    (b"name\n", "The CSV has no data rows: below the first line (the column names), add one line per AI system"),
    (b"System\nFraud model\n", "Unknown column 'System'. Name the columns by field or by label"),
    (b"System\nFraud model\n", "The CSV needs a 'name' column (the system's name); its first line names 'System'."),
    (b"name,vendor\nA,B,C\n", "Row 2 has 3 values but the first line names 2 columns"),
    (b"name,name\nA,B\n", "Row 1: the column 'name' appears twice"),
    (b"name,Name\nA,B\n", "The columns 'name' and 'Name' are the same field"),
    (b"name,,vendor\nA,x,B\n", "Row 1: column 2 has no name"),
    (b"\x00\x01PK\x03\x04", "This is not a CSV file (it holds binary data)"),
    (b"name\nCaf\xe9 model\n", "The file is not UTF-8 text"),
    (b"name,lifecycle_stage\n\nA,production\n", "Row 3: Life-cycle stage must be one of"),
    (b"name\nA\nB\na\n", "Row 4: the name 'a' appears twice in the file (also on row 2)."),
])
def test_a_csv_the_import_cannot_use_gets_a_message_naming_what_is_expected(data, message):
    _, problems = wb_csv.systems(data)
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("data, rows", [
    (b"name\nFraud model\nChat assistant\n", [{"name": "Fraud model"}, {"name": "Chat assistant"}]),   # one column
    (b"Name\nFraud model\n", [{"name": "Fraud model"}]),                                    # one column, a label
    (b"\xef\xbb\xbfname;Business owner\nA;Risk\n", [{"name": "A", "business_owner": "Risk"}]),  # BOM, semicolons
    ("name\tvendor\nA\tAcme\n".encode("utf-16"), [{"name": "A", "vendor": "Acme"}]),           # Excel's Unicode text
    (b"\n\nname,vendor,,\n\nA,Acme,,\n,,,\n", [{"name": "A", "vendor": "Acme"}]),              # blank lines, trailing commas
    (b'name,purpose\n"Reader, v2","reads\nletters"\n', [{"name": "Reader, v2", "purpose": "reads\nletters"}]),
])
def test_csv_files_as_spreadsheets_save_them_are_read(data, rows):
    assert wb_csv.systems(data) == (rows, [])


def test_the_template_reads_back_and_a_csv_too_large_is_refused(monkeypatch):
    from aims.ai_systems import inventory
    rows, problems = wb_csv.systems(inventory.csv_template())
    assert problems == [] and rows[0]["name"] == "Invoice classifier"
    monkeypatch.setattr(inventory, "CSV_MAX_ROWS", 2)
    assert "The CSV has 3 rows; the limit is 2." in wb_csv.systems(b"name\nA\nB\nC\n")[1]
