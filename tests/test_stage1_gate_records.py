"""The Stage 1 gate reads the app's own audit records when it has them (internal audits and their
scopes, management reviews, the findings register), each condition on its own, and the document
register otherwise; every condition says which source it read. Cases worked out by hand."""
from datetime import date, datetime

from aims.assessment import requirements as assessments
from aims.audit import findings, review
from aims.governance import documents
from aims.store import db

TODAY = date(2027, 3, 1)
AVAILABLE = {"status": "available", "location": "SharePoint > AIMS"}


def add_audit(con, ws, aid, kind, status, finish, scope):
    now = datetime.now()
    with db.writing(con) as cur:
        cur.execute("INSERT INTO audit (workspace_id, id, kind, title, status, finish, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [ws, aid, kind, f"Audit {aid}", status, finish, now, now])
        for r in scope:
            cur.execute("INSERT INTO audit_scope VALUES (?, ?, ?)", [ws, aid, r])


def gate(con, cat, ws):
    g = documents.stage1_gate(con, ws, cat, TODAY)
    return {c["key"]: (c["met"], c["source"], c["status"]) for c in g["conditions"]}


def held(con, ws, when, top=True):
    rid = review.plan(con, ws, {"held_on": when}, today=TODAY)
    review.hold(con, ws, rid, when, "CEO; CRO", top, today=TODAY)
    return rid


def test_without_audit_records_every_condition_reads_the_register(con, cat, ws_id):
    c = gate(con, cat, ws_id)
    assert {k: v[1] for k, v in c.items()} == {"documents": "register", "internal_audit": "register",
                                               "management_review": "register", "nonconformities": "register"}
    assert c["internal_audit"] == (False, "register", "Internal audit results: missing")
    # a certification audit in the app says nothing about the internal audit: still the register
    add_audit(con, ws_id, "AU-001", "stage 1", "planned", None, [])
    assert gate(con, cat, ws_id)["internal_audit"][1] == "register"


def test_the_completed_internal_audits_must_cover_every_applicable_requirement(con, cat, ws_id):
    clauses = [r for r, q in cat.requirements.items() if q.kind == "clause"]        # 32
    controls = [r for r, q in cat.requirements.items() if q.kind == "control"]      # 38
    add_audit(con, ws_id, "AU-001", "internal", "planned", None, clauses)
    assert gate(con, cat, ws_id)["internal_audit"] == (
        False, "records", "Internal audits in the app: none completed yet (1 planned or in progress)")
    add_audit(con, ws_id, "AU-002", "internal", "completed", date(2027, 1, 20), clauses)
    add_audit(con, ws_id, "AU-003", "internal", "completed", date(2027, 2, 10), controls[:-1])   # not A.10.4
    add_audit(con, ws_id, "AU-004", "internal", "in progress", None, controls[-1:])      # not completed: no cover
    assert gate(con, cat, ws_id)["internal_audit"] == (
        False, "records", "Internal audits in the app: 2 completed, covering 69 of 70 applicable requirements; "
                          "not covered yet: A.10.4")
    # the register saying the audit is done does not count while the app holds internal audits
    documents.save(con, ws_id, cat, {"Internal audit results": {**AVAILABLE, "record_date": date(2027, 2, 20)}},
                   today=TODAY)
    assert gate(con, cat, ws_id)["internal_audit"][0] is False
    # excluding A.10.4 in the SoA takes it out of the full scope
    assessments.save(con, ws_id, cat, {"A.10.4": {"applicable": False, "exclusion_reason": "No customers use AI."}})
    assert gate(con, cat, ws_id)["internal_audit"] == (
        True, "records", "Internal audits in the app: 2 completed, covering all 69 applicable requirements "
                         "(the last finished 2027-02-10)")


def test_the_review_must_be_held_with_top_management_after_the_last_audit(con, cat, ws_id):
    add_audit(con, ws_id, "AU-001", "internal", "completed", date(2027, 2, 10), list(cat.requirements))
    planned = review.plan(con, ws_id, {"held_on": date(2027, 3, 20)}, today=TODAY)
    assert gate(con, cat, ws_id)["management_review"] == (
        False, "records", f"Management reviews in the app: none held yet ({planned} planned for 2027-03-20)")
    without = held(con, ws_id, date(2027, 2, 15), top=False)
    assert gate(con, cat, ws_id)["management_review"] == (
        False, "records", f"Management review {without} held on 2027-02-15 without top management: it does not "
                          "count (9.3); hold one with top management present")
    early = held(con, ws_id, date(2027, 2, 5))
    assert gate(con, cat, ws_id)["management_review"] == (
        False, "records", f"Management review {early} held on 2027-02-05, before the last internal audit finished "
                          "(2027-02-10): hold a review that considers the audit's results")
    # the register's review results do not count while the app holds reviews
    documents.save(con, ws_id, cat, {"Management review results": {**AVAILABLE, "record_date": date(2027, 2, 20)}},
                   today=TODAY)
    assert gate(con, cat, ws_id)["management_review"][0] is False
    good = held(con, ws_id, date(2027, 2, 10))                  # the same day the audit finished is on or after it
    assert gate(con, cat, ws_id)["management_review"] == (
        True, "records", f"Management review {good} held on 2027-02-10 with top management")


def test_a_review_recorded_in_the_register_is_compared_with_the_audits_in_the_app(con, cat, ws_id):
    add_audit(con, ws_id, "AU-001", "internal", "completed", date(2027, 2, 10), ["4.1"])
    documents.save(con, ws_id, cat, {"Management review results": {**AVAILABLE, "record_date": date(2027, 2, 1)}},
                   today=TODAY)
    assert gate(con, cat, ws_id)["management_review"] == (
        False, "register", "Management review results dated 2027-02-01, before the last internal audit finished "
                           "(2027-02-10): hold a review that considers the audit's results")
    documents.save(con, ws_id, cat, {"Management review results": {"record_date": date(2027, 2, 12)}}, today=TODAY)
    assert gate(con, cat, ws_id)["management_review"] == (
        True, "register", "Management review results available, dated 2027-02-12")


def test_a_review_in_the_app_against_audit_results_in_the_register(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"Internal audit results": {**AVAILABLE, "record_date": date(2027, 2, 20)}},
                   today=TODAY)
    rid = held(con, ws_id, date(2027, 2, 12))
    c = gate(con, cat, ws_id)
    assert c["internal_audit"] == (True, "register", "Internal audit results available, dated 2027-02-20")
    assert c["management_review"] == (
        False, "records", f"Management review {rid} held on 2027-02-12, before the last internal audit finished "
                          "(2027-02-20): hold a review that considers the audit's results")


def test_open_major_nonconformities_come_from_the_findings_register(con, cat, ws_id):
    nc = cat.stage1_record("nonconformities")
    documents.save(con, ws_id, cat, {nc: {**AVAILABLE, "record_date": date(2027, 2, 1), "open_major": 0}},
                   today=TODAY)
    assert gate(con, cat, ws_id)["nonconformities"] == (True, "register", "none open (record dated 2027-02-01)")
    minor = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "minor nonconformity", "title": "Late",
                                                "requirements": ["7.2"]}, today=TODAY)
    assert gate(con, cat, ws_id)["nonconformities"] == (True, "records", "Findings register: no major "
                                                                         "nonconformity open")
    f2 = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "major nonconformity", "title": "No audit",
                                             "requirements": ["9.2.1"]}, today=TODAY)
    f3 = findings.raise_finding(con, ws_id, {"source": "incident", "grade": "major nonconformity", "title": "No review",
                                             "requirements": ["9.3.1"]}, today=TODAY)
    g = documents.stage1_gate(con, ws_id, cat, TODAY)
    cond = next(c for c in g["conditions"] if c["key"] == "nonconformities")
    assert (cond["met"], cond["source"], cond["open_major"], cond["status"]) == (
        False, "records", 2, f"Findings register: 2 major nonconformities open ({f2}, {f3})")
    assert minor == "F-001"


def test_the_gate_is_ready_on_the_apps_records_alone(con, cat, ws_id):
    reg = documents.register(con, ws_id, cat)
    everything = {d: ({**AVAILABLE, "record_date": date(2027, 1, 5)} if k == "record" else
                      {"status": "approved", "version": "1.0", "location": "SharePoint"})
                  for d, k in zip(reg["id"], reg["kind"])}
    documents.save(con, ws_id, cat, everything, today=TODAY)
    add_audit(con, ws_id, "AU-001", "internal", "completed", date(2027, 2, 10), list(cat.requirements))
    held(con, ws_id, date(2027, 2, 14))
    findings.raise_finding(con, ws_id, {"source": "management review", "review_id": "MR-001",
                                        "grade": "opportunity for improvement", "title": "Automate the KPI pack"},
                           today=TODAY)
    g = documents.stage1_gate(con, ws_id, cat, TODAY)
    assert (g["ready"], g["met"]) == (True, 4)
    assert [c["source"] for c in g["conditions"]] == ["register", "records", "records", "records"]
