"""Impact assessments: the level rule by hand, progress, life cycle, versions, proposed risks."""
from datetime import date, timedelta

import pytest
from helpers import rows

from aims.ai_systems import impact, inventory
from aims.common.validate import ValidationError


@pytest.mark.parametrize("severities, level", [
    ([], None),
    (["low"], "low"),
    (["low", "low", "medium"], "medium"),            # mean 1.33 -> rounded up to 2
    (["low", "low", "high"], "medium"),              # mean 1.67 -> 2; one below the worst (3) is 2
    (["low", "low", "low", "low", "high"], "medium"),  # mean 1.4 -> 2, floor from the high answer is 2
    (["high", "high", "low"], "high"),               # mean 2.33 -> 3
    (["low", "low", "low", "critical"], "critical"), # a critical answer is never averaged away
    (["medium", "medium"], "medium"),
])
def test_section_level_rule(severities, level):
    assert impact.level_of(severities) == level


@pytest.mark.parametrize("sections, level", [
    ([None, None], None),
    (["low", "low", None], "low"),
    (["low", "medium"], "medium"),                   # mean 1.5 -> 2
    (["low", "low", "low", "medium"], "medium"),     # mean 1.25 -> 2
    (["low", "low", "high"], "high"),                # any high section makes the whole high
    (["medium", "critical", "low"], "critical"),
])
def test_overall_level_rule(sections, level):
    assert impact.overall_level(sections) == level


def first_option(qid, severity):
    q = impact.questions()[qid]
    return next(o["value"] for o in q["options"] if o["severity"] == severity)


def test_score_counts_progress_and_leaves_out_unanswered():
    qs = list(impact.questions())
    s = impact.score({qs[0]: first_option(qs[0], "low"), qs[1]: None, "unknown.q": "x"})
    assert s["answered"] == 1 and s["total"] == len(qs) == 41
    assert s["overall"] == "low"


def all_answers(severity_for=lambda q: "low"):
    out = {}
    for qid, q in impact.questions().items():
        sev = severity_for(q)
        opt = next((o for o in q["options"] if o["severity"] == sev), q["options"][0])
        out[qid] = {"value": opt["value"], "note": ""}
    return out


@pytest.fixture
def system(con, ws_id):
    return inventory.create(con, ws_id, {"name": "Scorer"})


def test_life_cycle_draft_review_approved_and_read_only(con, ws_id, system):
    aid = impact.start(con, ws_id, system, "Ann")
    impact.save_answers(con, ws_id, aid, all_answers())
    with pytest.raises(ValidationError, match="cannot move to approved"):
        impact.set_status(con, ws_id, aid, "approved", "Boss", date.today(), date.today() + timedelta(days=365))
    impact.set_status(con, ws_id, aid, "in review")
    impact.set_status(con, ws_id, aid, "approved", "Boss", date.today(), date.today() + timedelta(days=365))
    a = impact.get(con, ws_id, aid)
    assert (a["status"], a["approver"], a["overall_level"]) == ("approved", "Boss", "low")
    with pytest.raises(ValidationError, match="read-only"):
        impact.save_answers(con, ws_id, aid, {next(iter(impact.questions())): {"value": None}})


@pytest.mark.parametrize("approver, approved_on, next_review, message", [
    ("", date.today(), date.today() + timedelta(days=1), "Approver is required"),
    ("Boss", None, date.today() + timedelta(days=1), "Approval date is required"),
    ("Boss", date.today() + timedelta(days=1), date.today() + timedelta(days=9), "cannot be in the future"),
    ("Boss", date.today(), date.today(), "must come after the approval date"),
])
def test_approval_needs_approver_dates_and_refuses_bad_ones(con, ws_id, system, approver, approved_on, next_review, message):
    aid = impact.start(con, ws_id, system)
    impact.save_answers(con, ws_id, aid, all_answers())
    impact.set_status(con, ws_id, aid, "in review")
    with pytest.raises(ValidationError, match=message):
        impact.set_status(con, ws_id, aid, "approved", approver, approved_on, next_review)
    assert impact.get(con, ws_id, aid)["status"] == "in review"


def test_approval_needs_every_question_answered(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    answers = all_answers()
    answers.pop(next(iter(answers)))
    impact.save_answers(con, ws_id, aid, answers)
    impact.set_status(con, ws_id, aid, "in review")
    with pytest.raises(ValidationError, match="Only 40 of 41 questions are answered"):
        impact.set_status(con, ws_id, aid, "approved", "Boss", date.today(), date.today() + timedelta(days=30))


def test_reassessment_is_a_new_version_prefilled_and_the_old_one_stays(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    impact.save_answers(con, ws_id, aid, all_answers())
    with pytest.raises(ValidationError, match="already has an open assessment"):
        impact.start(con, ws_id, system)
    impact.set_status(con, ws_id, aid, "in review")
    impact.set_status(con, ws_id, aid, "approved", "Boss", date.today(), date.today() + timedelta(days=30))
    second = impact.start(con, ws_id, system)
    assert impact.get(con, ws_id, second)["version"] == 2
    assert impact.answers(con, ws_id, second) == impact.answers(con, ws_id, aid)
    impact.save_answers(con, ws_id, second, all_answers(lambda q: "critical" if q["section"] == "oversight" else "low"))
    assert impact.get(con, ws_id, aid)["overall_level"] == "low"          # the approved version is unchanged
    assert impact.get(con, ws_id, second)["overall_level"] == "critical"


def test_bad_answers_are_refused_and_nothing_written(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    qid = next(iter(impact.questions()))
    for change, message in (({"nope.q": {"value": None}}, "Unknown question"),
                            ({qid: {"value": "not_an_option"}}, "is not one of its answer options"),
                            ({qid: {"value": None, "note": "n" * 5001}}, "limit is 5000")):
        with pytest.raises(ValidationError, match=message):
            impact.save_answers(con, ws_id, aid, change)
    assert rows(con, "SELECT count(*) FROM impact_answer") == [(0,)]
    with pytest.raises(ValidationError, match="no impact assessment"):
        impact.save_answers(con, ws_id, "IA-999", {})


def test_high_and_critical_answers_of_the_latest_version_are_proposed_risks(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    answers = all_answers()
    qid = next(q for q, v in impact.questions().items() if v["section"] == "fairness")
    answers[qid] = {"value": first_option(qid, "high"), "note": "no subgroup testing"}
    impact.save_answers(con, ws_id, aid, answers)
    p = impact.proposed_risks(con, ws_id)
    assert list(p["question_id"]) == [qid] and p.iloc[0]["level"] == "high"
    assert p.iloc[0]["system_id"] == system and p.iloc[0]["note"] == "no subgroup testing"
    assert p.iloc[0]["controls"] and all(c.startswith("A.") for c in p.iloc[0]["controls"])


def test_overdue_reassessments(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    impact.save_answers(con, ws_id, aid, all_answers())
    impact.set_status(con, ws_id, aid, "in review")
    impact.set_status(con, ws_id, aid, "approved", "Boss", date.today() - timedelta(days=400), date.today() - timedelta(days=1))
    assert list(impact.overdue(impact.list_all(con, ws_id))["id"]) == [aid]
    assert impact.overdue(impact.list_all(con, ws_id), today=date.today() - timedelta(days=2)).empty


def test_all_answers_reads_every_assessment_at_once(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    impact.save_answers(con, ws_id, aid, all_answers())
    assert impact.all_answers(con, ws_id) == {aid: impact.answers(con, ws_id, aid)}


def test_contesting_an_outcome_points_to_external_reporting_not_staff_concerns():
    """An affected person outside the organisation reports through A.8.3; A.3.3 is for staff."""
    controls = impact.questions()["individuals.contestability"]["risk"]["controls"]
    assert "A.8.3" in controls and "A.3.3" not in controls
