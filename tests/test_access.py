"""Roles, the permission rules, the member list and the team settings (aims.access)."""
import pytest

from aims.access import identity, members, rules, settings
from aims.access.members import AccessDenied
from aims.common.validate import ValidationError
from aims.store import workspaces

ANN = identity.person(" Ann@Firm.Example ", "Ann Lee")


def test_a_person_is_known_by_a_trimmed_lower_case_email():
    assert ANN.email == "ann@firm.example" and ANN.signed_in and not ANN.local
    assert not identity.LOCAL.signed_in and identity.LOCAL.admin
    assert not identity.NOBODY.signed_in and not identity.NOBODY.admin


@pytest.mark.parametrize("owner,member_name,expected", [
    ("Ann Lee", "", True),                   # the name the sign-in gave
    ("  ann   LEE ", "", True),              # case and spaces do not matter
    ("ann@firm.example", "", True),          # the email
    ("A. Lee", "A. Lee", True),              # the name the member list holds
    ("Ann Lee (CRO)", "", False),            # another text is another owner
    ("", "", False), (None, "", False),      # nobody owns it
    ("Bob", "", False),
])
def test_owns_matches_the_owner_text_to_the_person(owner, member_name, expected):
    assert rules.owns(owner, ANN, member_name) is expected


# role -> (read, edit a record they do not own, edit their own record, manage)
MATRIX = {
    "owner": (True, True, True, True),
    "editor": (True, True, True, False),
    "contributor": (True, False, True, False),
    "viewer": (True, False, False, False),
    None: (False, False, False, False),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_what_each_role_allows(role):
    got = (rules.allows(ANN, role, "read"), rules.allows(ANN, role, "edit", owner="Bob"),
           rules.allows(ANN, role, "edit", owner="Ann Lee"), rules.allows(ANN, role, "manage"))
    assert got == MATRIX[role]
    # a record contributors may not own at all (owner=None) is for owners and editors only
    assert rules.allows(ANN, role, "edit") is (role in ("owner", "editor"))


def test_administrators_manage_every_workspace_but_edit_only_as_members():
    admin = identity.person("root@firm.example", admin=True)
    assert rules.allows(admin, None, "manage") and not rules.allows(admin, None, "read")
    assert not rules.allows(admin, None, "edit") and rules.allows(admin, "editor", "edit")
    assert all(rules.allows(identity.LOCAL, None, need) for need in rules.NEEDS)
    with pytest.raises(ValueError):
        rules.allows(ANN, "owner", "delete")


def test_refusals_say_who_what_role_and_what_it_allows():
    assert rules.refusal(ANN, None, "read", "workspace 'Acme'") == (
        "ann@firm.example is not a member of workspace 'Acme'. Ask its owner or an administrator to add you.")
    assert "only its owners and the app administrators" in rules.refusal(ANN, "editor", "manage", "workspace 'Acme'")
    assert rules.refusal(ANN, "contributor", "edit", "workspace 'Acme'", "risk R-002", "") == (
        "ann@firm.example is a contributor of workspace 'Acme': risk R-002 is owned by nobody; contributors "
        "change only what they own (ask an editor to make you its owner).")
    assert rules.refusal(identity.NOBODY, None, "edit", "workspace 'Acme'").endswith("sign in to open workspace 'Acme'.")


@pytest.fixture
def acme(con):
    """Acme with Ann as its only owner (added by the local user)."""
    ws = workspaces.create(con, {"name": "Acme"})
    members.add(con, ws, "ann@firm.example", "owner", "Ann Lee")
    return ws


def test_members_are_listed_owners_first_and_each_change_is_logged(con, acme):
    with identity.acting(ANN):
        members.add(con, acme, "Zoe@Firm.Example", "viewer")
        members.add(con, acme, "bob@firm.example", "editor", "Bob Stone")
        assert members.change(con, acme, "zoe@firm.example", "contributor", "Zoe") == 2
        members.remove(con, acme, "bob@firm.example")
    listed = members.listing(con, acme)
    assert list(zip(listed["email"], listed["role"], listed["added_by"])) == [
        ("ann@firm.example", "owner", "tester"), ("zoe@firm.example", "contributor", "ann@firm.example")]
    log = con.execute("SELECT entity_id, field, old_value, new_value, changed_by FROM change_log"
                      " WHERE entity = 'member' ORDER BY id").fetchall()
    assert log[-3:] == [("zoe@firm.example", "role", "viewer", "contributor", "ann@firm.example"),
                        ("zoe@firm.example", "name", "", "Zoe", "ann@firm.example"),
                        ("bob@firm.example", "role", "editor", None, "ann@firm.example")]


@pytest.mark.parametrize("email,role,message", [
    ("not-an-email", "viewer", "is not an email address"),
    ("", "viewer", "Email is required"),
    ("x@firm.example", "boss", "Role must be one of owner, editor, contributor, viewer"),
    ("ANN@firm.example", "viewer", "already a member"),
    ("a" * 250 + "@firm.example", "viewer", "Email"),
])
def test_bad_members_are_refused_with_nothing_written(con, acme, email, role, message):
    before = con.execute("SELECT count(*) FROM workspace_member").fetchone()
    with pytest.raises(ValidationError, match=message):
        members.add(con, acme, email, role)
    assert con.execute("SELECT count(*) FROM workspace_member").fetchone() == before


def test_a_workspace_keeps_an_owner(con, acme):
    with identity.acting(ANN):
        with pytest.raises(ValidationError, match="only owner"):
            members.change(con, acme, "ann@firm.example", "editor")
        with pytest.raises(ValidationError, match="only owner"):
            members.remove(con, acme, "ann@firm.example")
        members.add(con, acme, "bob@firm.example", "owner")
        members.remove(con, acme, "ann@firm.example")      # two owners: one may go
    assert list(members.listing(con, acme)["email"]) == ["bob@firm.example"]
    with pytest.raises(ValidationError, match="is not a member"):
        members.change(con, acme, "nobody@firm.example", "viewer")


def test_only_owners_and_administrators_manage_members(con, acme):
    with identity.acting(ANN):
        members.add(con, acme, "ed@firm.example", "editor")
    with identity.acting(identity.person("ed@firm.example")):
        with pytest.raises(AccessDenied, match="ed@firm.example is an editor of workspace 'Acme'"):
            members.add(con, acme, "x@firm.example", "viewer")
    with identity.acting(identity.person("root@firm.example", admin=True)):
        members.add(con, acme, "x@firm.example", "viewer")
        assert members.visible_ids(con) == set()        # managing a workspace is not being in it


def test_a_person_sees_only_their_workspaces(con, acme):
    other = workspaces.create(con, {"name": "Other"})
    with identity.acting(ANN):
        assert members.visible_ids(con) == {acme}
        assert members.role(con, acme) == "owner" and members.role(con, other) is None
        assert members.can(con, acme, "edit") and not members.can(con, other, "read")
    with identity.acting(identity.NOBODY):
        assert members.visible_ids(con) == set()
    assert members.visible_ids(con) is None and members.role(con, other) == "owner"   # the local user


def test_settings_come_from_the_secrets_sections():
    s = settings.from_mapping({"auth": {"client_id": "x"}, "aims": {
        "admins": ["Root@Firm.Example"], "admin_domains": "@Ops.Example", "serve_network_without_sign_in": "yes"}})
    assert s.sign_in and s.is_admin("root@firm.example") and s.is_admin("anyone@ops.example")
    assert not s.is_admin("ops.example@evil.example") and not s.is_admin("")
    assert not s.open_network_accepted      # only a real true accepts an open server
    assert s.person("Anyone@Ops.Example", "A").admin
    assert settings.from_mapping({}) == settings.Settings()


def test_settings_files_merge_and_a_broken_file_is_named(tmp_path):
    user, project = tmp_path / "user.toml", tmp_path / "project.toml"
    user.write_text('[aims]\nadmins = ["a@x.example"]\n')
    project.write_text('[auth]\nclient_id = "c"\n')
    s = settings.load([user, project, tmp_path / "missing.toml"])
    assert s.sign_in and s.admins == {"a@x.example"}
    project.write_text("[auth\n")
    with pytest.raises(ValueError, match="project.toml is not a valid secrets file"):
        settings.load([project])


@pytest.mark.parametrize("address,local", [
    ("localhost", True), ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("[::1]", True),
    ("", False), (None, False), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("aims.firm.example", False),
])
def test_loopback_addresses(address, local):
    assert settings.loopback(address) is local


def test_an_open_network_server_needs_sign_in_or_an_explicit_acceptance():
    none, signed, accepted = settings.Settings(), settings.Settings(sign_in=True), settings.Settings(
        open_network_accepted=True)
    assert settings.serving_problem(none, "localhost") is None
    assert "anyone on the network could read and change every workspace" in settings.serving_problem(none, "0.0.0.0")
    assert "every network interface" in settings.serving_problem(none, "")
    assert settings.serving_problem(signed, "0.0.0.0") is None
    assert settings.serving_problem(accepted, "0.0.0.0") is None


def test_between_signed_in_people_a_conflict_names_who_saved_and_when(con, acme):
    from aims.store.conflicts import EditConflict
    with identity.acting(ANN):
        members.add(con, acme, "bob@firm.example", "editor")
        opened = {"scope": workspaces.get(con, acme)["scope"]}          # both open the settings form
    with identity.acting(identity.person("bob@firm.example")):
        workspaces.update(con, acme, {"scope": "Credit scoring"}, base=opened)
    with identity.acting(ANN):
        with pytest.raises(EditConflict) as clash:
            workspaces.update(con, acme, {"scope": "All AI systems"}, base=opened)
    c = clash.value.conflicts[0]
    assert (c.field, c.theirs, c.yours, c.by) == ("scope", "Credit scoring", "All AI systems", "bob@firm.example")
    assert c.at is not None and "bob@firm.example saved" in str(clash.value)
    assert workspaces.get(con, acme)["scope"] == "Credit scoring"
