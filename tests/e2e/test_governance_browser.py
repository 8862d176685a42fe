"""Browser journey: name a person on the Governance page, add a document to the register, and
get the evidence request text for an owner. Creates its own records (the demo is shared)."""
import re
import uuid

from browser import message, new_workspace, no_exception, pick, wait_idle


def metric_value(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_people_documents_and_evidence_requests_in_the_browser(server, page):
    tag = uuid.uuid4().hex[:6]
    page.goto(server + "/governance?ws=1")
    wait_idle(page)
    assert "Governance" in page.locator("h1").first.inner_text()
    ws = page.url.split("ws=")[1].split("&")[0]
    assert metric_value(page, "AI policy").startswith("v1.")

    page.get_by_role("tab", name="Roles and RACI").click()
    page.get_by_text("Add a person", exact=True).click()
    page.get_by_label("Name *", exact=True).fill(f"Browser Tester {tag}")
    page.get_by_label("Job title", exact=True).fill("QA Analyst")
    page.get_by_role("button", name="Add person").click()
    wait_idle(page)
    message(page, f"Added Browser Tester {tag}.")

    page.goto(f"{server}/documents?ws={ws}")
    wait_idle(page)
    stage1 = metric_value(page, "Documentation in place")
    page.get_by_text("Add a document the organisation needs (7.5.1)").click()
    page.get_by_label("Document name *").fill(f"Browser checklist {tag}")
    page.get_by_role("button", name="Add document").click()
    wait_idle(page)
    message(page, re.compile(rf"Added Browser checklist {tag} to the register as D-\d+"))
    assert metric_value(page, "Documentation in place") == stage1  # added documents do not change Stage 1

    page.get_by_role("tab", name="Evidence requests").click()
    wait_idle(page)
    page.get_by_label("Requests for").click()
    page.keyboard.type("Priya")        # the list is longer than the drop-down shows
    page.get_by_role("option", name="Priya Shah (CRO)").click()
    wait_idle(page)
    code = page.locator("[data-testid='stCode']").first
    code.scroll_into_view_if_needed()
    assert "Dear Priya Shah," in code.inner_text()


def test_a_new_clients_policy_roles_and_training(server, page):
    """The Governance page's forms and buttons on a new workspace, each pressed once: record, edit
    and delete a draft policy; add the standard roles and a custom role; add, edit and delete a
    training session. After each: no exception box, the message says what happened, the user
    stays on the tab, add forms start empty."""

    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Governance client {tag}")

    page.goto(f"{server}/governance?ws={ws}")
    wait_idle(page)
    page.get_by_role("button", name="Record this version").click()
    wait_idle(page)
    no_exception(page, "record the AI policy")
    message(page, "AI policy version recorded")
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save version 1.0"))
    form.get_by_label("Title *").fill(f"AI policy of {tag}")
    page.get_by_role("button", name="Save version 1.0").click()
    wait_idle(page)
    no_exception(page, "save the draft policy")
    message(page, "Saved 1 changed field to version 1.0")
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save version 1.0"))
    assert form.get_by_label("Title *").input_value() == f"AI policy of {tag}"
    page.get_by_text("Delete draft version 1.0").click()
    page.get_by_role("button", name="Delete version 1.0").click()
    wait_idle(page)
    no_exception(page, "delete the draft policy")
    message(page, "Deleted draft version 1.0")

    page.get_by_role("tab", name="Roles and RACI").click()
    page.get_by_role("button", name=re.compile(r"Add the \d+ standard roles")).click()
    wait_idle(page)
    no_exception(page, "add the standard roles")
    message(page, re.compile(r"Added \d+ standard roles"))
    assert page.get_by_role("tab", name="Roles and RACI", selected=True).count() == 1
    page.get_by_text("Add a custom role", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add role"))
    form.get_by_label("Role name *").fill(f"Prompt librarian {tag}")
    page.get_by_role("button", name="Add role").click()
    wait_idle(page)
    no_exception(page, "add a custom role")
    message(page, f"Added the role Prompt librarian {tag}")
    if not page.get_by_role("button", name="Add role").is_visible():
        page.get_by_text("Add a custom role", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add role"))
    assert form.get_by_label("Role name *").input_value() == ""
    page.get_by_text("Remove a role", exact=True).click()
    pick(page, page.locator("[data-testid='stMain']"), "Role", f"Prompt librarian {tag}")
    wait_idle(page)
    page.get_by_role("button", name="Remove role", exact=True).click()
    wait_idle(page)
    no_exception(page, "remove a role")
    message(page, f"Removed the role Prompt librarian {tag}")

    if not page.get_by_role("button", name="Add person").is_visible():     # open when nobody is listed yet
        page.get_by_text("Add a person", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add person"))
    form.get_by_label("Name *", exact=True).fill(f"Mia Berg {tag}")
    page.get_by_role("button", name="Add person").click()
    wait_idle(page)
    no_exception(page, "add a person")
    message(page, f"Added Mia Berg {tag}")
    page.get_by_text("Remove a person", exact=True).click()
    pick(page, page.locator("[data-testid='stMain']"), "Person", f"Mia Berg {tag}")
    wait_idle(page)
    page.get_by_role("button", name="Remove person", exact=True).click()
    wait_idle(page)
    no_exception(page, "remove a person")
    message(page, f"Removed Mia Berg {tag}")

    page.get_by_role("tab", name="Training").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add session"))
    if not form.count():
        page.get_by_text("Add a session", exact=True).click()
        form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add session"))
    form.get_by_label("Topic *").fill(f"Bias testing {tag}")
    form.get_by_role("combobox", name="Audience (roles) *").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Add session").click()
    wait_idle(page)
    no_exception(page, "add a training session")
    message(page, f"Added the session Bias testing {tag}")
    assert page.get_by_role("tab", name="Training", selected=True).count() == 1
    page.get_by_text(re.compile(r"Edit or delete session TR-\d+")).first.click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save session"))
    form.get_by_label("Trainer").fill(f"Trainer {tag}")
    page.get_by_role("button", name="Save session").click()
    wait_idle(page)
    no_exception(page, "edit a training session")
    message(page, re.compile(r"Saved 1 changed field to session TR-\d+"))
    delete = page.get_by_role("button", name=re.compile(r"Delete session TR-\d+ and its attendance"))
    if not delete.is_visible():                          # the expander stays as the user left it
        page.get_by_text(re.compile(r"Edit or delete session TR-\d+")).first.click()
    delete.click()
    wait_idle(page)
    no_exception(page, "delete a training session")
    message(page, re.compile(r"Deleted session TR-\d+"))


def test_revise_and_review_the_policy_and_accept_proposed_risks(fresh_server, page):
    """On a server of its own (these change the demo): delete the demo's draft policy version and
    start a new one, record a review that changed nothing, accept every risk the impact assessments propose,
    and recreate the demo. After each: no exception box and the message says what happened."""

    page.goto(fresh_server + "/governance")
    wait_idle(page)
    page.get_by_text("Delete draft version 1.1").click()              # the demo has a draft under way
    page.get_by_role("button", name="Delete version 1.1").click()
    wait_idle(page)
    no_exception(page, "delete the draft")
    message(page, "Deleted draft version 1.1")
    page.get_by_role("button", name="Start the new version").click()
    wait_idle(page)
    no_exception(page, "start a new policy version")
    message(page, "Version 1.1 started as a draft")
    page.get_by_text("Record a review of version 1.0 that changed nothing (A.2.4)").click()
    page.get_by_role("button", name="Save the next review date").click()
    wait_idle(page)
    no_exception(page, "record a policy review")
    message(page, "Next review date saved")

    page.goto(fresh_server + "/risks")
    wait_idle(page)
    page.get_by_role("tab", name="From impact assessments").click()
    accept = page.get_by_role("button", name=re.compile(r"Accept all \d+ new"))
    assert accept.is_enabled()
    accept.click()
    wait_idle(page)
    no_exception(page, "accept the proposed risks")
    message(page, re.compile(r"Added \d+ risks? to the register"))
    page.get_by_role("tab", name="From impact assessments").click()
    assert page.get_by_role("button", name="Accept all 0 new").is_disabled()     # accepting again adds nothing

    page.goto(fresh_server + "/workspaces")
    wait_idle(page)
    page.get_by_role("tab", name="New workspace").click()
    page.get_by_role("button", name="Recreate the demo workspace").click()
    wait_idle(page, 600)
    no_exception(page, "recreate the demo")
    message(page, "The demo workspace was recreated")
