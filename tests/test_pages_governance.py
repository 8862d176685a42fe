"""Governance and documented-information pages through the entry point, on the demo client."""
from datetime import date

import pytest

from aims.catalog import standard as catalog
from aims.governance import documents, policy, roles, training
from aims.store import db, workspaces


def live():
    from aims.ui.chrome import _open
    return _open(db.database_path())


def ws_id():
    return int(workspaces.list_all(live()).iloc[0]["id"])


def go(at, page, **params):
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def edit(at, key, row_id, cells):
    """Type into a pending_editor table: cells {column: value} on the row whose ID is row_id."""
    editor = at.session_state[f"{key}__editor"]
    frame = at.session_state[f"{key}__frame"]
    pos = int(frame.index[frame["ID"] == row_id][0])
    at.session_state[editor] = {"edited_rows": {pos: cells}, "added_rows": [], "deleted_rows": []}
    at.run()


def errors(at):
    return " ".join(e.value for e in at.error)


@pytest.mark.parametrize("page", ["pages/governance.py", "pages/documents.py"])
def test_the_pages_render_with_the_demo(app, page):
    go(app, page)
    assert not app.error, errors(app)


def test_the_governance_page_shows_policy_raci_and_training_figures(app):
    go(app, "pages/governance.py")
    assert metric(app, "AI policy") == "v1.0 approved"
    assert metric(app, "RACI check") == "1 problem"
    assert any("Data governance: no accountable role" in w.value for w in app.warning)
    assert any("4 of 6 model owners trained on bias and fairness testing" in str(df.value.values)
               for df in app.dataframe)
    assert any("A.2.4" in m.value for m in app.markdown)  # the requirements the policy evidences


def test_the_raci_shows_each_group_of_activities_in_its_own_tab(app):
    go(app, "pages/governance.py")
    labels = [t.label for t in app.tabs]
    assert "Management system (8)" in labels and "AI systems in use (7) · 1 to fix" in labels
    ws = ws_id()
    system = app.session_state[f"gov_raci_{ws}_system__frame"]
    operation = app.session_state[f"gov_raci_{ws}_operation__frame"]
    assert list(system.columns)[3:] == ["Policy", "Inventory", "Risk", "Impact", "Training", "Documents", "Audit",
                                        "Review"]
    assert list(operation.columns)[3:] == ["Data", "Life cycle", "Oversight", "User info", "Suppliers", "Incidents",
                                           "Reporting"]
    legal = operation.set_index("Role").loc["Legal and compliance"]
    assert (legal["Reporting"], legal["Suppliers"]) == ("A", "R")


def test_the_overview_shows_the_governance_panel_from_the_register(app):
    go(app, "pages/overview.py")
    s1 = documents.stage1_readiness(live(), ws_id(), catalog.load())
    assert metric(app, "Documents and records in place") == f"{s1['pct']:.0f}%"
    assert metric(app, "AI policy") == "v1.0 approved"


def test_approving_the_draft_without_an_endorser_shows_every_problem_and_saves_nothing(app):
    go(app, "pages/governance.py")
    work = policy.working(live(), ws_id())
    key = f"gov_pol_{work['id']}_0"
    app.selectbox(key=f"{key}_status").set_value("approved")
    button(app, "Save version 1.1").click().run()
    assert "fill in the endorser's name, the endorser's role, the approval date, the next review date" in errors(app)
    assert policy.get(live(), ws_id(), work["id"])["status"] == "draft"


def test_approving_the_draft_retires_version_1_0(app):
    go(app, "pages/governance.py")
    work = policy.working(live(), ws_id())
    key = f"gov_pol_{work['id']}_0"
    app.selectbox(key=f"{key}_status").set_value("approved")
    app.selectbox(key=f"{key}_endorsed_by").set_value("Daniel Reyes")
    app.text_input(key=f"{key}_endorser_role").input("Chief Executive Officer")
    app.date_input(key=f"{key}_approved_on").set_value(date.today())
    app.date_input(key=f"{key}_next_review").set_value(date(date.today().year + 1, 12, 31))
    button(app, "Save version 1.1").click().run()
    assert not app.error, errors(app)
    assert dict(zip(*[policy.versions(live(), ws_id())[c] for c in ("version", "status")])) == {
        "1.1": "approved", "1.0": "retired"}
    assert metric(app, "AI policy") == "v1.1 approved"


def test_a_second_accountable_role_in_the_raci_is_refused(app):
    go(app, "pages/governance.py")
    con, ws = live(), ws_id()
    owner = roles.roles(con, ws).set_index("name").at["Model owner", "id"]
    before = roles.raci(con, ws)
    edit(app, f"gov_raci_{ws}_system", owner, {"Policy": "A"})
    button(app, "Save 1 row").click().run()
    assert "AI policy would have 2 accountable roles (Model owner, Top management sponsor)" in errors(app)
    assert roles.raci(con, ws).equals(before)


def test_naming_the_accountable_role_for_data_governance_clears_the_flag(app):
    go(app, "pages/governance.py")
    con, ws = live(), ws_id()
    officer = roles.roles(con, ws).set_index("name").at["AI governance officer", "id"]
    edit(app, f"gov_raci_{ws}_operation", officer, {"Data": "A"})
    button(app, "Save 1 row").click().run()
    assert not app.error, errors(app)
    assert metric(app, "RACI check") == "consistent"


def test_adding_a_person_with_a_role_from_the_form(app):
    go(app, "pages/governance.py")
    con, ws = live(), ws_id()
    steward = roles.roles(con, ws).set_index("name").at["Data steward", "id"]
    app.text_input(key="gov_person_add_name_0").input("Nadia Haddad")
    app.text_input(key="gov_person_add_title_0").input("Fraud Data Steward")
    app.multiselect(key="gov_person_add_roles_0").set_value([steward])
    button(app, "Add person").click().run()
    assert not app.error, errors(app)
    assert "Nadia Haddad (Fraud Data Steward)" in roles.people(con, ws)
    assert "Nadia Haddad (Fraud Data Steward)" in roles.roles(con, ws).set_index("id").at[steward, "holder_labels"]
    assert app.text_input(key="gov_person_add_name_1").value == ""                # the next add starts empty


def test_a_duplicate_person_shows_an_error_and_adds_nothing(app):
    go(app, "pages/governance.py")
    before = roles.people(live(), ws_id())
    app.text_input(key="gov_person_add_name_0").input("tom becker")
    button(app, "Add person").click().run()
    assert "'tom becker' is already listed" in errors(app)
    assert roles.people(live(), ws_id()) == before
    assert app.text_input(key="gov_person_add_name_0").value == "tom becker"      # kept to fix, not cleared


def test_recording_a_completion_raises_coverage(app):
    go(app, "pages/governance.py")
    con, ws = live(), ws_id()
    sid = app.selectbox(key="gov_attendance_session").value
    assert sid == "TR-002"
    ravi = roles.persons(con, ws).set_index("name").at["Ravi Patel", "id"]
    before = training.summary(con, ws)["completed"]
    edit(app, f"gov_att_{ws}_{sid}", ravi, {"Status": "completed"})
    button(app, "Save 1 row").click().run()
    assert not app.error, errors(app)
    assert training.summary(con, ws)["completed"] == before + 1


def test_a_status_change_in_the_register_updates_stage1(app):
    go(app, "pages/documents.py")
    con, ws, cat = live(), ws_id(), catalog.load()
    before = documents.stage1_readiness(con, ws, cat)
    edit(app, f"doc_editor_{ws}", "AI risk treatment plan",
         {"Status": "approved", "Version": "1.0", "Location": "SharePoint > AIMS > Risk"})
    button(app, "Save 1 row").click().run()
    assert not app.error, errors(app)
    after = documents.stage1_readiness(con, ws, cat)
    assert after["approved"] == before["approved"] + 1
    assert metric(app, "Documents approved") == f"{after['approved']} of {after['documents']}"


def test_approving_a_document_without_version_shows_the_problem_and_saves_nothing(app):
    go(app, "pages/documents.py")
    con, ws, cat = live(), ws_id(), catalog.load()
    edit(app, f"doc_editor_{ws}", "AI risk treatment plan", {"Status": "approved"})
    button(app, "Save 1 row").click().run()
    assert "AI risk treatment plan: an approved document needs a version and where it lives" in errors(app)
    assert documents.register(con, ws, cat).set_index("id").at["AI risk treatment plan", "status"] == "missing"


def test_adding_a_document_from_the_form(app):
    go(app, "pages/documents.py")
    app.text_input(key="doc_add_title_0").input("AI acceptable use standard")
    app.multiselect(key="doc_add_reqs_0").set_value(["A.9.2"])
    button(app, "Add document").click().run()
    assert not app.error, errors(app)
    reg = documents.register(live(), ws_id(), catalog.load())
    assert "AI acceptable use standard" in set(reg[reg["custom"]]["document"])


def test_the_evidence_request_text_for_one_owner(app):
    go(app, "pages/documents.py")
    app.selectbox(key="doc_requests_owner").set_value("Priya Shah (CRO)").run()
    text = app.code[0].value
    assert text.startswith("Dear Priya Shah,") and "AI risk treatment plan [6.1.3]" in text


def test_an_empty_workspace_shows_clear_starting_points(app):
    con = live()
    new = workspaces.create(con, {"name": "Fresh client"})
    go(app, "pages/governance.py", ws=str(new))
    assert metric(app, "AI policy") == "no policy" and metric(app, "Training coverage") == "–"
    infos = " ".join(i.value for i in app.info)
    assert "No AI policy is recorded yet" in infos and "No roles yet" in infos and "No people yet" in infos
    button(app, "Record this version").click().run()
    assert not app.error, errors(app)
    assert policy.working(con, new)["version"] == "1.0"
    button(app, "Add the 9 standard roles").click().run()
    assert list(roles.roles(con, new)["name"])[:2] == ["Top management sponsor", "AI governance officer"]
    assert metric(app, "RACI check") == "30 problems"  # no A and no R for each of the 15 activities
    go(app, "pages/documents.py", ws=str(new))
    assert metric(app, "Documentation in place") == "0%"
    assert not app.error, errors(app)
