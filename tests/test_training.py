"""Training and awareness: sessions, attendance rules and coverage per role, computed by hand."""
from datetime import date, timedelta

import pandas as pd
import pytest
from helpers import rows

from aims.common.validate import ValidationError
from aims.governance import roles, training

TODAY = date(2027, 3, 1)
PAST = TODAY - timedelta(days=10)


def holders(*triples):
    return pd.DataFrame(triples, columns=["role_id", "role", "person_id"])


def sessions(*rows_):
    return pd.DataFrame(rows_, columns=["id", "topic", "kind", "audience"])


def records(*triples):
    return pd.DataFrame(triples, columns=["session_id", "person_id", "status"])


SIX_OWNERS = holders(*[("RO-5", "Model owner", f"P{i}") for i in range(1, 7)], ("RO-4", "Data steward", "P7"),
                     ("RO-4", "Data steward", "P8"))


def test_four_of_six_model_owners_trained_on_bias_testing():
    """P1-P4 completed, P5 attended without completing, P6 absent: 4 of 6, 66.7%."""
    got = training.coverage_table(
        SIX_OWNERS, sessions(("TR-1", "Bias testing", "competence", ["RO-5"])),
        records(("TR-1", "P1", "completed"), ("TR-1", "P2", "completed"), ("TR-1", "P3", "completed"),
                ("TR-1", "P4", "completed"), ("TR-1", "P5", "attended"), ("TR-1", "P6", "absent")))
    row = got.iloc[0]
    assert (row["holders"], row["trained"], row["pct"]) == (6, 4, 66.7)
    assert row["label"] == "4 of 6 model owners trained on bias testing"


def test_a_completion_in_another_session_on_the_same_topic_counts():
    """TR-2 repeats the topic in other words case: P5 completed it, so 5 of 6; data stewards 1 of 2."""
    got = training.coverage_table(
        SIX_OWNERS,
        sessions(("TR-1", "Bias testing", "competence", ["RO-5", "RO-4"]),
                 ("TR-2", "BIAS TESTING ", "competence", ["RO-5"])),
        records(*[("TR-1", f"P{i}", "completed") for i in range(1, 5)], ("TR-2", "P5", "completed"),
                ("TR-2", "P7", "completed")))
    by_role = got.set_index("role")
    assert len(got) == 2  # one row per role and topic, not per session
    assert by_role.at["Model owner", "label"] == "5 of 6 model owners trained on bias testing"
    assert by_role.at["Data steward", "label"] == "1 of 2 data stewards trained on bias testing"
    assert by_role.at["Data steward", "pct"] == 50.0


def test_a_role_nobody_holds_has_no_percentage():
    got = training.coverage_table(holders(), sessions(("TR-1", "Awareness", "awareness", ["RO-9"])), records())
    assert got.iloc[0]["pct"] is None and got.iloc[0]["holders"] == 0
    assert got.iloc[0]["label"] == "no RO-9s assigned yet for awareness"


def test_acronyms_keep_their_case_and_one_holder_is_singular():
    got = training.coverage_table(holders(("RO-2", "AI governance officer", "P1")),
                                  sessions(("TR-1", "EU AI Act basics", "awareness", ["RO-2"])),
                                  records(("TR-1", "P1", "completed")))
    assert got.iloc[0]["label"] == "1 of 1 AI governance officer trained on EU AI Act basics"


def test_overall_coverage_by_hand():
    """Needs: P1-P6 bias (6) + P7, P8 bias (2) + P1-P8 awareness (8) = 16 person-topic pairs.
    Done: bias P1-P4 and P7 (5), awareness P1-P6 (6) = 11 -> 68.8%. Fully trained: P1-P4 (4 of 8).
    P9 completed bias without needing it: it does not count."""
    s = training.coverage_summary(
        SIX_OWNERS,
        sessions(("TR-1", "Bias testing", "competence", ["RO-5", "RO-4"]),
                 ("TR-2", "Awareness", "awareness", ["RO-5", "RO-4"])),
        records(*[("TR-1", f"P{i}", "completed") for i in (1, 2, 3, 4, 7, 9)], ("TR-1", "P5", "attended"),
                *[("TR-2", f"P{i}", "completed") for i in range(1, 7)]))
    assert s == {"required": 16, "completed": 11, "pct": 68.8, "people": 8, "fully_trained": 4}


def test_no_sessions_means_no_coverage_figure():
    s = training.coverage_summary(SIX_OWNERS, sessions(), records())
    assert s["pct"] is None and s["required"] == 0
    assert training.coverage_table(SIX_OWNERS, sessions(), records()).empty


@pytest.fixture
def owners(con, ws_id):
    ids = roles.add_people(con, ws_id, [{"name": f"Owner {i}"} for i in range(1, 7)])
    role = roles.add_role(con, ws_id, {"name": "Model owner", "holders": ids})
    return role, ids


def test_coverage_from_the_database(con, ws_id, owners):
    role, ids = owners
    sid = training.add_session(con, ws_id, {"topic": "Bias testing", "audience": ["Model owner"], "held_on": PAST,
                                            "trainer": "Dr Varga"})
    assert sid == "TR-001"
    n = training.save_attendance(con, ws_id, sid, {ids[0]: "completed", ids[1]: "completed", ids[2]: "completed",
                                                   ids[3]: "completed", ids[4]: "attended", ids[5]: "absent"},
                                 today=TODAY)
    assert n == 6
    assert training.coverage(con, ws_id).iloc[0]["label"] == "4 of 6 model owners trained on bias testing"
    s = training.sessions(con, ws_id).iloc[0]
    assert (s["completed"], s["attended"], s["absent"], s["invited"]) == (4, 1, 1, 0)
    assert s["audience_names"] == "Model owner"
    assert training.summary(con, ws_id)["pct"] == 66.7
    sheet = training.attendance(con, ws_id, sid)
    assert sheet["expected"].all() and list(sheet["status"][:1]) == ["completed"]


def test_attendance_cannot_be_recorded_before_the_session_took_place(con, ws_id, owners):
    _, ids = owners
    sid = training.add_session(con, ws_id, {"topic": "EU AI Act", "audience": ["Model owner"],
                                            "held_on": TODAY + timedelta(days=5)})
    with pytest.raises(ValidationError, match="record 'completed' once it has taken place"):
        training.save_attendance(con, ws_id, sid, {ids[0]: "invited", ids[1]: "completed"}, today=TODAY)
    assert rows(con, "SELECT count(*) FROM training_attendance") == [(0,)]
    assert training.save_attendance(con, ws_id, sid, {ids[0]: "invited"}, today=TODAY) == 1
    assert training.coverage(con, ws_id).iloc[0]["trained"] == 0


def test_a_session_with_attendance_cannot_move_into_the_future(con, ws_id, owners):
    _, ids = owners
    sid = training.add_session(con, ws_id, {"topic": "Bias", "audience": ["Model owner"], "held_on": PAST})
    training.save_attendance(con, ws_id, sid, {ids[0]: "completed"}, today=TODAY)
    with pytest.raises(ValidationError, match="its date must be today or earlier"):
        training.update_session(con, ws_id, sid, {"held_on": TODAY + timedelta(days=1)}, today=TODAY)
    assert training.update_session(con, ws_id, sid, {"trainer": "Aisha"}, today=TODAY) == 1


@pytest.mark.parametrize("data, message", [
    ({"topic": "", "audience": ["Model owner"]}, "Topic is required"),
    ({"topic": "Bias", "audience": []}, "choose at least one role"),
    ({"topic": "Bias", "audience": ["Wizard"]}, "'Wizard' is not a role"),
    ({"topic": "Bias", "audience": ["Model owner"], "kind": "fun"}, "Kind of training must be one of"),
    ({"topic": "Bias", "audience": ["Model owner"], "held_on": "next week"}, "Date must be a date"),
])
def test_bad_session_input_is_refused_and_nothing_written(con, ws_id, owners, data, message):
    with pytest.raises(ValidationError, match=message):
        training.add_session(con, ws_id, data)
    assert rows(con, "SELECT count(*) FROM training_session") == [(0,)]


def test_unknown_attendance_status_or_person_is_refused(con, ws_id, owners):
    _, ids = owners
    sid = training.add_session(con, ws_id, {"topic": "Bias", "audience": ["Model owner"], "held_on": PAST})
    with pytest.raises(ValidationError) as info:
        training.save_attendance(con, ws_id, sid, {ids[0]: "slept", "PE-999": "completed"}, today=TODAY)
    text = " ".join(info.value.problems)
    assert "Attendance of Owner 1 must be one of" in text and "no person 'PE-999'" in text
    assert rows(con, "SELECT count(*) FROM training_attendance") == [(0,)]


def test_clearing_a_status_removes_the_record_and_deleting_a_session_its_attendance(con, ws_id, owners):
    _, ids = owners
    sid = training.add_session(con, ws_id, {"topic": "Bias", "audience": ["Model owner"], "held_on": PAST})
    training.save_attendance(con, ws_id, sid, {ids[0]: "completed", ids[1]: "absent"}, today=TODAY)
    assert training.save_attendance(con, ws_id, sid, {ids[1]: ""}, today=TODAY) == 1
    assert rows(con, "SELECT person_id FROM training_attendance") == [(ids[0],)]
    training.delete_session(con, ws_id, sid)
    assert rows(con, "SELECT count(*) FROM training_attendance") == [(0,)]
    assert training.sessions(con, ws_id).empty
