"""Capture in a running workshop, told as one three-item session: votes and their spread, the
agreed rating in the assessment, time per item on a fake clock, skip and come back, an action on
the roadmap, a parked question, the closing baseline, and who may write."""
from datetime import date, datetime, timedelta

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.progress import baselines
from aims.workshop import capture, parking, sessions

T0 = datetime(2026, 11, 29, 9, 0, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def running(con, cat, ws_id):
    """WS-001: agenda 4.1, 6.1.2, A.7.4 (4.1 rated 1 / claimed before), attendees Ann, Bob, Cy,
    time box 10 minutes, started at 9:00."""
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 1, "evidence_strength": "claimed"}})
    wid = sessions.create(con, ws_id, cat, {"title": "Gap workshop", "day": T0.date(), "attendees": ["Ann", "Bob", "Cy"],
                                            "agenda": ["4.1", "6.1.2", "A.7.4"], "time_box_minutes": 10})
    sessions.start(con, ws_id, cat, wid, now=T0)
    return wid


def test_spread_of_votes_is_min_max_and_median():
    assert capture.spread({"Ann": 2, "Bob": 3, "Cy": 3}) == {"n": 3, "min": 2, "max": 3, "median": 3, "range": 1,
                                                             "agree": False}
    assert capture.spread([1, 4])["median"] == 2.5
    assert capture.spread([]) is None and capture.spread([2, 2])["agree"]


def test_time_per_item_includes_the_running_clock_and_flags_over_time():
    items = [{"position": 0, "req_id": "4.1", "state": "done", "seconds": 660, "opened_at": None},
             {"position": 1, "req_id": "6.1.2", "state": "pending", "seconds": 60, "opened_at": at(0)}]
    out = capture.times(items, at(2), 10)
    assert [(t["seconds"], t["running"], t["over"]) for t in out] == [(660, False, True), (180, True, False)]
    assert capture.times(items, at(2))[0]["over"] is False
    assert capture.clock(245) == "4:05" and capture.clock(3723) == "1:02:03"
    assert capture.progress([{"state": "done"}, {"state": "skipped"}, {"state": "pending"}]) == {
        "pending": 1, "done": 1, "skipped": 1, "come back": 0, "total": 3}


def test_a_three_item_workshop_from_votes_to_close(con, cat, ws_id, running):
    wid = running
    # item 1 (4.1): votes 2, 3, 3 -> spread 2-3, median 3; the room agrees 3 / documented
    assert capture.record_votes(con, ws_id, wid, 0, {"Ann": 2, "Bob": 3, "Cy": 3}) == 3
    s = sessions.get(con, ws_id, wid)
    spread = capture.spread(s["votes"][0])
    assert (spread["min"], spread["max"], spread["median"]) == (2, 3, 3)
    n = capture.agree(con, ws_id, wid, 0, cat, maturity=spread["median"], evidence_strength="documented",
                      decision="Context documented in the AIMS scope", base={"maturity": 1, "evidence_strength": "claimed"})
    assert n == 2 + 3 + 1            # two assessment fields; agreed maturity, evidence, decision; state done
    rec = rows(con, "SELECT maturity, evidence_strength FROM assessment WHERE workspace_id = ? AND req_id = '4.1'", [ws_id])
    assert rec == [(3, "documented")]
    assert rows(con, "SELECT old_value, new_value FROM change_log WHERE entity = 'assessment' AND entity_id = '4.1'"
                " AND field = 'maturity' ORDER BY id DESC LIMIT 1") == [("1", "3")]
    item = sessions.get(con, ws_id, wid)["items"][0]
    assert (item["maturity_before"], item["evidence_before"], item["maturity_agreed"], item["evidence_agreed"],
            item["state"]) == (1, "claimed", 3, "documented", "done")
    # 12 minutes on item 1 (over the 10-minute box), then item 2
    capture.open_item(con, ws_id, wid, 1, now=at(12))
    s = sessions.get(con, ws_id, wid)
    assert s["current_position"] == 1 and s["items"][0]["seconds"] == 720 and s["items"][1]["opened_at"] == at(12)
    assert s["items"][1]["maturity_before"] is None and s["items"][1]["evidence_before"] == "none"
    assert [t["over"] for t in capture.times(s["items"], at(15), s["time_box_minutes"])] == [True, False, False]
    aid = capture.add_action(con, ws_id, wid, 1, cat, {"title": "Write the risk method", "owner": "Ann Lee",
                                                        "due": date(2027, 1, 31)}, today=T0.date())
    act = rows(con, "SELECT title, owner, due, source, source_ref FROM action WHERE workspace_id = ? AND id = ?", [ws_id, aid])
    assert act == [("Write the risk method", "Ann Lee", date(2027, 1, 31), "workshop", wid)]
    assert rows(con, "SELECT req_id FROM action_requirement WHERE workspace_id = ? AND action_id = ?", [ws_id, aid]) == [("6.1.2",)]
    assert capture.actions(con, ws_id, wid)["id"].tolist() == [aid]
    capture.set_state(con, ws_id, wid, 1, "come back")
    # item 3: skipped, a question parked; then back to item 2
    capture.open_item(con, ws_id, wid, 2, now=at(20))
    pid = capture.park(con, ws_id, wid, 2, "Who owns data quality for the vendor models?", "Bob", today=T0.date())
    capture.set_state(con, ws_id, wid, 2, "skipped")
    capture.open_item(con, ws_id, wid, 1, now=at(21))
    capture.save_notes(con, ws_id, wid, 1, "Method exists in draft", base="")
    s = sessions.get(con, ws_id, wid)
    assert [i["seconds"] for i in s["items"]] == [720, 480, 60]
    assert capture.progress(s["items"]) == {"pending": 0, "done": 1, "skipped": 1, "come back": 1, "total": 3}
    assert parking.listing(con, ws_id, "open")["id"].tolist() == [pid]
    sessions.close(con, ws_id, cat, wid, now=at(25))
    s = sessions.get(con, ws_id, wid)
    assert s["items"][1]["seconds"] == 480 + 240
    assert len(baselines.listing(con, ws_id)) == 2
    # a closed session refuses every capture, the parked question stays open until resolved
    for call in (lambda: capture.record_votes(con, ws_id, wid, 0, {"Ann": 1}),
                 lambda: capture.agree(con, ws_id, wid, 0, cat, maturity=1),
                 lambda: capture.open_item(con, ws_id, wid, 0), lambda: capture.save_notes(con, ws_id, wid, 0, "x"),
                 lambda: capture.set_state(con, ws_id, wid, 0, "pending"),
                 lambda: capture.add_action(con, ws_id, wid, 0, cat, {"title": "x"}),
                 lambda: capture.park(con, ws_id, wid, 0, "x")):
        with pytest.raises(ValidationError, match="closed: a closed workshop is read only"):
            call()
    parking.resolve(con, ws_id, pid, "The data team lead", today=date(2026, 12, 1))
    assert parking.listing(con, ws_id, "resolved")[["id", "resolution"]].values.tolist() == [[pid, "The data team lead"]]
    parking.reopen(con, ws_id, pid)
    assert parking.listing(con, ws_id, "open")["id"].tolist() == [pid]


def test_votes_come_only_from_attendees_and_stay_in_range(con, cat, ws_id, running):
    with pytest.raises(ValidationError) as exc:
        capture.record_votes(con, ws_id, running, 0, {"Zed": 3, "Ann": 6})
    assert len(exc.value.problems) == 2 and "Zed is not an attendee" in exc.value.problems[0]
    capture.record_votes(con, ws_id, running, 0, {"Ann": 4})
    capture.record_votes(con, ws_id, running, 0, {"Ann": None})
    assert sessions.get(con, ws_id, running)["votes"] == {}
    with pytest.raises(ValidationError, match="Choose the agreed maturity"):
        capture.agree(con, ws_id, running, 0, cat)
    with pytest.raises(ValidationError, match="no agenda item 4"):
        capture.open_item(con, ws_id, running, 3)


def test_a_planned_session_takes_no_capture(con, cat, ws_id):
    wid = sessions.create(con, ws_id, cat, {"title": "Later", "day": T0.date(), "agenda": ["4.1"]})
    with pytest.raises(ValidationError, match="has not started yet"):
        capture.record_votes(con, ws_id, wid, 0, {})


def test_a_viewer_is_refused_every_capture_and_an_editor_may(con, cat, ws_id, running):
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    pid = parking.add(con, ws_id, {"question": "Open?"})
    before = rows(con, "SELECT count(*) FROM change_log")[0][0]
    calls = (lambda: capture.open_item(con, ws_id, running, 1), lambda: capture.record_votes(con, ws_id, running, 0, {"Ann": 2}),
             lambda: capture.agree(con, ws_id, running, 0, cat, maturity=2),
             lambda: capture.save_notes(con, ws_id, running, 0, "n"), lambda: capture.set_state(con, ws_id, running, 0, "skipped"),
             lambda: capture.add_action(con, ws_id, running, 0, cat, {"title": "Act", "owner": "Ann Lee"}),
             lambda: capture.park(con, ws_id, running, 0, "Q?"), lambda: parking.add(con, ws_id, {"question": "Q"}),
             lambda: parking.resolve(con, ws_id, pid, "done"))
    with identity.acting(identity.person("vera@firm.example")):
        for call in calls:
            with pytest.raises(AccessDenied):
                call()
    assert rows(con, "SELECT count(*) FROM change_log")[0][0] == before
    with identity.acting(identity.person("ed@firm.example")):
        for call in calls:
            call()
        parking.reopen(con, ws_id, pid)
    with identity.acting(identity.person("vera@firm.example")):
        with pytest.raises(AccessDenied):
            parking.reopen(con, ws_id, pid)       # already open, but the right is checked first
    assert rows(con, "SELECT maturity FROM assessment WHERE workspace_id = ? AND req_id = '4.1'", [ws_id]) == [(2,)]
