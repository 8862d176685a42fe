"""The findings page through the entry point (AppTest): the register with its figures and
filters, raising a finding (the form starts empty again, the new finding opens), the corrective
action workflow step by step with the refusals shown, and a viewer's page without edit widgets."""
from datetime import date, timedelta

import pytest
from helpers import start_app, start_as

from aims.access import members
from aims.audit import findings
from aims.roadmap import actions as roadmap
from aims.store import db, workspaces

PAGE = "pages/findings.py"


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app on a database of one client of its own (not the demo, whose findings may change)."""
    path = tmp_path / "pages.duckdb"
    con = db.open_database(path)
    workspaces.create(con, {"name": "Acme AI", "organisation": "Acme Ltd", "target_date": date(2027, 9, 30)})
    con.close()
    return start_app(path, monkeypatch)


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id():
    return int(workspaces.list_all(live()).iloc[0]["id"])


def open_page(at, view=None, **params):
    for k, v in params.items():
        at.query_params[k] = v
    if view:
        at.session_state["findings_view"] = view
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at, kind, prefix, suffix):
    return next(w for w in getattr(at, kind) if w.key and w.key.startswith(prefix) and w.key.endswith(suffix))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def raise_one(**kw):
    data = {"source": "internal audit", "grade": "major nonconformity", "title": "AI risk assessment not repeated",
            "requirements": ["8.2"], "owner": "Priya Shah", "due": date.today() + timedelta(days=30)}
    return findings.raise_finding(live(), ws_id(), {**data, **kw})


def test_the_register_shows_figures_and_flags_an_overdue_finding(app):
    raise_one(title="Late one", due=date.today() - timedelta(days=3), raised_on=date.today() - timedelta(days=10))
    raise_one(grade="observation", title="Nice to have", requirements=[])
    open_page(app)
    figures = {m.label: m.value for m in app.metric}
    assert figures["Open findings"] == "2" and figures["Major NCs open"] == "1"
    assert figures["Overdue"] == "1"
    shown = app.dataframe[0].value
    shown = shown.data if hasattr(shown, "data") else shown
    assert list(shown["ID"]) == ["F-001", "F-002"]
    assert list(shown["Overdue"]) == ["OVERDUE", ""]


def test_raising_a_finding_opens_it_and_the_form_starts_empty(app):
    open_page(app, view="Raise a finding")
    widget(app, "text_input", "finding_add_", "_title").input("No record of the **policy** review")
    widget(app, "selectbox", "finding_add_", "_grade").select("minor nonconformity")
    widget(app, "selectbox", "finding_add_", "_source").select("incident")
    widget(app, "multiselect", "finding_add_", "_requirements").select("5.2")
    button(app, "Raise the finding").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    f = findings.get(live(), ws_id(), "F-001")
    assert (f["title"], f["grade"], f["requirements"]) == ("No record of the **policy** review",
                                                           "minor nonconformity", ["5.2"])
    assert app.session_state["findings_view"] == "Register"
    assert any("F-001" in s.value and r"\*\*policy\*\*" in s.value for s in app.subheader)
    open_page(app, view="Raise a finding")
    assert widget(app, "text_input", "finding_add_", "_title").value == ""


def test_a_nonconformity_without_a_requirement_is_refused_and_nothing_written(app):
    open_page(app, view="Raise a finding")
    widget(app, "text_input", "finding_add_", "_title").input("Something wrong")
    widget(app, "selectbox", "finding_add_", "_grade").select("major nonconformity")
    widget(app, "selectbox", "finding_add_", "_source").select("incident")
    button(app, "Raise the finding").click().run()
    errors = " ".join(e.value for e in app.error)
    assert "The finding was not raised" in errors and "at least one requirement" in errors
    assert findings.table(live(), ws_id()).empty
    assert widget(app, "text_input", "finding_add_", "_title").value == "Something wrong"   # kept to fix


def test_the_workflow_from_correction_to_closure(app):
    fid = raise_one()
    open_page(app, finding=fid)
    assert not app.error
    widget(app, "text_area", f"finding_cause_{fid}", "_correction").input("Risk assessment repeated at once")
    widget(app, "text_area", f"finding_cause_{fid}", "_root_cause").input("No trigger for reassessment")
    widget(app, "text_area", f"finding_cause_{fid}", "_five_whys").input("Why not repeated?\nWhy no trigger?")
    button(app, "Save correction and root cause").click().run()
    assert not app.error, [e.value for e in app.error]
    assert findings.get(live(), ws_id(), fid)["root_cause"] == "No trigger for reassessment"
    assert any(fid in s.value for s in app.subheader)          # still on the finding
    assert any("Saved 3 changed fields" in s.value for s in app.success)
    # closing now is refused, and the page says why
    widget(app, "text_input", f"finding_close_{fid}", "_by").input("Ann Auditor")
    button(app, "Close the finding").click().run()
    errors = " ".join(e.value for e in app.error)
    assert f"{fid} was not closed" in errors and "verified effective" in errors
    button(app, "Create the corrective action").click().run()
    aid = findings.get(live(), ws_id(), fid)["action_id"]
    assert aid and roadmap.actions(live(), ws_id(), app_cat(), 3).set_index("id").loc[aid, "source_ref"] == fid
    button(app, f"Mark {aid} done").click().run()
    widget(app, "text_input", f"finding_verify_{fid}", "_verified_by").input("Ann Auditor")
    widget(app, "date_input", f"finding_verify_{fid}", "_verified_on").set_value(date.today())
    widget(app, "radio", f"finding_verify_{fid}", "_verification").set_value("effective")
    button(app, "Record the verification").click().run()
    assert not app.error, [e.value for e in app.error]
    widget(app, "text_input", f"finding_close_{fid}", "_by").input("Ann Auditor")
    button(app, "Close the finding").click().run()
    assert not app.error, [e.value for e in app.error]
    f = findings.get(live(), ws_id(), fid)
    assert (f["status"], f["closed_by"], f["closed_on"]) == ("closed", "Ann Auditor", date.today())
    assert app.query_params["finding"] == [fid] or app.query_params["finding"] == fid


def app_cat():
    from aims.catalog import standard
    return standard.load()


def test_a_viewer_reads_the_register_and_a_finding_without_edit_widgets(tmp_path, monkeypatch):
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    members.add(con, ws, "vic@example.com", "viewer", "Vic")
    fid = findings.raise_finding(con, ws, {"source": "incident", "grade": "minor nonconformity", "title": "Gap",
                                           "requirements": ["7.2"]})
    con.close()
    at = start_as(path, monkeypatch, "vic@example.com")
    at.query_params["finding"] = fid
    at.query_params["ws"] = str(ws)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(fid in s.value for s in at.subheader)
    edit_inputs = [w.key for kind in ("text_input", "text_area", "date_input", "multiselect", "radio", "selectbox")
                   for w in getattr(at, kind) if (w.key or "").startswith("finding_")]     # not the filters
    assert edit_inputs == []
    assert [b.label for b in at.main.button] == ["Close"]
    assert any("Not recorded yet." in c.value for c in at.caption)
    assert "findings_view" not in at.session_state or at.session_state["findings_view"] == "Register"


def test_open_findings_show_on_the_overview_and_on_their_requirement_in_the_gap_analysis(app):
    raise_one(title="Reassessment trigger missing", requirements=["8.2"])
    raise_one(grade="minor nonconformity", title="Late one", due=date.today() - timedelta(days=1),
              raised_on=date.today() - timedelta(days=9), requirements=["7.2"])
    app.switch_page("pages/overview.py").run()
    assert not app.exception
    line = next(c.value for c in app.caption if "Findings and corrective action" in c.value)
    assert "1 major nonconformity open" in line and "1 minor nonconformity open" in line and "1 overdue" in line
    open_page(app)      # the findings page itself, then the gap analysis workshop on 8.2
    app.query_params["req"] = "8.2"
    app.switch_page("pages/gap-analysis.py").run()
    assert not app.exception
    note = next(w.value for w in app.warning if "Open findings against 8.2" in w.value)
    assert "F-001" in note and "Reassessment trigger missing" in note and "F-002" not in note
