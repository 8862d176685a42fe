"""Browser journey on the Roadmap: the Gantt and the forecast show, an action added by hand is
found in the actions table, and the manager view draws its charts. Creates its own action (the
demo workspace is shared with other browser tests)."""
import time

from browser import message, new_workspace, no_exception, pick, selectbox_value, type_date, type_new_option, wait_idle


def test_roadmap_plan_actions_and_manager_view(server, page):
    page.goto(server + "/roadmap?ws=1")
    wait_idle(page)
    assert "Roadmap to certification" in page.locator("h1").first.inner_text()
    page.get_by_text("Forecast.", exact=False).first.wait_for(state="visible")
    page.wait_for_selector(".js-plotly-plot")
    page.get_by_text("Roadmap by phase").first.wait_for(state="visible")    # the Gantt's title
    ws = page.url.split("ws=")[1].split("&")[0]

    page.get_by_role("tab", name="Actions").click()
    wait_idle(page)
    page.wait_for_url("**roadmap_tab=Actions**")
    assert "roadmap_tab=Actions" in page.url                                 # a link reopens this tab
    title = f"Brief the board on AI risk appetite {int(time.time())}"
    page.get_by_text("Add an action by hand").click()
    page.get_by_label("Title *").fill(title)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add action"))
    type_new_option(page, form, "Owner", "Browser Tester")
    page.get_by_role("button", name="Add action").click()
    wait_idle(page)
    message(page, "Added ACT-")

    page.get_by_placeholder("ID, title, requirement, notes...").fill(title)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text("Showing 1 of 1 matching actions", exact=False).first.wait_for(state="visible")

    page.goto(f"{server}/roadmap?ws={ws}&roadmap_tab=Manager%20view")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot")
    for chart_title in ("Progress per phase", "Burn-up: planned against done effort", "Workload per owner"):
        page.get_by_text(chart_title, exact=False).first.wait_for(state="visible")
    page.get_by_text("Browser Tester", exact=False).first.wait_for()       # the new owner has work left


def test_a_new_clients_roadmap_generate_phases_replan_and_effort(server, page):
    """A new workspace's roadmap, every button of its Plan set-up pressed once: generate actions
    (with the not-assessed ones), add and drop a phase, re-plan, save the effort scale. After each:
    no exception box, the message says what happened, the user stays on the tab."""
    import uuid


    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Roadmap client {tag}")

    page.goto(f"{server}/roadmap?ws={ws}&roadmap_tab=Actions")
    wait_idle(page)
    no_exception(page, "open a new client's roadmap")
    page.get_by_text("Also plan the rating of requirements not assessed yet").click()
    wait_idle(page)
    page.get_by_role("button", name="Generate actions from gaps").click()
    wait_idle(page, 600)
    no_exception(page, "generate actions from gaps")
    message(page, "Created 70 actions from the gaps")          # a new client: every requirement to rate
    page.get_by_role("button", name="Generate actions from gaps").click()
    wait_idle(page, 600)
    message(page, "Created 0 actions from the gaps")            # a second run duplicates nothing

    page.get_by_text("Edit one action's links, or delete it").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save links"))
    aid = selectbox_value(page, "Action").split(" ")[0]            # the action the picker opened with
    pick(page, form, "Requirements or controls", "A.10.4 Customers")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save links").click()
    wait_idle(page)
    no_exception(page, "save an action's links")
    message(page, f"Saved 1 changed field to the links of {aid}")
    page.get_by_text(f"Yes, delete {aid} for good").click()
    wait_idle(page)
    page.get_by_role("button", name="Delete this action").click()
    wait_idle(page)
    no_exception(page, "delete an action")
    message(page, f"Deleted {aid}")

    page.goto(f"{server}/roadmap?ws={ws}&roadmap_tab=Phases%20and%20effort")
    wait_idle(page)
    page.get_by_text("Add a phase", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add phase"))
    form.get_by_label("Name *").fill(f"Supplier reviews {tag}")
    for label, day in (("Start *", "2027-02-01"), ("Finish *", "2027-03-01")):
        type_date(page, form, label, day)
    page.get_by_role("button", name="Add phase").click()
    wait_idle(page)
    no_exception(page, "add a phase")
    message(page, f"Supplier reviews {tag}")
    assert page.get_by_role("tab", name="Phases and effort", selected=True).count() == 1

    page.get_by_text("Drop a phase", exact=True).click()
    pick(page, page.locator("[data-testid='stMain']"), "Phase to drop", f"Supplier reviews {tag}")  # a long list
    wait_idle(page)
    page.get_by_role("button", name="Drop the phase").click()
    wait_idle(page)
    no_exception(page, "drop a phase")
    message(page, "Dropped")

    page.get_by_text("Re-plan the default phases from the target date").click()
    page.get_by_role("button", name="Re-plan the phases").click()
    wait_idle(page)
    no_exception(page, "re-plan the phases")
    message(page, "Re-planned the phases")

    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save the effort scale"))
    form.get_by_role("spinbutton", name="XL: person-days").fill("25")
    page.get_by_role("button", name="Save the effort scale").click()
    wait_idle(page)
    no_exception(page, "save the effort scale")
    message(page, "Saved the effort scale (1 size changed)")
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save the effort scale"))
    assert form.get_by_role("spinbutton", name="XL: person-days").input_value() == "25"
