"""Workspaces: create, rename, duplicate, archive, delete; bad input writes nothing."""
from datetime import date

import pytest
from helpers import rows

from aims.assessment import requirements as assessments
from aims.common.validate import ValidationError
from aims.store import workspaces


def test_create_records_every_field_and_logs_it(con):
    ws = workspaces.create(con, {"name": "  Globex  ", "organisation": "Globex plc", "sector": "Retail",
                                 "size": "50-249 staff", "scope": "All AI in retail ops",
                                 "ai_roles": ["deployer", "provider"], "target_date": "2027-06-30",
                                 "default_target": 4})
    got = workspaces.get(con, ws)
    assert got["name"] == "Globex" and got["ai_roles"] == "provider, deployer"
    assert got["target_date"] == date(2027, 6, 30) and got["default_target"] == 4
    logged = {r[0] for r in rows(con, "SELECT field FROM change_log WHERE entity = 'workspace'")}
    assert {"name", "organisation", "target_date", "default_target"} <= logged


@pytest.mark.parametrize("data, message", [
    ({"name": ""}, "Workspace name is required"),
    ({"name": "   "}, "Workspace name is required"),
    ({"name": "x" * 81}, "limit is 80"),
    ({"name": "ok", "default_target": 7}, "Default target maturity must be a whole number from 1 to 5"),
    ({"name": "ok", "ai_roles": ["wizard"]}, "Unknown AI role"),
    ({"name": "ok", "target_date": "31/12/2027"}, "must be a date"),
    ({"name": "ok", "size": "huge"}, "Size must be one of"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(con, data, message):
    with pytest.raises(ValidationError) as info:
        workspaces.create(con, data)
    assert message in str(info.value)
    assert rows(con, "SELECT count(*) FROM workspace") == [(0,)]
    assert rows(con, "SELECT count(*) FROM change_log") == [(0,)]


def test_duplicate_names_are_refused_case_insensitively(con, ws_id):
    with pytest.raises(ValidationError, match="already exists"):
        workspaces.create(con, {"name": "acme ai"})
    other = workspaces.create(con, {"name": "Other"})
    with pytest.raises(ValidationError, match="already exists"):
        workspaces.update(con, other, {"name": "ACME AI"})
    assert workspaces.get(con, other)["name"] == "Other"


def test_rename_keeps_the_other_fields(con, ws_id):
    assert workspaces.update(con, ws_id, {"name": "Acme AI (2027)"}) == 1
    got = workspaces.get(con, ws_id)
    assert got["name"] == "Acme AI (2027)" and got["organisation"] == "Acme Ltd"


def test_duplicate_copies_the_assessment(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2, "owner": "Ann"}})
    copy = workspaces.duplicate(con, ws_id, "Acme copy")
    t = assessments.table(con, copy, cat, 3).set_index("req_id")
    assert t.loc["4.1", "maturity"] == 2 and t.loc["4.1", "owner"] == "Ann"
    assessments.save(con, copy, cat, {"4.1": {"maturity": 4}})
    assert assessments.table(con, ws_id, cat, 3).set_index("req_id").loc["4.1", "maturity"] == 2


def test_archive_hides_from_the_list_and_restore_brings_it_back(con, ws_id):
    workspaces.set_archived(con, ws_id, True)
    assert workspaces.list_all(con).empty
    assert len(workspaces.list_all(con, include_archived=True)) == 1
    workspaces.set_archived(con, ws_id, False)
    assert len(workspaces.list_all(con)) == 1


def test_delete_needs_the_exact_name_and_removes_everything(con, cat, ws_id):
    assessments.save(con, ws_id, cat, {"4.1": {"maturity": 2}})
    with pytest.raises(ValidationError, match="Type the workspace name"):
        workspaces.delete(con, ws_id, "acme")
    assert workspaces.get(con, ws_id) is not None
    workspaces.delete(con, ws_id, "Acme AI")
    assert workspaces.get(con, ws_id) is None
    assert rows(con, "SELECT count(*) FROM assessment") == [(0,)]


def test_unknown_workspace_ids_are_refused(con):
    for call in (lambda: workspaces.update(con, 99, {"name": "x"}), lambda: workspaces.set_archived(con, 99, True),
                 lambda: workspaces.duplicate(con, 99, "y"), lambda: workspaces.delete(con, 99, "y")):
        with pytest.raises(ValidationError, match="no workspace with id 99"):
            call()


@pytest.fixture
def con(engine_con):          # these tests run on both engines
    return engine_con
