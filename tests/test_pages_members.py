"""The Workspaces page for a team: its owners manage the members in the Members tab (with a
clear message and nothing written for a refusal), and every role sees only what it may do."""
import pytest
from helpers import rows, start_as

from aims.access import members
from aims.store import db, workspaces

OWNER, EDITOR, VIEWER, CONTRIBUTOR = "olga@firm.example", "ed@firm.example", "vic@client.example", "cora@client.example"
ADMIN = "ada@firm.example"
PAGE = "pages/workspaces.py"


@pytest.fixture
def team_db(tmp_path):
    """Acme AI with an owner, an editor, a viewer and a contributor; Beta Bank with someone else."""
    path = tmp_path / "team.duckdb"
    con = db.open_database(path)
    acme = workspaces.create(con, {"name": "Acme AI", "organisation": "Acme Ltd"})
    for email, role, name in ((OWNER, "owner", "Olga"), (EDITOR, "editor", ""), (VIEWER, "viewer", "Vic"),
                              (CONTRIBUTOR, "contributor", "")):
        members.add(con, acme, email, role, name)
    beta = workspaces.create(con, {"name": "Beta Bank"})
    members.add(con, beta, "bob@firm.example", "owner")
    con.close()
    return path


def live():
    """The app's own connection (sign-in configured: no demo), for assertions."""
    from aims.ui.chrome import _open
    return _open(db.database_path(), False)


def member_rows():
    return rows(live(), "SELECT email, role FROM workspace_member w JOIN workspace s ON s.id = w.workspace_id "
                        "WHERE s.name = 'Acme AI' ORDER BY email")


def member_log():
    return rows(live(), "SELECT entity_id, field, old_value, new_value, changed_by FROM change_log "
                        "WHERE entity = 'member' ORDER BY id")


def as_owner(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, OWNER, page=PAGE)
    at.session_state["ws_tab"] = "Members"        # the tab the owner works in
    return at


def members_table(at):
    return next(d.value for d in at.dataframe if "email" in d.value.columns)


def widget(items, label):
    return next(w for w in items if w.label == label)


def pick_member(at, label, email):
    box = widget(at.selectbox, label)
    box.set_value(email).run()
    assert not at.exception, at.exception


def errors(at):
    return " ".join(e.value for e in at.error).replace("\u2060", "")     # emails are shown without autolinks


def said(at, text):
    """Whether a success message says `text`."""
    return any(text in m.value.replace("\u2060", "") for m in at.success)


def test_an_owner_adds_a_member_who_is_listed_and_the_form_starts_empty_again(team_db, monkeypatch):
    at = as_owner(team_db, monkeypatch)
    widget(at.text_input, "Email *").input("  Nia.Kent@Client.example ")
    widget(at.text_input, "Name").input("Nia Kent")
    widget(at.selectbox, "Role").set_value("contributor")
    widget(at.button, "Add member").click().run()
    assert not at.exception and not at.error, (at.exception, errors(at))
    assert said(at, "Added nia.kent@client.example to Acme AI as a contributor")
    table = members_table(at).set_index("email")
    assert table.loc["nia.kent@client.example", "role"] == "contributor"
    assert table.loc["nia.kent@client.example", "name"] == "Nia Kent"
    assert widget(at.text_input, "Email *").value == "" and widget(at.text_input, "Name").value == ""
    assert widget(at.selectbox, "Role").value == "viewer"
    assert member_log()[-1] == ("nia.kent@client.example", "role", None, "contributor", OWNER)
    assert at.session_state["ws_tab"] == "Members"          # the owner stays where they work


def test_an_owner_changes_a_role(team_db, monkeypatch):
    at = as_owner(team_db, monkeypatch)
    pick_member(at, "Member", VIEWER)
    assert widget(at.selectbox, "New role").value == "viewer"      # opens on the member's role
    widget(at.selectbox, "New role").set_value("editor").run()
    widget(at.button, "Change role").click().run()
    assert not at.exception and not at.error, (at.exception, errors(at))
    assert said(at, f"{VIEWER} is now an editor of Acme AI")
    assert members_table(at).set_index("email").loc[VIEWER, "role"] == "editor"
    assert member_log()[-1] == (VIEWER, "role", "viewer", "editor", OWNER)
    assert at.session_state["ws_tab"] == "Members"


def test_an_owner_removes_a_member_after_confirming(team_db, monkeypatch):
    at = as_owner(team_db, monkeypatch)
    pick_member(at, "Member to remove", EDITOR)
    assert widget(at.button, "Remove member").disabled                # not before the confirmation
    next(c for c in at.checkbox if EDITOR in c.label.replace("\u2060", "")).check().run()
    widget(at.button, "Remove member").click().run()
    assert not at.exception and not at.error, (at.exception, errors(at))
    assert said(at, f"Removed {EDITOR} from Acme AI")
    assert EDITOR not in set(members_table(at)["email"])
    assert (EDITOR, "editor") not in member_rows()
    assert member_log()[-1] == (EDITOR, "role", "editor", None, OWNER)
    assert not any(c.value for c in at.checkbox)                      # the confirmation does not stay ticked


@pytest.mark.parametrize("email, message", [
    ("not-an-email", "is not an email address"),
    ("", "Email is required"),
    ("VIC@client.example", "is already a member of this workspace"),
])
def test_a_refused_add_says_why_keeps_what_was_typed_and_writes_nothing(team_db, monkeypatch, email, message):
    at = as_owner(team_db, monkeypatch)
    before, logged = member_rows(), member_log()
    widget(at.text_input, "Email *").input(email)
    widget(at.selectbox, "Role").set_value("owner")
    widget(at.button, "Add member").click().run()
    assert not at.exception
    assert "Nobody was added" in errors(at) and message in errors(at), errors(at)
    assert widget(at.text_input, "Email *").value == email            # kept, to fix
    assert member_rows() == before and member_log() == logged


def test_the_last_owner_can_neither_step_down_nor_be_removed(team_db, monkeypatch):
    at = as_owner(team_db, monkeypatch)
    before, logged = member_rows(), member_log()
    pick_member(at, "Member", OWNER)
    widget(at.selectbox, "New role").set_value("editor").run()
    widget(at.button, "Change role").click().run()
    assert "The role was not changed" in errors(at) and "only owner" in errors(at), errors(at)
    pick_member(at, "Member to remove", OWNER)
    next(c for c in at.checkbox if "(yourself)" in c.label).check().run()
    widget(at.button, "Remove member").click().run()
    assert "Nobody was removed" in errors(at) and "only owner" in errors(at), errors(at)
    assert not at.exception
    assert member_rows() == before and member_log() == logged


def test_an_owner_who_removes_themselves_no_longer_sees_the_workspace(team_db, monkeypatch):
    at = as_owner(team_db, monkeypatch)
    pick_member(at, "Member", EDITOR)
    widget(at.selectbox, "New role").set_value("owner").run()
    widget(at.button, "Change role").click().run()
    pick_member(at, "Member to remove", OWNER)
    next(c for c in at.checkbox if "(yourself)" in c.label).check().run()
    widget(at.button, "Remove member").click().run()
    assert not at.exception and not at.error, (at.exception, errors(at))
    assert said(at, f"Removed {OWNER} from Acme AI")
    assert not [d for d in at.dataframe if "your_role" in d.value.columns]     # no workspace of theirs left
    assert any("not a member of any active workspace" in i.value for i in at.info)


def test_a_viewer_reads_the_list_and_members_but_gets_no_edit_widgets(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, VIEWER, page=PAGE)
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Current workspace", "Members"]     # no New, Duplicate, Archive, Delete
    assert not at.text_input and not at.text_area and not at.checkbox and not at.multiselect and not at.date_input
    assert [b.label for b in at.button] == ["Sign out"]
    assert [s.label for s in at.selectbox] == ["Workspace (client engagement)"]
    listed = next(d.value for d in at.dataframe if "your_role" in d.value.columns)
    assert listed["name"].tolist() == ["Acme AI"] and listed["your_role"].tolist() == ["viewer"]   # only theirs
    assert set(members_table(at)["email"]) == {OWNER, EDITOR, VIEWER, CONTRIBUTOR}
    settings = next(d.value for d in at.dataframe if "Setting" in d.value.columns).set_index("Setting")
    assert settings.loc["Organisation", "Value"] == "Acme Ltd"
    assert any("Only the owners of Acme AI" in c.value for c in at.caption)
    assert any("You are a viewer of this workspace" in c.value for c in at.caption)


def test_a_contributor_reads_the_settings_and_members_without_forms(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, CONTRIBUTOR, page=PAGE)
    assert [t.label for t in at.tabs] == ["Current workspace", "Members"]
    assert not at.text_input and [b.label for b in at.button] == ["Sign out"]


def test_a_non_admin_editor_edits_the_settings_but_creates_and_manages_nothing(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, EDITOR, page=PAGE)
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Edit current", "Members"]
    assert [t.value for t in at.text_input if t.label == "Workspace name *"] == ["Acme AI"]      # the edit form only
    assert {b.label for b in at.button} == {"Save changes", "Sign out"}   # no Create, Duplicate, Add member, Archive
    assert not any(t.label == "Email *" for t in at.text_input)
    widget(at.text_input, "Sector").input("Insurance")
    widget(at.button, "Save changes").click().run()
    assert not at.exception and not at.error, errors(at)
    assert workspaces.get(live(), int(at.session_state["ws_picker"]))["sector"] == "Insurance"


def test_an_administrator_sees_every_workspace_and_may_create_one(team_db, monkeypatch):
    at = start_as(team_db, monkeypatch, ADMIN, admins=[ADMIN], page=PAGE)
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Edit current", "Members", "New workspace", "Duplicate",
                                          "Archive or restore", "Delete"]
    listed = next(d.value for d in at.dataframe if "your_role" in d.value.columns)
    assert listed["name"].tolist() == ["Acme AI", "Beta Bank"]
    assert set(listed["your_role"]) == {"not a member"}
    widget(at.text_input, "Workspace name *").input("Gamma Health")
    widget(at.button, "Create workspace").click().run()
    assert not at.exception and not at.error, errors(at)
    new = next(int(i) for i, n in rows(live(), "SELECT id, name FROM workspace") if n == "Gamma Health")
    assert rows(live(), "SELECT email, role FROM workspace_member WHERE workspace_id = ?", [new]) == [(ADMIN, "owner")]
    assert at.sidebar.selectbox[0].value == new


def test_without_sign_in_the_members_tab_says_when_members_apply(app):
    app.switch_page(PAGE).run()
    assert not app.exception
    assert [t.label for t in app.tabs] == ["Edit current", "Members", "New workspace", "Duplicate",
                                           "Archive or restore", "Delete"]
    assert any("Members and roles apply once sign-in is configured" in i.value and "Serving a team" in i.value
               for i in app.info)
    assert not any(t.label == "Email *" for t in app.text_input)


def test_an_administrator_manages_the_members_of_a_workspace_they_are_not_in(team_db, monkeypatch):
    """Beta Bank's owner left: an administrator, no member of it, makes someone else its owner."""
    at = start_as(team_db, monkeypatch, ADMIN, admins=[ADMIN], page=PAGE)
    at.session_state["ws_tab"] = "Members"
    at.run()
    beta = next(int(i) for i, n in rows(live(), "SELECT id, name FROM workspace") if n == "Beta Bank")
    widget(at.selectbox, "Workspace whose members to manage").set_value(beta).run()
    assert members_table(at)["email"].tolist() == ["bob@firm.example"]
    widget(at.text_input, "Email *").input("nia@firm.example")
    widget(at.selectbox, "Role").set_value("owner")
    widget(at.button, "Add member").click().run()
    assert not at.exception and not at.error, errors(at)
    assert rows(live(), "SELECT email, role FROM workspace_member WHERE workspace_id = ? ORDER BY email", [beta]) == [
        ("bob@firm.example", "owner"), ("nia@firm.example", "owner")]
    assert member_log()[-1] == ("nia@firm.example", "role", None, "owner", ADMIN)
