"""The workbook engine: how each kind of column writes and reads back, the formula-injection
guard, fingerprints."""
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from aims.workbook import engine
from aims.workbook.engine import Column

INJECTION = ["=1+1", "=HYPERLINK(\"http://evil.example\",\"click\")", "+44 20 7946 0000", "-2+3",
             "@SUM(A1:A9)", "\t=cmd|' /C calc'!A0", "\r=1+1", "=cmd|' /C notepad'!'A1'", "-", "=", "@",
             "+", "=\n1"]


@pytest.mark.parametrize("text", INJECTION)
def test_text_that_looks_like_a_formula_is_written_as_literal_text(text):
    ws = Workbook().active
    engine.put(ws["A1"], text)
    cell = ws["A1"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == text.replace("\r\n", "\n")


def test_ordinary_values_keep_their_type():
    ws = Workbook().active
    for ref, value in (("A1", "plain"), ("A2", 3), ("A3", date(2027, 3, 31)), ("A4", None)):
        engine.put(ws[ref], value)
    assert ws["A1"].data_type == "s" and not ws["A1"].quotePrefix
    assert ws["A2"].data_type == "n"
    assert ws["A3"].number_format == engine.DATE_FORMAT
    assert ws["A4"].value is None


def test_a_formula_behind_a_dropped_character_is_still_literal_and_error_codes_stay_text():
    ws = Workbook().active
    engine.put(ws["A1"], "\x01=1+1")
    engine.put(ws["A2"], "#N/A")
    assert ws["A1"].value == "=1+1" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["A2"].value == "#N/A" and ws["A2"].data_type == "s"


def test_written_rows_are_the_values_a_reader_sees_without_creating_blank_cells():
    ws = Workbook().active
    ws["A1"], ws["C1"], ws["B4"] = "a", 3, "b"
    before = len(ws._cells)
    rows = engine.written_rows(ws)
    assert len(ws._cells) == before
    assert sorted(map(tuple, rows), key=repr) == sorted(
        (r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)), key=repr)
    assert engine.sheet_print(rows) == engine.sheet_print(ws.iter_rows(values_only=True))


def test_the_cycle_collector_pauses_while_nested_uses_last_and_resumes_after():
    import gc
    assert gc.isenabled()
    with engine.gc_paused():
        with engine.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()        # the outer use still holds it
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with engine.gc_paused():
            raise RuntimeError("a failed export")
    assert gc.isenabled()
    gc.disable()
    try:
        with engine.gc_paused():
            pass
        assert not gc.isenabled()        # left as the caller had it
    finally:
        gc.enable()


def test_line_count_estimates_wrapped_lines():
    assert engine.line_count("", 10) == 1
    assert engine.line_count("x" * 11, 10) == 1          # 10 wide holds 11 characters
    assert engine.line_count("x" * 12, 10) == 2
    assert engine.line_count("short\n\n" + "y" * 23, 10) == 1 + 1 + 3


def test_characters_xml_cannot_hold_are_dropped():
    ws = Workbook().active
    engine.put(ws["A1"], "bell\x07 and\r\nline")
    assert ws["A1"].value == "bell and\nline"


@pytest.mark.parametrize("column, stored, cell", [
    (Column("M", "m", "maturity"), 3, "3 Defined"),
    (Column("M", "m", "maturity"), None, "Not assessed"),
    (Column("B", "b", "bool"), True, "Yes"),
    (Column("B", "b", "bool"), False, "No"),
    (Column("L", "l", "multi", choices=("a", "b", "c")), ["c", "a"], "c; a"),
    (Column("D", "d", "date"), datetime(2027, 1, 2, 0, 0), date(2027, 1, 2)),
    (Column("I", "i", "int", low=1, high=5), 4, 4),
    (Column("T", "t"), "", None),
])
def test_values_are_shown_the_way_a_client_reads_them(column, stored, cell):
    assert column.to_cell(stored) == cell


@pytest.mark.parametrize("column, raw, value", [
    (Column("M", "m", "maturity"), "3 Defined", 3),
    (Column("M", "m", "maturity"), 3.0, 3),
    (Column("M", "m", "maturity"), "Not assessed", None),
    (Column("M", "m", "maturity"), None, None),
    (Column("B", "b", "bool"), "yes", True),
    (Column("B", "b", "bool"), "No", False),
    (Column("L", "l", "multi", choices=("a", "b", "c")), "c; A", ("a", "c")),   # canonical order, case folded
    (Column("R", "r", "refs"), "AIS-002; AIS-001;AIS-002", ("AIS-002", "AIS-001")),
    (Column("D", "d", "date"), datetime(2027, 1, 2), date(2027, 1, 2)),
    (Column("D", "d", "date"), "2027-01-02", date(2027, 1, 2)),
    (Column("I", "i", "int", low=1, high=5), 4.0, 4),
    (Column("T", "t"), "  padded\r\n", "padded"),
    (Column("T", "t"), 42.0, "42"),
    (Column("C", "c", "choice", choices=("low", "high")), "HIGH", "high"),
])
def test_cells_read_back_to_canonical_values(column, raw, value):
    assert column.parse(raw) == (value, None)


@pytest.mark.parametrize("column, raw, message", [
    (Column("M", "m", "maturity"), "7 Excellent", "must be one of: 0 None"),
    (Column("M", "m", "maturity"), "3 Measured", "must be one of"),
    (Column("B", "b", "bool"), "maybe", "must be Yes or No"),
    (Column("L", "l", "multi", choices=("a", "b")), "a; z", "unknown value(s) z"),
    (Column("D", "d", "date"), "next week", "must be a date like 2027-03-31"),
    (Column("I", "i", "int", low=1, high=5), 9, "from 1 to 5"),
    (Column("I", "i", "int", low=1, high=5), 2.5, "from 1 to 5"),
    (Column("I", "i", "int", low=1, high=5), "three", "from 1 to 5"),
    (Column("T", "t", limit=5), "too long", "is 8 characters long; the limit is 5"),
    (Column("C", "c", "choice", choices=("low", "high")), "medium", "must be one of: low, high"),
    (Column("T", "t", required=True), "", "is required"),
])
def test_bad_cells_are_named_with_what_is_allowed(column, raw, message):
    assert message in column.parse(raw)[1]


@pytest.mark.parametrize("column, expected", [
    (Column("M", "m", "maturity"), "one of: 0 None, 1 Initial"),
    (Column("I", "i", "int", low=1, high=5), "a whole number from 1 to 5"),
    (Column("D", "d", "date"), "a date like 2027-03-31"),
    (Column("C", "c", "choice", choices=("low", "high")), "one of: low, high"),
    (Column("K", "k", "code", choices=("PH-01 Set-up", "PH-02 Policy")), "one of: PH-01, PH-02"),
    (Column("L", "l", "multi", choices=("a", "b")), "one of: a, b"),
    (Column("R", "r", "ref", ref="ai_system"), "an ID"),
    (Column("R", "r", "refs", ref="ai_system"), "IDs separated by '; '"),
])
@pytest.mark.parametrize("raw", [True, False])
def test_a_true_or_false_cell_is_never_a_number_a_date_an_id_or_a_label(column, expected, raw):
    value, problem = column.parse(raw)
    assert value in (None, "", ())
    assert problem.startswith(f"holds {'TRUE' if raw else 'FALSE'} (a true/false value) where {expected}")


def test_a_true_or_false_cell_is_text_as_excel_shows_it_and_a_yes_no_value_in_a_yes_no_column():
    assert Column("T", "t").parse(True) == ("TRUE", None)
    assert Column("T", "t", "long").parse(False) == ("FALSE", None)
    assert Column("B", "b", "bool").parse(True) == (True, None)


@pytest.mark.parametrize("column, value", [
    (Column("M", "m", "maturity"), 0), (Column("M", "m", "maturity"), None),
    (Column("L", "l", "multi", choices=("a", "b")), "b; a"), (Column("D", "d", "date"), date(2026, 2, 28)),
    (Column("T", "t", "long"), "line 1\nline 2"), (Column("T", "t"), "=SUM(A1)"), (Column("T", "t"), None),
])
def test_canonical_is_what_the_cell_reads_back_as(column, value):
    assert column.canonical(value) == column.parse(column.to_cell(value))[0]


def test_fingerprint_is_stable_and_per_field():
    a = engine.fingerprint([1, "x", None])
    assert a == engine.fingerprint([1, "x", None])
    assert a.split(".")[:2] == engine.fingerprint([1, "x", "changed"]).split(".")[:2]
    assert len(a.split(".")) == 3


def test_list_reference_points_at_the_lists_sheet():
    assert engine.list_ref(3, 4) == "'Lists'!$C$2:$C$5"
