"""Browser journey through the audit cycle on the demo client (local mode): on the Audits page, record
a minor nonconformity on an item of the internal audit in progress and raise it as a finding from
the checklist (the user stays on the Checklist tab and the item; the finding form starts afresh),
follow the finding's link to the register, record its correction and root cause, create its
corrective action, and find that action on the Roadmap page. No exception box at any step."""
import re

from browser import message, no_exception, pick, wait_idle

AUDIT, ITEM = "AU-001", "A.3.2"          # the demo's internal audit in progress; an item not audited yet


def on_tab(page, name: str) -> bool:
    return page.get_by_role("tab", name=name, exact=True).get_attribute("aria-selected") == "true"


def form_with(page, button: str):
    return page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name=button, exact=True))


def on_the_item(page) -> None:
    """Still on the Checklist tab, with the item open."""
    assert on_tab(page, "Checklist")
    assert "audit=AU-001" in page.url
    box = page.locator("[data-testid='stMain'] [role='combobox'][aria-label='Checklist item']").first
    assert box.input_value().startswith(f"{ITEM} AI roles and responsibilities")


def test_an_audit_item_becomes_a_finding_and_its_corrective_action_reaches_the_roadmap(fresh_server, page):
    server = fresh_server
    page.goto(f"{server}/audits?audit={AUDIT}")
    wait_idle(page)
    no_exception(page, "open the Audits page on the demo")
    page.get_by_role("tab", name="Checklist", exact=True).click()
    wait_idle(page)
    no_exception(page, "open the Checklist tab")
    page.get_by_text("Questions to ask", exact=True).first.wait_for()
    pick(page, page.locator("[data-testid='stMain']"), "Checklist item", f"{ITEM} AI roles")
    wait_idle(page)

    # the result: a minor nonconformity, with the evidence sampled and what was found
    form = form_with(page, "Save the result")
    pick(page, form, "Result", "minor nonconformity")
    form.get_by_label("Evidence sampled", exact=True).fill("Role descriptions of the data stewards; the RACI")
    form.get_by_label("Notes", exact=True).fill("The data steward role has no deputy during absences.")
    form.get_by_role("button", name="Save the result", exact=True).click()
    wait_idle(page, 600)
    no_exception(page, "record a nonconformity on a checklist item")
    message(page, f"Saved 3 changed fields to {AUDIT} {ITEM}")
    on_the_item(page)

    # raised as a finding from the checklist
    raise_form = form_with(page, "Raise a finding")
    default_title = raise_form.get_by_label("Finding title *", exact=True).input_value()
    assert default_title == f"{ITEM} AI roles and responsibilities: minor nonconformity"
    title = "No deputy for the data steward role"
    raise_form.get_by_label("Finding title *", exact=True).fill(title)
    pick(page, raise_form, "Owner", "Aisha Karim")
    raise_form.get_by_role("button", name="Raise a finding", exact=True).click()
    wait_idle(page, 600)
    no_exception(page, "raise a finding from the checklist item")
    shown = message(page, re.compile(rf"Raised F-\d+ in the findings register from {AUDIT} {re.escape(ITEM)}"))
    fid = re.search(r"F-\d+", shown.inner_text()).group(0)
    assert fid == "F-005"                                     # the demo's register holds F-001 to F-004
    on_the_item(page)
    link = page.get_by_role("link", name=f"Finding {fid} in the findings register")
    link.wait_for()
    page.get_by_text(f"Raise a finding: minor nonconformity against {ITEM}", exact=True).click()   # folded once used
    page.wait_for_timeout(300)
    assert form_with(page, "Raise a finding").get_by_label("Finding title *", exact=True).input_value() == default_title

    # the register: correction and root cause, then the corrective action
    link.click()
    wait_idle(page, 600)
    no_exception(page, "open the finding from the checklist")
    assert f"finding={fid}" in page.url
    page.locator("h3", has_text=f"{fid} {title}").first.wait_for(state="visible")
    cause = form_with(page, "Save correction and root cause")
    cause.get_by_label("Correction: what was done at once to contain and correct it").fill(
        "A deputy named for the next quarter")
    cause.get_by_label("Root cause: why it happened, in words").fill("Role descriptions were written for people, "
                                                                     "not for roles")
    page.get_by_role("button", name="Save correction and root cause").click()
    wait_idle(page, 500)
    no_exception(page, "save the correction and root cause")
    message(page, f"Saved 2 changed fields to {fid}")
    page.get_by_role("button", name="Create the corrective action").click()
    wait_idle(page, 500)
    no_exception(page, "create the corrective action")
    message(page, f"Created the corrective action for {fid}")
    page.locator("h3", has_text=f"{fid} {title}").first.wait_for(state="visible")       # still on the finding
    assert page.get_by_role("tab", name="Correction and closure").get_attribute("aria-selected") == "true"
    linked = page.get_by_text(re.compile(rf"ACT-\d+ · Corrective action {fid}")).first.inner_text()
    action = re.search(r"ACT-\d+", linked).group(0)

    # the action on the roadmap
    page.goto(f"{server}/roadmap?roadmap_tab=Actions")
    wait_idle(page)
    no_exception(page, "open the roadmap")
    page.get_by_placeholder("ID, title, requirement, notes...").fill(f"Corrective action {fid}")
    page.keyboard.press("Enter")
    wait_idle(page)
    no_exception(page, "search the roadmap")
    page.get_by_text("Showing 1 of 1 matching actions", exact=False).first.wait_for(state="visible")
    page.get_by_text(action, exact=True).first.wait_for(state="attached")
