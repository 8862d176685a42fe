"""The Workshops page on the demo: plan a workshop with the form (which starts empty again), start
it, capture on the presenter view (an agreed rating, votes, an action, a parked question, skip),
close it; a viewer sees the presenter view without any edit widget."""
import pytest
from helpers import rows, start_as

from aims.access import identity, members
from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.store import db
from aims.ui.chrome import _open
from aims.workshop import sessions

PAGE = "pages/workshop.py"


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def q(sql, params=()):
    return rows(_open(db.database_path()), sql, params)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def group(at, label):
    return next(g for g in at.get("button_group") if g.label == label)


def test_plan_start_capture_and_close_a_workshop(app):
    ok(app.switch_page(PAGE).run())
    assert app.title[0].value == "Workshops"
    assert any(i.value.startswith("No workshops yet") for i in app.info)
    title = next(t for t in app.text_input if t.label == "Title *")
    title.input("Kick-off gap workshop")
    agenda = next(m for m in app.multiselect if m.label.startswith("Agenda items"))
    assert agenda.value[:2] == ["4.1", "4.2"] and len(agenda.value) == 13         # the "Clauses 4-6" template
    agenda.set_value(["4.1", "6.1.2", "A.7.4"])
    ok(button(app, "Plan the workshop").click().run())
    assert any("Workshop WS-001 planned with 3 agenda items" in s.value for s in app.success)
    assert next(t for t in app.text_input if t.label == "Title *").value == ""    # the form starts empty again
    ok(button(app, "Open").click().run())
    ok(button(app, "Start the workshop").click().run())
    assert app.query_params["workshop"] in ("WS-001", ["WS-001"])
    assert q("SELECT status FROM workshop") == [("running",)]
    next(t for t in app.toggle if t.label == "Presenter-safe").set_value(True)
    ok(button(app, "Save settings").click().run())
    assert q("SELECT presenter_safe FROM workshop") == [(True,)]
    # one click agrees maturity 3 on item 1 and writes the gap analysis
    group(app, "Agreed maturity").set_value(3)
    ok(app.run())
    assert q("SELECT maturity FROM assessment WHERE workspace_id = 1 AND req_id = '4.1'") == [(3,)]
    assert q("SELECT maturity_agreed, state FROM workshop_item WHERE position = 0") == [(3, "done")]
    assert any("maturity 3 agreed" in s.value for s in app.success)
    ok(button(app, "Next").click().run())
    assert q("SELECT current_position FROM workshop") == [(1,)]
    next(t for t in app.text_input if t.label == "Action *").input("Write the AI risk method")
    ok(button(app, "Add to the roadmap").click().run())
    assert q("SELECT title, source, source_ref FROM action WHERE source = 'workshop'") == [
        ("Write the AI risk method", "workshop", "WS-001")]
    assert next(t for t in app.text_input if t.label == "Action *").value == ""
    next(t for t in app.text_area if t.label == "Question *").input("Who signs off risk ratings?")
    ok(button(app, "Park it").click().run())
    assert q("SELECT question, req_id, status FROM parking_lot") == [("Who signs off risk ratings?", "6.1.2", "open")]
    ok(button(app, "Skip").click().run())
    assert q("SELECT state FROM workshop_item ORDER BY position") == [("done",), ("skipped",), ("pending",)]
    ok(button(app, "Close the workshop").click().run())
    assert q("SELECT status, baseline_start <> '', baseline_close <> '' FROM workshop") == [("closed", True, True)]
    assert not [b for b in app.button if b.label in ("Next", "Skip")]            # the summary, read only
    ok(button(app, "All workshops").click().run())
    assert any("WS-001" in m.value for m in app.markdown)
    assert any(d.value["ID"].tolist() == ["PL-001"] for d in app.dataframe if "ID" in d.value)


@pytest.fixture
def team_db(tmp_path):
    path = tmp_path / "team.duckdb"
    con = db.open_database(path)
    cat = catalog.load()
    ws = demo.create(con, cat)
    members.add(con, ws, "manager@client.example", "viewer")
    with identity.acting(identity.LOCAL):
        wid = sessions.create(con, ws, cat, {"title": "Data", "day": "2026-11-30", "agenda": ["A.7.4", "4.1"],
                                             "attendees": ["Ann"]})
        sessions.start(con, ws, cat, wid)
    con.close()
    return path


def test_a_viewer_follows_the_presenter_view_without_edit_widgets(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, "manager@client.example")
    at.query_params["workshop"] = "WS-001"
    ok(at.switch_page(PAGE).run())
    shown = " ".join(str(getattr(h, "proto", h)) for h in at.get("html"))
    assert "A.7.4" in shown and "Quality of data for AI systems" in shown and "item <b>1</b> of 2" in shown
    assert not at.main.button and not at.get("form") and not at.main.text_input
    assert all(g.disabled for g in at.get("button_group"))
