"""The exported engagement workbook: sheet names and headings (golden), the look of a
consultant's deliverable, drop-downs from the Lists sheet, colours, printing, charts, the
injection guard end to end, and the Statement of Applicability on its own."""
import time
from datetime import date

import pytest
from wbtools import demo_copy, header, load

from aims.assessment import requirements as assessments
from aims.store import workspaces
from aims.workbook import export, registry
from aims.workbook import soa as wb_soa
from aims.workbook.engine import HEADER_FILL, READONLY_FILL

SHEETS = ["Cover", "Summary", "Gap Analysis", "Statement of Applicability", "AI Systems", "Classifications",
          "Impact Assessments", "Risks", "Risk Heatmap", "Roadmap", "Governance", "Documents", "Audits",
          "Audit Checklist", "Findings", "Management Reviews", "Evidence Requests", "Parking Lot", "Lists"]
HEADERS = {
    "Gap Analysis": ["Ref", "Requirement", "Clause / objective", "Mandatory doc", "Applicable", "Maturity", "Target",
                     "Gap", "Status", "Evidence strength", "Evidence", "Owner", "Action", "Due", "Notes"],
    "Statement of Applicability": ["Ref", "Control", "Objective", "Applicable", "Inclusion justification",
                                   "Exclusion justification", "Implementation", "Owner", "Evidence reference",
                                   "Maturity", "Check"],
    "AI Systems": ["ID", "Name", "Description", "Business owner", "Technical owner", "Business unit", "Purpose",
                   "Intended uses and users", "Reasonably foreseeable misuse", "Life-cycle stage", "Sourcing",
                   "Vendor", "Model", "Model type", "Data sources", "Personal data used",
                   "Special categories of personal data", "Affected persons", "Level of automation",
                   "Human oversight mechanism", "Organisation's role", "Placed on or used in the EU market",
                   "General-purpose AI model involved", "Last review", "Next review", "EU AI Act category", "Status"],
    "Classifications": ["AI system", "System name", "Version", "Latest", "Role", "Category", "Basis", "GPAI",
                        "Answered yes", "Reasoning", "Classified on", "Classified by"],
    "Impact Assessments": ["Answer ID", "Assessment", "AI system", "Version", "Status", "Section", "Question",
                           "Answer", "Severity", "Note"],
    "Risks": ["ID", "Title", "Description", "AI systems", "Annex A controls", "Life-cycle stage",
              "Risk source (Annex C.3)", "Affected objective (Annex C.2)", "Affected stakeholders",
              "Inherent likelihood", "Inherent impact", "Inherent score", "Inherent level", "Existing controls",
              "Treatment", "Residual likelihood", "Residual impact", "Residual score", "Residual level",
              "Treatment implemented on", "Current score", "Current level", "Owner", "Due",
              "Status", "Accepted by", "Accepted on", "Acceptance expiry", "Next review", "Checks"],
    "Roadmap": ["ID", "Title", "Phase", "Requirements", "Risks", "Owner", "Effort", "Effort (days)",
                "Priority override", "Priority", "Why this priority", "Start", "Due", "Status", "% complete",
                "Done on", "Notes", "Overdue", "Source"],
    "Documents": ["ID", "Document", "Requirements", "Kind", "Required", "Why", "Status", "Owner", "Version",
                  "Record date", "Location", "Last review", "Next review", "Due", "Notes", "Review overdue"],
    "Audits": ["ID", "Title", "Kind", "Status", "Start", "Finish", "Lead auditor", "Audit team", "Scope", "Objectives",
               "Criteria", "Processes", "AI systems", "Sites", "Certification body", "Outcome", "Summary", "Conclusion",
               "Checklist progress", "Findings"],
    "Audit Checklist": ["ID", "Audit", "Requirement", "Title", "Auditor", "Result", "Evidence sampled", "Notes",
                        "Override reason", "Impartiality", "Audit questions", "Evidence to sample", "Findings"],
    "Findings": ["ID", "Title", "Grade", "Source", "Audit", "Review", "Requirements", "Description", "Evidence",
                 "Owner", "Due", "Raised on", "Status", "Next step", "Correction", "Root cause", "Five whys",
                 "Corrective action", "Action status", "Verified by", "Verified on", "Verification", "Closed by",
                 "Closed on", "Overdue"],
    "Management Reviews": ["ID", "Date", "Status", "Top management present", "State", "Attendees", "Inputs written",
                           "Decisions", "Improvement opportunities", "Changes to the AIMS", "Resources", "Actions"],
    "Evidence Requests": ["Owner", "Source", "Ref", "Item", "Request", "Due", "Overdue", "Status"],
    "Parking Lot": ["ID", "Workshop", "Requirement", "Question", "Owner", "Status", "Raised on", "Resolved on",
                    "Resolution"],
}


@pytest.fixture
def demo(tmp_path, tmp_path_factory):
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    yield con, ws_id
    con.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The demo workbook, built once for the read-only checks of this module."""
    folder = tmp_path_factory.mktemp("book")
    con, ws_id, _ = demo_copy(folder, tmp_path_factory)
    try:
        return load(export.build(con, ws_id))
    finally:
        con.close()


def table_sheets():
    return [s for s in registry.sheets() if s.rows]


def test_sheet_names_are_as_agreed(book):
    visible = [n for n in book.sheetnames if book[n].sheet_state == "visible"]
    assert visible == SHEETS
    assert book[export.RECORD_SHEET].sheet_state == "veryHidden"


@pytest.mark.parametrize("name", list(HEADERS))
def test_headings_are_as_agreed(book, name):
    assert header(book[name]) == HEADERS[name]


def test_every_table_sheet_is_covered_by_the_golden_headings():
    assert {s.name for s in table_sheets()} == set(HEADERS)


@pytest.mark.parametrize("name", list(HEADERS))
def test_a_table_sheet_looks_like_a_deliverable(book, name):
    ws = book[name]
    spec = next(s for s in table_sheets() if s.name == name)
    assert all(c.font.b for c in ws[1])
    for i, col in enumerate(spec.columns, start=1):
        fill = ws.cell(row=1, column=i).fill.fgColor.rgb[-6:]
        assert fill == (HEADER_FILL if col.editable else READONLY_FILL).fgColor.rgb[-6:], col.header
        assert ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width == col.width
    assert ws.freeze_panes in ("B2", "C2")
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.auto_filter.ref.endswith(str(ws.max_row))
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    long_text = [i for i, c in enumerate(spec.columns, start=1) if c.kind == "long"]
    assert all(ws.cell(row=2, column=i).alignment.wrap_text for i in long_text)


def _validations(ws) -> dict[str, str]:
    """column letter -> formula of the list validation on it."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            for rng in dv.sqref.ranges:
                out[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def _list_values(book, formula: str) -> list:
    ref = formula.split("!")[1].replace("$", "")
    start, end = ref.split(":")
    lists = book["Lists"]
    return [c.value for row in lists[start:end] for c in row]


@pytest.mark.parametrize("name", list(HEADERS))
def test_every_enumerated_column_has_a_drop_down_from_the_lists_sheet(book, demo, name):
    ws = book[name]
    spec = next(s for s in table_sheets() if s.name == name)
    ctx = export.context(*demo)
    found = _validations(ws)
    for i, col in enumerate(spec.columns, start=1):
        letter = ws.cell(row=1, column=i).column_letter
        enumerated = col.kind in ("choice", "code", "bool", "maturity", "multi") or col.list_name
        if col.editable and enumerated:
            assert letter in found, f"{name}: {col.header} has no drop-down"
            assert found[letter].startswith("'Lists'!")
            values = _list_values(book, found[letter])
            expected = list(col.allowed(ctx)) if col.kind != "int" else [1, 2, 3, 4, 5]
            assert values == expected, col.header
        elif not spec.decorate:
            assert letter not in found, f"{name}: {col.header} should not have a drop-down"


def test_drop_downs_reach_below_the_data_for_added_rows(book):
    ws = book["Gap Analysis"]
    dv = next(d for d in ws.data_validations.dataValidation if d.type == "list")
    assert next(iter(dv.sqref.ranges)).max_row >= ws.max_row + 400


def test_maturity_gap_and_status_are_coloured_and_keep_their_value(book):
    ws = book["Gap Analysis"]
    ranges = {str(r.sqref).split(":")[0].rstrip("0123456789"): r for r in ws.conditional_formatting}
    for column in ("Maturity", "Gap", "Status"):
        letter = ws.cell(row=1, column=header(ws).index(column) + 1).column_letter
        assert letter in ranges, column
        assert all(rule.dxf.fill is not None for rule in ranges[letter].rules)
    maturity = ws.cell(row=2, column=header(ws).index("Maturity") + 1).value
    assert maturity.split(" ")[0].isdigit() or maturity == "Not assessed"   # the label is in the cell


def test_gap_and_status_are_live_formulas_that_follow_the_clients_edits(book):
    ws = book["Gap Analysis"]
    h = header(ws)
    gap = ws.cell(row=2, column=h.index("Gap") + 1).value
    status = ws.cell(row=2, column=h.index("Status") + 1).value
    assert gap.startswith("=IF(") and "VALUE(LEFT(F2,1))" in gap
    assert status.startswith("=IF(E2=\"No\",\"excluded\"")
    assert book.calculation.fullCalcOnLoad


def test_summary_has_kpis_tables_and_native_charts(book):
    ws = book["Summary"]
    labels = [ws.cell(row=r, column=1).value for r in range(1, 40)]
    for kpi in ("Overall readiness", "Stage 1 readiness", "Stage 2 readiness", "Open gaps"):
        assert kpi in labels
    assert "Readiness by clause (4-10)" in labels
    assert len(ws._charts) >= 4
    kinds = {type(c).__name__ for c in ws._charts}
    assert {"BarChart", "RadarChart"} <= kinds
    clause4 = next(r for r in range(1, 80) if ws.cell(row=r, column=1).value == "Clause 4")
    assert ws.cell(row=clause4, column=3).value == 4      # applicable requirements of clause 4


def test_cover_names_the_client_date_tool_and_catalogue(book):
    ws = book["Cover"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for expected in ("Northwind Lending plc (fictional)", "AIMS Workbench", "ISO/IEC 42001:2023",
                     "content version", date.today().isoformat()[:4], "How to edit and return this workbook"):
        assert expected in text
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink]
    assert "'Gap Analysis'!A1" in links


def test_lists_sheet_holds_the_scales_and_is_protected(book):
    ws = book["Lists"]
    heads = header(ws)
    for name in ("Maturity", "Target maturity", "Evidence strength", "Yes / No", "Inclusion reasons", "Implementation"):
        assert name in heads
    assert ws.protection.sheet
    assert "Maturity scale" in heads


def test_user_text_never_becomes_a_formula_end_to_end(demo):
    con, ws_id = demo
    cat = __import__("aims.catalog.standard", fromlist=["load"]).load()
    corpus = {"4.1": "=HYPERLINK(\"http://evil.example\",\"x\")", "4.2": "+44 20 7946 0000", "4.3": "-1+1",
              "4.4": "@SUM(A1)", "5.1": "=1+1"}
    assessments.save(con, ws_id, cat, {k: {"owner": v, "notes": v} for k, v in corpus.items()})
    workspaces.update(con, ws_id, {"organisation": "=WEBSERVICE(\"http://x\")"})
    data = export.build(con, ws_id)
    book = load(data)
    formulas = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas.append((ws.title, c.coordinate, c.value))
                if isinstance(c.value, str) and c.value in corpus.values():
                    assert c.quotePrefix and c.data_type == "s"
    # the only formulas are the workbook's own calculated columns (gap, status, risk score and level)
    calculated = {(s.name, i) for s in table_sheets() for i, c in enumerate(s.columns, start=1) if c.formula}
    assert formulas
    for title, coordinate, value in formulas:
        column = book[title][coordinate].column
        assert (title, column) in calculated and value.startswith("=IF("), (title, coordinate, value)
    soa_only = load(wb_soa.standalone(export.context(con, ws_id)))
    assert not [c for row in soa_only.active.iter_rows() for c in row if c.data_type == "f"]
    assert soa_only.active["B4"].quotePrefix


def test_standalone_soa_has_version_approval_and_date(demo):
    con, ws_id = demo
    assessments.set_soa_approval(con, ws_id, "1.2", "Priya Shah (CRO)", date(2026, 1, 15))
    ws = load(wb_soa.standalone(export.context(con, ws_id))).active
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(4, 10)}
    assert facts["SoA version"] == "1.2"
    assert facts["Approved by"] == "Priya Shah (CRO)"
    assert facts["Approved on"].date() == date(2026, 1, 15)
    assert facts["Date of this export"].date() == date.today()
    head = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Ref")
    assert ws.max_row - head == 38
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.page_setup.orientation == "landscape"


def test_export_of_the_demo_is_fast(demo):
    con, ws_id = demo
    started = time.perf_counter()
    data = export.build(con, ws_id)
    seconds = time.perf_counter() - started
    print(f"demo workbook: {len(data) / 1024:.0f} KB in {seconds:.2f} s")
    assert seconds < 10


def test_progress_is_reported_per_sheet(demo):
    seen = []
    export.build(*demo, progress=lambda f, what: seen.append((f, what)))
    assert seen[0][0] == 0 and seen[-1] == (1.0, "done")
    assert [w for _, w in seen[:-2]] == [s.name for s in registry.sheets()]


def test_unknown_workspace_is_a_clear_error(demo):
    from aims.common.validate import ValidationError
    with pytest.raises(ValidationError, match="no workspace with id 999"):
        export.build(demo[0], 999)


def test_file_name_is_safe():
    assert export.file_name({"name": "A/B: C"}, date(2026, 1, 2)) == "AIMS workbook - AB C - 2026-01-02.xlsx"
