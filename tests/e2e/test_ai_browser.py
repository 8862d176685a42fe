"""Browser journey: add an AI system, classify it as high-risk, see it on the overview."""
from browser import message, no_exception, selectbox_value, wait_idle


def add_system(server, page, name: str) -> tuple[str, str]:
    """Add an AI system through the inventory's form; returns (workspace ID, system ID)."""
    page.goto(server + "/ai-systems")
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
    page.get_by_text("Area 5, essential private and public services", exact=False).first.click()
    page.get_by_text("Does the system profile natural persons", exact=False).first.click()
    page.get_by_role("button", name="Classify and save").click()
    wait_idle(page)
    page.get_by_text("Result: HIGH-RISK").first.wait_for(state="visible")
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

    # answer a question of the second section and save it: that section stays open
    page.get_by_role("tab", name="Intended and unintended uses").click()
    panel = page.get_by_role("tabpanel").filter(visible=True).filter(
        has=page.get_by_role("button", name="Save this section")).first
    panel.get_by_role("radio").nth(1).check(force=True)
    panel.get_by_role("button", name="Save this section").click()
    wait_idle(page)
    no_exception(page, "save a section")
    message(page, "Saved the section Intended and unintended uses")
    selected = page.get_by_role("tab", selected=True).all_inner_texts()
    assert any(s.startswith("Intended and unintended uses") for s in selected), selected
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
