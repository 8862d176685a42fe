"""Browser journey through a nonconformity (ISO/IEC 42001 10.2): raise a major nonconformity, record
its correction and root cause, be told why it cannot close yet, create its corrective action and
find it on the roadmap, mark it done, verify it effective and close the finding. After every
step: no exception box, the message says what happened, and the user is still on the finding's
workflow. The add form starts empty again. Works in a workspace of its own."""
import re
import uuid
from datetime import date

from browser import message, new_workspace, no_exception, pick, type_date, type_new_option, wait_idle


def still_on(page, fid: str, title: str) -> None:
    """The finding stays open below the register, on its workflow tab."""
    page.locator("h3", has_text=f"{fid} {title}").first.wait_for(state="visible")
    tab = page.get_by_role("tab", name="Correction and closure")
    assert tab.get_attribute("aria-selected") == "true"


def form_with(page, button: str):
    return page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name=button))


def step(page, button: str, done: str, action: str) -> None:
    page.get_by_role("button", name=button).click()
    wait_idle(page, 500)
    no_exception(page, action)
    message(page, done)


def test_a_major_nonconformity_from_finding_to_verified_closure(server, page):
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Findings client {tag}")
    title = f"Risk assessment not repeated {tag}"

    page.goto(f"{server}/findings?ws={ws}")
    wait_idle(page)
    no_exception(page, "open the findings page")
    page.get_by_role("tab", name="Raise a finding").click()
    wait_idle(page)
    form = form_with(page, "Raise the finding")
    form.get_by_label("Title *", exact=True).fill(title)
    pick(page, form, "Grade *", "major nonconformity")
    pick(page, form, "Source *", "internal audit")
    pick(page, form, "Requirements (clauses or Annex A controls) *", "8.2 ")
    page.keyboard.press("Escape")
    type_new_option(page, form, "Owner", "Priya Shah")
    step(page, "Raise the finding", "Raised F-001", "raise a finding")
    fid = "F-001"
    still_on(page, fid, title)
    assert "finding=F-001" in page.url

    # the add form starts empty again
    page.get_by_role("tab", name="Raise a finding").click()
    wait_idle(page)
    assert form_with(page, "Raise the finding").get_by_label("Title *", exact=True).input_value() == ""
    page.get_by_role("tab", name="Register").click()
    wait_idle(page)
    still_on(page, fid, title)

    # correction and root cause
    cause = form_with(page, "Save correction and root cause")
    cause.get_by_label("Correction: what was done at once to contain and correct it").fill("Assessment repeated")
    cause.get_by_label("Root cause: why it happened, in words").fill("The change procedure has no trigger")
    step(page, "Save correction and root cause", f"Saved 2 changed fields to {fid}", "save the root cause")
    still_on(page, fid, title)

    # closing now is refused, with the reason
    form_with(page, "Close the finding").get_by_label("Closed by").fill("Ann Auditor")
    page.get_by_role("button", name="Close the finding").click()
    wait_idle(page, 500)
    no_exception(page, "close too early")
    message(page, "cannot be closed until its corrective action is verified effective")
    still_on(page, fid, title)

    # the corrective action, created on the roadmap
    step(page, "Create the corrective action", f"Created the corrective action for {fid}", "create the action")
    still_on(page, fid, title)
    linked = page.get_by_text(re.compile(r"ACT-\d+ · Corrective action F-001")).first.inner_text()
    aid = re.search(r"ACT-\d+", linked).group(0)

    roadmap = page.context.new_page()           # the roadmap in a second tab: this one stays where it is
    roadmap.goto(f"{server}/roadmap?ws={ws}&roadmap_tab=Actions")
    wait_idle(roadmap)
    no_exception(roadmap, "open the roadmap")
    roadmap.get_by_placeholder("ID, title, requirement, notes...").fill(f"Corrective action {fid}")
    roadmap.keyboard.press("Enter")
    wait_idle(roadmap)
    roadmap.get_by_text("Showing 1 of 1 matching actions", exact=False).first.wait_for(state="visible")
    roadmap.close()

    step(page, f"Mark {aid} done", f"{aid} is done", "mark the action done")
    still_on(page, fid, title)

    # verification of effectiveness
    verify = form_with(page, "Record the verification")
    verify.get_by_label("Verified by").fill("Ann Auditor")
    type_date(page, verify, "Verified on", date.today().isoformat())
    verify.get_by_text("effective", exact=True).click()
    step(page, "Record the verification", f"Recorded the verification of {fid}", "verify")
    still_on(page, fid, title)

    # closure
    form_with(page, "Close the finding").get_by_label("Closed by").fill("Ann Auditor")
    step(page, "Close the finding", f"Closed {fid}", "close the finding")
    still_on(page, fid, title)
    page.get_by_text("Closed by Ann Auditor on", exact=False).first.wait_for(state="visible")
    assert page.get_by_role("button", name="Reopen").is_visible()
