"""The manager dashboard in Chromium on the demo (local mode): every section is drawn, its charts
render, nothing on it can be edited, and its link opens the Reports page."""
from browser import no_exception, wait_idle

HEADINGS = ("Roadmap to certification", "Overdue actions by owner", "Open findings", "Top 10 risks")


def test_the_dashboard_shows_every_section_and_links_to_the_report(server, page):
    page.set_viewport_size({"width": 1440, "height": 900})           # a projector
    page.goto(server + "/dashboard?ws=1")
    wait_idle(page)
    no_exception(page, "open the dashboard")
    assert page.locator("h1").first.inner_text().strip() == "Manager dashboard"
    main = page.locator("[data-testid='stMain']")
    for label in ("Readiness", "Stage 1 readiness", "Stage 2 readiness", "Roadmap progress", "Forecast ready"):
        card = main.locator("[data-testid='stMetric']", has_text=label).first
        assert card.locator("[data-testid='stMetricValue']").inner_text().strip(), label
        box = card.bounding_box()
        assert box["y"] + box["height"] <= 900, (label, box)           # the headline figures without scrolling
    headings = main.locator("h3").all_inner_texts()
    for heading in HEADINGS:
        assert any(h.startswith(heading) for h in headings), (heading, headings)
    assert main.locator(".js-plotly-plot").count() == 4     # trends (percentages, counts), burn-up, progress per phase
    assert main.get_by_text("Progress over time (%)").first.is_visible()
    assert main.get_by_text("Open gaps and risks above appetite").first.is_visible()
    # the demo's findings register: no major nonconformity open, its open findings listed with a link
    assert main.get_by_text("0 major nonconformities open", exact=False).first.is_visible()
    assert main.get_by_role("link", name="All findings and their corrective actions").is_visible()
    # read-only: no input, no button, no editable table in the page itself
    assert main.locator("input, textarea, [data-testid='stFormSubmitButton'], [data-testid='stButton']").count() == 0
    assert main.locator("[data-testid='stDataFrame']").count() == 4      # overdue, open findings, gaps, risks

    main.get_by_role("link", name="Open the client report and the Excel workbook").click()
    wait_idle(page)
    no_exception(page, "follow the report link")
    assert "Reports and the Excel workbook" in page.locator("h1").first.inner_text()
    assert "ws=" in page.url
