"""Management reviews (9.3): the input catalogue, planning and holding a review, the top-management
rule, inputs edited and re-compiled without losing a user's text, actions created on the roadmap
and linked, bad input writing nothing, and who may do what."""
import json
from datetime import date, timedelta

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.audit import review
from aims.catalog.standard import CatalogError
from aims.common.validate import ValidationError
from aims.reports import review_inputs
from aims.roadmap import actions as roadmap
from aims.roadmap import phases as roadmap_phases
from aims.store import conflicts, workspaces

TODAY = date(2027, 3, 1)
KEYS = ["previous_actions", "issues", "interested_parties", "readiness", "nonconformities", "monitoring", "audits",
        "risks", "impact", "objectives", "opportunities"]


def counts(con):
    return {t: rows(con, f"SELECT count(*) FROM {t}")[0][0] for t in ("review", "review_input", "review_action", "action")}


def planned(con, ws_id, when=date(2027, 3, 10), compiled=None, **kw):
    return review.plan(con, ws_id, {"held_on": when, **kw}, compiled, today=TODAY)


# ---- the input catalogue ------------------------------------------------------------------------

def test_the_catalogue_lists_the_inputs_of_9_3_2_and_each_is_compiled_by_the_app():
    items = review.input_catalogue()
    assert [i.key for i in items] == KEYS
    assert all(i.title and i.prompt and i.clause for i in items)
    assert {i.source for i in items} == set(review_inputs.COMPILERS)
    assert [i.clause for i in items[:7]] == ["9.3.2 a", "9.3.2 b", "9.3.2 c", "9.3.2 d", "9.3.2 d 1", "9.3.2 d 2",
                                              "9.3.2 d 3"]


GOOD = {"key": "extra", "clause": "9.3.2 e", "title": "Extra", "prompt": "Anything else?", "source": ""}


@pytest.mark.parametrize("items, message", [
    ([], "missing or empty"),
    ([{**GOOD, "key": "Bad Key"}], "keys are lower-case words"),
    ([GOOD, GOOD], "duplicate input extra"),
    ([{**GOOD, "title": ""}], "extra: title is required"),
    ([{**GOOD, "prompt": "x" * 401}], "extra: prompt is longer than 400 characters"),
    ([{**GOOD, "clause": "nine"}], "is not a clause ID"),
    ([{**GOOD, "source": "weather"}], "unknown source 'weather'"),
    ([{**GOOD, "source": "risks"}, {**GOOD, "key": "other", "source": "risks"}], "compiled into another input"),
])
def test_a_bad_input_catalogue_is_refused_at_load(tmp_path, items, message):
    (tmp_path / "management_review.json").write_text(json.dumps({"inputs": items}), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        review.input_catalogue.__wrapped__(str(tmp_path))


def test_an_input_the_user_writes_is_allowed():
    assert review.parse_inputs({"inputs": [GOOD]})[0].source == ""


# ---- planning and holding -----------------------------------------------------------------------

def test_planning_creates_the_review_with_one_input_per_catalogue_entry(con, ws_id):
    rid = planned(con, ws_id, attendees="CEO, CRO", compiled={"readiness": "Readiness: 40%."})
    assert rid == "MR-001"
    got = review.get(con, ws_id, rid)
    assert (got["status"], got["held_on"], got["attendees"], got["top_management_present"]) == (
        "planned", date(2027, 3, 10), "CEO, CRO", False)
    ins = review.inputs(con, ws_id, rid).set_index("key")
    assert list(ins.index) == KEYS
    assert ins.at["readiness", "content"] == "Readiness: 40%." and ins.at["readiness", "compiled"] == "Readiness: 40%."
    assert not ins["edited"].any() and ins.at["issues", "content"] == ""
    assert review.state(got, TODAY) == "planned for 2027-03-10"
    assert rows(con, "SELECT field, new_value FROM change_log WHERE entity = 'review' ORDER BY id") == [
        ("held_on", "2027-03-10"), ("status", "planned"), ("attendees", "CEO, CRO")]


@pytest.mark.parametrize("data, compiled, message", [
    ({}, None, "The review's date is required"),
    ({"held_on": "10/03/2027"}, None, "Date must be a date like 2027-03-31"),
    ({"held_on": date(2027, 3, 10), "status": "held"}, None, "has no field status"),
    ({"held_on": date(2027, 3, 10)}, {"weather": "sunny"}, "there is no review input 'weather'"),
    ({"held_on": date(2027, 3, 10), "attendees": "x" * 1001}, None, "Attendees is 1001 characters long"),
])
def test_bad_input_plans_nothing(con, ws_id, data, compiled, message):
    with pytest.raises(ValidationError, match=message):
        review.plan(con, ws_id, data, compiled, today=TODAY)
    assert counts(con)["review"] == 0 and counts(con)["review_input"] == 0


def test_holding_needs_a_past_date_and_the_attendees(con, ws_id):
    rid = planned(con, ws_id)
    with pytest.raises(ValidationError) as exc:
        review.hold(con, ws_id, rid, date(2027, 3, 2), "", True, today=TODAY)
    assert exc.value.problems == [
        "MR-001: A review is marked held on the day it took place: 2027-03-02 is in the future.",
        "MR-001: A held review records who attended: add the attendees."]
    assert review.get(con, ws_id, rid)["status"] == "planned"
    assert review.hold(con, ws_id, rid, date(2027, 2, 26), "CEO; CRO; AI lead", True, today=TODAY) == 4   # status, date, attendees, top management
    got = review.get(con, ws_id, rid)
    assert review.counts(got) and review.state(got, TODAY) == "held on 2027-02-26 with top management"


def test_a_review_held_without_top_management_is_recorded_but_flagged_and_does_not_count(con, ws_id):
    first = planned(con, ws_id, when=date(2027, 2, 1))
    review.hold(con, ws_id, first, date(2027, 2, 1), "AI lead; DPO", False, today=TODAY)
    second = planned(con, ws_id, when=date(2027, 2, 20))            # planned, date passed
    planned(con, ws_id, when=date(2027, 4, 1))
    got = review.get(con, ws_id, first)
    assert not review.counts(got)
    assert review.state(got, TODAY) == ("held without top management on 2027-02-01: it does not count as the "
                                        "management review (9.3)")
    df = review.listing(con, ws_id, TODAY)
    assert list(df["id"]) == ["MR-003", "MR-002", "MR-001"]          # newest date first
    assert list(df["flag"]) == ["", "date passed", "held without top management"]
    assert review.state(review.get(con, ws_id, second), TODAY) == (
        "planned for 2027-02-20: the date has passed, mark it held or move it")
    assert review.summary(df, TODAY) == {"held": 0, "held_without_top": 1, "planned": 2,
                                         "next_planned": date(2027, 4, 1), "overdue_planned": 1, "last_held": None,
                                         "actions": 0, "actions_open": 0}
    # the same review with top management present then counts
    review.update(con, ws_id, first, {"top_management_present": True}, today=TODAY)
    assert review.summary(review.listing(con, ws_id, TODAY), TODAY)["last_held"] == date(2027, 2, 1)


def test_outputs_are_saved_with_conflict_detection(con, ws_id):
    rid = planned(con, ws_id)
    review.hold(con, ws_id, rid, date(2027, 2, 26), "CEO", True, today=TODAY)
    shown = {"decisions": ""}
    assert review.update(con, ws_id, rid, {"decisions": "Fund a second auditor."}, who="Ann", base=shown,
                         today=TODAY) == 1
    with pytest.raises(conflicts.EditConflict, match="Decisions: since you opened it, Ann saved"):
        review.update(con, ws_id, rid, {"decisions": "Nothing."}, who="Bob", base=shown, today=TODAY)
    assert review.get(con, ws_id, rid)["decisions"] == "Fund a second auditor."
    with pytest.raises(ValidationError, match="created_at cannot be edited"):
        review.update(con, ws_id, rid, {"created_at": TODAY})
    with pytest.raises(ValidationError, match="Status must be one of: planned, held"):
        review.update(con, ws_id, rid, {"status": "cancelled"}, today=TODAY)


# ---- inputs: edit, comment, re-compile ----------------------------------------------------------

def test_a_user_edit_is_kept_when_the_inputs_are_compiled_again_unless_overwritten(con, ws_id):
    rid = planned(con, ws_id, compiled={"readiness": "Readiness: 40%.", "risks": "3 risks.", "audits": "None."})
    review.save_inputs(con, ws_id, rid, {"risks": {"content": "3 risks; R-002 discussed with the CRO.",
                                                   "comment": "Ask for the treatment dates"}})
    ins = review.inputs(con, ws_id, rid).set_index("key")
    assert ins.at["risks", "edited"] and not ins.at["readiness", "edited"]
    assert ins.at["risks", "comment"] == "Ask for the treatment dates"

    result = review.refresh_inputs(con, ws_id, rid, {"readiness": "Readiness: 45%.", "risks": "4 risks.",
                                                     "audits": "None."})
    assert (result.refreshed, result.kept, result.unchanged) == (["readiness"], ["risks"], ["audits"])
    ins = review.inputs(con, ws_id, rid).set_index("key")
    assert ins.at["readiness", "content"] == "Readiness: 45%."                        # the app's text follows
    assert ins.at["risks", "content"] == "3 risks; R-002 discussed with the CRO."     # the user's is kept
    assert ins.at["risks", "compiled"] == "4 risks." and ins.at["risks", "edited"]     # the new text beside it
    assert ins.at["risks", "comment"] == "Ask for the treatment dates"

    result = review.refresh_inputs(con, ws_id, rid, {"risks": "4 risks."}, overwrite={"risks"})
    assert result.refreshed == ["risks"]
    ins = review.inputs(con, ws_id, rid).set_index("key")
    assert ins.at["risks", "content"] == "4 risks." and not ins.at["risks", "edited"]
    logged = rows(con, "SELECT entity_id, field, new_value FROM change_log WHERE entity = 'review_input' ORDER BY id")
    assert logged[-1] == ("MR-001/risks", "content", "4 risks.")


def test_a_held_review_keeps_its_inputs_but_the_texts_stay_editable(con, ws_id):
    rid = planned(con, ws_id, compiled={"readiness": "Readiness: 40%."})
    review.hold(con, ws_id, rid, date(2027, 2, 26), "CEO", True, today=TODAY)
    with pytest.raises(ValidationError, match="MR-001 was held: it keeps the inputs it considered"):
        review.refresh_inputs(con, ws_id, rid, {"readiness": "Readiness: 50%."})
    assert review.save_inputs(con, ws_id, rid, {"readiness": {"comment": "Board wants monthly figures"}}) == 1


def test_input_edits_detect_someone_elses_newer_text_and_refuse_bad_input(con, ws_id):
    rid = planned(con, ws_id, compiled={"risks": "3 risks."})
    review.save_inputs(con, ws_id, rid, {"risks": {"content": "Ann's text"}}, who="Ann", base={"risks": {"content": "3 risks."}})
    with pytest.raises(conflicts.EditConflict, match="MR-001 AI risks and their treatment text: since you opened it, "
                                                     "Ann saved"):
        review.save_inputs(con, ws_id, rid, {"risks": {"content": "Bob's"}}, who="Bob",
                           base={"risks": {"content": "3 risks."}})
    with pytest.raises(ValidationError) as exc:
        review.save_inputs(con, ws_id, rid, {"weather": {"content": "x"}, "risks": {"owner": "x", "comment": "y" * 20001}})
    assert exc.value.problems == ["MR-001: there is no review input 'weather'.",
                                  "MR-001 AI risks and their treatment: owner cannot be edited.",
                                  "MR-001 AI risks and their treatment comment is 20001 characters long; the limit is 20000."]
    assert review.inputs(con, ws_id, rid).set_index("key").at["risks", "content"] == "Ann's text"


# ---- actions into the roadmap -------------------------------------------------------------------

def test_actions_are_outputs_of_a_held_review_created_on_the_roadmap_and_linked(con, cat, ws_id):
    today = date.today()
    workspaces.update(con, ws_id, {"target_date": today + timedelta(days=365)})
    rid = review.plan(con, ws_id, {"held_on": today})
    with pytest.raises(ValidationError, match="MR-001 is planned: actions are outputs of the meeting"):
        review.add_action(con, ws_id, cat, rid, {"title": "Hire a second internal auditor"})
    assert counts(con)["action"] == 0
    review.hold(con, ws_id, rid, today, "CEO; CRO", True)
    due = today + timedelta(days=60)
    aid = review.add_action(con, ws_id, cat, rid, {"title": "Hire a second internal auditor", "owner": "Priya Shah",
                                                   "due": due})
    assert aid == "ACT-001"
    act = roadmap.actions(con, ws_id, cat, 3).set_index("id").loc[aid]
    assert (act["source"], act["source_ref"], act["owner"], act["due"]) == ("management review", rid, "Priya Shah", due)
    assert act["notes"] == f"Decided by management review {rid} held on {today}."
    # the phase running on the due date (the default phases were created for the roadmap)
    ph = roadmap_phases.phases(con, ws_id)
    running = ph[(ph["start"] <= due) & (ph["finish"] >= due)]
    assert act["phase_id"] == running.iloc[0]["id"]
    assert rows(con, "SELECT review_id, action_id FROM review_action") == [(rid, aid)]
    linked = review.review_actions(con, ws_id, [rid])
    assert list(linked["id"]) == [aid] and linked.iloc[0]["status"] == "to do"
    # an explicit phase wins; a bad one writes nothing
    last = ph.iloc[-1]["id"]
    other = review.add_action(con, ws_id, cat, rid, {"title": "Budget the certification", "phase_id": last})
    assert roadmap.actions(con, ws_id, cat, 3).set_index("id").at[other, "phase_id"] == last
    before = counts(con)
    with pytest.raises(ValidationError):
        review.add_action(con, ws_id, cat, rid, {"title": "", "phase_id": "PH-99"})
    assert counts(con) == before
    df = review.listing(con, ws_id)
    assert (df.iloc[0]["actions"], df.iloc[0]["actions_open"]) == (2, 2)
    # a review that decided actions stays held, and is not deleted
    with pytest.raises(ValidationError, match="decided actions on the roadmap: it stays held"):
        review.update(con, ws_id, rid, {"status": "planned"})
    with pytest.raises(ValidationError, match="a held review is a record"):
        review.delete(con, ws_id, rid)


def test_a_planned_review_is_deleted_with_its_inputs_and_its_id_is_never_reused(con, ws_id):
    rid = planned(con, ws_id)
    review.delete(con, ws_id, rid)
    assert counts(con)["review"] == 0 and counts(con)["review_input"] == 0
    assert planned(con, ws_id) == "MR-002"


# ---- who may do what ----------------------------------------------------------------------------

VIEWER = identity.person("vic@example.com")
EDITOR = identity.person("eddie@example.com")


def test_a_viewer_may_change_no_review_and_an_editor_may(con, cat, ws_id):
    members.add(con, ws_id, VIEWER.email, "viewer", "Vic")
    members.add(con, ws_id, EDITOR.email, "editor", "Eddie")
    rid = planned(con, ws_id, compiled={"risks": "3 risks."})
    review.hold(con, ws_id, rid, date.today(), "CEO", True)
    spare = review.plan(con, ws_id, {"held_on": date.today()})
    before, log = counts(con), rows(con, "SELECT count(*) FROM change_log")
    writes = [lambda: review.plan(con, ws_id, {"held_on": date.today()}),
              lambda: review.update(con, ws_id, rid, {"decisions": "x"}),
              lambda: review.hold(con, ws_id, spare, date.today(), "CEO", True),
              lambda: review.save_inputs(con, ws_id, rid, {"risks": {"comment": "x"}}),
              lambda: review.refresh_inputs(con, ws_id, spare, {"risks": "4 risks."}),
              lambda: review.add_action(con, ws_id, cat, rid, {"title": "Train the board"}),
              lambda: review.delete(con, ws_id, spare)]
    with identity.acting(VIEWER):
        for write in writes:
            with pytest.raises(AccessDenied):
                write()
    assert counts(con) == before and rows(con, "SELECT count(*) FROM change_log") == log
    with identity.acting(EDITOR):
        assert review.update(con, ws_id, rid, {"decisions": "Fund the audit"}) == 1
        review.save_inputs(con, ws_id, rid, {"risks": {"comment": "ok"}})
        review.refresh_inputs(con, ws_id, spare, {"risks": "4 risks."})
        review.add_action(con, ws_id, cat, rid, {"title": "Train the board"})
        review.delete(con, ws_id, spare)
        assert review.plan(con, ws_id, {"held_on": date.today()}) == "MR-003"
    assert rows(con, "SELECT DISTINCT changed_by FROM change_log WHERE entity = 'review' AND field = 'decisions'") == [
        (EDITOR.email,)]
