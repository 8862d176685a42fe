"""Browser journey on the Management review page, in a workspace of its own: plan a review (its
inputs compiled, the form empty again), edit an input, mark the review held with top management,
add an action it decided, and find that action on the roadmap. After each step: no exception box,
the message says what happened, the user stays on the review and its tab."""
import uuid
from datetime import date

from browser import message, new_workspace, no_exception, type_date, type_new_option, wait_idle


def form_with(page, button: str):
    return page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name=button))


def test_plan_prepare_hold_and_act_on_a_management_review(server, page):
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Review client {tag}")
    page.goto(f"{server}/management-review?ws={ws}")
    wait_idle(page)
    no_exception(page, "open the management review page")
    assert "Management review" in page.locator("h1").first.inner_text()

    # plan: the form is open on an empty list, and starts empty
    today = date.today().isoformat()
    form = form_with(page, "Plan the review")
    assert form.get_by_role("spinbutton", name="year, Date *").get_attribute("aria-valuetext") == "Empty"
    type_date(page, form, "Date *", today)
    form.get_by_label("Invited", exact=True).fill("CEO, CRO, AI governance officer")
    page.get_by_role("button", name="Plan the review").click()
    wait_idle(page, 600)
    no_exception(page, "plan a review")
    message(page, f"Planned MR-001 for {today}")
    page.wait_for_url("**review=MR-001**")
    page.get_by_role("heading", name=f"MR-001 · planned for {today}").wait_for()
    page.get_by_text("Plan a review", exact=True).click()                       # folded once a review exists
    form = form_with(page, "Plan the review")
    assert form.get_by_label("Invited", exact=True).input_value() == ""        # the add form starts empty again
    assert form.get_by_role("spinbutton", name="year, Date *").get_attribute("aria-valuetext") == "Empty"
    readiness = page.get_by_label("AIMS performance: readiness and its trend", exact=True)
    assert readiness.input_value().startswith("Readiness: 0% (0 of 70 applicable requirements at target)")

    # prepare: edit one input, with a comment
    page.get_by_label("Changes in internal and external issues", exact=True).fill(
        "The regulator published guidance on AI in credit decisions.")
    page.get_by_label("Comment on Changes in internal and external issues", exact=True).fill("Legal to brief")
    page.get_by_role("button", name="Save the inputs").click()
    wait_idle(page)
    no_exception(page, "save the inputs")
    message(page, "Saved 2 changed fields to the inputs of MR-001")
    assert page.get_by_label("Changes in internal and external issues", exact=True).input_value() == (
        "The regulator published guidance on AI in credit decisions.")
    page.get_by_text("edited", exact=True).first.wait_for()

    # the meeting: held today, with top management
    page.get_by_role("tab", name="Meeting and outputs").click()
    wait_idle(page)
    page.wait_for_url("**review_tab=Meeting**")
    form = form_with(page, "Mark held")
    assert form.get_by_label("Attendees *", exact=True).input_value() == "CEO, CRO, AI governance officer"
    form.get_by_text("Top management was present").click()
    page.get_by_role("button", name="Mark held").click()
    wait_idle(page, 600)
    no_exception(page, "mark the review held")
    message(page, f"MR-001 is marked held on {today}.")
    page.get_by_role("heading", name=f"MR-001 · held on {today} with top management").wait_for()
    assert "review_tab=Meeting" in page.url and "review=MR-001" in page.url           # the user stays there

    # an output: an action onto the roadmap
    page.get_by_role("tab", name="Actions").click()
    wait_idle(page)
    title = f"Appoint a second internal auditor {tag}"
    form = form_with(page, "Add to the roadmap")
    form.get_by_label("Action *", exact=True).fill(title)
    type_new_option(page, form, "Owner", "Browser Tester")
    page.get_by_role("button", name="Add to the roadmap").click()
    wait_idle(page, 600)
    no_exception(page, "add an action to the roadmap")
    found = message(page, "to the roadmap, decided by MR-001")
    aid = found.inner_text().split("Added ")[1].split(" ")[0]
    assert form_with(page, "Add to the roadmap").get_by_label("Action *", exact=True).input_value() == ""
    assert "review_tab=Actions" in page.url
    page.locator("[data-testid='stDataFrame']").filter(has_text="Phase").first.wait_for()

    # the action is on the roadmap
    page.goto(f"{server}/roadmap?ws={ws}&roadmap_tab=Actions")
    wait_idle(page)
    no_exception(page, "open the roadmap")
    page.get_by_placeholder("ID, title, requirement, notes...").fill(title)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text("Showing 1 of 1 matching actions", exact=False).first.wait_for(state="visible")
    assert aid.startswith("ACT-")
