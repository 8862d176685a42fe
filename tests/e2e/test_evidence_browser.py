"""Browser journey on the evidence files page of a new workspace: upload a file (the form starts
empty, the user stays on the Upload tab), link it to a requirement, and download the auditor's
evidence pack with the file and its index inside. No exception box at any step."""
import io
import uuid
import zipfile

from browser import message, new_workspace, no_exception, pick, wait_idle

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def selected_tab(page) -> str:
    return page.locator("[role='tab'][aria-selected='true']").first.inner_text().strip()


def test_upload_link_and_download_the_evidence_pack(server, page, tmp_path):
    tag = uuid.uuid4().hex[:6]
    ws = new_workspace(page, server, f"Evidence client {tag}")
    page.goto(f"{server}/evidence?ws={ws}")
    wait_idle(page)
    no_exception(page, "open the evidence page")
    assert "Evidence files" in page.locator("h1").first.inner_text()

    page.get_by_role("tab", name="Upload").click()
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Upload evidence"))
    form.locator("input[type='file']").set_input_files(
        {"name": f"AI policy {tag}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    form.locator("[data-testid='stFileChip']").filter(has_text=f"AI policy {tag}.pdf").wait_for()
    form.get_by_label("Description", exact=True).fill("Signed by the CEO")
    page.get_by_role("button", name="Upload evidence").click()
    wait_idle(page)
    no_exception(page, "upload a file")
    message(page, f"Uploaded AI policy {tag}.pdf as EV-001 version 1.")
    assert selected_tab(page) == "Upload"                                   # the user stays where they were
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Upload evidence"))
    assert form.locator("[data-testid='stFileChip']").count() == 0   # the form starts empty
    assert form.get_by_label("Description", exact=True).input_value() == ""

    page.get_by_role("tab", name="Files").click()
    wait_idle(page)
    assert page.get_by_role("heading", name=f"EV-001 · AI policy {tag}.pdf").is_visible()
    links = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save links"))
    pick(page, links, "Requirements and controls", "5.2 AI policy")
    page.keyboard.press("Escape")               # a multiselect's list stays open after a pick
    page.get_by_role("button", name="Save links").click()
    wait_idle(page)
    no_exception(page, "link the file to 5.2")
    message(page, "EV-001: 1 link added or removed.")
    assert selected_tab(page) == "Files"

    page.get_by_role("tab", name="Evidence pack").click()
    wait_idle(page)
    page.get_by_role("radio", name="Chosen requirements").click()
    wait_idle(page)
    pick(page, page, "Requirements and controls", "5.2 AI policy")
    page.keyboard.press("Escape")
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the evidence pack").click()
    target = tmp_path / "pack.zip"
    info.value.save_as(target)
    wait_idle(page)
    no_exception(page, "download the evidence pack")
    z = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    assert sorted(z.namelist()) == [f"EV-001 v1 - AI policy {tag}.pdf", "Evidence index.xlsx"]
    assert z.read(f"EV-001 v1 - AI policy {tag}.pdf") == PDF
    assert selected_tab(page) == "Evidence pack" and "/evidence" in page.url
