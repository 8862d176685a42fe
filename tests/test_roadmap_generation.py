"""Roadmap generation: actions from gaps and from risk treatment plans, idempotent, and the demo roadmap."""
from datetime import date, timedelta

from helpers import TODAY, action_rows, by_ref, generated

from aims.assessment import requirements as assessments
from aims.roadmap import actions as roadmap
from aims.roadmap import generation as roadmap_generation
from aims.roadmap import phases as roadmap_phases
from aims.store import workspaces


def test_generating_from_gaps_creates_one_action_per_requirement_below_target(con, cat, rated):
    result = generated(con, cat, rated)
    assert result.created == ["ACT-001", "ACT-002", "ACT-003"] and "the plan starts on 2026-03-02" in result.note
    df = by_ref(con, cat, rated)
    assert set(df.index) == {"5.2", "7.3", "A.7.4"}                        # 4.1 is at target
    policy = df.loc["5.2"]
    assert policy["title"] == "Document and approve 5.2 AI policy"
    assert (policy["phase"], policy["effort"], policy["priority"]) == ("Policy and procedures", "L", "high")
    assert policy["owner"] == "Priya Shah (CRO)" and policy["requirements"] == ["5.2"]
    assert "maturity 1 Initial, target 3 Defined (gap 2)" in policy["notes"] and "mandatory" in policy["notes"]
    ph = roadmap_phases.phases(con, rated).set_index("id")
    assert (policy["start"], policy["due"]) == (ph.loc[policy["phase_id"], "start"], ph.loc[policy["phase_id"], "finish"])
    training = df.loc["7.3"]
    assert (training["phase"], training["effort"], training["priority"]) == ("Training and awareness", "M", "low")
    assert training["owner"] == ""                                         # 'not; an owner' is no owner
    data = df.loc["A.7.4"]
    assert (data["phase"], data["effort"], data["priority"]) == ("Annex A controls", "XL", "high")


def test_monitoring_and_measurement_starts_with_the_controls_so_results_exist_by_stage_1(con, cat, rated):
    """9.1 is an audit-type requirement, but its actions go to the Annex A controls phase: they
    start when the controls they measure start and are due within that phase, weeks before the
    Stage 1 audit; 9.2.1 (internal audit) stays in the internal-audit phase."""
    assessments.save(con, rated, cat, {"9.1": {"maturity": 1}, "9.2.1": {"maturity": 1}})
    generated(con, cat, rated)
    df = by_ref(con, cat, rated)
    ph = roadmap_phases.phases(con, rated).set_index("template")
    monitoring, controls, audit = df.loc["9.1"], df.loc["A.7.4"], df.loc["9.2.1"]
    assert monitoring["title"] == "Set up and run 9.1 Monitoring, measurement, analysis and evaluation"
    assert monitoring["phase"] == controls["phase"] == "Annex A controls"
    assert monitoring["start"] == controls["start"] == ph.loc["controls", "start"]
    assert monitoring["due"] <= ph.loc["controls", "finish"] < ph.loc["stage1", "start"]
    assert audit["phase"] == "Internal audit and management review"


def test_generating_twice_creates_no_duplicates_and_keeps_every_edit(con, cat, rated):
    first = generated(con, cat, rated)
    aid = by_ref(con, cat, rated).loc["5.2", "id"]
    edit = {"title": "Rewrite the AI policy with the board", "owner": "Aisha Karim", "effort": "XL",
            "status": "in progress", "percent": 30, "due": "2026-12-18", "notes": "Board meeting in June."}
    roadmap.update_actions(con, rated, cat, {aid: edit}, TODAY)
    before = action_rows(con, rated)
    second = generated(con, cat, rated)
    assert second.created == [] and sorted(second.skipped_open) == ["5.2", "7.3", "A.7.4"]
    assert action_rows(con, rated) == before
    row = by_ref(con, cat, rated).loc["5.2"]
    assert (row["title"], row["owner"], row["effort"], row["percent"]) == (edit["title"], "Aisha Karim", "XL", 30)
    assert len(first.created) == 3


def test_requirements_not_assessed_get_a_rating_action_only_when_asked(con, cat, rated):
    result = generated(con, cat, rated, include_not_assessed=True)
    assert len(result.created) == 3 + 66                                    # 70 requirements, 4 rated
    row = by_ref(con, cat, rated).loc["9.2.2"]
    assert row["title"] == "Rate in the gap analysis: 9.2.2 Internal audit programme"
    assert (row["phase"], row["effort"], row["priority"]) == ("Gap analysis", "S", "high")


def test_generated_actions_never_start_in_the_past(con, cat, rated):
    workspaces.update(con, rated, {"target_date": TODAY + timedelta(days=300)})
    roadmap_phases.ensure_phases(con, rated, TODAY + timedelta(days=300), TODAY)
    roadmap_phases.save_phases(con, rated, {"PH-06": {"start": TODAY - timedelta(days=30), "finish": TODAY - timedelta(days=28)}})
    generated(con, cat, rated)
    row = by_ref(con, cat, rated).loc["7.3"]            # training phase is in the past; M = 5 days
    assert (row["start"], row["due"]) == (TODAY, TODAY + timedelta(days=5))


def test_risk_treatment_plans_become_actions_once(con, cat, rated):
    from aims.risk import register as risks
    base = {"lifecycle_stage": "deployed", "owner": "Tom Becker (Head of Data Science)"}
    r1 = risks.create(con, rated, {**base, "title": "Credit model drift", "inherent_likelihood": 4,
                                   "inherent_impact": 4, "treatment": "mitigate", "controls": ["A.6.2.6", "A.7.4"],
                                   "due": "2026-09-30"})
    r2 = risks.create(con, rated, {**base, "title": "Vendor chatbot outage", "inherent_likelihood": 2,
                                   "inherent_impact": 3, "treatment": "transfer"})
    risks.create(con, rated, {**base, "title": "Minor UI wording", "inherent_likelihood": 1, "inherent_impact": 2,
                              "treatment": "accept", "status": "accepted"})
    risks.create(con, rated, {**base, "title": "Old closed risk", "inherent_likelihood": 3, "inherent_impact": 3,
                              "treatment": "mitigate", "status": "closed"})
    result = roadmap_generation.generate_from_risks(con, rated, cat, TODAY)
    assert len(result.created) == 2
    df = roadmap.actions(con, rated, cat, 3, TODAY).set_index("source_ref")
    drift = df.loc[r1]
    assert drift["title"] == f"Mitigate risk {r1}: Credit model drift"
    assert drift["risks"] == [r1] and drift["requirements"] == ["A.6.2.6", "A.7.4"]
    assert (drift["priority"], drift["priority_reason"]) == ("critical", f"linked risk {r1} is critical")   # 16
    assert (drift["effort"], drift["due"], drift["phase"]) == ("L", date(2026, 9, 30), "Annex A controls")
    assert drift["start"] == date(2026, 9, 20)                           # its 10 days (L) before the risk's due date
    assert df.loc[r2, "priority"] == "medium" and df.loc[r2, "effort"] == "M"                             # 6
    assert roadmap_generation.generate_from_risks(con, rated, cat, TODAY).created == []
    # a gap generation does not duplicate what the risk action covers: A.7.4 is now linked to an open action
    assert "A.7.4" in generated(con, cat, rated).skipped_open


def test_the_demo_roadmap_has_realistic_progress_and_a_dated_forecast(con, cat):
    from aims.demo import client as demo
    from aims.roadmap import forecast
    ws = demo.create(con, cat)
    target = workspaces.get(con, ws)["target_date"]
    acts = roadmap.actions(con, ws, cat, 3)
    assert len(roadmap_phases.phases(con, ws)) == 10 and len(acts) > 50
    assert set(acts["status"]) == set(roadmap.STATUSES) and acts["overdue"].any()
    assert set(acts["source"]) == {"gap", "risk", "manual", "finding", "management review"}   # 10.2 and 9.3
    done = acts[acts["status"] == "done"]
    assert (done["done_at"] < date.today()).all()                     # finished in the past weeks
    fc = forecast.forecast(acts, date.today(), target)
    assert fc.state in ("behind", "ahead", "on time") and fc.ready is not None
    assert not roadmap.awaiting_rerating(con, ws, cat, 3).empty       # done gap actions invite a re-rating
    assert (acts["priority_override"] == "critical").sum() == 1          # one override, with its reason in notes
    # deterministic: recreating the demo gives the same roadmap
    again = roadmap.actions(con, demo.create(con, cat), cat, 3)
    cols = ["id", "title", "status", "percent", "effort", "start", "due", "done_at", "priority"]
    assert again[cols].equals(acts[cols])


def test_generated_due_dates_are_spread_over_the_phase_by_priority():
    """Phase window 2027-01-01 .. 2027-01-31 (30 days), three actions: high due a third of the
    way (01-11), medium two thirds (01-21), low on the phase's end (01-31), all starting with the
    window. In a 2-day window an action of 5 days is due 5 days after the start, not sooner."""
    from aims.roadmap.generation import stagger

    def row(phase, rank, days, start, end):
        return {"phase_id": phase, "_rank": rank, "_days": days, "start": start, "due": end, "_end": end}

    jan, jan31 = date(2027, 1, 1), date(2027, 1, 31)
    rows = [row("P1", 2, 5, jan, jan31), row("P1", 1, 10, jan, jan31), row("P1", 3, 2, jan, jan31),
            row("P2", 1, 5, date(2027, 2, 1), date(2027, 2, 3)), row("P2", 1, 5, date(2027, 2, 1), date(2027, 2, 3))]
    stagger(rows, date(2026, 12, 1))
    assert [r["due"] for r in rows[:3]] == [date(2027, 1, 21), date(2027, 1, 11), date(2027, 1, 31)]
    assert {r["start"] for r in rows[:3]} == {jan}
    assert [r["due"] for r in rows[3:]] == [date(2027, 2, 6), date(2027, 2, 6)]


def test_gap_actions_sharing_a_phase_get_different_due_dates(con, cat, ws_id):
    """Three Annex A data gaps land in one phase: A.7.4 (gap 3, high) is due first, then the two
    medium ones in catalogue order (A.7.3 gap 2; A.7.5 gap 1, raised as mandatory documentation),
    the last on the phase's end; none share a due date."""
    workspaces.update(con, ws_id, {"target_date": date(2027, 3, 1)})
    assessments.save(con, ws_id, cat, {"A.7.4": {"maturity": 0}, "A.7.3": {"maturity": 1}, "A.7.5": {"maturity": 2}})
    generated(con, cat, ws_id)
    df = by_ref(con, cat, ws_id)
    assert df.loc[["A.7.4", "A.7.3", "A.7.5"], "priority"].tolist() == ["high", "medium", "medium"]
    assert df.loc[["A.7.4", "A.7.3", "A.7.5"], "phase_id"].nunique() == 1
    due = df.loc[["A.7.4", "A.7.3", "A.7.5"], "due"].tolist()
    assert due[0] < due[1] < due[2]
    ph = roadmap_phases.phases(con, ws_id).set_index("id")
    assert due[2] == ph.loc[df.loc["A.7.5", "phase_id"], "finish"]
