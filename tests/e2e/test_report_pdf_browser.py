"""Browser: on the shared demo server, the Reports page's two PDF download buttons give a PDF
(the full report, with its title and contents, and the one-page summary), with no exception box."""
import io

import pypdf
from browser import no_exception, wait_idle


def _text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_download_the_client_report_and_the_summary(server, page, tmp_path):
    page.goto(server + "/reports?ws=1")
    wait_idle(page)
    assert "Reports and the Excel workbook" in page.locator("h1").first.inner_text()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the client report (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("AIMS readiness report - ")
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    n, text = _text(path)
    assert n >= 10
    assert "AI management system readiness report" in text and "Contents" in text and "Executive summary" in text
    assert f"Page 2 of {n}" in text
    wait_idle(page)
    no_exception(page, "download the client report")

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the one-page summary (PDF)").click()
    path = tmp_path / "summary.pdf"
    info.value.save_as(path)
    n, text = _text(path)
    assert n == 1 and "Management summary" in text and "Decisions needed" in text
    wait_idle(page)
    no_exception(page, "download the summary")
