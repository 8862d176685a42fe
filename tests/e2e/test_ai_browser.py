"""Browser journey: add an AI system, classify it as high-risk, see it on the overview."""
from browser import message, no_exception, selectbox_value, wait_idle


def add_system(server, page, name: str) -> tuple[str, str]:
    """Add an AI system through the inventory's form; returns (workspace ID, system ID)."""
    page.goto(server + "/ai-systems?ws=1")
    wait_idle(page)
    ws = page.url.split("ws=")[1].split("&")[0]
    page.get_by_role("tab", name="Add a system").click()
    page.get_by_label("Name *").fill(name)
    page.get_by_role("button", name="Add AI system").click()
    wait_idle(page)
    no_exception(page, "add an AI system")
    message(page, "Added AIS-")
    return ws, page.url.split("system=")[1].split("&")[0]


def test_add_classify_and_see_it_on_the_overview(server, page):
    ws, system_id = add_system(server, page, "Browser test: tenant screening")

    page.goto(f"{server}/ai-act?ws={ws}&system={system_id}")
    wait_idle(page)
    page.get_by_text("Creditworthiness: does the system evaluate", exact=False).first.click()
    page.get_by_text("Does the system profile natural persons", exact=False).first.click()
    page.get_by_role("button", name="Classify and save").click()
    wait_idle(page)
    page.get_by_text("Result: HIGH-RISK · Annex III 5(b)").first.wait_for(state="visible")
    no_exception(page, "classify and save")
    assert "(high-risk)" in selectbox_value(page, "AI system"), selectbox_value(page, "AI system")   # not the old label

    page.goto(f"{server}/?ws={ws}")
    wait_idle(page)
    link = page.get_by_text("Browser test: tenant screening", exact=False).first
    link.wait_for(state="visible")   # listed under high-risk systems without an approved impact assessment


def test_the_version_picker_follows_the_status_of_an_impact_assessment(server, page):
    ws, system_id = add_system(server, page, "Browser test: chatbot triage")

    page.goto(f"{server}/impact?ws={ws}&system={system_id}")
    wait_idle(page)
    page.get_by_role("button", name="Start the impact assessment").click()
    wait_idle(page)
    no_exception(page, "start the impact assessment")
    assert "(draft)" in selectbox_value(page, "Version")

    # the page opens on the assessment's context: describe its scope and save it
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save the context"))
    form.get_by_role("textbox", name="What this assessment covers").fill("Triage of incoming chats, first release")
    form.get_by_role("button", name="Save the context").click()
    wait_idle(page)
    no_exception(page, "save the context")
    message(page, "Saved 1 changed field to the context of IA-")
    assert form.get_by_role("textbox", name="What this assessment covers").input_value() == "Triage of incoming chats, first release"

    # answer a question of the second section and save it: that section stays open
    pills = page.locator("[data-testid='stButtonGroup']").filter(has_text="Intended and unintended uses")
    pills.get_by_role("radio").filter(has_text="Intended and unintended uses").click()
    wait_idle(page)
    panel = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save this section"))
    panel.get_by_role("radio").nth(1).check(force=True)
    panel.get_by_role("button", name="Save this section").click()
    wait_idle(page)
    no_exception(page, "save a section")
    message(page, "Saved the section Intended and unintended uses")
    selected = pills.get_by_role("radio", checked=True).all_inner_texts()
    assert len(selected) == 1 and selected[0].startswith("Intended and unintended uses"), selected
    # every section is on screen at 1440 px (the pills wrap; tabs ran off the right edge)
    box = pills.bounding_box()
    assert box["x"] + box["width"] <= 1440 and all(b.is_visible() for b in pills.get_by_role("radio").all())
    page.get_by_role("button", name="Send for review").click()
    wait_idle(page)
    no_exception(page, "send for review")
    message(page, "Sent for review")
    assert "(in review)" in selectbox_value(page, "Version"), selectbox_value(page, "Version")
    assert f"system={system_id}" in page.url                    # still on the same system

    # approving without an approver: the popover stays open and says what is missing
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_role("button", name="Approve this version").click()
    wait_idle(page)
    no_exception(page, "approve without an approver")
    assert page.get_by_role("button", name="Approve this version").is_visible()
    message(page, "Approver is required")
    assert "(in review)" in selectbox_value(page, "Version")   # nothing was approved


def test_a_name_with_markdown_shows_as_typed(server, page):
    """A system named with markdown shows its characters, not bold text or a link, in the save
    message and in the heading of its detail view."""
    name = "**Bold** [link](http://example.org) :red[x] _sb_"
    ws, system_id = add_system(server, page, name)
    text = message(page, "Added AIS-").inner_text().replace("\u2060", "")   # joiners that stop autolinks
    assert name in text, text
    page.goto(f"{server}/ai-systems?ws={ws}&system={system_id}")
    wait_idle(page)
    heading = page.locator("[data-testid='stMain'] h3").filter(has_text="Bold").first
    assert heading.inner_text().replace("\u2060", "").strip() == f"{system_id} {name}"
    assert heading.locator("strong, em, a[href*='example.org']").count() == 0


def test_a_re_assessment_starts_from_the_approved_version(server, page):
    """The demo's approved assessment of AIS-001: 'Start a re-assessment' opens a new draft version
    (the picker says so at once) with the approved answers, and the approved one stays listed."""
    page.goto(f"{server}/impact?ws=1&system=AIS-001")
    wait_idle(page)
    assert "(approved)" in selectbox_value(page, "Version")
    page.get_by_role("button", name="Start a re-assessment").click()
    wait_idle(page)
    no_exception(page, "start a re-assessment")
    message(page, "Re-assessment started from the approved answers")
    assert "(draft)" in selectbox_value(page, "Version"), selectbox_value(page, "Version")
    assert page.get_by_text("41 of 41").count() >= 1                     # the approved answers carried over
