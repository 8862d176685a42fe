"""The internal audit programme (9.2) and the certification audits' records: an audit's rules,
its cycle, the coverage of the applicable requirements worked out by hand, the Stage 1 date and
its warning, edits with conflict detection, deletion, and who may write."""
from datetime import date, timedelta

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.audit import checklist, findings, programme
from aims.catalog.standard import CLAUSE_IDS, CONTROL_IDS
from aims.common.validate import ValidationError
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, workspaces

TODAY = date(2027, 1, 20)


def audit(**kw):
    base = {"kind": "internal", "title": "Internal audit of the clauses", "lead_auditor": "Marta Novak"}
    return {**base, **kw}


def counts(con):
    return {t: rows(con, f"SELECT count(*) FROM {t}")[0][0]
            for t in ("audit", "audit_scope", "audit_item", "finding", "change_log")}


@pytest.fixture
def programme_ws(con, cat, ws_id):
    """The hand-worked programme: A.2.3 and A.10.4 excluded in the SoA (68 of 70 requirements apply);
    AU-001 internal, scope 4.1 4.2 5.2 A.2.2 A.2.3, 2027-01-05 to 2027-01-10;
    AU-002 internal, scope 6.1.2 A.6.2.4, finishing 2027-05-01 (after Stage 1);
    AU-003 Stage 1 starting 2027-03-01 (scope 7.2: a certification audit, which covers nothing);
    AU-004 internal, scope 7.3, in 2031 (outside the three-year cycle from 2027-01-05)."""
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": False, "exclusion_reason": "No other policies"},
                                       "A.10.4": {"applicable": False, "exclusion_reason": "No customers"}})
    programme.create(con, ws_id, audit(scope=["4.1", "4.2", "5.2", "A.2.2", "A.2.3"], start=date(2027, 1, 5),
                                       finish=date(2027, 1, 10)), today=TODAY)
    programme.create(con, ws_id, audit(title="Risk", scope="6.1.2; A.6.2.4 AI system verification",
                                       start=date(2027, 4, 20), finish=date(2027, 5, 1)), today=TODAY)
    programme.create(con, ws_id, {"kind": "stage 1", "title": "Stage 1", "scope": ["7.2"], "start": date(2027, 3, 1),
                                  "certification_body": "CertBody"}, today=TODAY)
    programme.create(con, ws_id, audit(title="Later", scope=["7.3"], start=date(2031, 1, 1)), today=TODAY)
    return ws_id


# ---- coverage and the Stage 1 warning, by hand -------------------------------------------------------

def test_coverage_counts_only_the_cycles_internal_audits_of_applicable_requirements(con, cat, programme_ws):
    view = programme.overview(con, programme_ws, cat, today=TODAY)
    assert view["window"] == (date(2027, 1, 5), date(2030, 1, 4))
    assert list(view["cycle"]["id"]) == ["AU-001", "AU-003", "AU-002"]          # by start date; AU-004 is in 2031
    s = view["summary"]
    assert s["applicable"] == 68                                                  # 70 less the two exclusions
    assert s["covered"] == 6                   # 4.1 4.2 5.2 A.2.2 6.1.2 A.6.2.4 (not A.2.3: excluded)
    expected = [r for r in CLAUSE_IDS + CONTROL_IDS
                if r not in ("4.1", "4.2", "5.2", "A.2.2", "6.1.2", "A.6.2.4", "A.2.3", "A.10.4")]
    assert s["uncovered"] == expected and len(expected) == 62
    assert "7.2" in s["uncovered"] and "7.3" in s["uncovered"]      # a Stage 1 scope and an audit outside the cycle
    cov = view["coverage"].set_index("req_id")
    assert cov.loc["A.2.3", "status"] == "excluded" and cov.loc["4.1", "status"] == "planned"
    assert cov.loc["7.3", "status"] == "not covered" and cov.loc["6.1.2", "audits"] == ["AU-002"]


def test_stage1_warning_names_what_the_audits_finishing_before_stage1_leave_out(con, cat, programme_ws):
    view = programme.overview(con, programme_ws, cat, today=TODAY)
    assert view["stage1"] == date(2027, 3, 1)
    assert view["stage1_basis"] == "the planned start of the Stage 1 audit AU-003"
    late = view["summary"]["uncovered_before_stage1"]
    assert len(late) == 64                     # only AU-001 finishes before Stage 1: 4 of the 68 covered in time
    assert "6.1.2" in late and "A.6.2.4" in late and "4.1" not in late and "A.2.3" not in late
    assert "do not cover 64 of the 68 applicable requirements" in view["summary"]["warning"]


def test_an_audit_finishing_on_the_stage1_day_is_not_before_it(cat):
    audits = _frame([("AU-001", "internal", ["4.1"], date(2027, 2, 1), date(2027, 3, 1))])
    cov = programme.coverage_frame(cat, set(), audits, _items(), stage1=date(2027, 3, 1)).set_index("req_id")
    assert cov.loc["4.1", "covered"] and not cov.loc["4.1", "covered_before_stage1"]
    cov = programme.coverage_frame(cat, set(), audits, _items(), stage1=date(2027, 3, 2)).set_index("req_id")
    assert cov.loc["4.1", "covered_before_stage1"]


def test_no_warning_once_internal_audits_before_stage1_cover_everything_that_applies(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": False, "exclusion_reason": "n/a"}})
    everything = programme.scope_preset(cat, "everything", {"A.2.3"})
    assert len(everything) == 69 and "A.2.3" not in everything
    programme.create(con, ws_id, audit(scope=everything[:40], start=date(2027, 1, 4), finish=date(2027, 1, 8)), today=TODAY)
    programme.create(con, ws_id, audit(title="Part 2", scope=everything[40:], start=date(2027, 2, 1),
                                       finish=date(2027, 2, 5)), today=TODAY)
    programme.create(con, ws_id, {"kind": "stage 1", "title": "Stage 1", "start": date(2027, 3, 1)}, today=TODAY)
    s = programme.overview(con, ws_id, cat, today=TODAY)["summary"]
    assert (s["covered"], s["applicable"], s["uncovered_before_stage1"], s["warning"]) == (69, 69, [], "")


def test_the_stage1_date_falls_back_on_the_roadmap_then_the_target_date(con, cat, ws_id):
    empty = programme.table(con, ws_id)
    assert programme.stage1_date(empty, None) == (None, "no Stage 1 audit, roadmap phase or target certification date")
    assert programme.stage1_date(empty, date(2027, 6, 30))[0] == date(2027, 3, 31)      # 13 weeks before
    assert programme.stage1_date(empty, date(2027, 6, 30), date(2027, 4, 2))[0] == date(2027, 4, 2)
    workspaces.update(con, ws_id, {"target_date": date(2027, 6, 30)})
    assert programme.overview(con, ws_id, cat, today=TODAY)["stage1"] == date(2027, 3, 31)
    roadmap_phases.ensure_phases(con, ws_id, date(2027, 6, 30), TODAY)
    phase = roadmap_phases.phases(con, ws_id).set_index("template").loc["stage1"]
    view = programme.overview(con, ws_id, cat, today=TODAY)
    assert view["stage1"] == phase["start"] and view["stage1_basis"] == "the start of the roadmap's Stage 1 phase"


def test_an_audited_requirement_counts_as_audited(con, cat, programme_ws):
    programme.update(con, programme_ws, "AU-001", {"status": "in progress"}, today=TODAY)
    checklist.save_results(con, programme_ws, "AU-001", {"4.1": {"result": "conforming"}})
    view = programme.overview(con, programme_ws, cat, today=TODAY)
    cov = view["coverage"].set_index("req_id")
    assert cov.loc["4.1", "status"] == "audited" and cov.loc["4.2", "status"] == "planned"
    assert view["summary"]["audited"] == 1


def test_the_cycle_runs_three_years_from_a_chosen_start_and_keeps_undated_audits(con, cat, programme_ws):
    programme.create(con, programme_ws, audit(title="Undated", scope=["8.1"]), today=TODAY)
    view = programme.overview(con, programme_ws, cat, start=date(2029, 6, 1), today=TODAY)
    assert view["window"] == (date(2029, 6, 1), date(2032, 5, 31))
    assert list(view["cycle"]["id"]) == ["AU-004", "AU-005"]              # 2031, and the undated one
    assert programme.cycle_window(programme.table(con, programme_ws).iloc[0:0], today=date(2028, 2, 29)) == (
        date(2028, 2, 29), date(2031, 2, 27))


def _frame(specs):
    import pandas as pd
    return pd.DataFrame([{"id": i, "kind": k, "scope": s, "start": a, "finish": b} for i, k, s, a, b in specs])


def _items():
    import pandas as pd
    return pd.DataFrame({"audit_id": [], "req_id": [], "result": []})


# ---- the record's rules -------------------------------------------------------------------------------

def test_bad_input_names_every_problem_and_writes_nothing(con, ws_id):
    before = counts(con)
    with pytest.raises(ValidationError) as exc:
        programme.create(con, ws_id, {"kind": "audit", "title": "x" * 201, "scope": ["4.1", "Z.9", "A.11.1"],
                                      "start": date(2027, 2, 1), "finish": date(2027, 1, 1), "status": "done",
                                      "objectives": "y" * 5001}, today=TODAY)
    text = " ".join(exc.value.problems)
    for part in ("Kind must be one of", "Title is 201 characters long", "Unknown requirement or control Z.9, A.11.1",
                 "finish 2027-01-01 is before the start 2027-02-01", "Status must be one of",
                 "Objectives is 5001 characters long"):
        assert part in text
    with pytest.raises(ValidationError, match="title|Title is required"):
        programme.create(con, ws_id, {"kind": "internal", "title": " "}, today=TODAY)
    with pytest.raises(ValidationError, match="has no field colour"):
        programme.create(con, ws_id, audit(colour="red"), today=TODAY)
    assert counts(con) == before


def test_internal_and_certification_audits_and_their_outcomes(con, ws_id):
    with pytest.raises(ValidationError) as exc:
        programme.create(con, ws_id, audit(certification_body="CertBody", outcome="recommended"), today=TODAY)
    assert any("no certification body" in p for p in exc.value.problems)
    assert any("no certification outcome" in p for p in exc.value.problems)
    with pytest.raises(ValidationError, match="once the audit is completed"):
        programme.create(con, ws_id, {"kind": "stage 2", "title": "Stage 2", "outcome": "recommended"}, today=TODAY)
    aid = programme.create(con, ws_id, {"kind": "stage 2", "title": "Stage 2", "status": "completed", "outcome":
                                        "recommended with conditions", "start": date(2027, 1, 11),
                                        "finish": date(2027, 1, 13), "conclusion": "Two minor NCs"}, today=TODAY)
    assert programme.get(con, ws_id, aid)["outcome"] == "recommended with conditions"
    with pytest.raises(ValidationError, match="Outcome must be one of"):
        programme.update(con, ws_id, aid, {"outcome": "passed"}, today=TODAY)


def test_starting_an_audit_dates_it_and_generates_its_checklist(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"A.2.3": {"applicable": False, "exclusion_reason": "n/a"}})
    aid = programme.create(con, ws_id, audit(scope=["5.2", "A.2.2", "A.2.3"]), today=TODAY)
    assert checklist.items(con, ws_id, aid).empty
    with pytest.raises(ValidationError, match="start 2027-02-01 is in the future"):
        programme.update(con, ws_id, aid, {"status": "in progress", "start": date(2027, 2, 1)}, today=TODAY)
    assert programme.update(con, ws_id, aid, {"status": "in progress"}, today=TODAY) == 2     # status and start
    a = programme.get(con, ws_id, aid)
    assert (a["status"], a["start"]) == ("in progress", TODAY)
    assert list(checklist.items(con, ws_id, aid)["req_id"]) == ["5.2", "A.2.2"]      # the excluded control left out


def test_completing_needs_dates_the_conclusion_and_every_item_audited(con, ws_id):
    aid = programme.create(con, ws_id, audit(scope=["4.1", "4.2"], start=date(2027, 1, 4), status="in progress"),
                           today=TODAY)
    with pytest.raises(ValidationError) as exc:
        programme.update(con, ws_id, aid, {"status": "completed"}, today=TODAY)
    assert any("needs its start and finish dates" in p for p in exc.value.problems)
    assert any("needs its report's conclusion" in p for p in exc.value.problems)
    with pytest.raises(ValidationError, match="2 checklist items have no result"):
        programme.update(con, ws_id, aid, {"status": "completed", "finish": date(2027, 1, 8), "conclusion": "Fine"},
                         today=TODAY)
    assert programme.get(con, ws_id, aid)["status"] == "in progress"          # nothing written
    checklist.save_results(con, ws_id, aid, {"4.1": {"result": "conforming"}})
    # taking the unaudited item out of the scope removes it, and the audit completes
    programme.update(con, ws_id, aid, {"status": "completed", "finish": date(2027, 1, 8), "conclusion": "Fine",
                                       "scope": ["4.1"]}, today=TODAY)
    assert programme.get(con, ws_id, aid)["status"] == "completed"
    with pytest.raises(ValidationError, match="finish 2027-02-08 is in the future"):
        programme.update(con, ws_id, aid, {"finish": date(2027, 2, 8)}, today=TODAY)


def test_edits_are_logged_and_a_newer_value_is_not_overwritten(con, ws_id):
    aid = programme.create(con, ws_id, audit(scope=["4.1"]), today=TODAY)
    assert aid == "AU-001"
    assert programme.update(con, ws_id, aid, {"scope": ["4.1", "5.2"], "team": "Tom"}, today=TODAY) == 2
    logged = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'audit' AND entity_id = ?"
                       " AND old_value IS NOT NULL ORDER BY id", [aid])
    assert logged == [("team", "", "Tom"), ("scope", "4.1", "4.1; 5.2")]
    shown = {"title": "Internal audit of the clauses"}
    programme.update(con, ws_id, aid, {"title": "Theirs"}, today=TODAY)
    with pytest.raises(conflicts.EditConflict, match="Title"):
        programme.update(con, ws_id, aid, {"title": "Mine"}, base=shown, today=TODAY)
    assert programme.update(con, ws_id, aid, {"title": "Theirs", "team": "Ana"}, base={**shown, "team": "Tom"},
                            today=TODAY) == 1


def test_an_audit_with_findings_is_not_deleted(con, ws_id):
    aid = programme.create(con, ws_id, audit(scope=["4.1"], status="in progress", start=TODAY), today=TODAY)
    other = programme.create(con, ws_id, audit(scope=["4.2"], status="in progress", start=TODAY), today=TODAY)
    findings.raise_finding(con, ws_id, {"source": "internal audit", "audit_id": aid, "grade": "observation",
                                        "title": "Seen"}, today=TODAY)
    with pytest.raises(ValidationError, match="1 findings point at it"):
        programme.delete(con, ws_id, aid)
    programme.delete(con, ws_id, other)
    assert programme.get(con, ws_id, other) is None
    assert rows(con, "SELECT count(*) FROM audit_item WHERE audit_id = ?", [other])[0][0] == 0
    assert rows(con, "SELECT new_value, old_value FROM change_log WHERE entity_id = ? AND field = 'deleted'",
                [other]) == [(None, "Internal audit of the clauses")]


# ---- who may write --------------------------------------------------------------------------------------

def test_a_viewer_changes_nothing_and_an_editor_does(con, ws_id):
    aid = programme.create(con, ws_id, audit(scope=["4.1"]), today=TODAY)
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    before = counts(con)
    with identity.acting(identity.person("vera@firm.example")):
        for write in (lambda: programme.create(con, ws_id, audit(), today=TODAY),
                      lambda: programme.update(con, ws_id, aid, {"title": "x"}, today=TODAY),
                      lambda: programme.delete(con, ws_id, aid)):
            with pytest.raises(AccessDenied):
                write()
    assert counts(con) == before
    with identity.acting(identity.person("ed@firm.example")):
        new = programme.create(con, ws_id, audit(title="By the editor"), today=TODAY)
        assert programme.update(con, ws_id, new, {"team": "Tom"}, today=TODAY) == 1
        programme.delete(con, ws_id, new)
    assert rows(con, "SELECT DISTINCT changed_by FROM change_log WHERE entity = 'audit' AND entity_id = ?",
                [new]) == [("ed@firm.example",)]


def test_the_outcome_meanings_cover_every_certification_kind():
    assert set(programme.OUTCOME_MEANING) == set(programme.CERTIFICATION_KINDS)
    assert all(set(m) == set(programme.OUTCOMES) for m in programme.OUTCOME_MEANING.values())
    assert programme.team_members("Marta", "Tom; marta, Ana\nTom") == ["Marta", "Tom", "Ana"]
    assert date(2027, 6, 30) - timedelta(weeks=programme.STAGE1_WEEKS_BEFORE_TARGET) == date(2027, 3, 31)
