"""Evidence requests: per owner, from missing or draft documents and from gaps with no evidence."""
from datetime import date

import pytest

from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.governance import documents, evidence

TODAY = date(2027, 3, 1)
APPROVED = {"status": "approved", "version": "1.0", "location": "SharePoint"}
AVAILABLE = {"status": "available", "record_date": date(2027, 2, 1), "location": "SharePoint"}


@pytest.fixture
def only_a_few(con, cat, ws_id):
    """Approve every required document except three, and give every requirement some evidence except
    a handful, so the request list is small enough to check by hand."""
    reg = documents.register(con, ws_id, cat)
    keep = {"AI policy", "AI objectives", "Statement of Applicability"}
    documents.save(con, ws_id, cat, {d: AVAILABLE if k == "record" else APPROVED
                                     for d, k in zip(reg["id"], reg["kind"]) if d not in keep}, today=TODAY)
    documents.save(con, ws_id, cat, {"AI objectives": {"status": "draft", "version": "0.2", "owner": "Bo (CRO)",
                                                       "due": date(2027, 2, 1)},
                                     "Statement of Applicability": {"owner": "Ann (DPO)"}}, today=TODAY)
    changes = {r: {"maturity": 3, "evidence_strength": "documented"} for r in cat.requirements}
    changes.update({
        "4.1": {"maturity": 1, "evidence_strength": "none", "owner": "Ann (DPO)", "due": date(2027, 4, 1)},  # gap
        "4.2": {"maturity": 1, "evidence_strength": "claimed", "owner": "Ann (DPO)"},   # gap with some evidence
        "7.4": {"maturity": None, "evidence_strength": "none", "owner": "Bo (CRO)"},    # not assessed, no evidence
        "7.1": {"maturity": 4, "evidence_strength": "none"},                            # at target: no request
        "5.2": {"maturity": None, "evidence_strength": "none", "owner": "Cy (CEO)", "due": date(2027, 5, 1)},
        "A.10.4": {"applicable": False, "exclusion_reason": "No customers use our AI.", "evidence_strength": "none",
                   "maturity": None},                                                   # excluded: no request
    })
    assessments.save(con, ws_id, cat, changes)
    return ws_id


def test_the_request_list_by_hand(con, cat, only_a_few):
    req = evidence.requests(con, only_a_few, cat, TODAY)
    got = list(zip(req["owner"], req["source"], req["ref"], req["status"]))
    assert got == [
        ("Ann (DPO)", "requirement", "4.1", "gap"),
        ("Ann (DPO)", "document", "6.1.3", "missing"),           # SoA: own owner, no due date
        ("Bo (CRO)", "document", "6.2", "draft"),                # overdue draft first
        ("Bo (CRO)", "requirement", "7.4", "not assessed"),
        # the AI policy has no owner: it takes 5.2's owner and due date; 5.2 itself is not asked twice
        ("Cy (CEO)", "document", "5.2, A.2.2", "missing"),
    ]
    by_ref = req.set_index("ref")
    assert by_ref.at["6.2", "request"] == "Provide the approved version (draft 0.2 on file)"
    assert by_ref.at["6.2", "overdue"] and not by_ref.at["4.1", "overdue"]
    assert by_ref.at["5.2, A.2.2", "due"] == date(2027, 5, 1)
    assert by_ref.at["4.1", "request"].startswith("Provide evidence that it is in place, for example: ")
    assert by_ref.at["4.1", "item"] == cat.requirements["4.1"].title


def test_requests_group_per_owner(con, cat, only_a_few):
    owners = evidence.by_owner(evidence.requests(con, only_a_few, cat, TODAY))
    assert owners.to_dict("records") == [
        {"owner": "Ann (DPO)", "items": 2, "documents": 1, "requirements": 1, "overdue": 0, "next_due": date(2027, 4, 1)},
        {"owner": "Bo (CRO)", "items": 2, "documents": 1, "requirements": 1, "overdue": 1, "next_due": date(2027, 2, 1)},
        {"owner": "Cy (CEO)", "items": 1, "documents": 1, "requirements": 0, "overdue": 0, "next_due": date(2027, 5, 1)},
    ]


def test_requests_without_an_owner_come_last(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"AI policy": {"owner": "Zoe"}})
    req = evidence.requests(con, ws_id, cat, TODAY)
    assert req.iloc[0]["owner"] == "Zoe"
    assert set(req["owner"][1:]) == {evidence.NO_OWNER}
    # a fresh workspace: every document missing, every requirement not assessed without evidence,
    # minus the requirements whose own documents are already requested
    with_docs = {r for ids in documents.register(con, ws_id, cat)["req_ids"] for r in ids}
    assert len(req) == len(documents.register(con, ws_id, cat)) + len(set(cat.requirements) - with_docs)


def test_the_letter_for_one_owner(con, cat, only_a_few):
    req = evidence.requests(con, only_a_few, cat, TODAY)
    text = evidence.letter(req, "Bo (CRO)", "Acme Ltd", "Jo Consultant")
    assert text.startswith("Dear Bo,\n\nFor the ISO/IEC 42001 readiness work at Acme Ltd")
    assert "1. AI objectives [6.2]. Provide the approved version (draft 0.2 on file); due 2027-02-01 (overdue)." in text
    assert "due date to agree" in text and text.endswith("Thank you,\nJo Consultant")
    assert "Ann" not in text


def test_csv_neutralises_formulas(con, cat, ws_id):
    documents.save(con, ws_id, cat, {"AI policy": {"owner": "=HYPERLINK(\"x\")"}})
    data = evidence.to_csv(evidence.requests(con, ws_id, cat, TODAY)).decode("utf-8-sig")
    assert "'=HYPERLINK" in data and data.splitlines()[0] == "owner,source,ref,item,request,due,overdue,status"


def test_an_unknown_workspace_is_refused(con, cat):
    with pytest.raises(ValidationError, match="no workspace"):
        evidence.requests(con, 42, cat)


def test_records_are_requested_as_records(con, cat, only_a_few):
    documents.save(con, only_a_few, cat, {
        "AI system event logs": {"status": "partial", "record_date": date(2027, 1, 15)},
        "Internal audit results": {"status": "missing"}}, today=TODAY)
    by_item = evidence.requests(con, only_a_few, cat, TODAY).set_index("item")
    assert by_item.at["AI system event logs", "request"] == "Provide the complete record (part of it on file, " \
                                                            "dated 2027-01-15)"
    assert by_item.at["Internal audit results", "request"] == "Provide the record (none on file yet)"
    assert by_item.at["AI policy", "request"] == "Provide the document (none on file yet)"
