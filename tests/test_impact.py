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


# ---- context (ISO/IEC 42005 clause 6) ------------------------------------------------------------

def test_the_context_lists_what_42005_and_a_rights_assessment_ask_for():
    fields = impact.context_fields()
    for fid in ("scope", "geography", "languages", "operating_context", "model_info", "interested_parties",
                "indirectly_affected", "failure_modes", "fallback", "period_of_use", "frequency_of_use",
                "persons_affected", "oversight_measures", "complaint_handling"):
        assert fid in fields and fields[fid]["label"] and fields[fid]["help"], fid
    assert fields["frequency_of_use"]["kind"] == "choice" and fields["frequency_of_use"]["options"]


def test_a_bad_context_definition_is_a_catalogue_error():
    good = {"groups": [{"id": "g", "title": "G", "fields": [{"id": "a", "label": "A", "kind": "short"}]}]}
    assert impact._context_problems(good) == []
    bad = {"groups": [{"id": "g", "title": "G", "fields": [
        {"id": "a", "label": "A", "kind": "short"}, {"id": "a", "label": "A again", "kind": "long"},
        {"id": "b", "label": "B", "kind": "choice"}, {"id": "c", "label": "C", "kind": "essay"}]},
        {"id": "h", "title": "H", "fields": []}]}
    found = " ".join(impact._context_problems(bad))
    for message in ("duplicate context field a", "b: a choice needs options", "c: kind must be one of",
                    "group h has no fields"):
        assert message in found


def test_context_is_saved_per_version_logged_and_read_back(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    assert set(impact.context(con, ws_id, aid).values()) == {""}
    n = impact.save_context(con, ws_id, aid, {"scope": " Credit decisions in the EU ", "languages": "English, German",
                                              "frequency_of_use": "daily"}, who="Ann")
    got = impact.context(con, ws_id, aid)
    assert n == 3 and (got["scope"], got["languages"], got["frequency_of_use"]) == (
        "Credit decisions in the EU", "English, German", "daily")
    assert rows(con, "SELECT field, old_value, new_value, changed_by FROM change_log WHERE entity = 'impact_assessment'"
                     " AND entity_id = ? AND field = 'scope'", [aid]) == [("scope", "", "Credit decisions in the EU", "Ann")]
    assert impact.save_context(con, ws_id, aid, {"scope": "Credit decisions in the EU"}) == 0    # unchanged


def test_bad_context_is_refused_and_nothing_written(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    for change, message in (({"nope": "x"}, "Unknown context field 'nope'"),
                            ({"frequency_of_use": "hourly"}, "Frequency of use must be one of"),
                            ({"geography": "g" * 501}, "the limit is 500"),
                            ({"scope": "s" * 5001}, "the limit is 5000")):
        with pytest.raises(ValidationError, match=message):
            impact.save_context(con, ws_id, aid, {"languages": "English", **change})
    assert rows(con, "SELECT count(*) FROM impact_context") == [(0,)]
    with pytest.raises(ValidationError, match="no impact assessment"):
        impact.save_context(con, ws_id, "IA-999", {"scope": "x"})


def test_an_approved_context_is_read_only_and_a_re_assessment_starts_from_it(con, ws_id, system):
    aid = impact.start(con, ws_id, system)
    impact.save_answers(con, ws_id, aid, all_answers())
    impact.save_context(con, ws_id, aid, {"scope": "Version 1 scope", "fallback": "Manual underwriting"})
    impact.set_status(con, ws_id, aid, "in review")
    impact.set_status(con, ws_id, aid, "approved", "Boss", date.today(), date.today() + timedelta(days=30))
    with pytest.raises(ValidationError, match="read-only"):
        impact.save_context(con, ws_id, aid, {"scope": "changed"})
    second = impact.start(con, ws_id, system)
    assert impact.context(con, ws_id, second) == impact.context(con, ws_id, aid)
    impact.save_context(con, ws_id, second, {"scope": "Version 2 adds the broker channel"})
    assert impact.context(con, ws_id, aid)["scope"] == "Version 1 scope"          # the approved one is unchanged
    assert impact.context(con, ws_id, second)["fallback"] == "Manual underwriting"


def test_two_forms_on_one_context_keep_both_users_fields_and_refuse_the_same_field(con, ws_id, system):
    from aims.store.conflicts import EditConflict

    aid = impact.start(con, ws_id, system)
    impact.save_context(con, ws_id, aid, {"scope": "Start"})
    shown = impact.context(con, ws_id, aid)          # both forms opened on this
    impact.save_context(con, ws_id, aid, {**shown, "scope": "Ann's scope"}, who="Ann", base=shown)
    assert impact.save_context(con, ws_id, aid, {**shown, "languages": "Dutch"}, who="Bo", base=shown) == 1
    got = impact.context(con, ws_id, aid)
    assert (got["scope"], got["languages"]) == ("Ann's scope", "Dutch")
    with pytest.raises(EditConflict) as info:
        impact.save_context(con, ws_id, aid, {**shown, "scope": "Bo's scope"}, who="Bo", base=shown)
    c = info.value.conflicts[0]
    assert (c.field, c.theirs, c.yours, c.by, c.label) == ("scope", "Ann's scope", "Bo's scope", "Ann",
                                                          "What this assessment covers")
    assert impact.context(con, ws_id, aid)["scope"] == "Ann's scope"


def test_a_workspace_copy_keeps_the_context(con, ws_id, system):
    from aims.store import workspaces

    aid = impact.start(con, ws_id, system)
    impact.save_context(con, ws_id, aid, {"model_info": "Gradient-boosted trees, v4"})
    copy = workspaces.duplicate(con, ws_id, "Copy")
    assert impact.context(con, copy, aid)["model_info"] == "Gradient-boosted trees, v4"


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con
