"""Helpers for the browser tests."""


def wait_idle(page, delay_ms: int = 250) -> None:
    """Wait the way Streamlit's own e2e suite does: debounce, connected, script not running."""
    page.wait_for_timeout(delay_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def message(page, text, timeout: int = 30_000):
    """The visible message that contains `text` (a string or a regex): a message box (st.success,
    st.error, ...) or the toast of a save. A save shows both; either can be gone by the time a
    slow page is looked at (the toast after a few seconds, the box on any later rerun), so either
    one counts. On a timeout the assertion lists the messages the page does show."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    shown = page.locator("[data-testid='stAlert'], [data-testid='stToast']")
    found = shown.filter(has_text=text).filter(visible=True).first
    try:
        found.wait_for(state="visible", timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"no message {text!r} on the page; it shows: {shown.all_inner_texts()}") from None
    return found


def no_exception(page, action: str) -> None:
    """Fail, naming the page and the action, when the page shows an exception box."""
    boxes = page.locator("[data-testid='stException']")
    if boxes.count():
        raise AssertionError(f"exception on {page.url} after '{action}': {boxes.first.inner_text()[:600]}")


def selectbox_value(page, label: str, where: str = "stMain") -> str:
    """The option a selectbox shows (its combobox's text), found by its label in the main area
    ('stMain') or the sidebar ('stSidebar')."""
    return page.locator(f"[data-testid='{where}'] [role='combobox'][aria-label='{label}']").first.input_value()


def expect_selectbox(page, label: str, value: str, where: str = "stMain", timeout: int = 15_000) -> None:
    """Wait until the selectbox labelled `label` shows `value` (the page may still be drawing)."""
    from playwright.sync_api import expect

    box = page.locator(f"[data-testid='{where}'] [role='combobox'][aria-label='{label}']").first
    expect(box).to_have_value(value, timeout=timeout)


def type_new_option(page, scope, label: str, text: str) -> None:
    """Type a value that is not an option yet into a selectbox that accepts new options (an
    owner picker), found by its label inside `scope` (a form or the page)."""
    box = scope.get_by_role("combobox", name=label, exact=True)
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    box.click()
    page.keyboard.type(text)
    page.wait_for_timeout(150)
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)


def type_date(page, scope, label: str, day: str) -> None:
    """Type an ISO date ('2027-02-01') into the date input labelled `label` inside `scope`: its
    year, month and day segments in turn (the field moves on by itself)."""
    year, month, dd = day.split("-")
    scope.get_by_role("spinbutton", name=f"year, {label}").click()
    for part in (year, month, dd):
        page.keyboard.type(part)
        page.wait_for_timeout(80)
    page.keyboard.press("Tab")


def pick(page, scope, label: str, text: str) -> None:
    """Choose the option containing `text` in the selectbox (or multiselect) labelled `label`
    inside `scope`, typing to narrow a long list first. Typed keys can be lost while the page is
    still settling after the click that opened the list, so a miss is retried from scratch."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = scope.locator(f"[role='combobox'][aria-label='{label}']").filter(visible=True).first
    option = page.get_by_role("option").filter(has_text=text).first
    for attempt in range(3):
        box.evaluate("el => el.scrollIntoView({block: 'center'})")
        box.click()
        page.wait_for_timeout(300)                  # the list opens (and an expander settles) first
        page.keyboard.type(text, delay=20)
        try:
            option.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)
    page.wait_for_timeout(150)
    option.click()
    page.wait_for_timeout(150)
def new_workspace(page, server: str, name: str) -> str:
    """Create a workspace through the Workspaces page's form, as a user does; returns its ID (the
    app opens it and puts it in the URL). Fails on an exception box."""
    page.goto(server + "/workspaces")
    wait_idle(page)
    page.get_by_role("tab", name="New workspace").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Create workspace"))
    form.get_by_label("Workspace name *", exact=True).fill(name)
    before = page.url
    page.get_by_role("button", name="Create workspace").click()
    wait_idle(page)
    no_exception(page, "create a workspace")
    # the app opens the new workspace (and puts it in the URL) on its next run: wait for that
    page.wait_for_function("before => window.location.href !== before", arg=before, timeout=15_000)
    wait_idle(page)
    return page.url.split("ws=")[1].split("&")[0]
