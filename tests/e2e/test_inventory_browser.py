"""Browser journey on the AI system inventory: edit a system (the form shows the saved values
afterwards), retire it (still listed when retired ones are shown), and import systems from a
pasted CSV (a bad row is refused with its problem, nothing imported; a good one is imported and
the paste box starts empty). Creates its own systems (the demo is shared)."""
import uuid

from browser import message, no_exception, wait_idle


def add(page, server, name: str) -> tuple[str, str]:
    page.goto(server + "/ai-systems?ws=1")
    wait_idle(page)
    ws = page.url.split("ws=")[1].split("&")[0]
    page.get_by_role("tab", name="Add a system").click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add AI system"))
    form.get_by_label("Name *").fill(name)
    page.get_by_role("button", name="Add AI system").click()
    wait_idle(page)
    no_exception(page, "add an AI system")
    return ws, page.url.split("system=")[1].split("&")[0]


def test_edit_retire_and_import_systems(server, page):
    tag = uuid.uuid4().hex[:6]
    ws, sid = add(page, server, f"Fraud scorer {tag}")
    page.goto(f"{server}/ai-systems?ws={ws}&system={sid}")
    wait_idle(page)
    page.get_by_text("Edit this system", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save changes"))
    form.get_by_label("Vendor").fill(f"Acme Models {tag}")
    form.get_by_label("Description").fill("Scores card payments for fraud.")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    no_exception(page, "edit an AI system")
    message(page, f"Saved 2 changed fields to {sid}")
    assert f"system={sid}" in page.url                                          # still on the same system
    page.get_by_text("Edit this system", exact=True).click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save changes"))
    assert form.get_by_label("Vendor").input_value() == f"Acme Models {tag}"  # the form shows the saved value

    page.get_by_role("button", name="Retire this system").click()
    page.get_by_role("button", name=f"Retire {sid}").click()
    wait_idle(page)
    no_exception(page, "retire an AI system")
    message(page, f"{sid} retired")

    page.get_by_role("tab", name="Import CSV").click()
    box = page.get_by_label("...or paste CSV text")
    box.fill("name,lifecycle_stage\nBad stage system,flying\n")
    page.keyboard.press("Control+Enter")
    wait_idle(page)
    no_exception(page, "paste a bad CSV")
    assert page.locator("[data-testid='stAlert']").filter(has_text="This CSV cannot be imported").count() == 1
    box = page.get_by_label("...or paste CSV text")
    box.fill(f"name,lifecycle_stage,business_owner\nImported assistant {tag},deployed,Finance\n")
    page.keyboard.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Import 1 system").click()
    wait_idle(page)
    no_exception(page, "import a CSV")
    message(page, "Imported 1 system (")
    page.get_by_role("tab", name="Import CSV").click()
    assert page.get_by_label("...or paste CSV text").input_value() == ""       # the paste box starts empty
