"""Browser journey of a consultant's first minutes with a new client: create the workspace, save
its settings, add two AI systems, then open the delete tab. After every action: no exception
box, the picker and the URL show the workspace just saved, and forms meant to start empty are."""
import uuid

from browser import expect_selectbox, message, new_workspace, no_exception, pick, wait_idle


def expect_picker(page, name: str) -> None:
    expect_selectbox(page, "Workspace (client engagement)", name, "stSidebar")


def test_create_a_workspace_save_its_settings_and_add_systems(server, page):
    tag = uuid.uuid4().hex[:6]
    name = f"Client {tag}"
    page.goto(server + "/workspaces")
    wait_idle(page)

    page.get_by_role("tab", name="New workspace").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Create workspace"))
    form.get_by_label("Workspace name *", exact=True).fill(name)
    form.get_by_label("Organisation", exact=True).fill(f"Org {tag}")
    page.get_by_role("button", name="Create workspace").click()
    wait_idle(page)
    no_exception(page, "create a workspace")
    message(page, f"Created workspace {name}")
    expect_picker(page, name)                        # switched to the new workspace
    ws = page.url.split("ws=")[1].split("&")[0]
    page.get_by_role("tab", name="New workspace").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Create workspace"))
    assert form.get_by_label("Workspace name *", exact=True).input_value() == ""          # the add form starts empty
    assert form.get_by_label("Organisation", exact=True).input_value() == ""

    page.get_by_role("tab", name="Edit current").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save changes"))
    form.get_by_label("Workspace name *", exact=True).fill(f"{name} renamed")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    no_exception(page, "save the workspace settings")
    message(page, f"to {name} renamed")
    expect_picker(page, f"{name} renamed")
    assert f"ws={ws}" in page.url                                             # still the same workspace
    page.get_by_role("tab", name="Delete").click()
    expect_selectbox(page, "Workspace to delete", f"{name} renamed")          # the open one is preselected

    page.goto(f"{server}/ai-systems?ws={ws}")
    wait_idle(page)
    for n in (1, 2):
        page.get_by_role("tab", name="Add a system").click()
        form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add AI system"))
        assert form.get_by_label("Name *").input_value() == ""                # nothing inherited from the last add
        form.get_by_label("Name *").fill(f"System {n} {tag}")
        page.get_by_role("button", name="Add AI system").click()
        wait_idle(page)
        no_exception(page, f"add AI system {n}")
        message(page, f"System {n} {tag}")
        expect_picker(page, f"{name} renamed")


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the main area's selectbox labelled `label`."""
    page.locator(f"[data-testid='stMain'] [role='combobox'][aria-label='{label}']").first.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_duplicate_archive_restore_and_delete_a_workspace(server, page):
    """Every button of the Workspaces page's other tabs, as a user presses them: after each, no
    exception box, the message says what happened and the pickers show the saved state."""
    tag = uuid.uuid4().hex[:6]
    name, copy = f"Lifecycle {tag}", f"Lifecycle {tag} (copy)"
    new_workspace(page, server, name)
    expect_picker(page, name)

    page.get_by_role("tab", name="Duplicate").click()
    assert page.get_by_label(f"Name of the copy of {name}").input_value() == copy       # proposed, editable
    page.get_by_role("button", name="Duplicate", exact=True).click()
    wait_idle(page)
    no_exception(page, "duplicate a workspace")
    message(page, f"Duplicated into {copy}")
    expect_picker(page, copy)                                                  # the copy is open

    page.get_by_role("tab", name="Archive or restore").click()
    expect_selectbox(page, "Workspace", copy)                                  # the open one is preselected
    choose(page, "Workspace", name)
    page.get_by_role("button", name="Archive", exact=True).click()
    wait_idle(page)
    no_exception(page, "archive a workspace")
    message(page, f"{name} archived")
    page.get_by_role("tab", name="Archive or restore").click()
    choose(page, "Workspace", f"{name} (archived)")
    page.get_by_role("button", name="Restore", exact=True).click()
    wait_idle(page)
    no_exception(page, "restore a workspace")
    message(page, f"{name} restored")

    page.get_by_role("tab", name="Delete").click()
    choose(page, "Workspace to delete", name)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Delete for good"))
    form.get_by_label("Type the workspace name to confirm").fill("not the name")
    page.get_by_role("button", name="Delete for good").click()
    wait_idle(page)
    no_exception(page, "delete with a wrong confirmation")
    assert page.locator("[data-testid='stAlert']").filter(has_text="not deleted").count() or \
        page.locator("[data-testid='stAlert']").filter(has_text="Please fix").count()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Delete for good"))
    form.get_by_label("Type the workspace name to confirm").fill(name)
    page.get_by_role("button", name="Delete for good").click()
    wait_idle(page)
    no_exception(page, "delete a workspace")
    message(page, f"Deleted {name}")
    expect_picker(page, copy)                                                  # the open workspace stays open


def test_without_a_configured_user_the_name_is_asked_once(laptop_server, page):
    """A laptop start (no AIMS_USER): the sidebar asks who is working; a blank name is refused with
    a message, a name given is shown instead of the question and kept after a reload."""
    page.goto(laptop_server + "/")
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Who is working?").wait_for()
    sidebar.get_by_role("button", name="Save my name").click()
    wait_idle(page)
    no_exception(page, "save a blank name")
    assert sidebar.get_by_text("Your name is required").count() == 1
    sidebar.get_by_label("Your name").fill("Jane Doe")
    sidebar.get_by_role("button", name="Save my name").click()
    wait_idle(page)
    no_exception(page, "save a name")
    message(page, "Changes are now recorded as Jane Doe")
    assert sidebar.get_by_text("Who is working?").count() == 0
    page.reload()
    wait_idle(page)
    sidebar.get_by_role("button", name="Changes recorded as: Jane Doe").wait_for()


def test_the_members_tab_of_a_single_user_app_says_when_members_apply(server, page):
    """Without sign-in the Members tab explains that members and roles come with sign-in (no
    member forms), and it stays open when the page reruns for another workspace."""
    tag = uuid.uuid4().hex[:6]
    new_workspace(page, server, f"Solo {tag}")
    page.get_by_role("tab", name="Members").click()
    wait_idle(page)
    no_exception(page, "open the Members tab")
    message(page, "Members and roles apply once sign-in is configured")
    assert page.get_by_text("Serving a team").count() == 1
    assert page.get_by_role("button", name="Add member").count() == 0
    sidebar = page.locator("[data-testid='stSidebar']")
    pick(page, sidebar, "Workspace (client engagement)", "Northwind")
    wait_idle(page)
    no_exception(page, "switch workspace on the Members tab")
    expect_picker(page, "Northwind Lending (demo)")
    assert page.get_by_role("tab", name="Members").get_attribute("aria-selected") == "true"
    message(page, "Members and roles apply once sign-in is configured")
