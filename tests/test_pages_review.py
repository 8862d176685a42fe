"""The management review page through the entry point (AppTest): plan a review (the form starts
empty again, the review opens with its inputs compiled), bad input shown and nothing written, edit
an input, mark the review held without top management (flagged), add an output action onto the
roadmap, and a viewer's page without edit widgets."""
from datetime import date, timedelta

import pytest
from helpers import rows, start_app, start_as

from aims.access import members
from aims.audit import review
from aims.reports import review_inputs
from aims.store import db, workspaces

PAGE = "pages/management-review.py"


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app on a database of one client of its own (the demo has management reviews of its own)."""
    path = tmp_path / "pages.duckdb"
    con = db.open_database(path)
    workspaces.create(con, {"name": "Acme AI", "organisation": "Acme Ltd"})
    con.close()
    return start_app(path, monkeypatch)


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    """The app on a fresh database: the demo workspace is created on first start."""
    return start_app(tmp_path / "demo.duckdb", monkeypatch)


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id():
    return int(workspaces.list_all(live()).iloc[0]["id"])


def open_page(at, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at, kind, prefix):
    return next(w for w in getattr(at, kind) if (w.key or "").startswith(prefix))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def errors(at):
    return [e.value for e in at.error]


def test_plan_a_review_then_the_form_starts_empty_and_the_review_opens_with_its_inputs(app):
    open_page(app)
    assert [m.label for m in app.metric][:4] == ["Reviews held", "Last review", "Next review", "Review actions open"]
    assert any("No management review yet" in i.value for i in app.info)
    day = date.today() + timedelta(days=14)
    assert widget(app, "date_input", "review_plan_date_").value is None          # the form starts empty
    widget(app, "date_input", "review_plan_date_").set_value(day)
    widget(app, "text_input", "review_plan_attendees_").set_value("CEO, CRO")
    button(app, "Plan the review").click().run()
    assert not app.exception and not errors(app), errors(app)
    assert any(f"Planned MR-001 for {day}" in s.value for s in app.success)
    assert app.query_params["review"] == "MR-001"
    assert any(s.value.startswith(f"MR-001 · planned for {day}") for s in app.subheader)
    assert widget(app, "date_input", "review_plan_date_").value is None           # empty again
    assert widget(app, "text_input", "review_plan_attendees_").value == ""
    stored = review.inputs(live(), ws_id(), "MR-001").set_index("key")
    assert stored.at["readiness", "content"].startswith("Readiness: ")
    areas = [a for a in app.text_area if (a.key or "").endswith("readiness.content")]
    assert areas and areas[0].value == stored.at["readiness", "content"]


def test_a_review_without_a_date_is_refused_and_nothing_is_written(app):
    open_page(app)
    widget(app, "text_input", "review_plan_attendees_").set_value("CEO")
    button(app, "Plan the review").click().run()
    assert any("The review's date is required" in e for e in errors(app))
    assert rows(live(), "SELECT count(*) FROM review") == [(0,)]
    assert widget(app, "text_input", "review_plan_attendees_").value == "CEO"      # what was typed is kept


def test_edit_an_input_mark_held_without_top_management_then_add_an_action(app):
    con, ws = live(), ws_id()
    rid = review.plan(con, ws, {"held_on": date.today()}, review_inputs.compile_inputs(con, ws, app_cat(), 3))
    open_page(app, review=rid)
    area = next(a for a in app.text_area if (a.key or "").endswith("issues.content"))
    area.set_value("A new regulator guidance on credit scoring was published.")
    button(app, "Save the inputs").click().run()
    assert not app.exception and not errors(app), (app.exception, errors(app))
    assert any("Saved 1 changed field to the inputs of MR-001" in s.value for s in app.success)
    got = review.inputs(con, ws, rid).set_index("key")
    assert got.at["issues", "content"] == "A new regulator guidance on credit scoring was published."
    assert got.at["issues", "edited"]

    app.query_params["review_tab"] = "Meeting and outputs"
    app.run()
    widget(app, "text_input", "review_hold_attendees_").set_value("CIO; AI lead")
    widget(app, "date_input", "review_hold_date_").set_value(date.today())
    button(app, "Mark held").click().run()
    assert not app.exception and not errors(app), (app.exception, errors(app))
    assert any("without top management: it does not count" in s.value for s in app.success)
    assert any("Held without top management" in w.value for w in app.warning)
    assert any("held without top management" in w.value for w in app.warning)     # the page's own warning
    assert app.query_params["review"] == rid
    assert app.query_params["review_tab"] == "Meeting and outputs"                # the user stays there

    app.query_params["review_tab"] = "Actions"
    app.run()
    widget(app, "text_input", "review_action_title_").set_value("Invite the CEO to the next review")
    button(app, "Add to the roadmap").click().run()
    assert not app.exception and not errors(app), (app.exception, errors(app))
    msg = next(s.value for s in app.success if "to the roadmap, decided by MR-001" in s.value)
    aid = msg.split(" ")[1]
    assert rows(con, "SELECT review_id, action_id FROM review_action") == [(rid, aid)]
    assert rows(con, "SELECT source, source_ref FROM action WHERE id = ?", [aid]) == [("management review", rid)]
    assert widget(app, "text_input", "review_action_title_").value == ""           # the form starts empty again
    assert app.query_params["review_tab"] == "Actions"


def app_cat():
    from aims.catalog import standard
    return standard.load()


def test_a_viewer_reads_a_review_without_edit_widgets(tmp_path, monkeypatch):
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    members.add(con, ws, "vic@example.com", "viewer", "Vic")
    rid = review.plan(con, ws, {"held_on": date.today()}, {"readiness": "Readiness: 12%."})
    review.hold(con, ws, rid, date.today(), "CEO; CRO", True)
    con.close()
    at = start_as(path, monkeypatch, "vic@example.com")
    at.query_params["ws"] = str(ws)
    at.query_params["review"] = rid
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith(f"{rid} · held on") for s in at.subheader)
    assert any(t.value == "Readiness: 12%." for t in at.text)
    edit = [w.key for kind in ("text_input", "text_area", "date_input", "multiselect", "checkbox", "selectbox")
            for w in getattr(at, kind) if (w.key or "").startswith("review")]
    assert edit == []
    assert [b.label for b in at.main.button] == ["Close"]
    for tab in ("Meeting and outputs", "Actions"):
        at.query_params["review_tab"] = tab
        at.run()
        assert not at.exception
        assert [w.key for kind in ("text_input", "text_area", "date_input", "checkbox", "selectbox")
                for w in getattr(at, kind) if (w.key or "").startswith("review")] == []


def test_recompiling_keeps_an_edited_input_and_its_new_text_is_used_only_when_asked(demo_app):
    app, con, ws = demo_app, live(), ws_id()
    rid = review.plan(con, ws, {"held_on": date.today() + timedelta(days=7)}, {"issues": "Old text.", "risks": "1 risk."})
    review.save_inputs(con, ws, rid, {"risks": {"content": "1 risk; the CRO will present it."}})
    open_page(app, review=rid)
    button(app, "Re-compile").click().run()
    assert not app.exception and not errors(app), (app.exception, errors(app))
    msg = next(s.value for s in app.success if s.value.startswith(f"Re-compiled the inputs of {rid}"))
    assert "1 kept as you edited it" in msg
    got = review.inputs(con, ws, rid).set_index("key")
    assert got.at["risks", "content"] == "1 risk; the CRO will present it."
    assert got.at["risks", "compiled"].startswith("AI risk register: ")              # the demo's register
    assert got.at["issues", "content"].startswith("4.1 Understanding the organization")
    assert any(e.label == "The app's records now read" for e in app.expander)
    picker = widget(app, "multiselect", f"review_use_compiled_{rid}")
    assert picker.options == ["AI risks and their treatment"]
    picker.select("risks").run()
    button(app, "Use the compiled text").click().run()
    assert not app.exception and not errors(app), (app.exception, errors(app))
    assert any("Replaced 1 input with the compiled text" in s.value for s in app.success)
    got = review.inputs(con, ws, rid).set_index("key")
    assert got.at["risks", "content"] == got.at["risks", "compiled"] and not got.at["risks", "edited"]
