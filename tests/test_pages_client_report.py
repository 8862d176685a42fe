"""The Reports page's client report section (AppTest): the baseline picker lists the workspace's
baselines, both PDF downloads are offered and build a PDF when pressed (their callables), the
branding expander saves a colour, and a viewer downloads but gets no branding widget."""
import io

import pypdf
from helpers import start_app, start_as

from aims.access import members
from aims.catalog import standard as catalog_mod
from aims.progress import baselines
from aims.store import db, workspaces
from aims.ui import report_panel

LABELS = ("Download the client report (PDF)", "Download the one-page summary (PDF)")


def test_the_section_offers_both_pdfs_and_the_baselines(tmp_path, monkeypatch):
    path = tmp_path / "pages.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    baselines.take(con, ws, "Kick-off", catalog_mod.load(), 3)
    con.close()
    at = start_app(path, monkeypatch)
    at.switch_page("pages/reports.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert set(LABELS) <= set(labels)
    picker = next(s for s in at.selectbox if s.label == "Compare with a baseline")
    assert picker.options[0] == "No comparison" and picker.options[1].startswith("Kick-off (")
    assert at.text_input(key=f"reports_pdf_version_{ws}").value == "1.0"
    assert at.color_picker(key="reports_brand_colour_0").value == "#1f4e79"     # an editor gets the branding
    at.color_picker(key="reports_brand_colour_0").set_value("#0a7a3b").run()
    at.button(key="reports_brand_save_0").click().run()
    assert not at.exception, [e.value for e in at.exception]
    from aims.ui.chrome import _open
    assert workspaces.brand(_open(db.database_path()), ws)["colour"] == "#0a7a3b"


def test_the_download_callables_build_the_pdfs(con, cat, ws_id):
    full = report_panel.builder(con, ws_id, cat, summary=False, assessor="Ann", version="1.2", baseline_id=None)()
    summary = report_panel.builder(con, ws_id, cat, summary=True, assessor="Ann", version="1.2", baseline_id=None)()
    assert full.startswith(b"%PDF") and len(pypdf.PdfReader(io.BytesIO(full)).pages) > 10
    assert len(pypdf.PdfReader(io.BytesIO(summary)).pages) == 1


def test_a_viewer_downloads_the_pdfs_but_gets_no_branding(tmp_path, monkeypatch):
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    members.add(con, ws, "vic@example.com", "viewer", "Vic")
    con.close()
    at = start_as(path, monkeypatch, "vic@example.com", page="pages/reports.py")
    assert set(LABELS) <= {b.proto.label for b in at.get("download_button")}
    assert len(at.color_picker) == 0 and len(at.file_uploader) == 0
    assert not any(b.label == "Save the branding" for b in at.button)
    assert not any((w.key or "").startswith("reports_pdf_") for w in at.text_input)   # no cover fields to type
