"""People, roles and the RACI: owner labels, standard roles, holders, RACI consistency; bad input writes nothing."""
import pandas as pd
import pytest
from helpers import rows

from aims.common.validate import ValidationError
from aims.governance import roles, training
from aims.governance.content import Activity
from aims.store import workspaces


@pytest.fixture
def team(con, ws_id):
    """Three people, the standard roles, Ann and Bo as model owners, Cy as AI governance officer."""
    ann, bo, cy = roles.add_people(con, ws_id, [{"name": "Ann Lee", "job_title": "CRO"}, {"name": "Bo Chan"},
                                                {"name": "Cy Dorn", "job_title": "Head of Compliance"}])
    roles.add_standard_roles(con, ws_id)
    ids = dict(zip(roles.roles(con, ws_id)["name"], roles.roles(con, ws_id)["id"]))
    roles.save_roles(con, ws_id, {ids["Model owner"]: {"holders": ["Ann Lee (CRO)", "bo chan"]},
                                  ids["AI governance officer"]: {"holders": [cy]}})
    return {"ann": ann, "bo": bo, "cy": cy, **ids}


def test_people_are_offered_as_name_and_job_title_sorted_by_name(con, ws_id, team):
    assert roles.people(con, ws_id) == ["Ann Lee (CRO)", "Bo Chan", "Cy Dorn (Head of Compliance)"]
    p = roles.persons(con, ws_id).set_index("id")
    assert p.at[team["ann"], "roles"] == "Model owner"


def test_people_of_another_workspace_are_not_offered(con, ws_id, team):
    other = workspaces.create(con, {"name": "Other"})
    assert roles.people(con, other) == []


def test_a_duplicate_person_is_refused_and_nothing_written(con, ws_id, team):
    before = rows(con, "SELECT count(*) FROM change_log")[0][0]
    with pytest.raises(ValidationError, match="'ANN LEE' is already listed"):
        roles.add_people(con, ws_id, [{"name": "Dee Ray"}, {"name": "ANN LEE"}])
    assert len(roles.persons(con, ws_id)) == 3
    assert rows(con, "SELECT count(*) FROM change_log")[0][0] == before
    with pytest.raises(ValidationError, match="Person's name is required"):
        roles.add_person(con, ws_id, {"name": "  "})
    with pytest.raises(ValidationError, match="Two people would be named 'Bo Chan'"):
        roles.save_people(con, ws_id, {team["ann"]: {"name": "Bo Chan"}})
    assert roles.persons(con, ws_id).set_index("id").at[team["ann"], "name"] == "Ann Lee"


def test_the_nine_standard_roles_are_added_once(con, ws_id, team):
    names = list(roles.roles(con, ws_id)["name"])
    assert names == ["Top management sponsor", "AI governance officer", "AI risk owner", "Data steward",
                     "Model owner", "System owner", "Internal auditor", "Data protection officer",
                     "Legal and compliance"]
    assert roles.add_standard_roles(con, ws_id) == []
    assert all(roles.roles(con, ws_id)["standard"])
    assert all(roles.roles(con, ws_id)["responsibilities"].str.len() > 20)


def test_a_role_has_several_holders_given_by_label_name_or_id(con, ws_id, team):
    r = roles.roles(con, ws_id).set_index("id")
    assert r.at[team["Model owner"], "holder_labels"] == ["Ann Lee (CRO)", "Bo Chan"]
    assert r.at[team["Model owner"], "holder_count"] == 2


def test_an_unknown_holder_or_duplicate_role_is_refused(con, ws_id, team):
    with pytest.raises(ValidationError, match="'Zed' is not in the people list"):
        roles.save_roles(con, ws_id, {team["Data steward"]: {"holders": ["Zed"]}})
    with pytest.raises(ValidationError, match="A role named 'model owner' already exists"):
        roles.add_role(con, ws_id, {"name": "model owner"})
    with pytest.raises(ValidationError, match="Two roles would be named 'Model owner'"):
        roles.save_roles(con, ws_id, {team["Data steward"]: {"name": "Model owner"}})
    assert roles.roles(con, ws_id).set_index("id").at[team["Data steward"], "holder_count"] == 0


def test_a_custom_role_is_added_with_holders_and_logged(con, ws_id, team):
    rid = roles.add_role(con, ws_id, {"name": "AI ethics board", "responsibilities": "Advises on hard cases.",
                                      "holders": [team["bo"]]})
    assert rid == "RO-010"
    r = roles.roles(con, ws_id).set_index("id")
    assert not r.at[rid, "standard"] and r.at[rid, "holders"] == [team["bo"]]
    assert ("holders", team["bo"]) in rows(con, "SELECT field, new_value FROM change_log WHERE entity_id = ?", [rid])


def cells(*triples):
    return pd.DataFrame(triples, columns=["activity_id", "role_id", "letter"])


ROLES = pd.DataFrame({"id": ["RO-1", "RO-2", "RO-3"], "name": ["Sponsor", "Officer", "Owner"],
                      "holder_count": [1, 1, 0]})
ACTS = (Activity("policy", "AI policy", ()), Activity("risk", "Risk", ()), Activity("audit", "Audit", ()),
        Activity("review", "Review", ()))


def test_raci_problems_by_hand():
    """policy: A and R, fine. risk: two A. audit: R only (no A). review: A/R held by nobody."""
    got = roles.raci_problems(cells(("policy", "RO-1", "A"), ("policy", "RO-2", "R"),
                                    ("risk", "RO-1", "A"), ("risk", "RO-2", "A/R"),
                                    ("audit", "RO-2", "R"), ("audit", "RO-1", "C"),
                                    ("review", "RO-3", "A/R")), ROLES, ACTS)
    assert list(zip(got["activity_id"], got["problem"])) == [
        ("risk", "2 accountable roles (Sponsor, Officer): keep exactly one A"),
        ("audit", "no accountable role: mark exactly one role A"),
        ("review", "the accountable role Owner has nobody assigned"),
    ]


def test_a_raci_with_one_a_and_a_responsible_per_activity_is_consistent():
    ok = cells(*[(a.id, "RO-1", "A/R") for a in ACTS])
    assert roles.raci_problems(ok, ROLES, ACTS).empty
    assert len(roles.raci_problems(cells(), ROLES, ACTS)) == 2 * len(ACTS)  # no A and no R anywhere


def test_saving_a_second_accountable_role_is_refused_and_nothing_written(con, ws_id, team):
    assert roles.save_raci(con, ws_id, {"policy": {team["Top management sponsor"]: "a",
                                                   team["AI governance officer"]: "r"}}) == 2
    with pytest.raises(ValidationError) as info:
        roles.save_raci(con, ws_id, {"policy": {team["Model owner"]: "A"}, "risk": {team["Model owner"]: "R"}})
    assert "AI policy would have 2 accountable roles (Model owner, Top management sponsor)" in str(info.value)
    assert len(roles.raci(con, ws_id)) == 2
    # moving the A in one save is fine
    assert roles.save_raci(con, ws_id, {"policy": {team["Model owner"]: "A", team["Top management sponsor"]: "I"}}) == 2
    got = roles.raci(con, ws_id).set_index("role_id")["letter"].to_dict()
    assert got == {team["Model owner"]: "A", team["Top management sponsor"]: "I", team["AI governance officer"]: "R"}


@pytest.mark.parametrize("value, stored", [("ar", "A/R"), ("R/A", "A/R"), (" c ", "C"), ("–", None), ("", None)])
def test_raci_letters_are_normalised(con, ws_id, team, value, stored):
    roles.save_raci(con, ws_id, {"audit": {team["Internal auditor"]: "I"}})
    roles.save_raci(con, ws_id, {"audit": {team["Internal auditor"]: value}})
    got = roles.raci(con, ws_id)
    assert (got.iloc[0]["letter"] if len(got) else None) == stored


def test_bad_raci_input_is_refused_with_every_problem(con, ws_id, team):
    with pytest.raises(ValidationError) as info:
        roles.save_raci(con, ws_id, {"nope": {team["Model owner"]: "R"}, "policy": {"RO-999": "R",
                                                                                    team["Model owner"]: "X"}})
    text = " ".join(info.value.problems)
    assert "Unknown RACI activity 'nope'" in text and "no role 'RO-999'" in text
    assert "AI policy / Model owner must be one of R, A, C, I or A/R" in text
    assert roles.raci(con, ws_id).empty


def test_every_activity_of_a_fresh_matrix_is_flagged(con, ws_id, team):
    problems = roles.raci_problems(roles.raci(con, ws_id), roles.roles(con, ws_id))
    assert set(problems["activity_id"]) == {a.id for a in roles.activities()}
    assert len(roles.activities()) == 15


def test_the_matrix_has_one_row_per_activity_and_one_column_per_role(con, ws_id, team):
    roles.save_raci(con, ws_id, {"review": {team["Top management sponsor"]: "A"}})
    m = roles.raci_matrix(con, ws_id)
    assert list(m["activity_id"]) == ["policy", "inventory", "risk", "impact", "competence", "documents", "audit",
                                      "review", "data", "lifecycle", "use", "user_info", "suppliers", "incident",
                                      "reporting"]
    assert m.set_index("activity_id").at["review", "Top management sponsor"] == "A"
    assert m.set_index("activity_id").at["review", "Model owner"] == ""


def test_removing_a_role_removes_its_holders_and_letters(con, ws_id, team):
    roles.save_raci(con, ws_id, {"lifecycle": {team["Model owner"]: "A/R"}})
    roles.delete_role(con, ws_id, team["Model owner"])
    assert roles.raci(con, ws_id).empty
    assert rows(con, "SELECT count(*) FROM gov_role_holder WHERE role_id = ?", [team["Model owner"]]) == [(0,)]
    assert "lifecycle" in set(roles.raci_problems(roles.raci(con, ws_id), roles.roles(con, ws_id))["activity_id"])


def test_removing_a_person_removes_their_roles_and_attendance(con, ws_id, team):
    sid = training.add_session(con, ws_id, {"topic": "Bias testing", "audience": ["Model owner"],
                                            "held_on": "2026-01-10"})
    training.save_attendance(con, ws_id, sid, {team["ann"]: "completed"})
    roles.delete_person(con, ws_id, team["ann"])
    assert roles.people(con, ws_id) == ["Bo Chan", "Cy Dorn (Head of Compliance)"]
    assert rows(con, "SELECT count(*) FROM training_attendance") == [(0,)]
    with pytest.raises(ValidationError, match="no person"):
        roles.delete_person(con, ws_id, team["ann"])


def test_a_workspace_copy_keeps_people_roles_and_raci(con, ws_id, team):
    roles.save_raci(con, ws_id, {"policy": {team["Top management sponsor"]: "A"}})
    copy = workspaces.duplicate(con, ws_id, "Copy")
    assert roles.people(con, copy) == roles.people(con, ws_id)
    assert roles.roles(con, copy).set_index("id").at[team["Model owner"], "holder_count"] == 2
    assert len(roles.raci(con, copy)) == 1


def test_owners_named_anywhere_join_the_one_people_list(con, ws_id):
    """register_owners adds new names (a 'Name (Job title)' one as that person with that title),
    skips blanks, known labels and known names (any case), and adds nothing twice; owner_names
    offers the register plus owners named in any area before they reached it."""
    from aims.ai_systems import inventory

    roles.add_person(con, ws_id, {"name": "Priya Shah", "job_title": "CRO"})
    added = roles.register_owners(con, ws_id, ["", None, "priya shah (cro)", "Priya Shah", "Tom Becker",
                                               "Lena Vogel (Data Protection Officer)", "tom becker"])
    assert len(added) == 2
    people = roles.persons(con, ws_id).set_index("name")
    assert people.at["Lena Vogel", "job_title"] == "Data Protection Officer"
    assert people.at["Tom Becker", "job_title"] == ""
    assert roles.register_owners(con, ws_id, ["Tom Becker"]) == []
    with pytest.raises(ValidationError):
        roles.register_owners(con, ws_id, ["x" * 121])
    assert len(roles.persons(con, ws_id)) == 3
    inventory.create(con, ws_id, {"name": "Chatbot", "business_owner": "Head of Credit",
                                  "technical_owner": "priya shah"})
    assert roles.owner_names(con, ws_id) == ["Head of Credit", "Lena Vogel (Data Protection Officer)",
                                             "Priya Shah (CRO)", "Tom Becker"]


def test_owners_join_an_empty_people_register(con, ws_id):
    """A new client has nobody in the register yet: the first owner named becomes its first person."""
    assert roles.owner_names(con, ws_id) == []
    assert len(roles.register_owners(con, ws_id, ["Ana Ruiz (CTO)"])) == 1
    assert roles.owner_names(con, ws_id) == ["Ana Ruiz (CTO)"]
