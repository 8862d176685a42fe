"""A deep link is the first thing a freshly started server serves: the page opens in the full
frame (workspace picker, grouped navigation), never as a bare script from pages/ and never under
a "Page not found" dialog, and its first click counts."""
from browser import message, wait_idle


def test_a_deep_link_on_a_fresh_server_opens_the_page_in_its_frame(fresh_server, page):
    page.goto(f"{fresh_server}/gap-analysis?ws=1&req=9.2.1")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Workspace (client engagement)").first.wait_for(timeout=30_000)   # after the one reroute
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Gap analysis" in page.locator("h1").first.inner_text()
    assert sidebar.get_by_text("Workspace (client engagement)").count() == 1      # the picker
    links = [t.strip().split("\n")[-1] for t in sidebar.locator("[data-testid='stSidebarNavLink']").all_inner_texts()]
    assert "Gap analysis" in links and "AI risk register" in links, links        # titles, not file names
    assert not any(name in links for name in ("gap-analysis", "app", "overview")), links
    assert sidebar.get_by_text("AI systems", exact=True).count() == 1             # grouped
    assert "ws=1" in page.url and "req=9.2.1" in page.url

    # the first action on that page is not lost (widgets keep their identity after the reroute)
    page.get_by_text("9.2.1", exact=False).first.wait_for(state="visible")
    page.get_by_text("4 Measured", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    message(page, "Saved")
    assert page.locator("[data-testid='stException']").count() == 0


def test_every_page_answers_its_deep_link_on_a_fresh_server(fresh_server, browser):
    from aims.ui import chrome

    # the overview is served at the root, and every link of the app points there ('/overview' is
    # not a URL the app gives out: on a fresh server it can flash Streamlit's "page not found")
    paths = ["" if path == chrome.DEFAULT_PAGE else path for items in chrome.SECTIONS.values() for *_, path in items]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        for path in paths:                    # each in a new tab, as a shared link is opened
            tab = context.new_page()
            tab.goto(f"{fresh_server}/{path}?ws=1")
            wait_idle(tab)
            # some pages put their selection in the URL and rerun once: wait for the settled page
            tab.locator("[data-testid='stSidebar']").get_by_text("Workspace (client engagement)").first.wait_for(timeout=15_000)
            tab.locator("h1").first.wait_for(timeout=15_000)
            wait_idle(tab)
            assert tab.get_by_text("Page not found").count() == 0, path or "/"
            assert tab.locator("[data-testid='stException']").count() == 0, path
            tab.close()
    finally:
        context.close()
