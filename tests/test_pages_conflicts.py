"""Two sessions of one app process edit the same record: different fields are both kept, the same
field is shown to the second as a choice (theirs, yours), and the choice is saved."""
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_pages import live, open_page

from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.store import workspaces


@pytest.fixture
def two(app):
    """Session A (the app fixture) and session B, a second browser tab on the same server."""
    b = AppTest.from_file("../app.py", default_timeout=60)
    b.run()
    assert not b.exception
    return app, b


def gap(con, req):
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])
    return assessments.table(con, ws_id, catalog.load(), 3).set_index("req_id").loc[req]


def widget(at, kind, suffix):
    return next(w for w in getattr(at, kind) if w.key and w.key.endswith(suffix))


def submit(at, label="Save"):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_focused_view_keeps_both_sessions_fields(two):
    a, b = two
    con = live(a)
    for at in (a, b):                                    # both open 9.2.1 before anyone saves
        open_page(at, "pages/gap-analysis.py", req="9.2.1")
    widget(a, "text_area", "_notes").input("Agreed in the kick-off")
    submit(a)
    b.run()                                              # B's form still shows what B opened, and says so
    assert any("Changed by someone else since you opened this form: notes" in c.value for c in b.caption)
    assert widget(b, "text_area", "_notes").value == ""
    widget(b, "radio", "_maturity").set_value("2 Repeatable")
    submit(b)
    assert not b.error and not b.warning
    r = gap(con, "9.2.1")
    assert (r["notes"], r["maturity"]) == ("Agreed in the kick-off", 2)   # A's notes not put back


def test_focused_view_same_field_offers_the_choice_then_saves_it(two):
    a, b = two
    con = live(a)
    for at in (a, b):
        open_page(at, "pages/gap-analysis.py", req="9.2.1")
    widget(a, "text_area", "_notes").input("A's note")
    submit(a)
    widget(b, "text_area", "_notes").input("B's note")
    widget(b, "radio", "_maturity").set_value("1 Initial")
    submit(b)
    r = gap(con, "9.2.1")
    assert r["notes"] == "A's note" and pd.isna(r["maturity"])         # nothing of B's written yet
    assert any("since you opened this" in w.value for w in b.warning)
    choice = next(r for r in b.radio if r.key and r.key.startswith("conflict_"))
    assert [choice.format_func(o) for o in ("theirs", "mine")] == [
        "Theirs: A's note (saved by tester at %s)" % con.execute("SELECT strftime(max(changed_at), '%H:%M') "
                                                                 "FROM change_log").fetchone()[0],
        "Yours: B's note"]
    choice.set_value("mine")
    submit(b, "Save with these choices")
    r = gap(con, "9.2.1")
    assert (r["notes"], r["maturity"]) == ("B's note", 1)
    assert not any("since you opened this" in w.value for w in b.warning)
    assert widget(b, "text_area", "_notes").value == "B's note"          # the form shows the saved state


def test_keeping_theirs_saves_only_the_other_fields(two):
    a, b = two
    con = live(a)
    for at in (a, b):
        open_page(at, "pages/gap-analysis.py", req="9.2.1")
    widget(a, "text_area", "_notes").input("A's note")
    submit(a)
    widget(b, "text_area", "_notes").input("B's note")
    widget(b, "text_area", "_evidence").input("B's evidence")
    submit(b)
    submit(b, "Save with these choices")                 # the default choice is theirs
    r = gap(con, "9.2.1")
    assert (r["notes"], r["evidence"]) == ("A's note", "B's evidence")
    assert widget(b, "text_area", "_notes").value == "A's note"


def test_the_table_keeps_both_sessions_cells_and_detects_the_same_cell(two):
    a, b = two
    con = live(a)
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])

    def edit(at, cells):
        open_page(at, "pages/gap-analysis.py")
        key = at.session_state[f"gap_editor_{ws_id}__editor"]
        frame = at.session_state[f"gap_editor_{ws_id}__frame"]
        pos = int(frame.index[frame["ID"] == "9.2.1"][0])
        at.session_state[key] = {"edited_rows": {pos: cells}, "added_rows": [], "deleted_rows": []}
        at.run()

    for at in (a, b):
        open_page(at, "pages/gap-analysis.py")
    edit(a, {"Notes": "A's note"})
    # B's table was loaded before A saved: B edits from the old values
    key = b.session_state[f"gap_editor_{ws_id}__editor"]
    frame = b.session_state[f"gap_editor_{ws_id}__frame"]
    pos = int(frame.index[frame["ID"] == "9.2.1"][0])
    next(x for x in a.button if x.key == "gap_save").click().run()
    b.session_state[key] = {"edited_rows": {pos: {"Evidence": "B's evidence"}}, "added_rows": [], "deleted_rows": []}
    b.run()
    next(x for x in b.button if x.key == "gap_save").click().run()
    assert not b.exception
    r = gap(con, "9.2.1")
    assert (r["notes"], r["evidence"]) == ("A's note", "B's evidence")
    # now both change the notes: B's table shows A's note, A saves another, B saves its own
    edit(b, {"Notes": "B's note"})
    edit(a, {"Notes": "A's second note"})
    next(x for x in a.button if x.key == "gap_save").click().run()
    next(x for x in b.button if x.key == "gap_save").click().run()
    assert gap(con, "9.2.1")["notes"] == "A's second note"
    assert any("since you opened this" in w.value for w in b.warning)
    choice = next(r for r in b.radio if r.key and r.key.startswith("conflict_gap"))
    choice.set_value("mine")
    submit(b, "Save with these choices")
    assert gap(con, "9.2.1")["notes"] == "B's note"
    assert next(x for x in b.button if x.key == "gap_save").label == "Save"     # nothing pending any more


def test_ai_system_form_keeps_both_sessions_fields_and_offers_the_same_field(two):
    from aims.ai_systems import inventory
    a, b = two
    con = live(a)
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])
    for at in (a, b):
        open_page(at, "pages/ai-systems.py", system="AIS-001")
    widget(a, "text_input", "_vendor").input("Vendor A")
    submit(a, "Save changes")
    widget(b, "text_area", "_purpose").input("Purpose B")
    submit(b, "Save changes")
    s = inventory.get(con, ws_id, "AIS-001")
    assert (s["vendor"], s["purpose"]) == ("Vendor A", "Purpose B")       # A's vendor not put back
    widget(a, "text_input", "_model").input("Model A")
    submit(a, "Save changes")
    widget(b, "text_input", "_model").input("Model B")                   # B's form opened before A's save
    submit(b, "Save changes")
    assert inventory.get(con, ws_id, "AIS-001")["model"] == "Model A"
    assert any("since you opened this" in w.value for w in b.warning)
    next(r for r in b.radio if r.key and r.key.startswith("conflict_inv_edit")).set_value("mine")
    submit(b, "Save with these choices")
    assert inventory.get(con, ws_id, "AIS-001")["model"] == "Model B"
    assert widget(b, "text_input", "_model").value == "Model B"


def test_risk_form_keeps_what_the_second_session_typed(two):
    """The risk form used to be rebuilt when someone else saved, dropping the second user's edit."""
    from aims.risk import register as risks
    a, b = two
    con = live(a)
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])
    for at in (a, b):
        open_page(at, "pages/risks.py", risk="R-002")
    widget(a, "text_area", "_desc").input("Description A")
    submit(a, "Save changes")
    widget(b, "text_input", "_title").input("Model drift (B)")
    submit(b, "Save changes")
    r = risks.get(con, ws_id, "R-002")
    assert (r["description"], r["title"]) == ("Description A", "Model drift (B)")
    b.run()
    assert not any("since you opened this" in w.value for w in b.warning)


def test_cancel_keeps_what_was_typed_and_show_latest_reloads_the_form(two):
    a, b = two
    con = live(a)
    for at in (a, b):
        open_page(at, "pages/gap-analysis.py", req="9.2.1")
    widget(a, "text_area", "_notes").input("A's note")
    submit(a)
    widget(b, "text_area", "_notes").input("B's note")
    submit(b)
    submit(b, "Cancel")
    assert not any("since you opened this" in w.value for w in b.warning)
    assert widget(b, "text_area", "_notes").value == "B's note" and gap(con, "9.2.1")["notes"] == "A's note"
    submit(b, "Show latest")
    assert widget(b, "text_area", "_notes").value == "A's note"
    assert not any("Changed by someone else" in c.value for c in b.caption)
