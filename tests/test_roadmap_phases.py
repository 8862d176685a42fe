"""Roadmap phases: back-planning from the target date, editing, adding and dropping phases, the effort scale."""
from datetime import date, timedelta

import pytest
from helpers import TODAY, by_ref, generated, log_count

from aims.common.validate import ValidationError
from aims.roadmap import phases as roadmap_phases


def test_a_target_exactly_one_plan_away_is_planned_back_with_the_certificate_on_it():
    """The target certification date is the day the certificate is expected: the last phase, the
    closure of the Stage 2 findings and the certification decision (6 weeks), ends on it, so
    Stage 2 ends 6 weeks (42 days) before the target."""
    today = date(2026, 4, 27)                             # 308 days (44 weeks) before the target
    plan, note = roadmap_phases.back_plan(roadmap_phases.template().phases, date(2027, 3, 1), today)
    assert note == ""
    first, stage2, last = plan[0], plan[8], plan[-1]
    assert (last["name"], last["start"], last["finish"]) == (
        "Closure of findings and certification decision", date(2027, 1, 18), date(2027, 3, 1))
    assert (stage2["name"], stage2["start"], stage2["finish"]) == ("Certification audit: Stage 2", date(2027, 1, 4),
                                                                  date(2027, 1, 18))
    # Gap analysis: finishes 40 weeks (280 days) before the target and lasts 4 weeks
    assert (first["name"], first["start"], first["finish"]) == ("Gap analysis", today, date(2026, 5, 25))
    stage1 = plan[7]
    assert (stage1["start"], stage1["finish"]) == (date(2026, 11, 30), date(2026, 12, 7))  # 13 .. 12 weeks before
    assert [p["position"] for p in plan] == list(range(1, 11))


def test_a_far_target_starts_the_plan_at_the_engagement_start_and_spreads_the_preparation():
    """Target 2027-03-01, engagement started 2026-01-01 (424 days, the plan needs 308): the gap
    analysis starts on the first day, not months ahead. The internal audit (18 weeks before the
    target, 2026-10-26), the certification audits and the certification decision keep their
    place; the preparation phases' 182 days are spread over the 298 days from 2026-01-01 to
    2026-10-26 (factor 298/182)."""
    plan, note = roadmap_phases.back_plan(roadmap_phases.template().phases, date(2027, 3, 1), date(2026, 2, 1),
                                          begin=date(2026, 1, 1))
    by = {p["template"]: p for p in plan}
    # gap analysis: offsets 0 .. 28 days -> 0 .. round(28 * 298 / 182) = round(45.8) = 46 days
    assert (by["gap_analysis"]["start"], by["gap_analysis"]["finish"]) == (date(2026, 1, 1), date(2026, 2, 16))
    # controls: offsets 70 .. 182 days -> round(114.6) = 115 .. 298 days
    assert (by["controls"]["start"], by["controls"]["finish"]) == (date(2026, 4, 26), date(2026, 10, 26))
    assert (by["internal_audit"]["start"], by["internal_audit"]["finish"]) == (date(2026, 10, 26), date(2026, 11, 23))
    assert (by["stage1"]["start"], by["stage1"]["finish"]) == (date(2026, 11, 30), date(2026, 12, 7))
    assert (by["stage2"]["start"], by["stage2"]["finish"]) == (date(2027, 1, 4), date(2027, 1, 18))
    assert (by["certification"]["start"], by["certification"]["finish"]) == (date(2027, 1, 18), date(2027, 3, 1))
    assert [p["template"] for p in plan] == [p.key for p in roadmap_phases.template().phases]
    assert "the plan starts on 2026-01-01 with gap analysis" in note and "spread to 2026-10-26" in note
    # an engagement start after today (a clock set back) counts as today
    plan, _ = roadmap_phases.back_plan(roadmap_phases.template().phases, date(2027, 3, 1), date(2026, 2, 1),
                                       begin=date(2026, 5, 1))
    assert plan[0]["start"] == date(2026, 2, 1)


def test_a_close_target_compresses_every_phase_so_the_plan_starts_today():
    today = date(2026, 1, 1)
    target = today + timedelta(days=154)                 # half of the 308 days (44 weeks) the plan needs
    plan, note = roadmap_phases.back_plan(roadmap_phases.template().phases, target, today)
    assert "compressed to 50%" in note
    assert plan[0]["start"] == today and plan[0]["finish"] == today + timedelta(days=14)
    assert plan[-1]["finish"] == target and plan[-1]["start"] == target - timedelta(days=21)   # 6 weeks halved
    assert plan[-2]["finish"] == target - timedelta(days=21)                                   # Stage 2


def test_without_a_target_or_with_one_in_the_past_the_plan_starts_today_and_says_so():
    today = date(2026, 1, 1)
    plan, note = roadmap_phases.back_plan(roadmap_phases.template().phases, None, today)
    assert plan[0]["start"] == today and plan[-1]["finish"] == today + timedelta(days=308)
    assert "which puts the certificate at 2026-11-05" in note
    assert note.startswith("No target certification date is set")
    plan, note = roadmap_phases.back_plan(roadmap_phases.template().phases, date(2025, 6, 1), today)
    assert plan[0]["start"] == today and "not in the future" in note


def test_a_workspace_gets_its_default_phases_once(con, ws_id):
    note = roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    assert note.startswith("The target date leaves 364 days")
    ph = roadmap_phases.phases(con, ws_id)
    assert list(ph["id"]) == [f"PH-{i:02d}" for i in range(1, 11)]
    assert ph.iloc[-1]["finish"] == date(2027, 3, 1)
    assert roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY) is None
    for pid in ph["id"]:
        roadmap_phases.delete_phase(con, ws_id, pid)
    assert roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY) is None   # dropped on purpose: not back
    assert roadmap_phases.phases(con, ws_id).empty


def test_replanning_moves_template_phases_to_a_new_target_and_leaves_added_phases(con, ws_id):
    roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    extra = roadmap_phases.add_phase(con, ws_id, {"name": "Supplier reviews", "start": "2026-09-01", "finish": "2026-10-01"})
    changed, note = roadmap_phases.replan_phases(con, ws_id, date(2027, 4, 5), TODAY)   # five weeks later
    ph = roadmap_phases.phases(con, ws_id).set_index("id")
    assert changed == 20 - 1 and "leaves 399 days" in note      # the gap analysis still starts on TODAY
    assert ph.loc["PH-10", "finish"] == date(2027, 4, 5)
    assert ph.loc["PH-09", "finish"] == date(2027, 4, 5) - timedelta(days=42)     # Stage 2, six weeks before
    assert ph.loc[extra, "start"] == date(2026, 9, 1)


def test_typing_an_order_moves_a_phase_there_and_renumbers_the_rest(con, ws_id):
    roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    roadmap_phases.save_phases(con, ws_id, {"PH-05": {"position": 2, "name": "Controls"}})
    ph = roadmap_phases.phases(con, ws_id)
    assert list(ph["id"])[:4] == ["PH-01", "PH-05", "PH-02", "PH-03"]
    assert list(ph["position"]) == list(range(1, 11))
    assert ph.iloc[1]["name"] == "Controls"


def test_bad_phase_edits_are_all_reported_and_nothing_is_written(con, ws_id):
    roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    before, logs = roadmap_phases.phases(con, ws_id), log_count(con)
    with pytest.raises(ValidationError) as exc:
        roadmap_phases.save_phases(con, ws_id, {"PH-01": {"finish": "2026-01-01"}, "PH-02": {"name": "Gap analysis"},
                                         "PH-03": {"start": "31/12/2026"}, "PH-77": {"name": "x"}})
    text = " ".join(exc.value.problems)
    assert "finish date 2026-01-01 is before the start date" in text
    assert "Two phases are named 'Gap analysis'" in text
    assert "must be a date like 2027-03-31" in text
    assert "There is no phase 'PH-77'" in text
    assert roadmap_phases.phases(con, ws_id).equals(before) and log_count(con) == logs


def test_adding_a_phase_in_third_place_makes_room(con, ws_id):
    roadmap_phases.ensure_phases(con, ws_id, date(2027, 3, 1), TODAY)
    pid = roadmap_phases.add_phase(con, ws_id, {"name": "Vendor due diligence", "position": 3,
                                         "start": date(2026, 8, 1), "finish": date(2026, 9, 1)})
    ph = roadmap_phases.phases(con, ws_id)
    assert pid == "PH-11" and list(ph["id"])[:4] == ["PH-01", "PH-02", "PH-11", "PH-03"]
    assert list(ph["position"]) == list(range(1, 12))


def test_dropping_a_phase_with_actions_needs_a_phase_to_move_them_to(con, cat, rated):
    generated(con, cat, rated)
    with pytest.raises(ValidationError, match="choose the phase to move them to"):
        roadmap_phases.delete_phase(con, rated, "PH-04")          # policy phase holds the 5.2 action
    assert roadmap_phases.delete_phase(con, rated, "PH-04", move_to="PH-05") == 1
    assert by_ref(con, cat, rated).loc["5.2", "phase_id"] == "PH-05"
    assert list(roadmap_phases.phases(con, rated)["position"]) == list(range(1, 10))


def test_the_effort_scale_is_editable_and_must_grow(con, ws_id):
    assert roadmap_phases.effort_scale(con, ws_id) == {"S": 2, "M": 5, "L": 10, "XL": 20}
    assert roadmap_phases.set_effort_scale(con, ws_id, {"S": 1, "XL": 30}) == 2
    assert roadmap_phases.effort_scale(con, ws_id) == {"S": 1, "M": 5, "L": 10, "XL": 30}
    logs = log_count(con)
    with pytest.raises(ValidationError, match=r"S < M < L < XL"):
        roadmap_phases.set_effort_scale(con, ws_id, {"M": 12})
    with pytest.raises(ValidationError, match="Effort days for L must be a whole number from 1 to 250"):
        roadmap_phases.set_effort_scale(con, ws_id, {"L": 2.5})
    assert roadmap_phases.effort_scale(con, ws_id)["M"] == 5 and log_count(con) == logs
