"""User text is shown as typed on every page, in a real browser: a workspace whose every text field
holds payloads (written through the app's write functions, some through a client's workbook
import, by a user whose name is a payload too) is opened page by page, and no page fetches
anything from outside, renders an image, a colour, an icon, an emoji, a formula, a heading or a
link from that text, lets a right-to-left override turn it round, or grows wider than the window;
the payloads read literally instead."""
import re

import pytest
import wbtools
from browser import no_exception, wait_idle
from conftest import serve
from payloads import EVIL, RLO, seed, tagged

from aims.catalog import standard as catalog
from aims.common.text import BIDI_CONTROLS
from aims.store import db, workspaces
from aims.workbook import export, importer

LOCAL = re.compile(r"^(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?/|^(?:data|blob|about):")


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory, chromium_path):
    """A server of its own on a database holding the payload workspace. Some of its text arrived
    through a workbook import; `preview` is a workbook to upload (exported before the workspace was
    renamed, so its preview warns, quoting the old name)."""
    tmp = tmp_path_factory.mktemp("user_text")
    con = db.open_database(tmp / "e2e.duckdb")
    cat = catalog.load()
    ids = seed(con, cat)
    edited = wbtools.edits(export.build(con, ids["ws"]), [
        ("AI Systems", ids["system"], "Affected persons", tagged("IMPORTED", 5000)),
        ("Risks", ids["risk"], "Title", tagged("IMPORTED-RISK")),
        ("Gap Analysis", "4.1", "Notes", tagged("IMPORTED-NOTES", 5000))])
    importer.apply(con, ids["ws"], edited, catalog=cat, backup=False)
    preview = tmp / "preview.xlsx"
    preview.write_bytes(wbtools.edit(export.build(con, ids["ws"]), "Risks", ids["risk"], "Existing controls",
                                     tagged("PREVIEW", 5000)))
    workspaces.update(con, ids["ws"], {"name": tagged("RENAMED", 80)})
    con.close()
    with serve(tmp, user=tagged("USER")) as url:
        yield url, ids, preview


def _watch(context) -> list[str]:
    """Every request the pages make to anywhere but the app's own server, refused and recorded."""
    outside = []

    def route(r):
        if LOCAL.match(r.request.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()
    context.route("**/*", route)
    return outside


PROBE = """({bidi, evil}) => {
  const main = document.querySelector("[data-testid='stApp']");
  const md = [...main.querySelectorAll("[data-testid='stMarkdownContainer'], .js-plotly-plot svg text")];
  const controls = new RegExp("[" + bidi + "]");
  return {
    images: [...main.querySelectorAll("img")].map(i => i.getAttribute("src") || "")
            .filter(s => s && !s.startsWith("data:") && !s.startsWith("blob:") && !s.startsWith("/")
                         && !s.startsWith(location.origin) && !s.startsWith("./")),
    imgHandlers: main.querySelectorAll("img[onerror], script:not([src])").length,
    red: [...main.querySelectorAll("[data-testid='stMarkdownContainer'] span")]
         .filter(s => s.textContent.trim() === "red" && s.children.length === 0).length,
    katex: main.querySelectorAll(".katex, mjx-container").length,
    icons: [...main.querySelectorAll("span, i")]            // an icon is its name in the icon font
           .filter(i => i.textContent.trim() === "bug_report" && i.children.length === 0).length,
    emoji: main.innerText.includes(String.fromCodePoint(0x1F604)),
    headings: [...main.querySelectorAll("h1, h2, h3, h4, h5, h6")]
              .filter(h => /heading/.test(h.textContent) && !/# heading/.test(h.textContent))
              .map(h => h.textContent.slice(0, 80)),
    links: [...main.querySelectorAll("a[href]")].map(a => a.getAttribute("href")).filter(h => h.includes(evil)),
    chartLinks: main.querySelectorAll(".js-plotly-plot a").length,
    bidi: md.filter(e => controls.test(e.textContent)).map(e => e.textContent.slice(0, 80)),
    wider: document.documentElement.scrollWidth - window.innerWidth,
    text: main.innerText,
  };
}"""


def settle(page) -> None:
    """Wait for the page's run to end and its charts to be drawn."""
    wait_idle(page, 800)
    charts = page.locator("[data-testid='stPlotlyChart']")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached")


def check(page, where: str) -> str:
    """Assert that the page shows no payload as markup; returns its visible text."""
    no_exception(page, where)
    found = page.evaluate(PROBE, {"bidi": BIDI_CONTROLS, "evil": EVIL})
    assert not found["images"], (where, "outside images", found["images"])
    assert not found["imgHandlers"], (where, "an <img onerror> or a script element")
    assert not found["red"], (where, ":red[...] rendered as coloured text")
    assert not found["katex"], (where, "a formula rendered")
    assert not found["icons"], (where, "an icon rendered from user text")
    assert not found["emoji"], (where, "an emoji shortcode rendered")
    assert not found["headings"], (where, "user text rendered as a heading", found["headings"])
    assert not found["links"], (where, "user text rendered as a link", found["links"])
    assert not found["chartLinks"], (where, "a link inside a chart")
    assert not found["bidi"], (where, "a bidirectional control in rendered text", found["bidi"])
    assert found["wider"] <= 1, (where, f"the page is {found['wider']} px wider than the window")
    return found["text"].replace("\u2060", "")


def visible(text: str) -> str:
    """How a payload reads on the page (bidirectional controls as markers)."""
    return text.replace(RLO, "[U+202E]")


def test_every_page_shows_user_text_as_typed(payload_server, browser):
    url, ids, preview = payload_server
    ws, system, risk = ids["ws"], ids["system"], ids["risk"]
    name = visible(tagged("RENAMED", 80))
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    outside = _watch(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        views = [("", {}), ("gap-analysis", {}), ("gap-analysis", {"req": "5.2"}), ("soa", {}),
                 ("ai-systems", {"system": system}), ("ai-act", {"system": system}), ("impact", {"system": system}),
                 ("risks", {"risk": risk}), ("roadmap", {"roadmap_tab": "Plan"}),
                 ("roadmap", {"roadmap_tab": "Actions"}), ("roadmap", {"roadmap_tab": "Manager view"}),
                 ("roadmap", {"roadmap_tab": "Phases and effort"}), ("governance", {}), ("documents", {}),
                 ("reports", {}), ("workspaces", {})]
        texts = {}
        for path, params in views:
            query = "&".join(f"{k}={v}" for k, v in {"ws": ws, **params}.items())
            page.goto(f"{url}/{path}?{query}")
            page.locator("h1").first.wait_for()
            settle(page)
            where = f"/{path}?{query}"
            texts[where] = check(page, where)
            if path not in ("workspaces",):       # the page header names the workspace, as typed
                assert name in texts[where], (where, "the workspace name is not shown as typed")
        for tab in ("Traceability", "Risk criteria"):
            page.goto(f"{url}/risks?ws={ws}")
            page.locator("h1").first.wait_for()
            wait_idle(page)
            page.get_by_role("tab", name=tab).click()
            settle(page)
            texts[f"risks {tab}"] = check(page, f"/risks, tab {tab}")

        # the import preview of a workbook exported before the workspace was renamed: the same workspace, so it
        # is previewed (no mapping to confirm), and its rows' text is checked like every page's
        page.goto(f"{url}/reports?ws={ws}")
        page.locator("h1").first.wait_for()
        wait_idle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput'][accept*='.xlsx']").set_input_files(str(preview))
        wait_idle(page, 800)
        page.get_by_text("Rows changed").first.wait_for()
        texts["import preview"] = check(page, "the import preview")
        assert "Apply the import" in texts["import preview"] and "Map this workbook" not in texts["import preview"]

        shown = "\n".join(texts.values())
        for typed in (tagged("SYS"), tagged("IMPORTED-RISK"), tagged("IMPORTED", 5000), tagged("PURPOSE", 5000),
                      tagged("ENDORSER"), tagged("USER"), tagged("SOABY"), tagged("DOC")):
            assert visible(typed) in shown, f"not shown as typed: {typed[:40]}"
        assert ":red[red]" in shown and "$x^2$" in shown and "**bold**" in shown and "![x](http://" in shown
        assert ":smile:" in shown and ":material/bug_report:" in shown and "<img src=http://" in shown
        assert not outside, f"requests left the app's server: {outside}"
    finally:
        context.close()
