"""Assessment records: saving ratings and SoA fields, rules, change log, persistence."""
from datetime import date

import pandas as pd
import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.store import db


def record(con, ws_id, cat, req):
    return assessments.table(con, ws_id, cat, 3).set_index("req_id").loc[req]


def test_a_fresh_workspace_is_all_not_assessed_and_applicable(con, ws_id, cat):
    t = assessments.table(con, ws_id, cat, 3)
    assert len(t) == 70 and t["maturity"].isna().all() and t["applicable"].all()
    assert set(t["target"]) == {3}


def test_save_writes_values_and_one_log_row_per_changed_field(con, ws_id, cat):
    n = assessments.save(con, ws_id, cat, {"4.1": {"maturity": "2 Repeatable", "owner": "Ann", "due": "2027-01-31"}})
    assert n == 3
    r = record(con, ws_id, cat, "4.1")
    assert (r["maturity"], r["owner"], r["due"], r["updated_by"]) == (2, "Ann", date(2027, 1, 31), "tester")
    log = rows(con, "SELECT field, old_value, new_value FROM change_log WHERE entity = 'assessment' ORDER BY field")
    assert log == [("due", None, "2027-01-31"), ("maturity", None, "2"), ("owner", "", "Ann")]
    assert assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2}}) == 0   # unchanged: nothing logged


def test_rating_back_to_not_assessed(con, ws_id, cat):
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 3}})
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": "Not assessed"}})
    assert pd.isna(record(con, ws_id, cat, "4.1")["maturity"])


@pytest.mark.parametrize("changes, message", [
    ({"4.1": {"maturity": 6}}, "4.1 maturity must be a whole number from 0 to 5"),
    ({"4.1": {"maturity": -1}}, "from 0 to 5"),
    ({"4.1": {"target": 0}}, "4.1 target must be a whole number from 1 to 5"),
    ({"4.1": {"evidence_strength": "strong"}}, "must be one of: none, claimed, documented, verified"),
    ({"4.1": {"notes": "x" * 5001}}, "limit is 5000"),
    ({"4.1": {"owner": "x" * 201}}, "limit is 200"),
    ({"4.1": {"due": "next week"}}, "must be a date"),
    ({"4.9": {"maturity": 1}}, "Unknown requirement '4.9'"),
    ({"4.1": {"colour": "red"}}, "not an editable field"),
    ({"5.2": {"applicable": False, "exclusion_reason": "n/a"}}, "clauses 4 to 10 always apply"),
    ({"A.2.2": {"applicable": False}}, "give a justification for the exclusion"),
    ({"A.2.2": {"inclusion_reasons": ["gut feeling"]}}, "unknown reason"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(con, ws_id, cat, changes, message):
    with pytest.raises(ValidationError, match=message):
        assessments.save(con, ws_id, cat, {"4.2": {"maturity": 2}, **changes})
    assert rows(con, "SELECT count(*) FROM assessment") == [(0,)]
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'assessment'") == [(0,)]


def test_excluding_a_control_with_a_justification(con, ws_id, cat):
    assessments.save(con, ws_id, cat, {"A.10.4": {"applicable": False, "exclusion_reason": "No customers use our AI"}})
    r = record(con, ws_id, cat, "A.10.4")
    assert not r["applicable"] and r["exclusion_reason"] == "No customers use our AI"
    # the justification can't be removed while the control stays excluded
    with pytest.raises(ValidationError, match="justification"):
        assessments.save(con, ws_id, cat, {"A.10.4": {"exclusion_reason": ""}})


def test_inclusion_reasons_are_stored_in_a_fixed_order(con, ws_id, cat):
    assessments.save(con, ws_id, cat, {"A.2.2": {"inclusion_reasons": ["best practice", "risk treatment"]}})
    assert record(con, ws_id, cat, "A.2.2")["inclusion_reasons"] == "risk treatment; best practice"


def test_unknown_workspace_is_refused(con, cat):
    with pytest.raises(ValidationError, match="no workspace with id 42"):
        assessments.save(con, 42, cat, {"4.1": {"maturity": 1}})


def test_edits_survive_a_restart(tmp_path, cat):
    path = tmp_path / "restart.duckdb"
    con = db.open_database(path)
    from aims.store import workspaces
    ws = workspaces.create(con, {"name": "Keep"})
    assessments.save(con, ws, cat, {"7.2": {"maturity": 4, "evidence": "Training matrix"}})
    con.close()
    con = db.open_database(path)
    r = assessments.table(con, ws, cat, 3).set_index("req_id").loc["7.2"]
    assert (r["maturity"], r["evidence"]) == (4, "Training matrix")
    con.close()


def test_soa_approval_rules(con, ws_id):
    with pytest.raises(ValidationError, match="SoA version is required"):
        assessments.set_soa_approval(con, ws_id, "", "", None)
    with pytest.raises(ValidationError, match="both the approver's name and the approval date"):
        assessments.set_soa_approval(con, ws_id, "1.0", "CEO", None)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        assessments.set_soa_approval(con, ws_id, "1.0", "CEO", date(2999, 1, 1))
    assessments.set_soa_approval(con, ws_id, "1.0", "Jane Doe (CEO)", date(2026, 11, 1))
    got = assessments.soa_approval(con, ws_id)
    assert (got["version"], got["approved_by"], got["approved_on"]) == ("1.0", "Jane Doe (CEO)", date(2026, 11, 1))
