"""Roadmap rules: back-planning, priorities, generation from gaps and risks, the write paths."""
from datetime import date, timedelta

import pytest

from aims import assessments, roadmap, workspaces
from aims.validate import ValidationError
from helpers import rows

TODAY = date(2026, 3, 2)


def log_count(con):
    return rows(con, "SELECT count(*) FROM change_log")[0][0]


def action_rows(con, ws_id):
    return rows(con, "SELECT * FROM action WHERE workspace_id = ? ORDER BY id", [ws_id])


@pytest.fixture
def rated(con, cat, ws_id):
    """A workspace (default target 3) with a target date and four ratings:
    5.2 at 1 (gap 2, mandatory doc), 7.3 at 2 (gap 1), A.7.4 at 0 (gap 3), 4.1 at 3 (at target)."""
    workspaces.update(con, ws_id, {"target_date": date(2027, 3, 1)})
    assessments.save(con, ws_id, cat, {"5.2": {"maturity": 1, "owner": "Priya Shah (CRO)"},
                                       "7.3": {"maturity": 2, "owner": "not; an owner"},
                                       "A.7.4": {"maturity": 0}, "4.1": {"maturity": 3}})
    return ws_id


def generated(con, cat, ws_id, **kw):
    return roadmap.generate_from_gaps(con, ws_id, cat, today=TODAY, **kw)


def by_ref(con, cat, ws_id):
    df = roadmap.actions(con, ws_id, cat, 3, TODAY)
    return df.set_index("source_ref")


# ---- back-planning ----------------------------------------------------------------------------

def test_phases_are_planned_back_from_the_target_date_with_stage_2_ending_on_it():
    plan, note = roadmap.back_plan(roadmap.template().phases, date(2027, 3, 1), date(2026, 1, 1))
    assert note == ""
    first, last = plan[0], plan[-1]
    assert (last["name"], last["start"], last["finish"]) == ("Certification audit: Stage 2", date(2027, 2, 15),
                                                            date(2027, 3, 1))
    # Gap analysis: finishes 34 weeks (238 days) before the target and lasts 4 weeks
    assert (first["name"], first["start"], first["finish"]) == ("Gap analysis", date(2026, 6, 8), date(2026, 7, 6))
    stage1 = plan[7]
    assert (stage1["start"], stage1["finish"]) == (date(2027, 1, 11), date(2027, 1, 18))  # 7 weeks .. 6 weeks before
    assert [p["position"] for p in plan] == list(range(1, 10))


def test_a_close_target_compresses_every_phase_so_the_plan_starts_today():
    today = date(2026, 1, 1)
    target = today + timedelta(days=133)                 # half of the 266 days (38 weeks) the plan needs
    plan, note = roadmap.back_plan(roadmap.template().phases, target, today)
    assert "compressed to 50%" in note
    assert plan[0]["start"] == today and plan[0]["finish"] == today + timedelta(days=14)
    assert plan[-1]["finish"] == target and plan[-1]["start"] == target - timedelta(days=7)


def test_without_a_target_or_with_one_in_the_past_the_plan_starts_today_and_says_so():
    today = date(2026, 1, 1)
    plan, note = roadmap.back_plan(roadmap.template().phases, None, today)
    assert plan[0]["start"] == today and plan[-1]["finish"] == today + timedelta(days=266)
    assert note.startswith("No target certification date is set")
    plan, note = roadmap.back_plan(roadmap.template().phases, date(2025, 6, 1), today)
    assert plan[0]["start"] == today and "not in the future" in note


def test_a_workspace_gets_its_default_phases_once(con, ws_id):
    note = roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    assert note == ""
    ph = roadmap.phases(con, ws_id)
    assert list(ph["id"]) == [f"PH-0{i}" for i in range(1, 10)]
    assert ph.iloc[-1]["finish"] == date(2027, 3, 1)
    assert roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY) is None
    for pid in ph["id"]:
        roadmap.delete_phase(con, ws_id, pid)
    assert roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY) is None   # dropped on purpose: not back
    assert roadmap.phases(con, ws_id).empty


def test_replanning_moves_template_phases_to_a_new_target_and_leaves_added_phases(con, ws_id):
    roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    extra = roadmap.add_phase(con, ws_id, {"name": "Supplier reviews", "start": "2026-09-01", "finish": "2026-10-01"})
    changed, note = roadmap.replan_phases(con, ws_id, date(2027, 4, 5), TODAY)   # five weeks later
    ph = roadmap.phases(con, ws_id).set_index("id")
    assert changed == 18 and note == ""
    assert ph.loc["PH-09", "finish"] == date(2027, 4, 5)
    assert ph.loc[extra, "start"] == date(2026, 9, 1)


# ---- editing phases ---------------------------------------------------------------------------

def test_typing_an_order_moves_a_phase_there_and_renumbers_the_rest(con, ws_id):
    roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    roadmap.save_phases(con, ws_id, {"PH-05": {"position": 2, "name": "Controls"}})
    ph = roadmap.phases(con, ws_id)
    assert list(ph["id"])[:4] == ["PH-01", "PH-05", "PH-02", "PH-03"]
    assert list(ph["position"]) == list(range(1, 10))
    assert ph.iloc[1]["name"] == "Controls"


def test_bad_phase_edits_are_all_reported_and_nothing_is_written(con, ws_id):
    roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    before, logs = roadmap.phases(con, ws_id), log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap.save_phases(con, ws_id, {"PH-01": {"finish": "2026-01-01"}, "PH-02": {"name": "Gap analysis"},
                                         "PH-03": {"start": "31/12/2026"}, "PH-77": {"name": "x"}})
    text = " ".join(exc.value.problems)
    assert "finish date 2026-01-01 is before the start date" in text
    assert "Two phases are named 'Gap analysis'" in text
    assert "must be a date like 2027-03-31" in text
    assert "There is no phase 'PH-77'" in text
    assert roadmap.phases(con, ws_id).equals(before) and log_count(con) == logs


def test_adding_a_phase_in_third_place_makes_room(con, ws_id):
    roadmap.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    pid = roadmap.add_phase(con, ws_id, {"name": "Vendor due diligence", "position": 3,
                                         "start": date(2026, 8, 1), "finish": date(2026, 9, 1)})
    ph = roadmap.phases(con, ws_id)
    assert pid == "PH-10" and list(ph["id"])[:4] == ["PH-01", "PH-02", "PH-10", "PH-03"]
    assert list(ph["position"]) == list(range(1, 11))


def test_dropping_a_phase_with_actions_needs_a_phase_to_move_them_to(con, cat, rated):
    generated(con, cat, rated)
    with pytest.raises(ValidationError, match="choose the phase to move them to"):
        roadmap.delete_phase(con, rated, "PH-04")          # policy phase holds the 5.2 action
    assert roadmap.delete_phase(con, rated, "PH-04", move_to="PH-05") == 1
    assert by_ref(con, cat, rated).loc["5.2", "phase_id"] == "PH-05"
    assert list(roadmap.phases(con, rated)["position"]) == list(range(1, 9))


def test_the_effort_scale_is_editable_and_must_grow(con, ws_id):
    assert roadmap.effort_scale(con, ws_id) == {"S": 2, "M": 5, "L": 10, "XL": 20}
    assert roadmap.set_effort_scale(con, ws_id, {"S": 1, "XL": 30}) == 2
    assert roadmap.effort_scale(con, ws_id) == {"S": 1, "M": 5, "L": 10, "XL": 30}
    logs = log_count(con)
    with pytest.raises(ValidationError, match=r"S < M < L < XL"):
        roadmap.set_effort_scale(con, ws_id, {"M": 12})
    with pytest.raises(ValidationError, match="Effort days for L must be a whole number from 1 to 250"):
        roadmap.set_effort_scale(con, ws_id, {"L": 2.5})
    assert roadmap.effort_scale(con, ws_id)["M"] == 5 and log_count(con) == logs


# ---- priority rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("status,gap,mandatory,expected", [
    ("gap", 1, False, "low"), ("gap", 2, False, "medium"), ("gap", 3, False, "high"), ("gap", 5, False, "high"),
    ("gap", 1, True, "medium"), ("gap", 2, True, "high"), ("gap", 3, True, "critical"),
    ("not assessed", None, False, "medium"), ("not assessed", None, True, "high"),
    ("at target", 0, True, "low"), ("excluded", None, False, "low"),
])
def test_priority_from_the_size_of_the_gap_and_mandatory_documentation(status, gap, mandatory, expected):
    assert roadmap.gap_priority(status, gap, mandatory) == expected


def test_the_highest_signal_wins_and_says_why():
    reqs = [{"req_id": "7.3", "status": "gap", "gap": 1, "mandatory_doc": False},
            {"req_id": "5.2", "status": "gap", "gap": 2, "mandatory_doc": True}]
    assert roadmap.derive_priority(reqs, []) == ("high", "gap of 2 on 5.2 (mandatory documentation)")
    assert roadmap.derive_priority(reqs, [("R-004", "critical")]) == ("critical", "linked risk R-004 is critical")
    assert roadmap.derive_priority(reqs[:1], [("R-001", "medium")]) == ("medium", "linked risk R-001 is medium")
    assert roadmap.derive_priority([], []) == ("medium", "no linked requirement or risk")


def test_risk_levels_use_the_default_bands_when_the_workspace_has_no_criteria():
    assert [roadmap.risk_level(lik, imp) for lik, imp in [(1, 4), (1, 5), (3, 3), (2, 5), (3, 5), (4, 4)]] == \
        ["low", "medium", "medium", "high", "high", "critical"]


def test_an_override_wins_over_the_derived_priority(con, cat, rated):
    generated(con, cat, rated)
    aid = by_ref(con, cat, rated).loc["7.3", "id"]
    roadmap.update_actions(con, rated, cat, {aid: {"priority_override": "critical"}}, TODAY)
    row = by_ref(con, cat, rated).loc["7.3"]
    assert (row["priority"], row["priority_derived"]) == ("critical", "low")
    roadmap.update_actions(con, rated, cat, {aid: {"priority_override": ""}}, TODAY)
    assert by_ref(con, cat, rated).loc["7.3", "priority"] == "low"


# ---- generation -------------------------------------------------------------------------------

def test_generating_from_gaps_creates_one_action_per_requirement_below_target(con, cat, rated):
    result = generated(con, cat, rated)
    assert result.created == ["ACT-001", "ACT-002", "ACT-003"] and result.note == ""
    df = by_ref(con, cat, rated)
    assert set(df.index) == {"5.2", "7.3", "A.7.4"}                        # 4.1 is at target
    policy = df.loc["5.2"]
    assert policy["title"] == "Document and approve 5.2 AI policy"
    assert (policy["phase"], policy["effort"], policy["priority"]) == ("Policy and procedures", "L", "high")
    assert policy["owner"] == "Priya Shah (CRO)" and policy["requirements"] == ["5.2"]
    assert "maturity 1 Initial, target 3 Defined (gap 2)" in policy["notes"] and "mandatory" in policy["notes"]
    ph = roadmap.phases(con, rated).set_index("id")
    assert (policy["start"], policy["due"]) == (ph.loc[policy["phase_id"], "start"], ph.loc[policy["phase_id"], "finish"])
    training = df.loc["7.3"]
    assert (training["phase"], training["effort"], training["priority"]) == ("Training and awareness", "M", "low")
    assert training["owner"] == ""                                         # 'not; an owner' is no owner
    data = df.loc["A.7.4"]
    assert (data["phase"], data["effort"], data["priority"]) == ("Annex A controls", "XL", "high")


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
    roadmap.ensure_phases(con, rated, TODAY + timedelta(days=300), TODAY)
    roadmap.save_phases(con, rated, {"PH-06": {"start": TODAY - timedelta(days=30), "finish": TODAY - timedelta(days=28)}})
    generated(con, cat, rated)
    row = by_ref(con, cat, rated).loc["7.3"]            # training phase is in the past; M = 5 days
    assert (row["start"], row["due"]) == (TODAY, TODAY + timedelta(days=5))


def test_a_done_action_invites_a_rerating_and_never_changes_the_maturity(con, cat, rated):
    generated(con, cat, rated)
    aid = by_ref(con, cat, rated).loc["5.2", "id"]
    result = roadmap.update_actions(con, rated, cat, {aid: {"status": "done"}}, TODAY)
    assert result.newly_done == {aid: ["5.2"]}
    waiting = roadmap.awaiting_rerating(con, rated, cat, 3)
    assert list(waiting["req_id"]) == ["5.2"] and waiting.iloc[0]["action_id"] == aid
    assert assessments.table(con, rated, cat, 3).set_index("req_id").loc["5.2", "maturity"] == 1
    again = generated(con, cat, rated)
    assert again.created == [] and again.waiting_rerating == ["5.2"]
    # re-rated, still below target: the invitation ends and the next run plans the rest of the gap
    assessments.save(con, rated, cat, {"5.2": {"maturity": 2}})
    assert roadmap.awaiting_rerating(con, rated, cat, 3).empty
    assert generated(con, cat, rated).created == ["ACT-004"]


def test_marking_done_sets_percent_and_date_and_reopening_clears_the_date(con, cat, rated):
    generated(con, cat, rated)
    roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "done", "done_at": "2026-02-27"}}, TODAY)
    row = by_ref(con, cat, rated).loc["5.2"]
    assert (row["percent"], row["done_at"]) == (100, date(2026, 2, 27))
    roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "in progress", "percent": 80}}, TODAY)
    row = by_ref(con, cat, rated).loc["5.2"]
    assert (row["status"], row["percent"], row["done_at"]) == ("in progress", 80, None)


def test_every_field_change_is_logged(con, cat, rated):
    generated(con, cat, rated)
    roadmap.update_actions(con, rated, cat, {"ACT-002": {"owner": "Lena Novak (DPO)", "requirements": ["7.3", "7.2"]}},
                           TODAY)
    log = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'action'"
                    " AND entity_id = 'ACT-002' AND field IN ('owner', 'requirements') ORDER BY id")
    assert log == [("requirements", None, "7.3"),                  # created (a blank owner is not logged)
                   ("owner", "", "Lena Novak (DPO)"), ("requirements", "7.3", "7.2; 7.3")]


# ---- bad input --------------------------------------------------------------------------------

def test_bad_action_edits_are_all_reported_with_the_field_and_nothing_is_written(con, cat, rated):
    generated(con, cat, rated)
    before, logs = action_rows(con, rated), log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap.update_actions(con, rated, cat, {
            "ACT-001": {"start": "2026-06-01", "due": "2026-05-01"},
            "ACT-002": {"owner": "Tom; Lena", "effort": "XXL"},
            "ACT-003": {"percent": 100, "phase_id": "PH-42", "requirements": "5.2; 99.9"},
            "ACT-404": {"title": "ghost"},
        }, TODAY)
    problems = exc.value.problems
    assert "ACT-001: the due date 2026-05-01 is before the start date 2026-06-01; move the due date or the start date." \
        in problems
    assert any(p.startswith("ACT-002 owner 'Tom; Lena' is not a recognisable owner") for p in problems)
    assert "ACT-002 effort 'XXL' is not on the scale: use S, M, L or XL (person-days per size are set in the " \
           "roadmap settings)." in problems
    assert any("percent complete is 100 but the status is 'to do'" in p for p in problems)
    assert "ACT-003 phase 'PH-42' does not exist in this workspace." in problems
    assert any("unknown requirement or control 99.9" in p for p in problems)
    assert "There is no action 'ACT-404' in this workspace." in problems
    assert action_rows(con, rated) == before and log_count(con) == logs


def test_a_done_date_in_the_future_or_on_an_open_action_is_refused(con, cat, rated):
    generated(con, cat, rated)
    with pytest.raises(ValidationError) as exc:
        roadmap.update_actions(con, rated, cat, {"ACT-001": {"status": "done", "done_at": "2026-04-01"},
                                                 "ACT-002": {"done_at": "2026-02-01"}}, TODAY)
    assert any("done date 2026-04-01 is in the future" in p for p in exc.value.problems)
    assert any("a done date is only for a done action" in p for p in exc.value.problems)


def test_creating_an_action_by_hand(con, cat, rated):
    roadmap.ensure_phases(con, rated, date(2027, 3, 1), TODAY)
    aid = roadmap.create_action(con, rated, cat, {"title": "Book the certification body", "phase_id": "PH-08",
                                                  "owner": "aisha.karim@northwind.example", "effort": "s",
                                                  "start": "2026-04-01", "due": "2026-04-15"}, TODAY)
    row = roadmap.actions(con, rated, cat, 3, TODAY).set_index("id").loc[aid]
    assert (row["source"], row["effort"], row["priority"], row["effort_days"]) == ("manual", "S", "medium", 2.0)
    logs = log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap.create_action(con, rated, cat, {"title": "", "phase_id": "", "effort": "huge",
                                                "start": "2026-05-01", "due": "2026-04-01"}, TODAY)
    text = " ".join(exc.value.problems)
    assert "title is required" in text and "phase is required" in text and "'huge' is not on the scale" in text
    assert "due date 2026-04-01 is before the start date 2026-05-01" in text
    assert log_count(con) == logs and len(action_rows(con, rated)) == 1


@pytest.mark.parametrize("owner", ["Priya Shah (CRO)", "Tom Becker", "Data Science team", "o'neil@x.example",
                                   "Zoë Ångström (Head of Data)"])
def test_recognisable_owners(owner):
    assert roadmap.owner_problem(owner, "Owner") is None


@pytest.mark.parametrize("owner", ["123", "Tom, Lena", "Tom; Lena", "=HYPERLINK()", "@@", "(CRO)"])
def test_unrecognisable_owners(owner):
    assert "is not a recognisable owner" in roadmap.owner_problem(owner, "Owner")


def test_deleting_actions_removes_their_links(con, cat, rated):
    generated(con, cat, rated)
    assert roadmap.delete_actions(con, rated, ["ACT-001"]) == 1
    assert rows(con, "SELECT count(*) FROM action_requirement WHERE action_id = 'ACT-001'")[0][0] == 0
    with pytest.raises(ValidationError, match="There is no action 'ACT-001'"):
        roadmap.delete_actions(con, rated, ["ACT-001"])


def test_a_duplicated_workspace_keeps_its_roadmap_and_links(con, cat, rated):
    generated(con, cat, rated)
    copy = workspaces.duplicate(con, rated, "Acme copy")
    assert list(by_ref(con, cat, copy)["id"]) == list(by_ref(con, cat, rated)["id"])
    assert roadmap.effort_scale(con, copy) == roadmap.effort_scale(con, rated)


# ---- risks ------------------------------------------------------------------------------------

def test_risk_treatment_plans_become_actions_once(con, cat, rated):
    from aims import risks
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
    result = roadmap.generate_from_risks(con, rated, cat, TODAY)
    assert len(result.created) == 2
    df = roadmap.actions(con, rated, cat, 3, TODAY).set_index("source_ref")
    drift = df.loc[r1]
    assert drift["title"] == f"Mitigate risk {r1}: Credit model drift"
    assert drift["risks"] == [r1] and drift["requirements"] == ["A.6.2.6", "A.7.4"]
    assert (drift["priority"], drift["priority_reason"]) == ("critical", f"linked risk {r1} is critical")   # 16
    assert (drift["effort"], drift["due"], drift["phase"]) == ("L", date(2026, 9, 30), "Annex A controls")
    assert drift["start"] == date(2026, 9, 20)                           # its 10 days (L) before the risk's due date
    assert df.loc[r2, "priority"] == "medium" and df.loc[r2, "effort"] == "M"                             # 6
    assert roadmap.generate_from_risks(con, rated, cat, TODAY).created == []
    # a gap generation does not duplicate what the risk action covers: A.7.4 is now linked to an open action
    assert "A.7.4" in generated(con, cat, rated).skipped_open


# ---- demo -------------------------------------------------------------------------------------

def test_the_demo_roadmap_has_realistic_progress_and_a_dated_forecast(con, cat):
    from aims import demo, forecast
    ws = demo.create(con, cat)
    target = workspaces.get(con, ws)["target_date"]
    acts = roadmap.actions(con, ws, cat, 3)
    assert len(roadmap.phases(con, ws)) == 9 and len(acts) > 50
    assert set(acts["status"]) == set(roadmap.STATUSES) and acts["overdue"].any()
    assert set(acts["source"]) == {"gap", "risk", "manual"}
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
