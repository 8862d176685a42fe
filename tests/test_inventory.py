"""AI system inventory: add, edit, retire, duplicate names, CSV import all-or-nothing."""
import pytest
from helpers import rows

from aims.ai_systems import inventory
from aims.common.validate import ValidationError
from aims.workbook import csv as wb_csv


def test_add_assigns_local_ids_and_logs(con, ws_id):
    a = inventory.create(con, ws_id, {"name": "Scorer", "lifecycle_stage": "deployed", "personal_data": True})
    b = inventory.create(con, ws_id, {"name": "Chatbot"})
    assert (a, b) == ("AIS-001", "AIS-002")
    got = inventory.get(con, ws_id, a)
    assert got["lifecycle_stage"] == "deployed" and got["personal_data"] and got["ai_act_category"] == "not classified"
    assert rows(con, "SELECT count(*) FROM change_log WHERE entity = 'ai_system' AND entity_id = 'AIS-001'")[0][0] > 0


def test_the_authorised_representative_is_a_role_of_its_own(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Imported scorer", "org_role": "authorised representative"})
    assert inventory.get(con, ws_id, sid)["org_role"] == "authorised representative"
    rows_, problems = wb_csv.systems("name,org_role\nModel hub,authorised representative\n")
    assert not problems and rows_[0]["org_role"] == "authorised representative"
    inventory.update(con, ws_id, sid, {"org_role": "deployer"}, base={"org_role": "authorised representative"})
    assert inventory.get(con, ws_id, sid)["org_role"] == "deployer"


def test_duplicate_names_in_a_workspace_are_refused_case_insensitively(con, ws_id):
    inventory.create(con, ws_id, {"name": "Scorer"})
    with pytest.raises(ValidationError, match="already exists"):
        inventory.create(con, ws_id, {"name": "SCORER"})
    other = inventory.create(con, ws_id, {"name": "Other"})
    with pytest.raises(ValidationError, match="already exists"):
        inventory.update(con, ws_id, other, {"name": "scorer"})
    assert rows(con, "SELECT count(*) FROM ai_system") == [(2,)]


@pytest.mark.parametrize("data, message", [
    ({"name": ""}, "Name is required"),
    ({"name": "x", "lifecycle_stage": "production"}, "Life-cycle stage must be one of"),
    ({"name": "x", "automation": "autopilot"}, "Level of automation must be one of"),
    ({"name": "x", "personal_data": "maybe"}, "must be yes or no"),
    ({"name": "x", "purpose": "p" * 5001}, "limit is 5000"),
    ({"name": "x", "colour": "red"}, "Unknown field"),
    ({"name": "x", "special_categories": True}, "imply personal data"),
    ({"name": "x", "last_review": "2027-01-01", "next_review": "2026-01-01"}, "Next review cannot be before"),
])
def test_bad_input_is_refused_and_nothing_written(con, ws_id, data, message):
    with pytest.raises(ValidationError, match=message):
        inventory.create(con, ws_id, data)
    assert rows(con, "SELECT count(*) FROM ai_system") == [(0,)]


def test_edit_changes_only_given_fields(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Scorer", "vendor": "Acme"})
    assert inventory.update(con, ws_id, sid, {"vendor": "Globex", "lifecycle_stage": "design"}) == 2
    got = inventory.get(con, ws_id, sid)
    assert (got["name"], got["vendor"], got["lifecycle_stage"]) == ("Scorer", "Globex", "design")
    assert inventory.update(con, ws_id, sid, {"vendor": "Globex"}) == 0


def test_retired_systems_stay_in_the_register(con, ws_id):
    sid = inventory.create(con, ws_id, {"name": "Old model", "lifecycle_stage": "deployed"})
    inventory.retire(con, ws_id, sid)
    assert inventory.list_systems(con, ws_id, include_retired=False).empty
    everything = inventory.list_systems(con, ws_id)
    assert list(everything["status"]) == ["retired"] and list(everything["lifecycle_stage"]) == ["retired"]


def test_unknown_system_ids_are_refused(con, ws_id):
    for call in (lambda: inventory.update(con, ws_id, "AIS-999", {"name": "x"}),
                 lambda: inventory.retire(con, ws_id, "AIS-999"),
                 lambda: inventory.set_category(con, ws_id, "AIS-999", "minimal")):
        with pytest.raises(ValidationError, match="no AI system 'AIS-999'"):
            call()


CSV_OK = "name,lifecycle_stage,automation,personal_data\nA,deployed,advisory,yes\nB,idea,fully automated,no\n"


def test_csv_import_previews_then_creates_all(con, ws_id):
    parsed, problems = wb_csv.systems(CSV_OK)
    assert problems == [] and [r["name"] for r in parsed] == ["A", "B"]
    assert inventory.create_many(con, ws_id, parsed) == ["AIS-001", "AIS-002"]
    assert inventory.get(con, ws_id, "AIS-001")["personal_data"] is True


def test_csv_accepts_labels_as_headers_and_a_bom(con, ws_id):
    parsed, problems = wb_csv.systems("\ufeffName,Life-cycle stage\nA,design\n".encode("utf-8"))
    assert problems == [] and parsed == [{"name": "A", "lifecycle_stage": "design"}]


@pytest.mark.parametrize("csv_text, message", [
    ("name,lifecycle_stage\nA,production\n", "Row 2: Life-cycle stage must be one of"),
    ("name,lifecycle_stage\nA,idea\nB,idea\nA,design\n", "Row 4: the name 'A' appears twice"),
    ("title,stage\nA,idea\n", "Unknown column 'title'"),
    ("name\n", "no data rows"),
    ("name,vendor\n,x\n", "Row 2: Name is required"),
])
def test_bad_csv_rows_are_reported_row_by_row(csv_text, message):
    parsed, problems = wb_csv.systems(csv_text)
    assert any(message in p for p in problems), problems


def test_csv_import_is_all_or_nothing_when_a_name_exists(con, ws_id):
    inventory.create(con, ws_id, {"name": "B"})
    parsed, _ = wb_csv.systems(CSV_OK)
    with pytest.raises(ValidationError, match="Row 2: an AI system named 'B' already exists"):
        inventory.create_many(con, ws_id, parsed)
    assert rows(con, "SELECT count(*) FROM ai_system") == [(1,)]


def test_not_a_csv_gives_a_clear_message():
    _, problems = wb_csv.systems(b"\x00\x01\x02PK\x03\x04 binary junk \xff\xfe")
    assert problems
