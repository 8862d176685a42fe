"""The Reports page through the entry point: downloads are offered, and the import journey
(upload, validate, preview, confirm, apply) works and never writes on a problem."""

import pytest
from helpers import start_app
from wbtools import edits

from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.store import db, workspaces
from aims.workbook import export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(tmp_path, monkeypatch):
    at = start_app(tmp_path / "pages.duckdb", monkeypatch)
    at.switch_page("pages/reports.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id(con) -> int:
    return int(workspaces.list_all(con).iloc[0]["id"])


def owner(con, req):
    return assessments.table(con, ws_id(con), catalog.load(), 3).set_index("req_id").loc[req, "owner"]


def upload(at, data: bytes):
    at.file_uploader[0].set_value(("edited.xlsx", data, XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_offers_the_workbook_the_soa_and_csv_downloads(app):
    assert app.title[0].value == "Reports and the Excel workbook"
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Download the workbook (.xlsx)" in labels
    assert {"SoA as Excel", "SoA as CSV"} <= set(labels)
    assert "Download CSV" in labels
    sheets = app.dataframe[0].value
    assert list(sheets["Sheet"])[:3] == ["Cover", "Summary", "Gap Analysis"]
    assert not app.error


def test_an_unedited_workbook_has_nothing_to_import(app):
    con = live()
    upload(app, export.build(con, ws_id(con)))
    assert any("nothing to import" in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "reports_apply"]


def test_an_edited_workbook_is_previewed_then_applied(app, tmp_path):
    con = live()
    data = edits(export.build(con, ws_id(con)), [("Gap Analysis", "4.1", "Owner", "Client Owner"),
                                                 ("Gap Analysis", "4.2", "Maturity", "4 Measured")])
    upload(app, data)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Rows changed"] == "2" and metrics["Rows added"] == "0"
    changes = next(d.value for d in app.dataframe if "Old value" in d.value.columns)
    assert set(changes["Field"]) == {"Owner", "Maturity"}
    assert "Client Owner" in set(changes["New value"])
    assert owner(con, "4.1") != "Client Owner"      # previewed, not written
    app.button(key="reports_apply").click().run()
    assert not app.exception
    assert owner(con, "4.1") == "Client Owner"
    assert any("Imported: 0 added, 2 changed" in s.value for s in app.success)
    assert not mapping_boxes(app)           # a workbook of this workspace asks no confirmation
    assert list((tmp_path / "backups").glob("pages-before-import-*.duckdb"))


def test_a_workbook_with_problems_lists_them_and_writes_nothing(app):
    con = live()
    data = edits(export.build(con, ws_id(con)), [("Gap Analysis", "4.1", "Target", 8),
                                                 ("Gap Analysis", "4.2", "Owner", "Never written")])
    upload(app, data)
    text = " ".join(e.value for e in app.error)
    assert "The workbook was not imported: 1 problem to fix in Excel" in text
    assert "Sheet 'Gap Analysis', row 2, column 'Target'" in text
    assert owner(con, "4.2") != "Never written"
    assert not [b for b in app.button if b.key == "reports_apply"]


def test_a_file_that_is_not_a_workbook_gets_a_clear_message(app):
    upload(app, b"this is not a spreadsheet")
    assert any("not an Excel .xlsx workbook" in e.value for e in app.error)


def test_a_large_workspace_builds_the_workbook_on_request_with_progress(app, monkeypatch):
    monkeypatch.setattr(export, "record_count", lambda con, ws: 50_000)
    app.run()
    assert any("built on request" in i.value for i in app.info)
    assert "Download the workbook (.xlsx)" not in [b.proto.label for b in app.get("download_button")]
    app.button(key="reports_prepare").click().run()
    assert not app.exception
    assert "Download the workbook (.xlsx)" in [b.proto.label for b in app.get("download_button")]


def test_rows_deleted_in_excel_are_deleted_only_when_confirmed(app):
    from wbtools import delete_row

    from aims.risk import register as risks
    from aims.roadmap import actions as roadmap
    con = live()
    ws = ws_id(con)
    linked = {r for rs in roadmap.actions(con, ws, catalog.load(), 3)["risks"] for r in rs}
    free = next(r for r in risks.table(con, ws)["id"] if r not in linked)
    data = delete_row(export.build(con, ws), "Risks", free)
    upload(app, data)
    assert {m.label: m.value for m in app.metric}["Deleted in Excel"] == "1"
    app.button(key="reports_apply").click().run()        # not confirmed: kept
    assert risks.get(con, ws, free) is not None
    assert any("1 deleted in Excel were kept" in s.value for s in app.success)
    upload(app, data)
    app.checkbox(key="reports_confirm_delete").check().run()
    app.button(key="reports_apply").click().run()
    assert risks.get(con, ws, free) is None
    assert any("1 deleted" in s.value for s in app.success)


def mapping_boxes(app):
    return [c for c in app.checkbox if c.key and c.key.startswith("reports_map_")]


def owner_in(con, ws, req):
    return assessments.table(con, ws, catalog.load(), 3).set_index("req_id").loc[req, "owner"]


def test_a_workbook_of_another_workspace_is_applied_only_once_the_user_ticks_the_mapping(app):
    con = live()
    source = ws_id(con)
    other = workspaces.duplicate(con, source, "Second client")
    data = edits(export.build(con, source), [("Gap Analysis", "4.1", "Owner", "Mapped owner")])
    app.query_params["ws"] = str(other)
    app.run()
    upload(app, data)
    refusal = " ".join(e.value for e in app.error)
    assert "exported from the workspace 'Northwind Lending (demo)', not from 'Second client'" in refusal
    assert "Nothing was imported" in refusal
    boxes = mapping_boxes(app)
    assert len(boxes) == 1 and boxes[0].value is False
    assert "Northwind Lending (demo)" in boxes[0].label and "Second client" in boxes[0].label
    assert not [b for b in app.button if b.key == "reports_apply"] and not app.metric    # no preview, nothing to apply
    assert owner_in(con, other, "4.1") != "Mapped owner"

    boxes[0].check().run()
    assert not app.exception and not app.error
    assert any("you confirmed mapping it onto this workspace" in w.value for w in app.warning)
    assert {m.label: m.value for m in app.metric}["Rows changed"] == "1"
    assert owner_in(con, other, "4.1") != "Mapped owner"              # previewed, not written
    app.button(key="reports_apply").click().run()
    assert not app.exception
    assert owner_in(con, other, "4.1") == "Mapped owner"
    assert owner_in(con, source, "4.1") != "Mapped owner"


def test_a_workbook_of_another_workspace_stays_unapplied_when_the_box_is_unticked_again(app):
    con = live()
    source = ws_id(con)
    other = workspaces.duplicate(con, source, "Third client")
    app.query_params["ws"] = str(other)
    app.run()
    upload(app, edits(export.build(con, source), [("Gap Analysis", "4.2", "Owner", "Never mapped")]))
    mapping_boxes(app)[0].check().run()
    assert [b for b in app.button if b.key == "reports_apply"]
    mapping_boxes(app)[0].uncheck().run()
    assert not [b for b in app.button if b.key == "reports_apply"]
    assert any("not from 'Third client'" in e.value for e in app.error)
    assert owner_in(con, other, "4.2") != "Never mapped"


def test_a_long_list_of_problems_shows_the_first_hundred_and_offers_every_one_as_csv(app):
    from wbtools import load, save
    con = live()
    wb = load(export.build(con, ws_id(con)))
    gap = wb["Gap Analysis"]
    first = gap.max_row + 1
    for r in range(first, first + 250):
        gap.cell(row=r, column=1).value = f"X-{r}"
    upload(app, save(wb))
    text = " ".join(e.value for e in app.error)
    assert "The workbook was not imported: 250 problems to fix in Excel" in text
    assert f"X-{first + 99}" in text and f"X-{first + 100}" not in text
    assert "... and 150 more problems" in text
    button = next(b for b in app.get("download_button") if b.proto.label == "Download every problem (CSV)")
    assert button is not None


def test_a_backup_that_cannot_be_written_stops_the_import_with_a_message(app, tmp_path):
    """The import backs the database up first; when the backups folder cannot be made (here a file
    stands in its place) the page says so and imports nothing."""
    con = live()
    (tmp_path / "backups").write_text("not a folder")
    upload(app, edits(export.build(con, ws_id(con)), [("Gap Analysis", "4.1", "Owner", "Client Owner")]))
    app.button(key="reports_apply").click().run()
    assert not app.exception
    assert any("Nothing was imported" in e.value and "backups" in e.value for e in app.error), \
        [e.value for e in app.error]
    assert owner(con, "4.1") != "Client Owner"
