"""The Progress page on the demo: the comparison of the kick-off baseline with now, taking,
renaming and deleting baselines (with refusals that write nothing), and a viewer's read-only view."""
import pytest
from helpers import rows, start_as

from aims.access import members
from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.store import db
from aims.ui.chrome import _open

PAGE = "pages/progress.py"


def open_page(at):
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def baseline_names():
    return [r[0] for r in rows(_open(db.database_path()), "SELECT name FROM baseline ORDER BY id")]


def test_the_demo_compares_the_kick_off_with_now(app):
    open_page(app)
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == "Progress and baselines"
    assert app.selectbox(key=next(s.key for s in app.selectbox if s.label == "Compare from")).value == "B-001"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Readiness"] == "23%" and metrics["Open gaps"] == "41"      # now, as the overview shows it
    assert [t.label for t in app.tabs] == ["Requirements (58)", "Risks (20)", "Actions done (12)",
                                           "Documents approved (7)", "Findings (4)"]
    assert app.subheader[1].value == "Baselines (2)"
    # compare the two baselines instead: no risk existed at either
    app.selectbox(key=next(s.key for s in app.selectbox if s.label == "to")).set_value("B-002").run()
    assert not app.exception
    assert [t.label for t in app.tabs][:2] == ["Requirements (58)", "Risks (0)"]
    assert app.query_params["to"] == ["B-002"] or app.query_params["to"] == "B-002"


def test_take_rename_and_delete_a_baseline(app):
    open_page(app)
    app.text_input(key="bl_name_0").input("After workshop 2")
    app.text_area(key="bl_note_0").input("Controls A.6 reviewed")
    app.button(key=next(b.key for b in app.button if b.label == "Take baseline")).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(s.value.startswith("Baseline B-003 After workshop 2 taken") for s in app.success)
    assert baseline_names() == ["Kick-off workshop", "Gap analysis complete", "After workshop 2"]
    assert app.text_input(key="bl_name_1").value == ""                # the add form starts empty again
    # a duplicate name (ignoring case) is refused with the reason, nothing written, the text kept
    app.text_input(key="bl_name_1").input("after WORKSHOP 2")
    app.button(key=next(b.key for b in app.button if b.label == "Take baseline")).click().run()
    assert any("already exists" in e.value for e in app.error)
    assert len(baseline_names()) == 3 and app.text_input(key="bl_name_1").value == "after WORKSHOP 2"
    # rename the new one, then delete it after confirming
    next(s for s in app.selectbox if s.label == "Baseline").set_value("B-003").run()
    name = next(t for t in app.text_input if t.label == "Name *")
    assert name.value == "After workshop 2"
    name.input("After workshop two")
    app.button(key=next(b.key for b in app.button if b.label == "Save name and note")).click().run()
    assert not app.error and baseline_names()[-1] == "After workshop two"
    delete = next(b for b in app.button if b.label == "Delete baseline")
    assert delete.disabled                                            # until confirmed
    next(c for c in app.checkbox if c.label.startswith("Yes, delete B-003")).check().run()
    next(b for b in app.button if b.label == "Delete baseline").click().run()
    assert not app.exception and baseline_names() == ["Kick-off workshop", "Gap analysis complete"]
    assert any(s.value == "Baseline B-003 deleted." for s in app.success)


def test_a_workspace_without_baselines_says_how_to_start(app):
    from aims.store import workspaces
    ws = workspaces.create(_open(db.database_path()), {"name": "Fresh start"})
    app.query_params["ws"] = str(ws)
    open_page(app)
    assert any(i.value.startswith("No baseline yet.") for i in app.info)
    assert app.subheader[1].value == "Baselines (0)" and not app.metric


@pytest.fixture
def team_db(tmp_path):
    path = tmp_path / "team.duckdb"
    con = db.open_database(path)
    ws = demo.create(con, catalog.load())
    members.add(con, ws, "manager@client.example", "viewer")
    con.close()
    return path


def test_a_viewer_sees_the_comparison_and_no_edit_widget(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, "manager@client.example", page=PAGE)
    assert not at.exception and not at.error
    assert {m.label for m in at.metric} >= {"Readiness", "Stage 1 gate", "Roadmap"}
    assert not at.get("form") and not at.main.text_input and not at.main.button
    assert [s.label for s in at.main.selectbox] == ["Compare from", "to"]
