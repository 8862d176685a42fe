"""Browser journey on the Audits page of a new client: add an internal audit in the Programme tab's
form (the form starts empty again, the user stays on the tab), generate its checklist on the
Checklist tab and record a result for an item (the user stays on the tab); no exception box
anywhere."""
import uuid

from browser import message, new_workspace, no_exception, pick, wait_idle


def on_tab(page, name: str) -> bool:
    return page.get_by_role("tab", name=name, exact=True).get_attribute("aria-selected") == "true"


def test_an_audit_its_checklist_and_a_result(server, page):
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Audit client {tag}")
    page.goto(f"{server}/audits?ws={ws}")
    wait_idle(page)
    no_exception(page, "open the Audits page")
    assert on_tab(page, "Programme")

    title = f"Internal audit of the AI policy {tag}"
    add = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add the audit"))
    add.get_by_label("Title *", exact=True).fill(title)
    pick(page, add, "Requirements in scope (clauses and Annex A controls)", "5.2 AI policy")
    page.keyboard.press("Escape")
    add.get_by_label("Audit team", exact=True).fill("Tom Becker")
    page.get_by_role("button", name="Add the audit").click()
    wait_idle(page, 600)
    no_exception(page, "add an audit")
    message(page, f"Added AU-001 {title}")
    assert on_tab(page, "Programme")
    page.get_by_role("heading", name=f"AU-001 {title}").wait_for()        # the new audit is open
    page.get_by_text("Add an audit", exact=True).click()                     # the add form, folded once used
    page.wait_for_timeout(300)
    assert add.get_by_label("Title *", exact=True).input_value() == ""      # it starts empty again

    page.get_by_role("tab", name="Checklist", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Generate the checklist").click()
    wait_idle(page, 600)
    no_exception(page, "generate the checklist")
    message(page, "Checklist of AU-001: 1 item added")
    assert on_tab(page, "Checklist")
    page.get_by_text("Questions to ask", exact=True).wait_for()

    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save the result"))
    pick(page, form, "Result", "conforming")
    form.get_by_label("Evidence sampled", exact=True).fill("AI policy v1.2, approved 2026-05-04")
    page.get_by_role("button", name="Save the result").click()
    wait_idle(page, 600)
    no_exception(page, "record a result")
    message(page, "Saved 2 changed fields to AU-001 5.2")
    assert on_tab(page, "Checklist")
    page.get_by_text("1 of 1", exact=True).wait_for()                       # items audited
