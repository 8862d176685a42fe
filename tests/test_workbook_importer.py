"""Importing an edited workbook: an unedited one changes nothing, an edited one changes exactly
the edits, every problem names sheet, row and column, malformed files get a clear message, and
in every failure nothing is written."""
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from wbtools import col_of, count, demo_copy, edit, edits, load, row_of, save

from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.common.validate import ValidationError
from aims.progress import baselines
from aims.store import db
from aims.workbook import export, importer, registry

CAT = catalog.load()


@pytest.fixture
def demo(tmp_path, tmp_path_factory):
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    yield con, ws_id, path
    con.close()


@pytest.fixture
def exported(demo):
    con, ws_id, _ = demo
    return export.build(con, ws_id)


def log_count(con):
    return count(con, "SELECT count(*) FROM change_log")


def rec(con, ws_id, req):
    return assessments.table(con, ws_id, CAT, 3).set_index("req_id").loc[req]


def refused(con, ws_id, data, *fragments):
    """Plan and apply both refuse with every fragment in the problems; nothing is written."""
    before = log_count(con)
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, data)
    with pytest.raises(ValidationError):
        importer.apply(con, ws_id, data, db_path=":memory:")
    text = "\n".join(err.value.problems)
    for f in fragments:
        assert f in text, text
    assert log_count(con) == before
    return err.value.problems


# ---- round trip ---------------------------------------------------------------------------------

def test_an_unedited_demo_workbook_changes_nothing(demo, exported, tmp_path):
    con, ws_id, path = demo
    before = log_count(con)
    p = importer.plan(con, ws_id, exported)
    ctx = export.context(con, ws_id)
    every_row = sum(len(s.rows(ctx)) for s in registry.importable())
    assert p.counts() == {"added": 0, "changed": 0, "fields": 0, "unchanged": every_row, "deleted": 0}
    assert {s.name: s.unchanged for s in p.sheets}["Gap Analysis"] == 70
    assert {s.name: s.unchanged for s in p.sheets}["Statement of Applicability"] == 38
    assert not p.has_changes and not p.warnings
    result = importer.apply(con, ws_id, exported, db_path=path)
    assert (result["changed"], result["added"], result["deleted"], result["backup"]) == (0, 0, 0, None)
    assert log_count(con) == before


def test_an_edited_workbook_changes_exactly_the_edits(demo, exported):
    con, ws_id, path = demo
    before = rec(con, ws_id, "4.1")
    data = edits(exported, [
        ("Gap Analysis", "4.1", "Maturity", "4 Measured"),
        ("Gap Analysis", "4.1", "Owner", "Ann Client"),
        ("Gap Analysis", "9.2.1", "Due", date(2027, 6, 30)),
        ("Gap Analysis", "6.1.2", "Evidence", "Risk method v2, approved\nby the board"),
        ("Statement of Applicability", "A.2.2", "Applicable", "No"),
        ("Statement of Applicability", "A.2.2", "Exclusion justification", "Covered by group policy"),
        ("Statement of Applicability", "A.3.2", "Inclusion justification", "contractual; risk treatment"),
    ])
    p = importer.plan(con, ws_id, data)
    sheets = {s.name: s for s in p.sheets}
    gap, soa_plan = sheets["Gap Analysis"], sheets["Statement of Applicability"]
    assert not any(s.has_changes for n, s in sheets.items() if n not in ("Gap Analysis", "Statement of Applicability"))
    assert {r.key: r.changes for r in gap.changed} == {
        "4.1": {"maturity": (before["maturity"], 4), "owner": (before["owner"], "Ann Client")},
        "9.2.1": {"due": (rec(con, ws_id, "9.2.1")["due"], date(2027, 6, 30))},
        "6.1.2": {"evidence": (rec(con, ws_id, "6.1.2")["evidence"], "Risk method v2, approved\nby the board")},
    }
    assert [r.row for r in gap.changed] == [2, 10, 27] or len(gap.changed) == 3
    assert {r.key: set(r.changes) for r in soa_plan.changed} == {
        "A.2.2": {"applicable", "exclusion_reason"}, "A.3.2": {"inclusion_reasons"}}
    assert gap.unchanged == 67 and soa_plan.unchanged == 36
    log_before = log_count(con)
    result = importer.apply(con, ws_id, data, db_path=path)
    assert (result["changed"], result["fields"]) == (5, 7)
    # one change-log row per edited field, and one for the baseline taken before the import
    assert log_count(con) == log_before + 7 + 1
    listed = baselines.listing(con, ws_id)
    assert listed["kind"].tolist().count("before import") == 1 and listed["id"].iloc[-1] == result["baseline"]
    kept = baselines.load(con, ws_id, result["baseline"])
    assert kept["requirements"]["4.1"]["maturity"] == before["maturity"]     # the state before the import
    after = rec(con, ws_id, "4.1")
    assert (after["maturity"], after["owner"]) == (4, "Ann Client")
    assert rec(con, ws_id, "A.2.2")["applicable"] == False  # noqa: E712
    assert rec(con, ws_id, "A.3.2")["inclusion_reasons"] == "risk treatment; contractual"
    assert not importer.plan(con, ws_id, data).has_changes       # the same workbook again: nothing left to do
    assert not importer.plan(con, ws_id, export.build(con, ws_id)).has_changes


def test_apply_backs_the_database_up_first(demo, exported):
    con, ws_id, path = demo
    data = edit(exported, "Gap Analysis", "4.1", "Owner", "Backup check")
    result = importer.apply(con, ws_id, data, db_path=path)
    backup = Path(result["backup"])
    assert backup.exists() and backup.parent == Path(path).parent / "backups"
    other = db.open_database(backup)
    try:
        owner = assessments.table(other, ws_id, CAT, 3).set_index("req_id").loc["4.1", "owner"]
    finally:
        other.close()
    assert owner != "Backup check"       # the backup holds the state before the import


def test_clearing_a_cell_is_an_edit(demo, exported):
    con, ws_id, path = demo
    data = edits(exported, [("Gap Analysis", "4.1", "Maturity", None), ("Gap Analysis", "4.1", "Evidence", None)])
    importer.apply(con, ws_id, data, db_path=path)
    r = rec(con, ws_id, "4.1")
    assert str(r["maturity"]) == "<NA>"
    assert r["evidence"] == ""


def test_read_only_columns_are_ignored(demo, exported):
    con, ws_id, _ = demo
    data = edits(exported, [("Gap Analysis", "4.1", "Requirement", "Renamed by the client"),
                            ("Statement of Applicability", "A.2.2", "Owner", "Someone else"),
                            ("Gap Analysis", "4.1", "Gap", 0)])
    p = importer.plan(con, ws_id, data)
    assert not p.has_changes
    # but nothing typed is dropped silently: the preview says those edits are not imported
    assert any("Sheet 'Gap Analysis': cells in grey-headed (read-only) columns were changed on row 2 (4.1)" in w
               for w in p.warnings)
    assert any("Sheet 'Statement of Applicability': cells in grey-headed" in w for w in p.warnings)


def test_a_clause_set_to_not_applicable_is_explained_not_imported(demo, exported):
    """Clauses 4-10 always apply: the warning says so in plain words (not 'read-only column');
    an Annex A control set to No here is pointed to the Statement of Applicability sheet."""
    con, ws_id, _ = demo
    data = edits(exported, [("Gap Analysis", "5.2", "Applicable", "No"), ("Gap Analysis", "A.2.2", "Applicable", "No")])
    p = importer.plan(con, ws_id, data)
    assert not p.has_changes
    assert any("row" in w and "(5.2): clause 5.2 was set to not applicable, but clauses 4-10 always apply" in w
               for w in p.warnings), p.warnings
    assert any("(A.2.2): to exclude control A.2.2, set Applicable to No on the Statement of Applicability sheet" in w
               for w in p.warnings), p.warnings
    assert not any("grey-headed" in w for w in p.warnings)


def test_a_value_changed_in_the_app_after_the_export_is_not_reverted(demo, exported):
    con, ws_id, path = demo
    assessments.save(con, ws_id, CAT, {"4.2": {"owner": "Changed in the app"}})
    data = edit(exported, "Gap Analysis", "4.1", "Owner", "Changed in Excel")
    p = importer.plan(con, ws_id, data)
    assert {r.key for s in p.sheets for r in s.changed} == {"4.1"}
    assert any("keep the app's value" in w and "4.2 Owner" in w for w in p.warnings)
    importer.apply(con, ws_id, data, db_path=path)
    assert rec(con, ws_id, "4.2")["owner"] == "Changed in the app"
    assert rec(con, ws_id, "4.1")["owner"] == "Changed in Excel"


def test_a_value_changed_in_both_places_is_flagged_and_the_workbook_wins(demo, exported):
    con, ws_id, path = demo
    assessments.save(con, ws_id, CAT, {"4.1": {"owner": "App"}})
    data = edit(exported, "Gap Analysis", "4.1", "Owner", "Excel")
    p = importer.plan(con, ws_id, data)
    assert p.sheets[0].changed[0].conflicts == ["owner"]
    assert any("changed both in the app" in w for w in p.warnings)
    rows = importer.change_rows(p.sheets[0])
    assert rows[0]["What"] == "changed (also changed in the app)" and rows[0]["Old value"] == "App"
    importer.apply(con, ws_id, data, db_path=path)
    assert rec(con, ws_id, "4.1")["owner"] == "Excel"


def test_a_workbook_without_its_export_record_still_imports_with_a_warning(demo, exported):
    con, ws_id, path = demo
    wb = load(edit(exported, "Gap Analysis", "4.1", "Owner", "No record"))
    del wb[export.RECORD_SHEET]
    p = importer.plan(con, ws_id, save(wb))
    assert any("no export record" in w for w in p.warnings)
    assert p.counts()["changed"] == 1


def test_importing_into_another_workspace_is_refused_unless_confirmed(demo, exported):
    con, ws_id, _ = demo
    from aims.store import workspaces
    other = workspaces.duplicate(con, ws_id, "Copy of Northwind")
    data = edit(exported, "Gap Analysis", "4.1", "Owner", "Mapped owner")
    problems = refused(con, other, data, "This workbook was exported from the workspace 'Northwind Lending (demo)', "
                       "not from 'Copy of Northwind'", "confirm that you mean to map it")
    assert len(problems) == 1
    with pytest.raises(importer.OtherWorkspace) as err:
        importer.plan(con, other, data)
    assert (err.value.source, err.value.target) == ("Northwind Lending (demo)", "Copy of Northwind")
    p = importer.plan(con, other, data, allow_other_workspace=True)
    assert p.other_workspace == "Northwind Lending (demo)"
    assert any("exported from the workspace 'Northwind Lending (demo)'" in w for w in p.warnings)
    result = importer.apply(con, other, data, db_path=":memory:", allow_other_workspace=True)
    assert result["changed"] == 1
    assert rec(con, other, "4.1")["owner"] == "Mapped owner"
    assert rec(con, ws_id, "4.1")["owner"] != "Mapped owner"


def test_a_workbook_of_a_workspace_deleted_and_created_again_is_another_workspace(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    record = wb[export.RECORD_SHEET]
    row = next(r for r in range(1, record.max_row + 1) if record.cell(row=r, column=1).value == "workspace_id")
    record.cell(row=row, column=2).value = str(ws_id + 1000)
    with pytest.raises(importer.OtherWorkspace, match="another workspace also named 'Northwind Lending"):
        importer.plan(con, ws_id, save(wb))


def test_without_its_export_record_the_cover_sheet_still_tells_another_workspace(demo, exported):
    con, ws_id, _ = demo
    from aims.store import workspaces
    other = workspaces.duplicate(con, ws_id, "Copy of Northwind")
    wb = load(exported)
    del wb[export.RECORD_SHEET]
    with pytest.raises(importer.OtherWorkspace, match="exported from the workspace 'Northwind Lending \\(demo\\)'"):
        importer.plan(con, other, save(wb))
    p = importer.plan(con, other, save(wb), allow_other_workspace=True)
    assert any("no export record" in w for w in p.warnings)


def test_a_workspace_renamed_since_the_export_is_still_the_same_workspace(demo, exported):
    con, ws_id, _ = demo
    from aims.store import workspaces
    workspaces.update(con, ws_id, {"name": "Northwind Lending"})
    p = importer.plan(con, ws_id, edit(exported, "Gap Analysis", "4.1", "Owner", "Renamed client"))
    assert p.other_workspace == "" and p.counts()["changed"] == 1


def test_preview_describes_old_and_new_values(demo, exported):
    con, ws_id, _ = demo
    p = importer.plan(con, ws_id, edit(exported, "Gap Analysis", "4.1", "Maturity", "5 Optimising"))
    lines = importer.describe(p)
    assert any("4.1 Maturity:" in ln and "-> '5 Optimising'" in ln for ln in lines)
    assert importer.overview(p)[0] == {"Sheet": "Gap Analysis", "Added": 0, "Changed": 1, "Unchanged": 69,
                                       "Deleted in Excel": 0}


def test_a_missing_requirement_row_is_reported_and_nothing_changes(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    ws = wb["Gap Analysis"]
    ws.delete_rows(row_of(ws, "4.1"))
    p = importer.plan(con, ws_id, save(wb))
    assert not p.has_changes
    assert any("4.1" in w and "cannot be removed" in w for w in p.warnings)


# ---- every problem names sheet, row and column; nothing is written --------------------------------

def test_bad_values_are_all_listed_with_sheet_row_and_column(demo, exported):
    con, ws_id, _ = demo
    data = edits(exported, [
        ("Gap Analysis", "4.1", "Maturity", "7 Excellent"),
        ("Gap Analysis", "4.2", "Target", 9),
        ("Gap Analysis", "4.3", "Due", "next week"),
        ("Gap Analysis", "4.4", "Evidence strength", "strong"),
        ("Gap Analysis", "5.1", "Owner", "x" * 201),
        ("Statement of Applicability", "A.2.2", "Applicable", "maybe"),
        ("Statement of Applicability", "A.2.3", "Implementation", "done"),
        ("Statement of Applicability", "A.2.4", "Inclusion justification", "because"),
    ])
    problems = refused(con, ws_id, data,
                       "Sheet 'Gap Analysis', row 2, column 'Maturity': must be one of: 0 None",
                       "Sheet 'Gap Analysis', row 3, column 'Target': must be a whole number from 1 to 5",
                       "Sheet 'Gap Analysis', row 4, column 'Due': must be a date like 2027-03-31",
                       "Sheet 'Gap Analysis', row 5, column 'Evidence strength': must be one of: none, claimed",
                       "Sheet 'Gap Analysis', row 6, column 'Owner': is 201 characters long; the limit is 200",
                       "Sheet 'Statement of Applicability', row 2, column 'Applicable': must be Yes or No",
                       "row 3, column 'Implementation': must be one of",
                       "row 4, column 'Inclusion justification': unknown value(s) because")
    assert len(problems) == 8


def test_rules_of_the_area_are_checked_before_anything_is_written(demo, exported):
    con, ws_id, _ = demo
    data = edits(exported, [("Statement of Applicability", "A.2.2", "Applicable", "No"),
                            ("Gap Analysis", "4.1", "Owner", "Would be written")])
    refused(con, ws_id, data, "Sheet 'Statement of Applicability', row 2 (A.2.2): A.2.2 is excluded: "
                              "give a justification")
    assert rec(con, ws_id, "4.1")["owner"] != "Would be written"


def test_duplicate_and_unknown_ids(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    ws = wb["Gap Analysis"]
    ws.cell(row=3, column=1, value="4.1")
    ws.cell(row=4, column=1, value="4.99")
    refused(con, ws_id, save(wb), "Sheet 'Gap Analysis', row 3, column 'Ref': ID 4.1 is also on row 2",
            "row 4, column 'Ref': unknown ID '4.99'; rows cannot be added to this sheet")


def test_a_formula_where_a_value_is_expected_is_refused(demo, exported):
    con, ws_id, _ = demo
    data = edits(exported, [("Gap Analysis", "4.1", "Owner", "=cmd|' /C calc'!A0"),
                            ("Gap Analysis", "4.2", "Target", "=2+1")])
    refused(con, ws_id, data, "Sheet 'Gap Analysis', row 2, column 'Owner' holds a formula (=cmd|' /C calc'!A0)",
            "row 3, column 'Target' holds a formula (=2+1) where a value is expected")


def test_text_typed_with_a_quote_prefix_is_text_not_a_formula(demo, exported):
    con, ws_id, path = demo
    wb = load(exported)
    ws = wb["Gap Analysis"]
    cell = ws.cell(row=row_of(ws, "4.1"), column=col_of(ws, "Notes"))
    cell.value = "=not a formula"
    cell.data_type = "s"
    cell.quotePrefix = True
    importer.apply(con, ws_id, save(wb), db_path=path)
    assert rec(con, ws_id, "4.1")["notes"] == "=not a formula"


def test_missing_and_renamed_sheets(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    wb["Gap Analysis"].title = "Gaps"
    del wb["Statement of Applicability"]
    refused(con, ws_id, save(wb),
            "Sheet 'Gap Analysis' is missing (renamed or deleted?). The workbook has a sheet 'Gaps' that is not "
            "expected: give it back its name 'Gap Analysis'.",
            "Sheet 'Statement of Applicability' is missing")


def test_missing_renamed_and_duplicated_columns(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    gap = wb["Gap Analysis"]
    gap.cell(row=1, column=col_of(gap, "Owner"), value="Owner name")
    soa = wb["Statement of Applicability"]
    soa.cell(row=1, column=col_of(soa, "Check"), value="Implementation")
    refused(con, ws_id, save(wb), "Sheet 'Gap Analysis': column 'Owner' missing (renamed or deleted?)",
            "Sheet 'Statement of Applicability', row 1: the column heading 'Implementation' appears twice")


def test_an_extra_column_with_content_is_refused_and_an_empty_one_ignored(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    gap = wb["Gap Analysis"]
    gap.cell(row=1, column=20, value="Client comments")
    assert not importer.plan(con, ws_id, save(wb)).has_changes
    gap.cell(row=5, column=20, value="please call me")
    refused(con, ws_id, save(wb), "Sheet 'Gap Analysis', row 5, column 'Client comments': this column is not "
                                  "part of the workbook, so its content would be lost")


def test_an_empty_sheet_is_refused(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    del wb["Gap Analysis"]
    wb.create_sheet("Gap Analysis", 2)
    refused(con, ws_id, save(wb), "Sheet 'Gap Analysis' is empty or its heading row is missing")


# ---- malformed files -------------------------------------------------------------------------------

def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


ENCRYPTED = (importer.OLE_MAGIC + b"\x00" * 200 + "EncryptedInfo".encode("utf-16-le") + b"\x00" * 20
             + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 300)


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b"Ref,Maturity\n4.1,3\n", "This is not an Excel .xlsx workbook"),
    (b"%PDF-1.7 not a workbook", "This is not an Excel .xlsx workbook"),
    (ENCRYPTED, "The workbook is password-protected (encrypted)"),
    (importer.OLE_MAGIC + b"\x00" * 512, "old-format Excel (.xls)"),
    (_zip({"readme.txt": "hello"}), "a zip archive but not an Excel workbook"),
    (b"PK\x03\x04 broken zip", "damaged or not an .xlsx workbook"),
    (_zip({"xl/workbook.xml": "<not xml", "[Content_Types].xml": "<x/>"}), "'xl/workbook.xml' is not well-formed XML"),
    (_zip({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": "<x/>"}), "the workbook could not be read"),
])
def test_malformed_files_get_a_clear_message_and_nothing_is_written(demo, data, message):
    con, ws_id, _ = demo
    refused(con, ws_id, data, message)


def test_a_real_password_protected_workbook_is_refused(demo):
    # made once with msoffcrypto-tool (password "secret"); Excel and LibreOffice save the same container
    data = (Path(__file__).parent / "data" / "workbook-password-secret.xlsx").read_bytes()
    refused(demo[0], demo[1], data, "The workbook is password-protected (encrypted)", "remove the password")


def test_a_huge_file_is_refused(demo, exported, monkeypatch):
    con, ws_id, _ = demo
    monkeypatch.setattr(importer, "MAX_BYTES", len(exported) - 1)
    refused(con, ws_id, exported, "the limit is 0 MB" if len(exported) < 1024 * 1024 else "the limit is")


def test_a_file_that_unpacks_to_too_much_is_refused(demo, exported, monkeypatch):
    con, ws_id, _ = demo
    monkeypatch.setattr(importer, "MAX_UNPACKED", 1000)
    refused(con, ws_id, exported, "The workbook unpacks to")


def test_too_many_rows_are_refused(demo, exported, monkeypatch):
    con, ws_id, _ = demo
    monkeypatch.setattr(importer, "MAX_ROWS", 50)
    refused(con, ws_id, exported, "Sheet 'Gap Analysis' has more than 50 rows; the limit is 50")


def test_apply_is_all_or_nothing(demo, exported, monkeypatch):
    con, ws_id, path = demo
    data = edits(exported, [("Gap Analysis", "4.1", "Owner", "First"),
                            ("Statement of Applicability", "A.2.3", "Evidence reference", "Second")])
    from aims.workbook import soa as soa_sheet
    real = soa_sheet.change
    calls = {"n": 0}

    def flaky(con_, ctx, key, fields, values):
        calls["n"] += 1
        if calls["n"] > 1:    # the trial run passes; the real run fails after the gap sheet was written
            raise __import__("duckdb").IOException("disk full")
        return real(con_, ctx, key, fields, values)

    from aims.workbook import registry
    original = registry.sheets

    def patched():
        out = original()
        for s in out:
            if s.name == "Statement of Applicability":
                s.change = flaky
        return out

    monkeypatch.setattr(registry, "sheets", patched)
    before = log_count(con)
    with pytest.raises(ValidationError, match="the database refused the change"):
        importer.apply(con, ws_id, data, db_path=path)
    assert log_count(con) == before
    assert rec(con, ws_id, "4.1")["owner"] != "First"


def test_cell_id_and_link_problems_are_reported_together(demo, exported):
    con, ws_id, _ = demo
    data = edits(exported, [("Gap Analysis", "4.1", "Target", 9), ("Risks", "R-001", "AI systems", "AIS-999")])
    problems = refused(con, ws_id, data, "column 'Target': must be a whole number",
                       "column 'AI systems': unknown ai system ID AIS-999")
    assert len(problems) == 2


def test_a_new_partly_assessed_workspace_round_trips_without_a_warning(con, cat, ws_id):
    """Clauses 5, 8 and 10 have nothing rated: their average maturity is missing, which the
    Summary shows as '–' and reads back as such, so the unedited workbook warns of nothing."""
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2}, "6.1.1": {"maturity": 1}, "A.2.2": {"maturity": 3}})
    data = export.build(con, ws_id, cat)
    plan = importer.plan(con, ws_id, data, cat)
    assert plan.warnings == [] and not any(s.changed or s.added or s.deleted for s in plan.sheets)
    summary = load(data)["Summary"]
    row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Clause 5")
    assert row[7] == "–"                                   # no average maturity where nothing is assessed
