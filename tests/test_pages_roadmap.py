"""The Roadmap page through the entry point: every tab renders on the demo, the actions table
saves edits (and invites a re-rating when an action is done), bad edits are refused with nothing
written, generation is idempotent from the button, and a missing target date is called out."""
from datetime import date

import pytest

from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import db, workspaces

PAGE = "pages/roadmap.py"
TABS = ["Plan", "Actions", "Manager view", "Phases and effort"]


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def go(at, page=PAGE, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def demo_id() -> int:
    return int(workspaces.list_all(live()).iloc[0]["id"])


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                    + [w.value for w in at.warning] + [s.value for s in at.success])


def button(at, key):
    return next(b for b in at.button if b.key == key)


def edit(at, ws_id, action_id, cells):
    """Type `cells` into the actions editor on the row of `action_id` (as a user would)."""
    key = at.session_state[f"roadmap_editor_{ws_id}__editor"]
    frame = at.session_state[f"roadmap_editor_{ws_id}__frame"]
    pos = int(frame.index[frame["ID"] == action_id][0])
    at.session_state[key] = {"edited_rows": {pos: cells}, "added_rows": [], "deleted_rows": []}
    at.run()


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_on_the_demo(app, tab):
    go(app, roadmap_tab=tab)
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == "Roadmap to certification"
    assert "Forecast." in texts(app)
    assert "At this pace, ready" in texts(app)            # the demo has progress: a dated forecast


def test_the_overview_shows_roadmap_progress_and_the_forecast(app):
    go(app, "pages/overview.py")
    assert any(s.value == "Roadmap to certification" for s in app.subheader)
    assert any(m.label == "Roadmap progress" for m in app.metric)
    assert "At this pace, ready" in texts(app)


def test_marking_an_action_done_saves_and_invites_a_rerating(app):
    ws_id = demo_id()
    go(app, roadmap_tab="Actions")
    cat = catalog.load()
    acts = roadmap.actions(live(), ws_id, cat, 3)
    row = acts[(acts["source"] == "gap") & (acts["status"] == "to do")].iloc[0]
    req = row["requirements"][0]
    before = assessments.table(live(), ws_id, cat, 3).set_index("req_id").loc[req, "maturity"]
    go(app, roadmap_tab="Actions", roadmap_actions_page="1")
    if row["id"] not in list(app.session_state[f"roadmap_editor_{ws_id}__frame"]["ID"]):
        next(t for t in app.text_input if t.key == "roadmap_actions_search").input(row["id"]).run()
    edit(app, ws_id, row["id"], {"Status": "done"})
    assert button(app, "roadmap_save").label == "Save 1 row"
    button(app, "roadmap_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    after = roadmap.actions(live(), ws_id, cat, 3).set_index("id").loc[row["id"]]
    assert (after["status"], after["percent"], after["done_at"]) == ("done", 100, date.today())
    assert "Re-rate those requirements" in texts(app) and req in texts(app)
    assert f"Re-rate {req}" in " ".join(str(p.proto.label) for p in app.get("page_link"))
    # never changes a rating by itself
    now = assessments.table(live(), ws_id, cat, 3).set_index("req_id").loc[req, "maturity"]
    assert assessments.maturity_label(now) == assessments.maturity_label(before)


def test_a_due_date_before_the_start_is_refused_with_nothing_written(app):
    ws_id = demo_id()
    go(app, roadmap_tab="Actions")
    frame = app.session_state[f"roadmap_editor_{ws_id}__frame"]
    aid = frame["ID"].iloc[0]
    logs = live().execute("SELECT count(*) FROM change_log").fetchone()[0]
    edit(app, ws_id, aid, {"Due": "2020-01-01", "Owner": "Tom; Lena", "Effort": "XXL"})
    button(app, "roadmap_save").click().run()
    errors = " ".join(e.value for e in app.error)
    assert "Nothing was saved" in errors
    assert "due date 2020-01-01 is before the start date" in errors
    assert "is not a recognisable owner" in errors and "'XXL' is not on the scale" in errors
    assert live().execute("SELECT count(*) FROM change_log").fetchone()[0] == logs
    assert roadmap.actions(live(), ws_id, catalog.load(), 3).set_index("id").loc[aid, "due"] != date(2020, 1, 1)
    assert button(app, "roadmap_save").label == "Save 1 row"     # the typed edits are kept to fix


def test_generating_from_the_button_twice_creates_no_duplicates(app):
    con = live()
    ws_id = workspaces.create(con, {"name": "Fresh client", "target_date": date(2027, 6, 30)})
    assessments.save(con, ws_id, catalog.load(), {"5.2": {"maturity": 1}, "A.7.4": {"maturity": 2}})
    go(app, ws=str(ws_id), roadmap_tab="Actions")
    assert "No actions yet" in texts(app)
    button(app, "roadmap_gen_gaps").click().run()
    assert "Created 2 actions from the gaps." in texts(app)
    button(app, "roadmap_gen_gaps").click().run()
    assert "Created 0 actions from the gaps. 2 requirement(s) already have an open action" in texts(app)
    assert len(roadmap.actions(con, ws_id, catalog.load(), 3)) == 2


def test_a_workspace_without_a_target_date_is_told_to_set_one(app):
    ws_id = workspaces.create(live(), {"name": "No date yet"})
    go(app, ws=str(ws_id))
    warning = " ".join(w.value for w in app.warning)
    assert "No target certification date is set" in warning
    assert "planned from today" in " ".join(i.value for i in app.info)
    assert "No forecast yet" in texts(app)
    assert len(roadmap_phases.phases(live(), ws_id)) == 10


def test_editing_a_phase_and_the_effort_scale(app):
    ws_id = demo_id()
    go(app, roadmap_tab="Phases and effort")
    key = app.session_state[f"roadmap_phases_{ws_id}__editor"]
    app.session_state[key] = {"edited_rows": {8: {"Name": "Certification audit (Stage 2)"}}, "added_rows": [],
                              "deleted_rows": []}
    app.run()
    button(app, "roadmap_phases_save").click().run()
    assert not app.error
    assert roadmap_phases.phases(live(), ws_id).iloc[8]["name"] == "Certification audit (Stage 2)"
    next(n for n in app.number_input if n.key == "roadmap_effort_0_M").set_value(1)
    next(b for b in app.button if b.label == "Save the effort scale").click().run()
    assert any("S < M < L < XL" in e.value.replace("\\", "") for e in app.error)   # shown as typed: < escaped
    assert roadmap_phases.effort_scale(live(), ws_id)["M"] == 5
