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
    assert reg.at["AI system impact assessment results", "requirements"] == "6.1.4, 8.4"


def test_the_scope_policy_soa_and_audit_records_of_the_issue_are_there(con, cat, ws_id):
    names = set(documents.register(con, ws_id, cat)["document"])
    for name in ("AI management system scope", "AI policy", "AI risk assessment process", "AI risk treatment process",
                 "Statement of Applicability", "AI system impact assessment process",
                 "AI system impact assessment results", "AI objectives", "Evidence of competence",
                 "Monitoring and measurement results", "Internal audit programme", "Internal audit results",
                 "Management review results", "Results of corrective actions"):
        assert name in names


def test_stage1_readiness_is_approved_over_required_by_hand(con, cat, ws_id):
    n = len(distinct_catalogue_documents(cat))
    assert documents.stage1_readiness(con, ws_id, cat) == {"pct": 0.0, "approved": 0, "draft": 0, "missing": n,
                                                           "required": n, "not_required": 0}
    documents.save(con, ws_id, cat, {"AI policy": APPROVED, "AI objectives": APPROVED,
                                     "AI management system scope": APPROVED,
                                     "Statement of Applicability": {"status": "draft", "version": "0.3"}}, today=TODAY)
    s = documents.stage1_readiness(con, ws_id, cat)
    assert (s["approved"], s["draft"], s["missing"], s["required"]) == (3, 1, n - 4, n)
    assert s["pct"] == round(100 * 3 / n, 1)


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
