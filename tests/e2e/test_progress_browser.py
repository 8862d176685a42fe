"""The Progress page in Chromium: take a baseline on a workspace of the test's own, change a
rating, see the change against the baseline, download the comparison, rename and delete the
baseline. Every press is checked for an exception box, the saved state and the page kept."""
import io
import uuid

import openpyxl
from browser import message, new_workspace, no_exception, wait_idle


def press(page, name: str, action: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_idle(page)
    no_exception(page, action)


def test_take_compare_download_rename_and_delete_a_baseline(server, page, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 900})
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Progress client {tag}")
    page.goto(f"{server}/progress?ws={ws}")
    wait_idle(page)
    no_exception(page, "open the Progress page")
    assert page.get_by_text("No baseline yet.", exact=False).first.is_visible()

    page.get_by_label("Baseline name *").fill("Kick-off")
    page.get_by_label("Note").first.fill("First workshop")
    press(page, "Take baseline", "take a baseline")
    message(page, "Baseline B-001 Kick-off taken")
    assert page.get_by_label("Baseline name *").input_value() == ""          # the add form starts empty
    assert "/progress" in page.url and f"ws={ws}" in page.url                 # the user stays where they were
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("Baselines (1)").is_visible()

    # a duplicate name is refused, with what was typed kept
    page.get_by_label("Baseline name *").fill("KICK-OFF")
    press(page, "Take baseline", "take a baseline with a name already used")
    message(page, "already exists")
    assert page.get_by_label("Baseline name *").input_value() == "KICK-OFF"

    # rate a requirement on the gap analysis, then come back: the change is listed against the baseline
    page.goto(f"{server}/gap-analysis?ws={ws}&req=4.1")
    wait_idle(page)
    page.get_by_text("3 Defined", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    no_exception(page, "rate 4.1")
    message(page, "Saved")
    page.goto(f"{server}/progress?ws={ws}")
    wait_idle(page)
    no_exception(page, "compare with now")
    tab = page.get_by_role("tab", name="Requirements (1)")
    assert tab.is_visible()
    assert main.locator("[data-testid='stMetric']", has_text="Assessed").locator(
        "[data-testid='stMetricDelta']").inner_text().strip().endswith("pts")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the comparison (Excel)").click()
    wb = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert wb.sheetnames[:2] == ["Summary", "Requirements"]
    assert [c.value for c in wb["Requirements"][3]][:3] == ["4.1", "Understanding the organization and its context",
                                                            "newly assessed"]
    no_exception(page, "download the comparison")

    page.get_by_text("Rename or delete a baseline").click()
    name = page.get_by_label("Name *", exact=True)
    name.fill("Kick-off workshop")
    press(page, "Save name and note", "rename the baseline")
    message(page, "Baseline B-001 saved as Kick-off workshop.")
    assert main.get_by_text("Kick-off workshop").first.is_visible()
    confirm = page.get_by_text("Yes, delete B-001", exact=False)
    if not confirm.is_visible():
        page.get_by_text("Rename or delete a baseline").click()          # the save closed the expander
    confirm.click()
    wait_idle(page)
    press(page, "Delete baseline", "delete the baseline")
    message(page, "Baseline B-001 deleted.")
    assert page.get_by_text("No baseline yet.", exact=False).first.is_visible()
