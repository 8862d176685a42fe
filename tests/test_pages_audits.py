"""The Audits page through the entry point (AppTest): every tab renders on the demo; an audit is
added through the Programme tab's form (which starts empty again, the new audit open, the user on
the tab); a checklist result is saved through the item form and through the table's save bar; an
impartiality flag refuses a result without a reason; a viewer gets no edit widget."""
from datetime import date

import pytest
from helpers import start_app, start_as
from test_pages_roles import edit_widgets

from aims.access import members
from aims.assessment import requirements as assessments
from aims.audit import checklist, programme
from aims.catalog import standard
from aims.store import db, workspaces

PAGE = "pages/audits.py"
TABS = ["Programme", "Checklist", "Report", "Certification audits"]


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app on a database of one client of its own (the demo has an audit programme of its own)."""
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


def go(at, tab="Programme", **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.session_state["audits_tab"] = tab
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at, kind, prefix, suffix):
    return next(w for w in getattr(at, kind) if w.key and w.key.startswith(prefix) and w.key.endswith(suffix))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def errors(at):
    return " ".join(e.value for e in at.error)


def started(title="Clauses audit", scope=("4.1", "5.2"), lead="Marta Novak"):
    return programme.create(live(), ws_id(), {"kind": "internal", "title": title, "scope": list(scope),
                                              "lead_auditor": lead, "status": "in progress", "start": date.today()})


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_on_the_demo(demo_app, tab):
    app = demo_app
    go(app, tab, audit="AU-001")                  # the demo's internal audit in progress
    assert not app.error, errors(app)
    labels = [m.label for m in app.metric]
    assert labels[:4] == ["Audits in this cycle", "Internal audits completed", "Applicable requirements covered",
                          "Stage 1"]
    if tab == "Checklist":
        assert "Items audited" in labels


def test_adding_an_audit_opens_it_and_the_form_starts_empty(app):
    go(app)
    widget(app, "text_input", "audit_add_0", "_title").input("Internal audit **one**")
    widget(app, "multiselect", "audit_add_0", "_scope").select("4.1").select("A.6.2.4")
    widget(app, "selectbox", "audit_add_0", "_preset").select("clauses")
    widget(app, "text_input", "audit_add_0", "_team").input("Tom Becker; Ana Ruiz")
    button(app, "Add the audit").click().run()
    assert not app.exception and not app.error, errors(app)
    a = programme.get(live(), ws_id(), "AU-001")
    assert a["title"] == "Internal audit **one**" and a["team"] == "Tom Becker; Ana Ruiz"
    assert len(a["scope"]) == 33 and "A.6.2.4" in a["scope"]                  # 32 clauses and the control
    assert app.session_state["audits_tab"] == "Programme" and app.query_params["audit"] == "AU-001"
    assert any("Added AU-001" in s.value for s in app.success)
    assert widget(app, "text_input", "audit_add_1", "_title").value == ""       # a fresh form
    assert any(r"Internal audit \*\*one\*\*" in s.value for s in app.subheader)


def test_a_refused_audit_keeps_what_was_typed(app):
    go(app)
    widget(app, "text_input", "audit_add_0", "_title").input("Backwards")
    widget(app, "date_input", "audit_add_0", "_start").set_value(date(2027, 2, 1))
    widget(app, "date_input", "audit_add_0", "_finish").set_value(date(2027, 1, 1))
    button(app, "Add the audit").click().run()
    assert "before the start" in errors(app)
    assert widget(app, "text_input", "audit_add_0", "_title").value == "Backwards"
    assert programme.table(live(), ws_id()).empty


def test_a_result_is_saved_through_the_item_form(app):
    aid = started()
    go(app, "Checklist", audit=aid)
    widget(app, "selectbox", f"audit_item_pick_{aid}_", "").select("5.2")
    app.run()
    widget(app, "selectbox", f"audit_result_{aid}_5_2_", "_result").select("minor nonconformity")
    widget(app, "text_area", f"audit_result_{aid}_5_2_", "_notes").input("Policy not reviewed")
    button(app, "Save the result").click().run()
    assert not app.exception and not app.error, errors(app)
    item = checklist.items(live(), ws_id(), aid).set_index("req_id").loc["5.2"]
    assert (item["result"], item["notes"]) == ("minor nonconformity", "Policy not reviewed")
    assert app.session_state["audits_tab"] == "Checklist"
    assert any("Saved 2 changed fields" in s.value for s in app.success)
    # the result is a nonconformity: the item offers to raise it as a finding
    widget(app, "text_input", f"audit_raise_{aid}_5_2_", "_title").input("Policy review missing")
    button(app, "Raise a finding").click().run()
    assert not app.error, errors(app)
    assert checklist.items(live(), ws_id(), aid).set_index("req_id").loc["5.2", "findings"] == ["F-001"]


def test_a_result_is_saved_through_the_table(app):
    aid = started()
    go(app, "Checklist", audit=aid)
    key = f"audit_items_editor_{aid}"
    editor = app.session_state[f"{key}__editor"]
    app.session_state[editor] = {"edited_rows": {0: {"Result": "conforming", "Evidence sampled": "Context v2"}},
                                 "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key=f"audit_items_{aid}_save").click().run()
    assert not app.exception and not app.error, errors(app)
    item = checklist.items(live(), ws_id(), aid).set_index("req_id").loc["4.1"]
    assert (item["result"], item["evidence_sampled"], item["auditor"]) == ("conforming", "Context v2", "")


def test_an_impartiality_flag_needs_a_reason(app):
    assessments.save(live(), ws_id(), standard.load(), {"5.2": {"owner": "marta novak"}})
    aid = started(scope=("5.2",))
    go(app, "Checklist", audit=aid)
    assert any("Impartiality" in w.value and "Marta Novak owns the gap-analysis row 5.2" in w.value
               for w in app.warning)
    assert next(m.value for m in app.metric if m.label == "Impartiality flags") == "1"
    widget(app, "selectbox", f"audit_result_{aid}_5_2_", "_result").select("conforming")
    button(app, "Save the result").click().run()
    assert "not impartial" in errors(app)
    assert checklist.items(live(), ws_id(), aid)["result"].tolist() == [""]
    widget(app, "text_input", f"audit_result_{aid}_5_2_", "_override_reason").input("Only trained auditor")
    button(app, "Save the result").click().run()
    assert not app.error, errors(app)
    assert checklist.items(live(), ws_id(), aid)["result"].tolist() == ["conforming"]


def test_the_report_and_a_certification_audit(app):
    aid = started()
    go(app, "Report", audit=aid)
    widget(app, "text_area", f"audit_report_{aid}_", "_summary").input("Two clauses sampled")
    button(app, "Save the report").click().run()
    assert programme.get(live(), ws_id(), aid)["summary"] == "Two clauses sampled"
    assert [b.label for b in app.download_button] == ["Download the report (Markdown)", "Download the checklist (CSV)"]
    go(app, "Certification audits")
    widget(app, "selectbox", "audit_cert_add_0", "_kind").select("stage 1")
    widget(app, "text_input", "audit_cert_add_0", "_title").input("Stage 1 with CertBody")
    widget(app, "text_input", "audit_cert_add_0", "_certification_body").input("CertBody GmbH")
    button(app, "Add the certification audit").click().run()
    assert not app.error, errors(app)
    new = programme.get(live(), ws_id(), "AU-002")
    assert (new["kind"], new["certification_body"]) == ("stage 1", "CertBody GmbH")
    assert app.session_state["audits_tab"] == "Certification audits"


def test_a_viewer_reads_every_tab_without_edit_widgets(tmp_path, monkeypatch):
    path = tmp_path / "roles.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Acme", "organisation": "Acme Ltd"})
    members.add(con, ws, "vic@example.com", "viewer", "Vic")
    aid = programme.create(con, ws, {"kind": "internal", "title": "Clauses", "scope": ["4.1"], "status": "in progress",
                                     "start": date.today(), "summary": "Seen"})
    con.close()
    at = start_as(path, monkeypatch, "vic@example.com")
    for tab in TABS:
        go(at, tab, audit=aid, ws=str(ws))
        assert not at.error, errors(at)
        assert len(at.form) == 0 and len(at.data_editor) == 0 and len(at.form_submit_button) == 0, tab
        edit_keys = [w.key for kind in ("text_input", "text_area", "date_input", "multiselect")
                     for w in getattr(at, kind) if (w.key or "").startswith(("audit_add", "audit_edit", "audit_result",
                                                                              "audit_report", "audit_cert", "audit_raise"))]
        assert edit_keys == [], tab
        assert not any(b.label in ("Generate the checklist", "Save", "Add the audit", "Save the result")
                       for b in at.button), tab
        assert [w for w in edit_widgets(at) if "audits_cycle_start" not in w] == [], tab    # the cycle: a filter


def test_user_text_is_shown_as_typed_on_every_tab(tmp_path, monkeypatch, cat):
    """Payloads in every text field of an audit, its checklist item and the owner that flags it:
    nothing Streamlit renders as Markdown, and no chart, holds one unescaped."""
    from payloads import tagged
    from test_user_text import leaks

    path = tmp_path / "payloads.duckdb"
    con = db.open_database(path)
    ws = workspaces.create(con, {"name": "Payloads", "organisation": "Acme"})
    lead = tagged("LEAD")
    assessments.save(con, ws, cat, {"5.2": {"owner": lead}})
    aid = programme.create(con, ws, {
        "kind": "internal", "title": tagged("TITLE"), "lead_auditor": lead, "team": tagged("TEAM"),
        "objectives": tagged("OBJ"), "criteria": tagged("CRIT"), "processes": tagged("PROC"),
        "systems": tagged("SYS"), "sites": tagged("SITE"), "scope": ["5.2"], "status": "in progress",
        "start": date.today(), "summary": tagged("SUM"), "conclusion": tagged("CONC")})
    checklist.save_results(con, ws, aid, {"5.2": {"result": "observation", "notes": tagged("NOTE"),
                                                  "evidence_sampled": tagged("EVID"),
                                                  "override_reason": tagged("WHY")}})
    programme.create(con, ws, {"kind": "stage 2", "title": tagged("CERT"), "certification_body": tagged("BODY"),
                               "start": date.today()})
    con.close()
    at = start_app(path, monkeypatch)
    found = []
    for tab in TABS:
        go(at, tab, audit=aid, ws=str(ws))
        assert not at.error, errors(at)
        found += leaks(at, tab)
        shown = " ".join(str(e.value) for e in (*at.markdown, *at.subheader, *at.warning))
        assert "TITLE" in shown or tab != "Programme", tab                    # the open audit's heading
        assert "LEAD" in shown or tab not in ("Checklist", "Report"), tab     # the flag and the facts name the lead
    at.query_params["audit"] = "AU-002"
    go(at, "Certification audits")
    found += leaks(at, "Certification audits, AU-002 open")
    assert not found, "\n".join(found)


def test_every_table_is_legible_at_1440_px(app):
    from test_legibility import problems, tables

    aid = started(title="Short title", scope=("4.1", "5.2", "6.1.2"))
    checklist.save_results(live(), ws_id(), aid, {"4.1": {"result": "opportunity for improvement"},
                                                  "6.1.2": {"result": "minor nonconformity", "auditor": "Tom Becker"}})
    for rid in ("4.1", "6.1.2"):
        checklist.raise_finding(live(), ws_id(), aid, rid)
    checklist.raise_finding(live(), ws_id(), aid, "4.1", {"title": "A second one"})
    programme.create(live(), ws_id(), {"kind": "recertification", "title": "Recertification", "start": date.today(),
                                       "certification_body": "CertBody GmbH", "team": "A. Auditor; B. Auditor"})
    found = []
    for tab in TABS:
        go(app, tab, audit=aid)
        found += [f"{tab}, table {i + 1}: {p}" for i, (proto, value) in enumerate(tables(app))
                  for p in problems(proto, value)]
    assert not found, "\n".join(found)
