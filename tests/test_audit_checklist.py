"""Audit checklists (9.2): our audit content validated at load, the checklist drawn from the
scope without the excluded controls, impartiality flags and their override, results, progress,
the report counted from the results, raising a finding from an item, and who may write."""
import copy
from datetime import date

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.audit import checklist, findings, programme, report
from aims.catalog.standard import CatalogError, load_json
from aims.common.validate import ValidationError
from aims.governance import documents
from aims.store import conflicts

TODAY = date(2027, 1, 20)


@pytest.fixture
def started(con, cat, ws_id):
    """AU-001 in progress, lead auditor 'Priya Shah', team 'Tom Becker', scope 4.1 5.2 6.1.2 A.2.2 A.2.3
    (A.2.3 excluded in the SoA). Priya owns the gap-analysis row of 5.2 (as 'priya  SHAH (CISO)'); Dana
    owns the AI policy document (linked to 5.2 and A.2.2)."""
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": False, "exclusion_reason": "n/a"},
                                       "5.2": {"owner": "priya  SHAH (CISO)"}, "6.1.2": {"owner": "Tom Becker"}})
    documents.save(con, ws_id, cat, {"AI policy": {"owner": "Dana Lee"}})
    return programme.create(con, ws_id, {"kind": "internal", "title": "Clauses", "lead_auditor": "Priya Shah",
                                         "team": "Tom Becker", "scope": ["4.1", "5.2", "6.1.2", "A.2.2", "A.2.3"],
                                         "status": "in progress", "start": date(2027, 1, 18)}, today=TODAY)


# ---- the audit content ---------------------------------------------------------------------------------

def test_the_audit_content_covers_every_requirement_in_our_own_words(cat):
    content = checklist.content()
    assert list(content.questions) == list(cat.requirements) == list(content.evidence)
    assert len(content.questions) == 70
    for rid in cat.requirements:
        assert 2 <= len(content.questions[rid]) <= 3 and 2 <= len(content.evidence[rid]) <= 3, rid
        # never the catalogue's workshop questions copied: the auditor's questions are their own
        assert not set(content.questions[rid]) & set(cat.requirements[rid].questions), rid


def test_a_broken_content_file_is_refused_at_load(cat):
    good = load_json("audit_questions.json")
    for change, message in ((lambda d: d["requirements"].pop("7.2"), "missing requirement IDs \\['7.2'\\]"),
                            (lambda d: d["requirements"].update({"A.11.1": {"questions": ["q"], "evidence": ["e"]}}),
                             "unknown requirement IDs \\['A.11.1'\\]"),
                            (lambda d: d["requirements"]["4.1"].update(questions=[]), "4.1: 'questions' must be a non"),
                            (lambda d: d["requirements"]["4.1"].update(evidence=["x", " "]), "4.1: every item of"),
                            (lambda d: d["requirements"]["4.1"].update(evidence=["Same", "same"]), "repeats an item")):
        data = copy.deepcopy(good)
        change(data)
        with pytest.raises(CatalogError, match=message):
            checklist.parse(data, cat)


# ---- generation -------------------------------------------------------------------------------------------

def test_the_checklist_leaves_out_excluded_controls_and_carries_our_questions(con, ws_id, started):
    items = checklist.items(con, ws_id, started)
    assert list(items["req_id"]) == ["4.1", "5.2", "6.1.2", "A.2.2"]           # A.2.3 excluded in the SoA
    assert items.set_index("req_id").loc["4.1", "questions"] == list(checklist.content().questions["4.1"])
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'audit_item' AND field = 'checklist'")[0][0] == 4


def test_bringing_the_checklist_in_line_keeps_what_was_recorded(con, cat, ws_id, started):
    checklist.save_results(con, ws_id, started, {"4.1": {"result": "conforming"}})
    programme.update(con, ws_id, started, {"scope": ["5.2", "7.2"]}, today=TODAY)      # syncs: the checklist exists
    items = checklist.items(con, ws_id, started)
    assert list(items["req_id"]) == ["4.1", "5.2", "7.2"]        # 4.1 kept (a result), 6.1.2 and A.2.2 removed
    assert not items.set_index("req_id").loc["4.1", "in_scope"]
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": True}})
    programme.update(con, ws_id, started, {"scope": ["5.2", "7.2", "A.2.3"]}, today=TODAY)
    assert checklist.generate(con, ws_id, started) == {"added": [], "removed": [], "kept": ["4.1"]}
    assert "A.2.3" in list(checklist.items(con, ws_id, started)["req_id"])


def test_generation_on_demand_needs_an_applicable_scope(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": False, "exclusion_reason": "n/a"}})
    aid = programme.create(con, ws_id, {"kind": "internal", "title": "Only excluded", "scope": ["A.2.3"]}, today=TODAY)
    with pytest.raises(ValidationError, match="no applicable requirement in its scope"):
        checklist.generate(con, ws_id, aid)
    programme.update(con, ws_id, aid, {"scope": ["A.2.3", "9.1"]}, today=TODAY)
    assert checklist.generate(con, ws_id, aid)["added"] == ["9.1"]             # a planned audit, on demand
    assert programme.get(con, ws_id, aid)["status"] == "planned"


# ---- impartiality -----------------------------------------------------------------------------------------

def test_an_auditor_who_owns_the_requirement_is_flagged(con, ws_id, started):
    items = checklist.items(con, ws_id, started).set_index("req_id")
    assert items.loc["5.2", "flagged"] and items.loc["5.2", "conflicts"] == ["the gap-analysis row 5.2"]
    assert items.loc["5.2", "auditor_shown"] == "Priya Shah"                   # '' is the lead auditor
    assert not items.loc["4.1", "flagged"] and not items.loc["6.1.2", "flagged"]   # Tom owns 6.1.2; Priya audits it
    checklist.save_results(con, ws_id, started, {"6.1.2": {"auditor": "TOM becker"}})
    assert checklist.items(con, ws_id, started).set_index("req_id").loc["6.1.2", "flagged"]
    checklist.save_results(con, ws_id, started, {"A.2.2": {"auditor": "Dana Lee"}})
    assert checklist.items(con, ws_id, started).set_index("req_id").loc["A.2.2", "conflicts"] == [
        "the document 'AI policy'"]


def test_names_compare_without_case_spaces_or_a_role_in_brackets():
    assert checklist.same_person("Priya Shah", "  priya  SHAH (CISO)")
    assert checklist.same_person("PriyaShah", "priya shah")
    assert not checklist.same_person("Priya Shah", "Priya Sharma")
    assert not checklist.same_person("", "")
    assert checklist.person_key("Ana Ruiz (Head of Data)") == "anaruiz"


def test_a_result_for_a_flagged_item_needs_an_override_reason(con, ws_id, started):
    before = rows(con, "SELECT count(*) FROM change_log")[0][0]
    with pytest.raises(ValidationError) as exc:
        checklist.save_results(con, ws_id, started, {"5.2": {"result": "conforming"}, "4.1": {"result": "conforming"}})
    assert exc.value.problems == [
        "5.2: the auditor Priya Shah owns the gap-analysis row 5.2, so auditing it is not impartial (9.2.2). Give the "
        "reason for the override, or assign another auditor, to record a result."]
    assert rows(con, "SELECT count(*) FROM change_log")[0][0] == before         # 4.1 was not saved either
    assert checklist.save_results(con, ws_id, started, {"5.2": {"result": "conforming", "override_reason":
                                                                "The only trained auditor"}}) == 2
    with pytest.raises(ValidationError, match="owns the gap-analysis row 5.2"):
        checklist.save_results(con, ws_id, started, {"5.2": {"override_reason": " "}})   # the reason stays
    assert checklist.save_results(con, ws_id, started, {"5.2": {"notes": "Policy seen"}}) == 1
    # another auditor: no flag, no reason needed
    assert checklist.save_results(con, ws_id, started, {"6.1.2": {"result": "observation"}}) == 1


# ---- results and progress -------------------------------------------------------------------------------

def test_bad_results_and_over_long_text_are_refused(con, ws_id, started):
    with pytest.raises(ValidationError) as exc:
        checklist.save_results(con, ws_id, started, {"4.1": {"result": "passed", "notes": "n" * 5001,
                                                             "colour": "red"}, "9.9": {"notes": "x"}})
    text = " ".join(exc.value.problems)
    for part in ("4.1 result must be one of", "4.1 notes is 5001 characters long", "'colour' cannot be changed",
                 "9.9 is not on the checklist of AU-001"):
        assert part in text


def test_progress_counts_audited_items_and_results_by_grade(con, ws_id, started):
    checklist.save_results(con, ws_id, started, {
        "4.1": {"result": "conforming"}, "6.1.2": {"result": "minor nonconformity", "notes": "Not *repeated*"},
        "A.2.2": {"result": "opportunity for improvement", "auditor": "Tom Becker"}})
    items = checklist.items(con, ws_id, started)
    prog = checklist.progress(items)
    assert (prog["items"], prog["audited"], prog["pct"]) == (4, 3, 75.0)
    assert prog["by_result"] == {"conforming": 1, "major nonconformity": 0, "minor nonconformity": 1,
                                 "observation": 0, "opportunity for improvement": 1}
    assert (prog["findings"], prog["nonconformities"], prog["flagged"], prog["flagged_open"]) == (2, 1, 1, 1)
    assert checklist.progress(items.iloc[0:0])["pct"] is None
    assert report.findings_by_grade(items) == {"major nonconformity": 0, "minor nonconformity": 1,
                                               "observation": 0, "opportunity for improvement": 1}
    text = report.to_markdown(programme.get(con, ws_id, started), items, "Acme")
    assert "- minor nonconformity: 1" in text and "- not audited: 1 of 4 checklist items" in text
    assert "Not \\*repeated\\*" in text and "## Impartiality" in text


def test_a_completed_audits_checklist_is_closed(con, ws_id, started):
    checklist.save_results(con, ws_id, started, {r: {"result": "conforming"} for r in ("4.1", "6.1.2", "A.2.2")})
    checklist.save_results(con, ws_id, started, {"5.2": {"result": "conforming", "override_reason": "Small team"}})
    programme.update(con, ws_id, started, {"status": "completed", "finish": TODAY, "conclusion": "Conforming"},
                     today=TODAY)
    with pytest.raises(ValidationError, match="is completed: its checklist is closed"):
        checklist.save_results(con, ws_id, started, {"4.1": {"notes": "late"}})
    with pytest.raises(ValidationError, match="is completed"):
        checklist.generate(con, ws_id, started)


def test_a_newer_result_is_not_overwritten(con, ws_id, started):
    checklist.save_results(con, ws_id, started, {"4.1": {"result": "observation"}})
    with pytest.raises(conflicts.EditConflict, match="4.1 Result: since you opened it, tester saved"):
        checklist.save_results(con, ws_id, started, {"4.1": {"result": "conforming"}}, base={"4.1": {"result": ""}})
    assert rows(con, "SELECT entity_id, field, new_value FROM change_log WHERE entity = 'audit_item' AND field = "
                     "'result'") == [("AU-001/4.1", "result", "observation")]


def test_the_checklist_csv_defuses_formulas(con, ws_id, started):
    checklist.save_results(con, ws_id, started, {"4.1": {"result": "conforming", "notes": "=HYPERLINK(\"x\")"}})
    data = report.checklist_csv(programme.get(con, ws_id, started), checklist.items(con, ws_id, started))
    assert data.startswith("\ufeff".encode()) and b"'=HYPERLINK" in data


# ---- findings from the checklist --------------------------------------------------------------------------

def test_a_nonconformity_is_raised_as_a_finding_of_the_audit(con, ws_id, started):
    with pytest.raises(ValidationError, match="the result is not recorded yet"):
        checklist.raise_finding(con, ws_id, started, "4.1", today=TODAY)
    checklist.save_results(con, ws_id, started, {"6.1.2": {"result": "major nonconformity", "notes": "No method",
                                                           "evidence_sampled": "Risk register v3"}})
    fid = checklist.raise_finding(con, ws_id, started, "6.1.2", {"owner": "Tom Becker", "due": date(2027, 3, 1)},
                                  today=TODAY)
    f = findings.get(con, ws_id, fid)
    assert (f["source"], f["audit_id"], f["grade"], f["requirements"]) == ("internal audit", "AU-001",
                                                                           "major nonconformity", ["6.1.2"])
    assert (f["title"], f["description"], f["evidence"]) == ("6.1.2 AI risk assessment: major nonconformity",
                                                             "No method", "Risk register v3")
    assert checklist.items(con, ws_id, started).set_index("req_id").loc["6.1.2", "findings"] == [fid]
    with pytest.raises(ValidationError, match="no field grade"):
        checklist.raise_finding(con, ws_id, started, "6.1.2", {"grade": "observation"}, today=TODAY)


def test_a_certification_audits_finding_has_that_source(con, ws_id):
    aid = programme.create(con, ws_id, {"kind": "surveillance", "title": "Surveillance 1", "scope": ["7.2"],
                                        "status": "in progress", "start": TODAY}, today=TODAY)
    checklist.save_results(con, ws_id, aid, {"7.2": {"result": "observation"}})
    fid = checklist.raise_finding(con, ws_id, aid, "7.2", {"title": "Competence records thin"}, today=TODAY)
    assert findings.get(con, ws_id, fid)["source"] == "certification audit"


# ---- who may write --------------------------------------------------------------------------------------------

def test_a_viewer_records_nothing_and_an_editor_does(con, ws_id, started):
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    checklist.save_results(con, ws_id, started, {"4.1": {"result": "observation"}})
    tables = ("audit_item", "finding", "change_log")
    before = {t: rows(con, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    with identity.acting(identity.person("vera@firm.example")):
        for write in (lambda: checklist.save_results(con, ws_id, started, {"4.1": {"notes": "x"}}),
                      lambda: checklist.generate(con, ws_id, started),
                      lambda: checklist.sync(con, ws_id, started),
                      lambda: checklist.raise_finding(con, ws_id, started, "4.1", today=TODAY)):
            with pytest.raises(AccessDenied):
                write()
    assert {t: rows(con, f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == before
    with identity.acting(identity.person("ed@firm.example")):
        assert checklist.save_results(con, ws_id, started, {"4.1": {"notes": "Seen"}}) == 1
        assert checklist.generate(con, ws_id, started) == {"added": [], "removed": [], "kept": []}
        assert checklist.sync(con, ws_id, started)["added"] == []
        assert checklist.raise_finding(con, ws_id, started, "4.1", today=TODAY) == "F-001"
    assert rows(con, "SELECT updated_by FROM audit_item WHERE req_id = '4.1'") == [("ed@firm.example",)]
