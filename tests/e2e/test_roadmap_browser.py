"""Browser journey on the Roadmap: the Gantt and the forecast show, an action added by hand is
found in the actions table, and the manager view draws its charts. Creates its own action (the
demo workspace is shared with other browser tests)."""
import time

from browser import message, wait_idle


def test_roadmap_plan_actions_and_manager_view(server, page):
    page.goto(server + "/roadmap")
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
    page.get_by_placeholder("e.g. Priya Shah (CRO)").fill("Browser Tester")
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
