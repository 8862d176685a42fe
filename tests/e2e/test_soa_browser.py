"""Browser journey on the Statement of Applicability: record the version and its approval, see
the header follow, and download the CSV. Uses a workspace of its own (the demo is shared)."""
import uuid

from browser import message, new_workspace, no_exception, type_date, wait_idle


def test_version_and_approval_are_saved_and_shown(server, page):
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"SoA client {tag}")

    page.goto(f"{server}/soa?ws={ws}")
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save version and approval"))
    assert form.get_by_label("SoA version").input_value() == ""           # a new client: open, empty
    form.get_by_label("SoA version").fill("1.0")
    form.get_by_label("Approved by (name and role)").fill(f"Dana Lee {tag} (CEO)")
    type_date(page, form, "Approval date", "2026-11-02")
    page.get_by_role("button", name="Save version and approval").click()
    wait_idle(page)
    no_exception(page, "save the SoA version")
    message(page, "SoA version and approval saved")
    card = page.locator("[data-testid='stMetric']", has_text="SoA version").first
    assert card.locator("[data-testid='stMetricValue']").inner_text().strip().startswith("1.0")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the SoA as CSV").click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    assert "A.2.2" in text and "A.10.4" in text
