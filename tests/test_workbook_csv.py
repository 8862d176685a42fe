"""CSV download of any table: formula-looking text is quoted, Excel reads accents (BOM)."""
import csv as std_csv
import io
from datetime import date

import pandas as pd
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
