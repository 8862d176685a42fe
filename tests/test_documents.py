"""The documented-information register: pre-fill from the catalogue, Stage 1 readiness, rules; bad input writes nothing."""
from datetime import date

import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.governance import documents
from aims.store import workspaces

TODAY = date(2027, 3, 1)
APPROVED = {"status": "approved", "version": "1.0", "location": "SharePoint > AIMS"}
AVAILABLE = {"status": "available", "record_date": date(2027, 2, 1), "location": "SIEM > AI logs"}


def distinct_catalogue_documents(cat):
    """Every document name the catalogue asks for, with the requirements naming it (computed here,
    independently of the module, and never a hard-coded total)."""
    out: dict[str, set] = {}
    for req in cat.requirements.values():
        for name in req.documents:
            out.setdefault(name, set()).add(req.id)
    return out


def test_the_prefill_has_every_required_document_once_linked_to_every_requirement(con, cat, ws_id):
    expected = distinct_catalogue_documents(cat)
    reg = documents.register(con, ws_id, cat)
    assert len(reg) == len(expected) and reg["id"].is_unique
    assert {d: set(r) for d, r in zip(reg["document"], reg["req_ids"])} == expected
    assert set(reg["status"]) == {"missing"} and reg["required"].all() and not reg["custom"].any()
    # every requirement flagged as mandatory documentation has its documents in the register
    for req in cat.requirements.values():
        if req.mandatory_doc:
            assert set(req.documents) <= set(reg["document"]), req.id


def test_shared_documents_appear_once(con, cat, ws_id):
    reg = documents.register(con, ws_id, cat).set_index("document")
    assert reg.at["AI policy", "requirements"] == "5.2, A.2.2"
    assert reg.at["AI system impact assessment results", "requirements"] == "6.1.4, 8.4, A.5.3"


def test_impact_assessment_results_are_one_record_for_6_1_4_8_4_and_a_5_3(con, cat, ws_id):
    reg = documents.register(con, ws_id, cat)
    assert [d for d in reg["document"] if "impact assessment" in d] == [
        "AI system impact assessment process", "AI system impact assessment results"]
    assert reg.set_index("document").at["AI system impact assessment results", "kind"] == "record"


def test_records_and_documents_are_told_apart(con, cat, ws_id):
    kinds = documents.register(con, ws_id, cat).set_index("document")["kind"]
    for name in ("AI system event logs", "Monitoring and measurement results", "Evidence of competence",
                 "Internal audit results", "Management review results", "Record of nonconformities and actions taken",
                 "AI risk assessment results", "Data provenance records"):
        assert kinds[name] == "record", name
    for name in ("AI policy", "Statement of Applicability", "Internal audit programme", "AI risk treatment plan"):
        assert kinds[name] == "document", name
    assert set(kinds[kinds == "record"].index) == set(cat.records)


def test_the_scope_policy_soa_and_audit_records_of_the_issue_are_there(con, cat, ws_id):
    names = set(documents.register(con, ws_id, cat)["document"])
    for name in ("AI management system scope", "AI policy", "AI risk assessment process", "AI risk treatment process",
                 "Statement of Applicability", "AI system impact assessment process",
                 "AI system impact assessment results", "AI objectives", "Evidence of competence",
                 "Monitoring and measurement results", "Internal audit programme", "Internal audit results",
                 "Management review results", "Results of corrective actions"):
        assert name in names


def test_stage1_documentation_is_documents_approved_and_records_available_over_required_by_hand(con, cat, ws_id):
    n = len(distinct_catalogue_documents(cat))                 # 31: 19 documents and 12 records
    r = len(cat.records)
    assert (n, r) == (31, 12)
    assert documents.stage1_readiness(con, ws_id, cat) == {
        "pct": 0.0, "in_place": 0, "required": n, "documents": n - r, "approved": 0, "draft": 0, "records": r,
        "available": 0, "partial": 0, "missing": n, "not_required": 0}
    documents.save(con, ws_id, cat, {"AI policy": APPROVED, "AI objectives": APPROVED,
                                     "AI management system scope": APPROVED,
                                     "Statement of Applicability": {"status": "draft", "version": "0.3"},
                                     "AI system event logs": AVAILABLE, "Evidence of competence": AVAILABLE,
                                     "Data provenance records": {"status": "partial"}}, today=TODAY)
    s = documents.stage1_readiness(con, ws_id, cat)
    assert (s["in_place"], s["approved"], s["draft"], s["available"], s["partial"], s["missing"]) == (
        5, 3, 1, 2, 1, n - 7)
    assert s["pct"] == 16.1                                   # 5 of 31


def test_a_document_asked_for_only_by_excluded_controls_is_not_required(con, cat, ws_id):
    n = len(distinct_catalogue_documents(cat))
    assessments.save(con, ws_id, cat, {
        "A.6.2.8": {"applicable": False, "exclusion_reason": "No AI system of ours keeps logs we control."},
        "A.2.2": {"applicable": False, "exclusion_reason": "Covered by the group policy."}})
    reg = documents.register(con, ws_id, cat).set_index("document")
    assert not reg.at["AI system event logs", "required"]
    assert reg.at["AI system event logs", "applies"] == "not required: A.6.2.8 is excluded in the SoA"
    assert reg.at["AI policy", "required"]  # 5.2 still asks for it: clauses always apply
    s = documents.stage1_readiness(con, ws_id, cat)
    assert (s["required"], s["not_required"]) == (n - 1, 1)


@pytest.mark.parametrize("change, message", [
    ({"status": "approved"}, "AI policy: an approved document needs a version and where it lives"),
    ({"status": "approved", "version": "1.0"}, "needs where it lives"),
    ({"status": "final"}, "AI policy: status must be one of: missing, draft, approved"),
    ({"last_review": date(2027, 3, 2)}, "last review date cannot be in the future"),
    ({"last_review": date(2027, 1, 1), "next_review": date(2026, 12, 1)}, "next review must come after the last"),
    ({"due": "soon"}, "AI policy: due must be a date"),
    ({"version": "x" * 41}, "limit is 40"),
    ({"title": "Renamed"}, "'title' is not an editable field of a document the catalogue requires"),
])
def test_bad_register_input_is_refused_and_nothing_written(con, cat, ws_id, change, message):
    with pytest.raises(ValidationError, match=message):
        documents.save(con, ws_id, cat, {"AI objectives": {"owner": "Ann"}, "AI policy": change}, today=TODAY)
    assert rows(con, "SELECT count(*) FROM document_register") == [(0,)]
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'document'") == [(0,)]


def test_an_unknown_document_is_refused(con, cat, ws_id):
    with pytest.raises(ValidationError, match="no document 'Board minutes'"):
        documents.save(con, ws_id, cat, {"Board minutes": {"status": "draft"}})


def test_saving_logs_each_changed_field_and_keeps_one_row(con, cat, ws_id):
    n = documents.save(con, ws_id, cat, {"AI policy": {**APPROVED, "owner": "Aisha Karim (Head of Compliance)",
                                                      "last_review": "2027-02-01", "next_review": "2028-02-01"}},
                       today=TODAY)
    assert n == 6
    assert documents.save(con, ws_id, cat, {"AI policy": {"status": "approved"}}, today=TODAY) == 0
    reg = documents.register(con, ws_id, cat, TODAY)
    assert (reg["document"] == "AI policy").sum() == 1
    row = reg.set_index("id").loc["AI policy"]
    assert row["owner"] == "Aisha Karim (Head of Compliance)" and row["next_review"] == date(2028, 2, 1)
    assert not row["review_overdue"]
    assert documents.register(con, ws_id, cat, date(2028, 2, 2)).set_index("id").at["AI policy", "review_overdue"]
    assert {"status", "version", "location", "owner", "last_review", "next_review"} == {
        r[0] for r in rows(con, "SELECT field FROM change_log WHERE entity = 'document'")}


def test_for_requirements_lists_each_requirements_documents_with_status(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"Statement of Applicability": {"status": "draft"}})
    doc_id = documents.add(con, ws_id, cat, {"title": "Model risk policy", "requirements": ["6.1.3"]})
    df = documents.for_requirements(con, ws_id, cat)
    assert list(df.columns) == ["req_id", "document", "status"]
    got = df[df["req_id"] == "6.1.3"]
    assert list(zip(got["document"], got["status"])) == [
        ("AI risk treatment process", "missing"), ("Statement of Applicability", "draft"),
        ("AI risk treatment plan", "missing"), ("Model risk policy", "missing")]
    assert set(df[df["req_id"] == "5.2"]["document"]) == {"AI policy"}
    assert set(df["req_id"]) == {r.id for r in cat.requirements.values() if r.documents}
    assert doc_id == "D-001"


def test_documents_the_organisation_adds_do_not_change_stage1(con, cat, ws_id):
    before = documents.stage1_readiness(con, ws_id, cat)
    doc_id = documents.add(con, ws_id, cat, {"title": "Model risk policy (MRM-04)", "requirements": "6.1.2; A.6.2.4",
                                             **APPROVED})
    assert documents.stage1_readiness(con, ws_id, cat) == before
    row = documents.register(con, ws_id, cat).set_index("id").loc[doc_id]
    assert row["custom"] and row["requirements"] == "6.1.2, A.6.2.4" and row["applies"] == "added by the organisation"
    assert documents.save(con, ws_id, cat, {doc_id: {"title": "MRM-04 policy"}}) == 1
    documents.delete(con, ws_id, cat, doc_id)
    assert doc_id not in set(documents.register(con, ws_id, cat)["id"])


@pytest.mark.parametrize("data, message", [
    ({"title": "ai policy"}, "'ai policy' is already in the register"),
    ({"title": ""}, "document name is required"),
    ({"title": "Board pack", "requirements": ["5.2", "11.1"]}, "unknown requirement ID"),
    ({"title": "Board pack", "status": "approved"}, "an approved document needs a version and where it lives"),
])
def test_bad_added_documents_are_refused_and_nothing_written(con, cat, ws_id, data, message):
    with pytest.raises(ValidationError, match=message):
        documents.add(con, ws_id, cat, data)
    assert rows(con, "SELECT count(*) FROM document_register") == [(0,)]


def test_catalogue_documents_cannot_be_removed(con, cat, ws_id):
    with pytest.raises(ValidationError, match="required by the catalogue and cannot be removed"):
        documents.delete(con, ws_id, cat, "AI policy")


def test_the_register_is_per_workspace_and_copied_with_it(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"AI policy": APPROVED})
    other = workspaces.create(con, {"name": "Other"})
    assert documents.stage1_readiness(con, other, cat)["approved"] == 0
    copy = workspaces.duplicate(con, ws_id, "Copy")
    assert documents.stage1_readiness(con, copy, cat)["approved"] == 1


@pytest.mark.parametrize("doc, change, message", [
    ("AI system event logs", {"status": "approved", "version": "1.0", "location": "SIEM"},
     "AI system event logs is a record: records are not approved with a version; set it to available"),
    ("AI system event logs", {"status": "available", "location": "SIEM"},
     "an available record needs the date of the latest record"),
    ("AI system event logs", {"status": "available", "record_date": date(2027, 2, 1)},
     "an available record needs where it lives"),
    ("AI system event logs", {"record_date": date(2027, 3, 2)}, "the record date cannot be in the future"),
    ("AI policy", {"status": "available"}, "AI policy is a document: its status is missing, draft or approved"),
    ("AI policy", {"record_date": date(2027, 1, 1)}, "AI policy is a document: it has a version, not a record date"),
    ("AI policy", {"open_major": 0}, "stated on the record of nonconformities only"),
    ("Record of nonconformities and actions taken", {"open_major": -1}, "from 0 to 999"),
])
def test_records_are_available_with_a_date_not_approved_with_a_version(con, cat, ws_id, doc, change, message):
    with pytest.raises(ValidationError, match=message):
        documents.save(con, ws_id, cat, {doc: change}, today=TODAY)
    assert rows(con, "SELECT count(*) FROM document_register") == [(0,)]


def test_an_available_record_keeps_its_date_and_a_version_label_is_optional(con, cat, ws_id):
    assert documents.save(con, ws_id, cat, {"Monitoring and measurement results": {
        **AVAILABLE, "version": "2027-Q1"}}, today=TODAY) == 4
    row = documents.register(con, ws_id, cat, TODAY).set_index("id").loc["Monitoring and measurement results"]
    assert (row["status"], row["record_date"], row["version"], row["in_place"]) == (
        "available", date(2027, 2, 1), "2027-Q1", True)


NC = "Record of nonconformities and actions taken"


def conditions(con, cat, ws_id):
    gate = documents.stage1_gate(con, ws_id, cat, TODAY)
    return gate, {c["key"]: (c["met"], c["status"]) for c in gate["conditions"]}


def test_stage1_gate_has_four_conditions_each_with_its_status(con, cat, ws_id):
    gate, c = conditions(con, cat, ws_id)
    assert (gate["ready"], gate["met"], gate["total"]) == (False, 0, 4)
    assert [x["label"] for x in gate["conditions"]] == [
        "Mandatory documents approved, records available", "Internal audit of the full scope done",
        "Management review held", "No open major nonconformity"]
    assert c == {
        "documents": (False, "0 of 31 in place: 0 of 19 documents approved, 0 of 12 records available"),
        "internal_audit": (False, "Internal audit results: missing"),
        "management_review": (False, "Management review results: missing"),
        "nonconformities": (False, f"{NC}: missing")}


def test_stage1_gate_audit_review_and_nonconformities_come_from_their_records(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"Internal audit results": {"status": "partial"}}, today=TODAY)
    _, c = conditions(con, cat, ws_id)
    assert c["internal_audit"] == (False, "Internal audit results: partial, the audit has not covered the full "
                                          "scope yet")
    documents.save(con, ws_id, cat, {
        "Internal audit results": {**AVAILABLE, "record_date": date(2027, 1, 20)},
        "Management review results": {**AVAILABLE, "record_date": date(2027, 1, 10)},
        NC: {**AVAILABLE, "record_date": date(2027, 1, 20)}}, today=TODAY)
    gate, c = conditions(con, cat, ws_id)
    assert c["internal_audit"] == (True, "Internal audit results available, dated 2027-01-20")
    # a review held before the audit cannot have considered its results (9.3.2)
    assert c["management_review"] == (False, "Management review results dated 2027-01-10, before the internal audit "
                                             "(2027-01-20): hold a review that considers the audit's results")
    assert c["nonconformities"] == (False, "the number of open major nonconformities is not stated")
    documents.save(con, ws_id, cat, {"Management review results": {"record_date": date(2027, 2, 3)},
                                     NC: {"open_major": 2}}, today=TODAY)
    gate, c = conditions(con, cat, ws_id)
    assert c["management_review"] == (True, "Management review results available, dated 2027-02-03")
    assert c["nonconformities"] == (False, "2 major nonconformities open")
    assert (gate["met"], gate["ready"]) == (2, False)
    documents.save(con, ws_id, cat, {NC: {"open_major": 0}}, today=TODAY)
    gate, c = conditions(con, cat, ws_id)
    assert c["nonconformities"] == (True, "none open (record dated 2027-01-20)")
    assert (gate["met"], gate["ready"]) == (3, False)        # the documents are not all in place


def test_stage1_gate_is_ready_when_all_four_conditions_are_met(con, cat, ws_id):
    reg = documents.register(con, ws_id, cat)
    everything = {d: (AVAILABLE if k == "record" else APPROVED) for d, k in zip(reg["id"], reg["kind"])}
    everything[NC] = {**AVAILABLE, "open_major": 0}
    everything["Management review results"] = {**AVAILABLE, "record_date": date(2027, 2, 10)}
    documents.save(con, ws_id, cat, everything, today=TODAY)
    gate, c = conditions(con, cat, ws_id)
    assert gate["ready"] and gate["met"] == 4
    assert c["documents"] == (True, "31 of 31 in place: 19 of 19 documents approved, 12 of 12 records available")
    assert gate["share"]["pct"] == 100.0
    # one document back to draft closes the gate again
    documents.save(con, ws_id, cat, {"AI policy": {"status": "draft"}}, today=TODAY)
    gate, c = conditions(con, cat, ws_id)
    assert not gate["ready"] and c["documents"][0] is False and gate["share"]["pct"] == 96.8   # 30 of 31


def test_open_majors_keep_their_base_for_conflicts(con, cat, ws_id):
    from aims.store import conflicts
    documents.save(con, ws_id, cat, {NC: {"open_major": 1}}, today=TODAY, who="Ann")
    with pytest.raises(conflicts.EditConflict):
        documents.save(con, ws_id, cat, {NC: {"open_major": 0}}, today=TODAY, who="Bob", base={NC: {"open_major": None}})
    assert documents.register(con, ws_id, cat, TODAY).set_index("id").at[NC, "open_major"] == 1


def test_an_old_database_moves_records_to_available_and_merges_the_impact_assessment_records(tmp_path):
    """Migration 0008 on a file made before it: an approved record becomes available (dated by its
    last review, else the day it was saved), a draft record partial, documents keep their status,
    and the A.5.3 entry kept under its old name becomes the one impact-assessment results entry."""
    import duckdb

    from aims.store import db
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in db.migrations():
        if version < 8:
            for statement in db._statements(sql):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO workspace (id, name, created_at, updated_at) VALUES (1, 'Old', now(), now())")
    insert = ("INSERT INTO document_register (workspace_id, id, title, status, version, location, last_review,"
              " updated_at, updated_by) VALUES (1, ?, ?, ?, ?, 'x', ?, ?, 'ann')")
    for name, status, last_review in (("AI system event logs", "approved", date(2026, 5, 1)),
                                      ("Internal audit results", "approved", None),
                                      ("Evidence of competence", "draft", None),
                                      ("AI policy", "approved", date(2026, 4, 1)),
                                      ("AI system impact assessment records", "draft", None)):
        con.execute(insert, [name, name, status, "1.0", last_review, "2026-06-02 10:00:00"])
    con.close()
    con = db.open_database(path)
    cat = __import__("aims.catalog.standard", fromlist=["load"]).load()
    reg = documents.register(con, 1, cat).set_index("id")
    assert (reg.at["AI system event logs", "status"], reg.at["AI system event logs", "record_date"]) == (
        "available", date(2026, 5, 1))
    assert (reg.at["Internal audit results", "status"], reg.at["Internal audit results", "record_date"]) == (
        "available", date(2026, 6, 2))
    assert reg.at["Evidence of competence", "status"] == "partial"
    assert (reg.at["AI policy", "status"], reg.at["AI policy", "record_date"]) == ("approved", None)
    assert reg.at["AI system impact assessment results", "status"] == "partial"
    assert "AI system impact assessment records" not in reg.index
    con.close()
