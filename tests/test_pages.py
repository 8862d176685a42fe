"""Every page renders on a fresh database (through the entry point, as the app runs it), and
the main journeys work: a rating saved on the gap page changes the overview."""
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from aims.assessment import requirements as assessments
from aims.catalog import standard as catalog
from aims.store import db, workspaces

PAGES = ["pages/overview.py", "pages/gap-analysis.py", "pages/soa.py", "pages/workspaces.py"]


def open_page(at, page, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_a_fresh_database_with_the_demo(app, page):
    open_page(app, page)
    assert not app.error, [e.value for e in app.error]
    assert app.title


def test_first_start_creates_the_demo_workspace_and_puts_it_in_the_url(app):
    assert "Northwind" in app.sidebar.selectbox[0].format_func(app.sidebar.selectbox[0].value)
    assert app.query_params["ws"]


def live(at):
    """The app's own connection (the cached one), for assertions."""
    from aims.ui.chrome import _open
    return _open(db.database_path())


def test_a_rating_saved_in_the_table_changes_the_overview(app):
    con = live(app)
    ws = workspaces.list_all(con).iloc[0]
    open_page(app, "pages/overview.py")
    before = metric(app, "Overall readiness")
    open_page(app, "pages/gap-analysis.py")
    # the editor key depends on the rows shown; find it
    key = app.session_state[f"gap_editor_{ws['id']}__editor"]
    # 9.2.1 is not assessed in the demo: rate it at 5 (above any target)
    frame = app.session_state[f"gap_editor_{ws['id']}__frame"]
    pos = int(frame.index[frame["ID"] == "9.2.1"][0])
    app.session_state[key] = {"edited_rows": {pos: {"Maturity": "5 Optimising"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    save = next(b for b in app.button if b.key == "gap_save")
    assert save.label == "Save 1 row"
    save.click().run()
    assert not app.exception
    t = assessments.table(con, int(ws["id"]), catalog.load(), 3).set_index("req_id")
    assert t.loc["9.2.1", "maturity"] == 5
    open_page(app, "pages/overview.py")
    assert metric(app, "Overall readiness") != before


def test_workshop_view_saves_one_requirement(app):
    con = live(app)
    open_page(app, "pages/gap-analysis.py", req="5.2")
    assert any("5.2" in s.value for s in app.subheader)
    app.radio[0].set_value("4 Measured")
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception and not app.error
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])
    assert assessments.table(con, ws_id, catalog.load(), 3).set_index("req_id").loc["5.2", "maturity"] == 4


def test_excluding_a_control_without_justification_is_refused_on_the_soa_page(app):
    con = live(app)
    ws_id = int(workspaces.list_all(con).iloc[0]["id"])
    open_page(app, "pages/soa.py")
    key = app.session_state[f"soa_editor_{ws_id}__editor"]
    frame = app.session_state[f"soa_editor_{ws_id}__frame"]
    pos = int(frame.index[frame["ID"] == "A.2.3"][0])
    app.session_state[key] = {"edited_rows": {pos: {"Applicable": False}}, "added_rows": [], "deleted_rows": []}
    app.run()
    next(b for b in app.button if b.key == "soa_save").click().run()
    assert any("give a justification for the exclusion" in e.value for e in app.error)
    assert bool(assessments.table(con, ws_id, catalog.load(), 3).set_index("req_id").loc["A.2.3", "applicable"])


def test_creating_a_workspace_with_a_duplicate_name_shows_an_error(app):
    open_page(app, "pages/workspaces.py")
    form_inputs = [t for t in app.text_input if t.label == "Workspace name *"]
    form_inputs[1].input("Northwind Lending (demo)")
    next(b for b in app.button if b.label == "Create workspace").click().run()
    assert any("already exists" in e.value for e in app.error)


def test_creating_a_workspace_opens_it_and_empties_the_form(app):
    open_page(app, "pages/workspaces.py")
    [t for t in app.text_input if t.label == "Workspace name *"][1].input("Zeta Insurance")
    next(b for b in app.button if b.label == "Create workspace").click().run()
    assert not app.exception, app.exception
    new_id = int(workspaces.list_all(live(app)).set_index("name").loc["Zeta Insurance", "id"])
    assert app.sidebar.selectbox[0].value == new_id                  # the picker shows the new workspace
    assert str(new_id) in str(app.query_params["ws"])
    assert [t for t in app.text_input if t.label == "Workspace name *"][1].value == ""
    assert any("Created workspace Zeta Insurance" in s.value for s in app.success)


def test_a_link_with_a_workspace_id_opens_that_workspace(tmp_path, monkeypatch):
    path = tmp_path / "link.duckdb"
    con = db.open_database(path)
    from aims.demo import client as demo
    demo.ensure(con, catalog.load())
    other = workspaces.create(con, {"name": "Zeta Insurance", "organisation": "Zeta"})
    con.close()
    monkeypatch.setenv("AIMS_DB", str(path))
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["ws"] = str(other)
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == other
    assert any("Zeta Insurance" in c.value for c in at.caption)


def test_a_database_held_by_another_process_shows_a_clear_message(tmp_path, monkeypatch):
    import subprocess
    import sys
    path = tmp_path / "held.duckdb"
    db.open_database(path).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("AIMS_DB", str(path))
        st.cache_resource.clear()
        at = AppTest.from_file("../app.py", default_timeout=30)
        at.run()
        assert not at.exception
        assert any(str(path) in e.value and "in use" in e.value for e in at.error)
    finally:
        holder.kill()
        holder.wait()


def test_without_a_configured_user_the_sidebar_asks_for_a_name_once(tmp_path, monkeypatch):
    """No AIMS_USER: the sidebar asks who is working; the name given is recorded with the next
    change and then shown instead of the question (changes were recorded as the machine login)."""
    from helpers import start_app
    monkeypatch.delenv("AIMS_USER")
    monkeypatch.setattr(db, "_local_name", None)
    at = start_app(tmp_path / "who.duckdb", monkeypatch)
    assert any("Who is working?" in m.value for m in at.sidebar.markdown)
    name = next(t for t in at.sidebar.text_input if t.label == "Your name")
    name.input("")
    next(b for b in at.sidebar.button if b.label == "Save my name").click().run()
    assert any("Your name is required" in e.value for e in at.sidebar.error)
    name = next(t for t in at.sidebar.text_input if t.label == "Your name")
    name.input("Jane Doe")
    next(b for b in at.sidebar.button if b.label == "Save my name").click().run()
    assert not at.exception and not any("Who is working?" in m.value for m in at.sidebar.markdown)
    assert db.current_user() == "Jane Doe"
    assert [t.value for t in at.sidebar.text_input if t.label == "Your name"] == ["Jane Doe"]
    monkeypatch.setattr(db, "_local_name", None)
