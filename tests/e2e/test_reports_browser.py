"""Browser journey on the Reports page: download the workbook and open it with openpyxl;
upload an edited copy, preview and apply it; another workspace's workbook waits for the user to
confirm the mapping."""
import io

import openpyxl
from browser import expect_selectbox, message, new_workspace, no_exception, wait_idle

PICKER = "Workspace (client engagement)"


def _open_reports(server, page):
    page.goto(server + "/reports?ws=1")
    wait_idle(page)
    assert "Reports and the Excel workbook" in page.locator("h1").first.inner_text()


def test_download_the_workbook_and_open_it(server, page, tmp_path):
    _open_reports(server, page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    download = info.value
    assert download.suggested_filename.startswith("AIMS workbook - ") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Cover", "Summary", "Gap Analysis", "Statement of Applicability"]
    assert "Lists" in wb.sheetnames
    gap = wb["Gap Analysis"]
    assert gap["A1"].value == "Ref" and gap.max_row == 71


def test_upload_an_edited_workbook_preview_and_apply(server, page, tmp_path):
    _open_reports(server, page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    wb = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    gap = wb["Gap Analysis"]
    heads = [c.value for c in gap[1]]
    row = next(r for r in range(2, gap.max_row + 1) if gap.cell(row=r, column=1).value == "10.2")
    gap.cell(row=row, column=heads.index("Notes") + 1).value = "Edited in the browser test"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)

    page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.xlsx']").set_input_files(str(edited))
    wait_idle(page, 600)
    changed = page.locator("[data-testid='stMetric']", has_text="Rows changed").first
    assert changed.locator("[data-testid='stMetricValue']").inner_text().strip() == "1"
    assert page.get_by_text("Gap Analysis: 0 added · 1 changed").first.is_visible()
    page.get_by_role("button", name="Apply the import").click()
    wait_idle(page, 600)
    assert page.get_by_text("Imported: 0 added, 1 changed").first.is_visible()

    with page.expect_download() as again:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    gap2 = openpyxl.load_workbook(io.BytesIO(again.value.path().read_bytes()))["Gap Analysis"]
    assert gap2.cell(row=row, column=heads.index("Notes") + 1).value == "Edited in the browser test"


def test_a_workspace_created_in_the_app_round_trips_without_a_warning(server, page, tmp_path):
    """A new client's workbook, downloaded and uploaded unedited after the user has opened every
    page once (pages may fill in defaults such as the roadmap phases), imports as 'nothing to
    import' with no warning: the import check never cries wolf."""
    import uuid


    name = f"Round trip {uuid.uuid4().hex[:6]}"
    ws = new_workspace(page, server, name)
    _open_reports_of(server, page, ws)
    with page.expect_download() as first:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    for path in ("", "gap-analysis", "soa", "ai-systems", "ai-act", "impact", "risks", "roadmap", "governance",
                 "documents"):
        page.goto(f"{server}/{path}?ws={ws}")
        wait_idle(page)
        no_exception(page, f"open /{path}")
    _open_reports_of(server, page, ws)
    with page.expect_download() as second:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    for n, download in enumerate((second.value, first.value)):
        saved = tmp_path / f"unedited{n}.xlsx"
        download.save_as(saved)
        page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.xlsx']").set_input_files(str(saved))
        wait_idle(page, 600)
        no_exception(page, "upload the unedited workbook")
        warnings = page.locator("[data-testid='stAlert']").filter(has_text="read only").all_inner_texts()
        assert not warnings, warnings
        if n == 0:
            assert page.get_by_text("nothing to import").first.is_visible()


def _open_reports_of(server, page, ws):
    page.goto(f"{server}/reports?ws={ws}")
    wait_idle(page)


def test_a_workbook_of_another_workspace_waits_for_the_mapping_to_be_ticked(server, page, tmp_path):
    """Exported from one client and uploaded to another: the page names the workbook's workspace,
    offers a confirmation and imports nothing until it is ticked."""
    import uuid

    tag = uuid.uuid4().hex[:6]
    first = new_workspace(page, server, f"First client {tag}")
    _open_reports_of(server, page, first)
    expect_selectbox(page, PICKER, f"First client {tag}", where="stSidebar")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the workbook (.xlsx)").click()
    wb = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert wb.properties.title.endswith(f"First client {tag}"), wb.properties.title
    gap = wb["Gap Analysis"]
    heads = [c.value for c in gap[1]]
    row = next(r for r in range(2, gap.max_row + 1) if gap.cell(row=r, column=1).value == "4.1")
    gap.cell(row=row, column=heads.index("Notes") + 1).value = f"Mapped note {tag}"
    edited = tmp_path / "first-client.xlsx"
    wb.save(edited)

    second = new_workspace(page, server, f"Second client {tag}")
    _open_reports_of(server, page, second)
    expect_selectbox(page, PICKER, f"Second client {tag}", where="stSidebar")
    page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.xlsx']").set_input_files(str(edited))
    wait_idle(page, 600)
    no_exception(page, "upload another workspace's workbook")
    message(page, f"exported from the workspace 'First client {tag}', not from 'Second client {tag}'")
    box = page.get_by_role("checkbox", name=f"Map this workbook of 'First client {tag}' onto 'Second client {tag}'")
    assert box.count() == 1 and not box.is_checked()
    assert page.get_by_role("button", name="Apply the import").count() == 0          # nothing to apply yet
    assert page.locator("[data-testid='stMetric']").count() == 0                     # and no preview

    page.get_by_text(f"Map this workbook of 'First client {tag}'").click()            # tick it, as a user does
    wait_idle(page, 600)
    no_exception(page, "tick the mapping")
    message(page, "you confirmed mapping it onto this workspace")
    assert page.get_by_text("Gap Analysis: 0 added · 1 changed").first.is_visible()
    page.get_by_role("button", name="Apply the import").click()
    wait_idle(page, 600)
    no_exception(page, "apply another workspace's workbook")
    message(page, "Imported: 0 added, 1 changed")
    page.goto(f"{server}/gap-analysis?ws={second}&req=4.1")
    wait_idle(page)
    assert page.get_by_text(f"Mapped note {tag}").count() or page.get_by_display_value(f"Mapped note {tag}").count()
