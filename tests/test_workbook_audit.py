"""The audit cycle in the engagement workbook, on the demo client: the Audits, Audit Checklist,
Findings and Management Reviews sheets round trip unchanged, and an edit made in Excel arrives
through the area's own write function (its rules, its change log): the programme's, the
checklist's (impartiality still applies), the findings register's (closure rules) and the
management review's. Bad values are refused naming sheet, row and column; nothing is written."""
from datetime import date

import pytest
from wbtools import append, count, demo_copy, edit, edits, load, row_of

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.audit import checklist, findings, programme
from aims.audit import review as reviews
from aims.catalog import standard as catalog
from aims.common.validate import ValidationError
from aims.roadmap import actions as roadmap
from aims.store import db
from aims.workbook import export, importer

CAT = catalog.load()
SHEETS = ("Audits", "Audit Checklist", "Findings", "Management Reviews")
TODAY = date.today()


@pytest.fixture
def demo(tmp_path, tmp_path_factory):
    con, ws_id, path = demo_copy(tmp_path, tmp_path_factory)
    yield con, ws_id, path
    con.close()


@pytest.fixture
def exported(demo):
    return export.build(demo[0], demo[1])


def sheet_plan(p, name):
    return next(s for s in p.sheets if s.name == name)


def logged(con, entity, entity_id, field):
    """The value the change log last recorded for the field (None when never logged)."""
    with db.reading(con) as cur:
        row = cur.execute("SELECT new_value FROM change_log WHERE entity = ? AND entity_id = ? AND field = ?"
                          " ORDER BY id DESC LIMIT 1", [entity, entity_id, field]).fetchone()
    return None if row is None else row[0]


def log_count(con):
    return count(con, "SELECT count(*) FROM change_log")


def refused(con, ws_id, data, *fragments):
    """The plan refuses with every fragment among the problems; nothing is written."""
    before = log_count(con)
    with pytest.raises(ValidationError) as err:
        importer.plan(con, ws_id, data)
    text = "\n".join(err.value.problems)
    for f in fragments:
        assert f in text, text
    assert log_count(con) == before
    return text


def the_nc(con, ws_id):
    """The demo's open minor nonconformity raised by the internal audit in progress."""
    f = findings.table(con, ws_id)
    return f[(f["audit_id"] == "AU-001") & (f["grade"] == "minor nonconformity")]["id"].iloc[0]


# ---- the round trip --------------------------------------------------------------------------------

def test_the_audit_sheets_are_exported_with_the_demo_records(demo, exported):
    con, ws_id, _ = demo
    wb = load(exported)
    names = wb.sheetnames
    assert names.index("Documents") < names.index("Audits") < names.index("Audit Checklist") \
        < names.index("Findings") < names.index("Management Reviews") < names.index("Evidence Requests")
    audits = wb["Audits"]
    assert audits.cell(row=row_of(audits, "AU-001"), column=9).value == \
        "5.1; 5.2; 5.3; 6.1.2; 7.2; 7.5.3; A.2.2; A.3.2; A.6.2.6; A.7.4"        # the scope as '; '-joined IDs
    assert audits.max_row - 1 == len(programme.table(con, ws_id))
    items = wb["Audit Checklist"]
    assert items.max_row - 1 == 10                                            # AU-002 is planned: no checklist yet
    flagged = items.cell(row=row_of(items, "AU-001/7.5.3"), column=10).value
    assert flagged.startswith("Aisha Karim (Head of Compliance) owns the gap-analysis row 7.5.3")
    assert wb["Findings"].max_row - 1 == len(findings.table(con, ws_id))
    assert wb["Management Reviews"].max_row - 1 == len(reviews.listing(con, ws_id))


def test_an_unedited_workbook_changes_nothing_on_the_audit_sheets(demo, exported):
    con, ws_id, path = demo
    before = log_count(con)
    p = importer.plan(con, ws_id, exported)
    assert not p.has_changes and not p.warnings
    ctx = export.context(con, ws_id)
    for name in SHEETS:
        sp = sheet_plan(p, name)
        assert sp.unchanged == len(sp.sheet.rows(ctx)) > 0, name
    result = importer.apply(con, ws_id, exported, db_path=path)
    assert (result["changed"], result["added"], result["deleted"]) == (0, 0, 0)
    assert log_count(con) == before


# ---- one edit per sheet, through the area's own write function ------------------------------------

def test_an_audit_edited_in_excel_is_saved_by_the_programme_and_its_checklist_follows_the_scope(demo, exported):
    con, ws_id, path = demo
    scope = "5.1; 5.2; 5.3; 6.1.2; 7.2; 7.5.3; A.2.2; A.3.2; A.6.2.6; A.7.4; A.8.4"
    data = edits(exported, [("Audits", "AU-001", "Scope", scope),
                            ("Audits", "AU-001", "Summary", "Leadership and policy work as described.")])
    p = importer.plan(con, ws_id, data)
    assert [(r.key, sorted(r.changes)) for r in sheet_plan(p, "Audits").changed] == [("AU-001", ["scope", "summary"])]
    importer.apply(con, ws_id, data, db_path=path)
    audit = programme.get(con, ws_id, "AU-001")
    assert audit["scope"][-1] == "A.8.4" and audit["summary"] == "Leadership and policy work as described."
    assert "A.8.4" in set(checklist.items(con, ws_id, "AU-001")["req_id"])        # the checklist follows its scope
    assert logged(con, "audit", "AU-001", "scope") == scope
    assert logged(con, "audit", "AU-001", "summary") == "Leadership and policy work as described."


def test_an_audit_added_in_excel_is_created_by_the_programme(demo, exported):
    con, ws_id, path = demo
    data = append(exported, "Audits", {"Title": "Internal audit 3: operation", "Kind": "internal",
                                       "Scope": "8.1; 8.2; A.6.2.6", "Lead auditor": "Grace Liu"})
    importer.apply(con, ws_id, data, db_path=path)
    new = programme.table(con, ws_id).set_index("title").loc["Internal audit 3: operation"]
    assert new["scope"] == ["8.1", "8.2", "A.6.2.6"] and new["status"] == "planned" and new["id"] == "AU-003"


def test_a_checklist_result_edited_in_excel_is_recorded_by_the_checklist(demo, exported):
    con, ws_id, path = demo
    data = edits(exported, [("Audit Checklist", "AU-001/A.3.2", "Result", "minor nonconformity"),
                            ("Audit Checklist", "AU-001/A.3.2", "Evidence sampled", "Role descriptions, RACI"),
                            ("Audit Checklist", "AU-001/A.3.2", "Notes", "The data steward role has no deputy.")])
    p = importer.plan(con, ws_id, data)
    assert sheet_plan(p, "Audit Checklist").unchanged == 9
    importer.apply(con, ws_id, data, db_path=path)
    item = checklist.items(con, ws_id, "AU-001").set_index("req_id").loc["A.3.2"]
    assert (item["result"], item["evidence_sampled"], item["notes"]) == (
        "minor nonconformity", "Role descriptions, RACI", "The data steward role has no deputy.")
    assert logged(con, "audit_item", "AU-001/A.3.2", "result") == "minor nonconformity"


def test_impartiality_still_applies_to_a_result_recorded_in_excel(demo, exported):
    con, ws_id, path = demo
    row = row_of(load(exported)["Audit Checklist"], "AU-001/7.5.3")
    data = edit(exported, "Audit Checklist", "AU-001/7.5.3", "Result", "conforming")
    refused(con, ws_id, data, f"Sheet 'Audit Checklist', row {row} (AU-001/7.5.3): 7.5.3: the auditor Aisha Karim "
                              "(Head of Compliance) owns the gap-analysis row 7.5.3", "Give the reason for the override")
    data = edits(exported, [("Audit Checklist", "AU-001/7.5.3", "Result", "conforming"),
                            ("Audit Checklist", "AU-001/7.5.3", "Override reason",
                             "Only person trained on the document system; sample re-checked by the lead auditor.")])
    importer.apply(con, ws_id, data, db_path=path)
    assert checklist.items(con, ws_id, "AU-001").set_index("req_id").at["7.5.3", "result"] == "conforming"


def test_a_finding_edited_in_excel_is_saved_by_the_register(demo, exported):
    con, ws_id, path = demo
    nc = the_nc(con, ws_id)
    data = edits(exported, [("Findings", nc, "Root cause", "Data governance was left out when the roles were set."),
                            ("Findings", nc, "Owner", "Priya Shah (CRO)"),
                            ("Findings", nc, "Due", date(TODAY.year + 1, 1, 31)),
                            ("Findings", nc, "Description", "Nobody is accountable for data governance.")])
    importer.apply(con, ws_id, data, db_path=path)
    f = findings.get(con, ws_id, nc)
    assert (f["root_cause"], f["owner"], f["due"], f["description"]) == (
        "Data governance was left out when the roles were set.", "Priya Shah (CRO)", date(TODAY.year + 1, 1, 31),
        "Nobody is accountable for data governance.")
    assert findings.table(con, ws_id).set_index("id").at[nc, "next_step"] == "corrective action"
    assert logged(con, "finding", nc, "owner") == "Priya Shah (CRO)"


def test_a_corrective_action_is_linked_from_the_roadmap_sheet(demo, exported):
    con, ws_id, path = demo
    nc = the_nc(con, ws_id)
    action = roadmap.actions(con, ws_id, CAT, 3).query("status != 'done'").iloc[0]["id"]
    importer.apply(con, ws_id, edit(exported, "Findings", nc, "Corrective action", action), db_path=path)
    assert findings.get(con, ws_id, nc)["action_id"] == action
    refused(con, ws_id, edit(exported, "Findings", nc, "Corrective action", "ACT-999"),
            f"Sheet 'Findings', row {row_of(load(exported)['Findings'], nc)}, column 'Corrective action': unknown "
            "action ID ACT-999")


def test_closing_in_excel_follows_the_register_closure_rules(demo, exported):
    con, ws_id, path = demo
    f = findings.table(con, ws_id).set_index("id")
    nc = the_nc(con, ws_id)
    obs = f[(f["audit_id"] == "AU-001") & (f["grade"] == "observation")].index[0]
    closed = f[f["status"] == "closed"].index[0]
    rows = {k: row_of(load(exported)["Findings"], k) for k in (nc, obs, closed)}
    text = refused(con, ws_id, edits(exported, [("Findings", nc, "Closed by", "Aisha Karim"),
                                                ("Findings", nc, "Closed on", TODAY)]),
                   f"Sheet 'Findings', row {rows[nc]} ({nc}): {nc} cannot be closed: A minor nonconformity needs its "
                   "root cause recorded", "needs a corrective action")
    assert "correction recorded" not in text                                 # the demo recorded its correction
    refused(con, ws_id, edit(exported, "Findings", closed, "Description", "Rewritten after closure"),
            f"Sheet 'Findings', row {rows[closed]} ({closed}): {closed} is closed: reopen it to change it.")
    refused(con, ws_id, edit(exported, "Findings", closed, "Closed by", "Someone else"),
            f"{closed} is closed: its closure is not changed in the workbook")
    refused(con, ws_id, edit(exported, "Findings", nc, "Verification", "effective"),
            "A verification of effectiveness records who, when and the result",
            "create or link the corrective action first")
    data = edits(exported, [("Findings", obs, "Closed by", "Priya Shah (CRO)"), ("Findings", obs, "Closed on", TODAY)])
    importer.apply(con, ws_id, data, db_path=path)
    assert findings.get(con, ws_id, obs)["status"] == "closed" and logged(con, "finding", obs, "status") == "closed"


def test_a_management_review_edited_in_excel_is_saved_by_the_review(demo, exported):
    con, ws_id, path = demo
    data = edit(exported, "Management Reviews", "MR-001", "Decisions", "Start the internal audit programme now.")
    importer.apply(con, ws_id, data, db_path=path)
    assert reviews.get(con, ws_id, "MR-001")["decisions"] == "Start the internal audit programme now."
    assert logged(con, "review", "MR-001", "decisions") == "Start the internal audit programme now."
    refused(con, ws_id, edit(exported, "Management Reviews", "MR-001", "Attendees", None),
            f"Sheet 'Management Reviews', row {row_of(load(exported)['Management Reviews'], 'MR-001')} (MR-001): "
            "MR-001: A held review records who attended")
    p = importer.plan(con, ws_id, edit(export.build(con, ws_id), "Management Reviews", "MR-001", "Status", "planned"))
    assert not p.has_changes and any("Management Reviews" in w and "read-only" in w for w in p.warnings)


# ---- an audit completed in the workbook with its last results ---------------------------------------

def _last_results(data):
    return edits(data, [("Audit Checklist", "AU-001/7.5.3", "Auditor", None),       # back to the lead auditor
                        ("Audit Checklist", "AU-001/7.5.3", "Result", "conforming"),
                        ("Audit Checklist", "AU-001/A.3.2", "Result", "conforming"),
                        ("Audit Checklist", "AU-001/A.6.2.6", "Result", "observation"),
                        ("Audit Checklist", "AU-001/A.7.4", "Result", "conforming")])


def _completed(data):
    return edits(data, [("Audits", "AU-001", "Status", "completed"), ("Audits", "AU-001", "Finish", TODAY),
                        ("Audits", "AU-001", "Conclusion", "Conforming with one minor nonconformity.")])


def test_an_audit_is_completed_once_the_workbook_s_last_results_are_recorded(demo, exported):
    con, ws_id, path = demo
    row = row_of(load(exported)["Audits"], "AU-001")
    refused(con, ws_id, _completed(exported),
            f"Sheet 'Audits', row {row} (AU-001): AU-001: 4 checklist items have no result")
    importer.apply(con, ws_id, _completed(_last_results(exported)), db_path=path)
    audit = programme.get(con, ws_id, "AU-001")
    assert (audit["status"], audit["finish"]) == ("completed", TODAY)
    assert checklist.progress(checklist.items(con, ws_id, "AU-001"))["pct"] == 100.0
    # its checklist is closed now: a result changed in Excel is refused with the checklist's reason
    refused(con, ws_id, edit(export.build(con, ws_id), "Audit Checklist", "AU-001/A.7.4", "Result", "observation"),
            "AU-001 is completed: its checklist is closed")


# ---- bad values ------------------------------------------------------------------------------------

def test_an_unknown_result_is_refused_naming_sheet_row_and_column(demo, exported):
    con, ws_id, _ = demo
    row = row_of(load(exported)["Audit Checklist"], "AU-001/A.3.2")
    refused(con, ws_id, edit(exported, "Audit Checklist", "AU-001/A.3.2", "Result", "passed"),
            f"Sheet 'Audit Checklist', row {row}, column 'Result': must be one of: conforming, major nonconformity")


def test_an_unknown_requirement_is_refused_naming_sheet_row_and_column(demo, exported):
    con, ws_id, _ = demo
    nc = the_nc(con, ws_id)
    wb = load(exported)
    audit_row, finding_row = row_of(wb["Audits"], "AU-002"), row_of(wb["Findings"], nc)
    refused(con, ws_id, edits(exported, [("Audits", "AU-002", "Scope", "5.2; 9.9"),
                                         ("Findings", nc, "Requirements", "5.3; Z.1")]),
            f"Sheet 'Audits', row {audit_row}, column 'Scope': unknown requirement ID 9.9",
            f"Sheet 'Findings', row {finding_row}, column 'Requirements': unknown requirement ID Z.1")
    data = append(exported, "Audit Checklist", {"ID": "AU-001/9.9", "Result": "conforming"})
    refused(con, ws_id, data, f"Sheet 'Audit Checklist', row {load(data)['Audit Checklist'].max_row}, column 'ID': "
                              "unknown ID 'AU-001/9.9'; rows cannot be added to this sheet")


def test_an_unknown_grade_or_verification_is_refused(demo, exported):
    con, ws_id, _ = demo
    nc = the_nc(con, ws_id)
    row = row_of(load(exported)["Findings"], nc)
    refused(con, ws_id, edits(exported, [("Findings", nc, "Grade", "serious"), ("Findings", nc, "Verification", "ok")]),
            f"Sheet 'Findings', row {row}, column 'Grade': must be one of: major nonconformity",
            f"Sheet 'Findings', row {row}, column 'Verification': must be one of: effective, not effective")


def test_a_viewer_imports_nothing(demo, exported):
    con, ws_id, _ = demo
    viewer = "vera@client.example"
    members.add(con, ws_id, viewer, "viewer")
    data = edit(exported, "Audit Checklist", "AU-001/A.3.2", "Result", "conforming")
    before = log_count(con)
    with identity.acting(identity.person(viewer)):
        with pytest.raises(AccessDenied):
            importer.apply(con, ws_id, data, db_path=":memory:")
    assert log_count(con) == before
    assert checklist.items(con, ws_id, "AU-001").set_index("req_id").at["A.3.2", "result"] == ""
