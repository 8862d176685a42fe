"""Browser journey for the AI risk register: add a risk in the form, then find it again by clicking
its cell in the inherent and in the current heatmap (Plotly selection through Streamlit)."""
import re

from browser import message, new_workspace, no_exception, wait_idle

TITLE = "Browser check: model card missing for auditors"


def choose(page, form, label: str, option: str) -> None:
    """Pick an option of a selectbox. It is centred first: at the very bottom of the viewport the
    list does not open."""
    box = form.get_by_role("combobox", name=label, exact=True)
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(150)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def click_cell(page, chart_index: int, likelihood: int, impact: int) -> None:
    """Click the centre of a cell of the n-th heatmap (likelihood up, impact right)."""
    chart = page.locator("[data-testid='stPlotlyChart']").nth(chart_index)
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    x = box["x"] + (impact - 0.5) / 5 * box["width"]
    y = box["y"] + (5 - likelihood + 0.5) / 5 * box["height"]
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    wait_idle(page, 600)


def test_a_risk_added_in_the_browser_is_found_by_clicking_its_heatmap_cells(server, page):
    page.goto(server + "/risks?ws=1")
    wait_idle(page)
    ws = page.url.split("ws=")[1].split("&")[0]
    page.get_by_role("tab", name="Add a risk").click()
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("Title *").fill(TITLE)
    choose(page, form, "Inherent likelihood *", "1 Rare")
    choose(page, form, "Inherent impact *", "5 Severe")
    choose(page, form, "Treatment", "mitigate")
    choose(page, form, "Planned residual likelihood", "1 Rare")
    choose(page, form, "Planned residual impact", "4 Major")
    page.get_by_role("button", name="Add risk").click()
    wait_idle(page, 600)
    added = message(page, re.compile(r"Added R-\d+")).inner_text()
    rid = re.search(r"R-\d+", added).group(0)

    # a fresh register (no risk open), narrowed to our risk by the search box
    page.goto(f"{server}/risks?ws={ws}")
    wait_idle(page)
    page.get_by_role("textbox", name="Search").fill(TITLE)
    page.keyboard.press("Enter")
    wait_idle(page, 600)
    assert page.get_by_text("Showing 1 of", exact=False).first.is_visible()

    click_cell(page, 0, 1, 5)
    assert page.get_by_text("Showing the 1 risk in the inherent cell likelihood 1 Rare x impact 5 Severe",
                            exact=False).first.is_visible()

    # selecting the row opens the risk below the table
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    wait_idle(page, 600)
    assert page.locator("h3", has_text=f"{rid} {TITLE}").first.is_visible()

    # the current map, side by side: the treatment is planned, not implemented, so the risk is still at
    # its inherent rating there (likelihood 1 x impact 5), not at the planned residual 1 x 4
    click_cell(page, 1, 1, 5)
    assert page.get_by_text("Showing the 1 risk in the current cell likelihood 1 Rare x impact 5 Severe",
                            exact=False).first.is_visible()
    click_cell(page, 1, 1, 5)  # the same cell again clears the filter
    assert page.get_by_text("Showing the", exact=False).count() == 0
    assert page.get_by_text("Showing 1 of", exact=False).first.is_visible()
    click_cell(page, 1, 1, 4)  # the planned residual cell: nothing listed yet
    assert page.get_by_text("Showing the 0 risks in the current cell", exact=False).first.is_visible()

    page.get_by_role("button", name="Clear cell filter").click()
    wait_idle(page, 600)
    assert page.get_by_text("Showing the", exact=False).count() == 0
    assert page.get_by_text("Showing 1 of", exact=False).first.is_visible()


def test_edit_close_delete_a_risk_and_change_the_criteria(server, page):
    """The open risk's buttons and the criteria form, each pressed once on a workspace of the
    test's own: after each, no exception box, the message says what happened, the form and the
    heading show the saved values."""
    import uuid


    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Risk client {tag}")

    page.goto(f"{server}/risks?ws={ws}")
    wait_idle(page)
    page.get_by_role("tab", name="Add a risk").click()
    form = page.locator("[data-testid='stForm']").first
    form.get_by_label("Title *").fill(f"Drift unnoticed {tag}")
    choose(page, form, "Inherent likelihood *", "3 Possible")
    choose(page, form, "Inherent impact *", "4 Major")
    page.get_by_role("button", name="Add risk").click()
    wait_idle(page, 600)
    no_exception(page, "add a risk")
    rid = re.search(r"R-\d+", message(page, re.compile(r"Added R-\d+")).inner_text()).group(0)

    page.goto(f"{server}/risks?ws={ws}&risk={rid}")
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save changes"))
    form.get_by_label("Title *").fill(f"Model drift unnoticed {tag}")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    no_exception(page, "edit a risk")
    message(page, f"Saved 1 changed field to {rid}")
    assert page.locator("h3").filter(has_text=f"{rid} Model drift unnoticed {tag}").count() == 1
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save changes"))
    assert form.get_by_label("Title *").input_value() == f"Model drift unnoticed {tag}"

    page.get_by_role("button", name="Close", exact=True).click()
    wait_idle(page)
    no_exception(page, "close the open risk")
    assert "risk=" not in page.url and page.locator("h3").filter(has_text=rid).count() == 0

    page.get_by_role("tab", name="Risk criteria").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save risk criteria"))
    form.get_by_role("spinbutton", name="Review every (months)").fill("6")
    page.get_by_role("button", name="Save risk criteria").click()
    wait_idle(page)
    no_exception(page, "save the risk criteria")
    message(page, "Saved 1 changed field to the risk criteria")
    page.get_by_role("tab", name="Risk criteria").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save risk criteria"))
    assert form.get_by_role("spinbutton", name="Review every (months)").input_value() == "6"
    page.get_by_role("button", name="Restore the default criteria").click()
    wait_idle(page)
    no_exception(page, "restore the default criteria")
    message(page, "Restored the default risk criteria")

    page.goto(f"{server}/risks?ws={ws}&risk={rid}")
    wait_idle(page)
    page.get_by_text("Delete this risk", exact=True).click()
    page.get_by_text(f"Yes, delete {rid}").click()
    wait_idle(page)
    page.get_by_role("button", name="Delete risk").click()
    wait_idle(page)
    no_exception(page, "delete a risk")
    message(page, f"Deleted {rid}")
