"""Workshop sessions: planning, templates, the state rules, baselines at start and close."""
from datetime import date, datetime

import pytest
from helpers import rows

from aims.access import identity, members
from aims.access.members import AccessDenied
from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.progress import baselines
from aims.workshop import sessions

DAY = date(2026, 11, 30)
T0 = datetime(2026, 11, 29, 9, 0, 0)


def plan(con, cat, ws_id, **kw):
    data = {"title": "Gap workshop", "day": DAY, "facilitator": "Jane Doe", "attendees": ["Ann", "Bob", "Cy"],
            "agenda": ["4.1", "6.1.2", "A.7.4"], "time_box_minutes": 10, **kw}
    return sessions.create(con, ws_id, cat, data)


def test_templates_pick_the_groups_in_catalogue_order(cat):
    four_to_six = sessions.agenda_template(cat, "clauses-4-6")
    assert four_to_six[:3] == ["4.1", "4.2", "4.3"] and four_to_six[-1] == "6.3" and len(four_to_six) == 13
    assert len(sessions.agenda_template(cat, "clauses-7-10")) == 32 - 13
    data = sessions.agenda_template(cat, "annex-a-data")
    assert data[0] == "A.6.1.2" and data[-1] == "A.7.6" and len(data) == 9 + 5
    assert sessions.agenda_template(cat, "group", group="A.2") == ["A.2.2", "A.2.3", "A.2.4"]
    left = sessions.agenda_template(cat, "not-assessed", assessed={"4.1"}, excluded={"A.2.2"})
    assert "4.1" not in left and "A.2.2" not in left and len(left) == 70 - 2
    with pytest.raises(ValidationError, match="clause"):
        sessions.agenda_template(cat, "group", group="6.1.2")


def test_everything_not_yet_assessed_reads_the_workspace(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2}, "4.2": {"evidence": "a note only"}})
    agenda = sessions.workspace_agenda(con, ws_id, cat, "not-assessed")
    assert agenda[0] == "4.2" and len(agenda) == 69


def test_a_session_is_planned_with_its_attendees_and_agenda(con, cat, ws_id):
    wid = plan(con, cat, ws_id)
    assert wid == "WS-001" and plan(con, cat, ws_id) == "WS-002"
    s = sessions.get(con, ws_id, wid)
    assert (s["status"], s["day"], s["attendees"], s["agenda"], s["time_box_minutes"]) == (
        "planned", DAY, ["Ann", "Bob", "Cy"], ["4.1", "6.1.2", "A.7.4"], 10)
    assert [i["state"] for i in s["items"]] == ["pending"] * 3
    logged = dict(rows(con, "SELECT field, new_value FROM change_log WHERE entity = 'workshop' AND entity_id = ?", [wid]))
    assert logged["agenda"] == "4.1; 6.1.2; A.7.4" and logged["status"] == "planned"
    assert sessions.listing(con, ws_id)["id"].tolist() == ["WS-002", "WS-001"]


def test_every_problem_is_named_and_nothing_written(con, cat, ws_id):
    with pytest.raises(ValidationError) as exc:
        plan(con, cat, ws_id, title="", day=None, attendees=["Ann", "ann", " ", "x" * 201],
             agenda=["4.1", "4.1", "Z.9"], time_box_minutes=121)
    text = " | ".join(exc.value.problems)
    for part in ("Title is required", "Date is required", "ann is listed twice", "attendee's name is empty",
                 "limit is 200", "4.1 is on the agenda twice", "'Z.9' is not a requirement", "1 to 120"):
        assert part in text
    with pytest.raises(ValidationError, match="agenda is empty"):
        plan(con, cat, ws_id, agenda=[])
    assert rows(con, "SELECT count(*) FROM workshop")[0][0] == 0


def test_a_planned_session_changes_in_full_and_can_be_deleted(con, cat, ws_id):
    wid = plan(con, cat, ws_id)
    n = sessions.update(con, ws_id, wid, cat, {"agenda": ["5.2", "4.1"], "attendees": ["Ann"], "title": "Gap"},
                        base={"agenda": ["4.1", "6.1.2", "A.7.4"], "attendees": ["Ann", "Bob", "Cy"], "title": "Gap workshop"})
    assert n == 3
    s = sessions.get(con, ws_id, wid)
    assert (s["agenda"], s["attendees"], s["title"]) == (["5.2", "4.1"], ["Ann"], "Gap")
    sessions.delete(con, ws_id, wid)
    assert sessions.get(con, ws_id, wid) is None and rows(con, "SELECT count(*) FROM workshop_item")[0][0] == 0


def test_start_pause_resume_close_with_baselines_and_bad_transitions_refused(con, cat, ws_id):
    wid = plan(con, cat, ws_id, title="Kick-off")
    with pytest.raises(ValidationError, match="has not started"):
        sessions.close(con, ws_id, cat, wid)
    with pytest.raises(ValidationError, match="needs a running"):
        sessions.pause(con, ws_id, wid)
    b1 = sessions.start(con, ws_id, cat, wid, now=T0)
    s = sessions.get(con, ws_id, wid)
    assert (s["status"], s["baseline_start"], s["current_position"]) == ("running", b1, 0)
    assert s["items"][0]["opened_at"] == T0 and s["items"][0]["evidence_before"] == "none"
    with pytest.raises(ValidationError, match="only a planned workshop can be started"):
        sessions.start(con, ws_id, cat, wid)
    with pytest.raises(ValidationError, match="only the presenter-safe option"):
        sessions.update(con, ws_id, wid, cat, {"title": "New"})
    assert sessions.update(con, ws_id, wid, cat, {"presenter_safe": True}) == 1
    with pytest.raises(ValidationError, match="only a planned workshop can be deleted"):
        sessions.delete(con, ws_id, wid)
    sessions.pause(con, ws_id, wid, now=datetime(2026, 11, 29, 9, 5))
    assert sessions.get(con, ws_id, wid)["items"][0]["seconds"] == 300
    sessions.resume(con, ws_id, wid, now=datetime(2026, 11, 29, 9, 10))
    b2 = sessions.close(con, ws_id, cat, wid, now=datetime(2026, 11, 29, 9, 11))
    s = sessions.get(con, ws_id, wid)
    assert (s["status"], s["baseline_close"], s["items"][0]["seconds"], s["items"][0]["opened_at"]) == (
        "closed", b2, 360, None)
    assert baselines.listing(con, ws_id)["name"].tolist() == ["Workshop WS-001 start: Kick-off",
                                                              "Workshop WS-001 close: Kick-off"]
    for call in (lambda: sessions.update(con, ws_id, wid, cat, {"presenter_safe": False}),
                 lambda: sessions.pause(con, ws_id, wid), lambda: sessions.resume(con, ws_id, wid),
                 lambda: sessions.close(con, ws_id, cat, wid)):
        with pytest.raises(ValidationError, match="closed"):
            call()


def test_a_baseline_name_taken_already_gets_a_number(con, cat, ws_id):
    baselines.take(con, ws_id, "Workshop WS-001 start: Kick-off", cat, 3)
    wid = plan(con, cat, ws_id, title="Kick-off")
    bid = sessions.start(con, ws_id, cat, wid)
    assert baselines.load(con, ws_id, bid)["name"] == "Workshop WS-001 start: Kick-off (2)"


def test_a_viewer_changes_no_session_and_an_editor_does(con, cat, ws_id):
    members.add(con, ws_id, "vera@firm.example", "viewer")
    members.add(con, ws_id, "ed@firm.example", "editor")
    wid = plan(con, cat, ws_id)
    before = rows(con, "SELECT count(*) FROM change_log")[0][0]
    with identity.acting(identity.person("vera@firm.example")):
        for call in (lambda: plan(con, cat, ws_id), lambda: sessions.update(con, ws_id, wid, cat, {"title": "X"}),
                     lambda: sessions.delete(con, ws_id, wid), lambda: sessions.start(con, ws_id, cat, wid),
                     lambda: sessions.pause(con, ws_id, wid), lambda: sessions.resume(con, ws_id, wid),
                     lambda: sessions.close(con, ws_id, cat, wid)):
            with pytest.raises(AccessDenied):
                call()
    assert rows(con, "SELECT count(*) FROM change_log")[0][0] == before
    assert sessions.get(con, ws_id, wid)["status"] == "planned"
    with identity.acting(identity.person("ed@firm.example")):
        other = plan(con, cat, ws_id)
        sessions.update(con, ws_id, other, cat, {"title": "Editor's"})
        sessions.delete(con, ws_id, other)
        sessions.start(con, ws_id, cat, wid)
        sessions.pause(con, ws_id, wid)
        sessions.resume(con, ws_id, wid)
        sessions.close(con, ws_id, cat, wid)
    assert sessions.get(con, ws_id, wid)["status"] == "closed"
