"""The manager dashboard: it renders on the demo, a viewer (a manager following progress) lands on
it and finds no edit widget anywhere, and the other roles still land on the overview."""
import pytest
from helpers import start_as

from aims.access import members
from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.store import db

PAGE = "pages/dashboard.py"
VIEWER, EDITOR = "manager@client.example", "ed@firm.example"
HEADINGS = ["Roadmap to certification", "Overdue actions by owner: 2", "Open findings", "Top 10 risks"]


def open_page(at, page):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_dashboard_renders_on_the_demo_with_every_section(app):
    open_page(app, PAGE)
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == "Manager dashboard"
    assert [m.label for m in app.metric][:5] == ["Readiness", "Stage 1 readiness", "Stage 2 readiness",
                                                  "Roadmap progress", "Forecast ready"]
    assert [s.value for s in app.subheader] == HEADINGS
    assert len(app.get("plotly_chart")) == 4     # trends (percentages, counts), burn-up, progress per phase
    risks = next(d.value for d in app.dataframe if "Appetite" in d.value.columns)
    assert len(risks) == 10
    report = next(p for p in app.page_link if p.proto.page == "reports")         # the Reports page's URL path
    assert report.value == "Open the client report and the Excel workbook"
    # no major nonconformity open in the demo (from its findings register, or its record); gaps labelled as gaps
    assert any(b.value.startswith("**Major nonconformities.**") for b in (*app.success, *app.info))
    assert any(m.value == "**Open gaps: 41**" for m in app.markdown)


@pytest.fixture
def team_db(tmp_path):
    """The demo workspace with a viewer and an editor (sign-in configured: the server adds no demo)."""
    path = tmp_path / "team.duckdb"
    con = db.open_database(path)
    ws = demo.create(con, catalog.load())
    members.add(con, ws, VIEWER, "viewer", "Morgan (COO)")
    members.add(con, ws, EDITOR, "editor")
    con.close()
    return path


def test_a_viewer_lands_on_the_dashboard_and_finds_no_edit_widget(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, VIEWER)
    assert at.title[0].value == "Manager dashboard"
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.subheader] == HEADINGS
    inputs = ("text_input", "text_area", "number_input", "date_input", "time_input", "datetime_input", "checkbox",
              "toggle", "radio", "multiselect", "slider", "select_slider", "color_picker", "file_uploader",
              "form_submit_button", "download_button", "pills", "segmented_control", "chat_input", "feedback",
              "data_editor")
    assert {name: len(getattr(at.main, name)) for name in inputs} == dict.fromkeys(inputs, 0)
    assert not at.main.selectbox and not at.main.button
    assert not at.get("form")
    # the sidebar has only the workspace picker and the sign-out button
    assert [b.key for b in at.sidebar.button] == ["sign_out"]
    assert [s.label for s in at.sidebar.selectbox] == ["Workspace (client engagement)"]


def test_an_editor_still_lands_on_the_overview(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, EDITOR)
    assert at.title[0].value == "Readiness overview"


def test_a_new_workspace_with_nothing_in_it_gets_a_dashboard_that_says_so(app):
    from aims.store import workspaces
    from aims.ui.chrome import _open

    ws = workspaces.create(_open(db.database_path()), {"name": "Fresh start"})
    app.query_params["ws"] = str(ws)
    open_page(app, PAGE)
    assert not app.error, [e.value for e in app.error]
    assert {m.label: m.value for m in app.metric} == {
        "Readiness": "0%", "Stage 1 readiness": "0 of 4 met", "Stage 2 readiness": "0%", "Roadmap progress": "–",
        "Forecast ready": "–"}
    infos = [i.value for i in app.info]
    assert "No roadmap actions yet: the roadmap is drawn up on the Roadmap page." in infos
    assert "No open risks in the AI risk register." in infos
    assert any(s.value == "No roadmap action is overdue." for s in app.success)
    assert len(app.get("plotly_chart")) == 2                       # the two trends: one point so far
