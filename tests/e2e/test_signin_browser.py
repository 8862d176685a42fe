"""Browser journeys of a team's server: sign-in through a real OpenID Connect provider (a mock
one, started by the test), two people in two browsers, each seeing only what their role in each
workspace allows; and a server that others can reach without sign-in, refused unless the
operator accepted it. After every action: no exception box, and the person stays where they were."""
import re
import uuid

import duckdb
from browser import expect_selectbox, message, new_workspace, no_exception, selectbox_value, wait_idle
from conftest import NO_EMAIL_SUB, serve, serve_team, team_secrets

from aims.ui.chrome import SECTIONS

ALICE, BOB = "alice@firm.example", "bob@firm.example"
PICKER = "Workspace (client engagement)"
PAGES = [path for items in SECTIONS.values() for _script, _title, _icon, path in items]


def text(page, where: str = "stApp") -> str:
    """What the page (or its sidebar: 'stSidebar') shows, tables included (their cells are drawn on
    a canvas; the text is in the grid's accessible copy), with the invisible word joiners that keep
    an email from becoming a link taken out."""
    area = page.locator(f"[data-testid='{where}']")
    grids = area.locator("[data-testid='stDataFrame']").all_text_contents()
    return "\n".join([area.inner_text(), *grids]).replace("\u2060", "")


def new_person(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30000)
    return context, page


def expect_sign_in_screen(page, action: str, hidden: tuple = ()) -> None:
    """Only the sign-in screen: its button, no workspace picker, no page list, none of `hidden`."""
    no_exception(page, action)
    page.get_by_role("button", name="Sign in").wait_for()
    shown = text(page)
    assert "Sign in with your organisation's account" in shown, f"{action}: {shown[:300]}"
    assert page.locator(f"[role='combobox'][aria-label='{PICKER}']").count() == 0, action
    assert page.locator("[data-testid='stSidebarNav']").count() == 0, f"{action}: the page list is shown"
    for secret in hidden:
        assert secret not in shown, f"{action}: {secret!r} is shown before sign-in"


def sign_in(page, url: str, email: str) -> None:
    """Press Sign in, type `email` on the provider's authorize page, come back signed in."""
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name='sub']").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/.*"))
    wait_idle(page)
    no_exception(page, f"sign in as {email}")
    page.get_by_text(f"Signed in as {email.split('@')[0]}").wait_for()
    assert f"Signed in as {email}" in text(page, "stSidebar")


def sign_out(page, url: str) -> None:
    """Sign out in the sidebar, end the session at the provider, come back to the sign-in screen."""
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()         # the provider's own confirmation
    page.wait_for_url(re.compile(re.escape(url) + r"/.*"))
    wait_idle(page)
    expect_sign_in_screen(page, "sign out")


def picker_options(page) -> list[str]:
    box = page.locator(f"[data-testid='stSidebar'] [role='combobox'][aria-label='{PICKER}']")
    box.click()
    page.get_by_role("option").first.wait_for()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    wait_idle(page)
    return options


def create_workspace(page, url: str, name: str) -> str:
    """Create a workspace on the Workspaces page; returns its ID once the app has opened it."""
    new_workspace(page, url, name)
    message(page, f"Created workspace {name}")
    expect_selectbox(page, PICKER, name, "stSidebar")
    return page.url.split("ws=")[1].split("&")[0]


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    wait_idle(page)


def test_two_people_sign_in_and_see_only_what_their_role_allows(oidc_provider, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    shared, private = f"Shared {tag}", f"Private {tag}"
    with serve_team(tmp_path, oidc_provider, admins=[ALICE]) as url:
        alice_context, alice = new_person(browser)
        visitor_context, visitor = new_person(browser)
        bob_context, bob = new_person(browser)
        try:
            # a deep link on the freshly started server: the sign-in screen, no page list
            alice.goto(url + "/gap-analysis")
            wait_idle(alice)
            expect_sign_in_screen(alice, "open the gap analysis before signing in")

            sign_in(alice, url, ALICE)
            assert "(administrator)" in text(alice, "stSidebar")       # no workspace yet, admin by config
            ws_private = create_workspace(alice, url, private)          # bob will not be a member of this one
            ws_shared = create_workspace(alice, url, shared)
            assert ws_shared != ws_private
            assert "owner of this workspace · administrator" in text(alice, "stSidebar")

            # she edits the workspace: the change log gets her email (checked below)
            open_tab(alice, "Edit current")
            form = alice.locator("[data-testid='stForm']").filter(has=alice.get_by_role("button", name="Save changes"))
            form.get_by_label("Organisation", exact=True).fill(f"Firm client {tag}")
            alice.get_by_role("button", name="Save changes").click()
            wait_idle(alice)
            no_exception(alice, "save the workspace's organisation")
            message(alice, "Saved 1 changed field")
            assert f"ws={ws_shared}" in alice.url and "/workspaces" in alice.url

            # she adds bob as a viewer
            open_tab(alice, "Members")
            form = alice.locator("[data-testid='stForm']").filter(has=alice.get_by_role("button", name="Add member"))
            form.get_by_label("Email *", exact=True).fill(BOB)
            assert form.get_by_role("combobox", name="Role").input_value() == "Viewer"     # the least, by default
            form.get_by_role("button", name="Add member").click()
            wait_idle(alice)
            no_exception(alice, "add bob as a viewer")
            message(alice, re.compile(rf"Added bob\W?@firm\.example to {shared} as (a )?viewer"))
            assert f"ws={ws_shared}" in alice.url and "/workspaces" in alice.url
            assert BOB in text(alice)                                    # the member list shows him
            assert private in text(alice)                                # an administrator lists every workspace

            # someone not signed in sees the sign-in screen on every page, even with a link to a workspace
            for path in PAGES:
                visitor.goto(f"{url}/{path}?ws={ws_shared}")
                wait_idle(visitor)
                expect_sign_in_screen(visitor, f"open /{path} before signing in", hidden=(shared, private, ALICE))

            # bob: only the workspace he is a member of, read only
            bob.goto(url + "/")
            wait_idle(bob)
            expect_sign_in_screen(bob, "open the app")
            sign_in(bob, url, BOB)
            assert "viewer of this workspace" in text(bob, "stSidebar")
            assert "administrator" not in text(bob, "stSidebar")
            assert selectbox_value(bob, PICKER, "stSidebar") == shared
            assert picker_options(bob) == [shared]

            bob.goto(f"{url}/overview?ws={ws_private}")             # a link to alice's other workspace
            wait_idle(bob)
            no_exception(bob, "open a link to a workspace he is not a member of")
            message(bob, f"The link names workspace {ws_private}, which is not one of yours")
            assert private not in text(bob)
            assert selectbox_value(bob, PICKER, "stSidebar") == shared
            assert "/overview" in bob.url and f"ws={ws_shared}" in bob.url

            bob.goto(f"{url}/gap-analysis?ws={ws_shared}")
            wait_idle(bob)
            no_exception(bob, "open the gap analysis as a viewer")
            bob.get_by_text("of 70 requirements").first.wait_for()          # the table view, every requirement
            main = bob.locator("[data-testid='stMain']")
            for button in ("Save", "Discard"):
                assert main.get_by_role("button", name=button, exact=True).count() == 0, f"a viewer gets '{button}'"
            bob.goto(f"{url}/gap-analysis?ws={ws_shared}&req=4.1")     # the workshop view of one requirement
            wait_idle(bob)
            no_exception(bob, "open a requirement in the workshop view as a viewer")
            bob.get_by_text("4.1", exact=False).first.wait_for()
            for button in ("Save", "Save and next"):
                assert main.get_by_role("button", name=button, exact=True).count() == 0, f"a viewer gets '{button}'"
            assert "/gap-analysis" in bob.url and f"ws={ws_shared}" in bob.url

            bob.goto(f"{url}/workspaces?ws={ws_shared}")
            wait_idle(bob)
            no_exception(bob, "open the Workspaces page as a viewer")
            tabs = bob.get_by_role("tab").all_inner_texts()
            assert not {"New workspace", "Duplicate", "Archive or restore", "Delete"} & set(tabs), tabs
            assert private not in text(bob)                              # not even in the list of workspaces
            assert bob.get_by_role("button", name="Create workspace").count() == 0
            open_tab(bob, "Members")
            no_exception(bob, "open the members as a viewer")
            assert ALICE in text(bob) and bob.get_by_role("button", name="Add member").count() == 0
            assert "/workspaces" in bob.url and f"ws={ws_shared}" in bob.url

            sign_out(bob, url)
            bob.goto(f"{url}/overview?ws={ws_shared}")
            wait_idle(bob)
            expect_sign_in_screen(bob, "open the overview after signing out", hidden=(shared, BOB))

            alice.goto(f"{url}/overview?ws={ws_shared}")                 # alice is still signed in in her browser
            wait_idle(alice)
            no_exception(alice, "open the overview")
            assert f"Signed in as {ALICE}" in text(alice, "stSidebar")
        finally:
            for context in (alice_context, visitor_context, bob_context):
                context.close()

    con = duckdb.connect(str(tmp_path / "e2e.duckdb"), read_only=True)
    try:
        log = con.execute("SELECT workspace_id, entity, entity_id, field, new_value, changed_by FROM change_log "
                          "WHERE workspace_id IN (?, ?)", [int(ws_shared), int(ws_private)]).fetchall()
    finally:
        con.close()
    assert log and {row[5] for row in log} == {ALICE}, {row[5] for row in log}      # her email, no shared name
    assert (int(ws_shared), "workspace", str(ws_shared), "organisation", f"Firm client {tag}", ALICE) in log
    assert (int(ws_shared), "member", BOB, "role", "viewer", ALICE) in log


def test_a_person_the_provider_sends_no_email_for_is_told_why_and_can_sign_out(oidc_provider, tmp_path, page):
    with serve_team(tmp_path, oidc_provider, admins=[ALICE]) as url:
        page.goto(url + "/")
        wait_idle(page)
        page.get_by_role("button", name="Sign in").click()
        page.locator("input[name='sub']").fill(NO_EMAIL_SUB)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(url) + r"/.*"))
        wait_idle(page)
        no_exception(page, "sign in without an email address")
        message(page, "did not send an email address")
        assert page.locator(f"[role='combobox'][aria-label='{PICKER}']").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(re.compile(re.escape(url) + r"/.*"))
        wait_idle(page)
        expect_sign_in_screen(page, "sign out")


def test_a_server_others_can_reach_is_refused_without_sign_in(tmp_path, page):
    """Started on every interface with no sign-in configured: the refusal, on every page, and nothing else."""
    with serve(tmp_path, user=None, secrets_toml=team_secrets(None), extra_args=("--server.address", "0.0.0.0")) as url:
        for path in ("", "gap-analysis", "workspaces"):
            page.goto(f"{url}/{path}")
            wait_idle(page)
            no_exception(page, f"open /{path}")
            message(page, "AIMS Workbench is not serving this address")
            assert "serve_network_without_sign_in" in text(page)
            assert page.locator(f"[role='combobox'][aria-label='{PICKER}']").count() == 0
            assert page.locator("[data-testid='stSidebarNav']").count() == 0
            assert page.get_by_role("heading", name="Gap analysis").count() == 0
    assert not (tmp_path / "e2e.duckdb").exists()                     # not even the database was opened


def test_an_open_network_server_the_operator_accepted_serves_with_a_warning(tmp_path, page):
    secrets = team_secrets(None, aims={"serve_network_without_sign_in": True})
    with serve(tmp_path, user=None, secrets_toml=secrets, extra_args=("--server.address", "0.0.0.0")) as url:
        page.goto(f"{url}/gap-analysis")
        wait_idle(page)
        no_exception(page, "open the gap analysis")
        page.get_by_role("heading", name="Gap analysis").wait_for()
        warning = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").filter(has_text="Open server")
        warning.wait_for()
        assert "anyone who can reach it can read and change every workspace" in warning.inner_text()
        assert "/gap-analysis" in page.url
