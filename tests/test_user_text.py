"""User text is shown as typed, everywhere: what a user (or a client's workbook) put in a name,
title or note never formats the page, loads an outside image, draws an icon or a formula, or
turns the text around it right to left.

The helpers are checked on every kind of payload; then every page runs (through the entry point,
with the views that show records opened) on a workspace whose every text field holds payloads,
and no element Streamlit renders as Markdown, and no chart, holds one unescaped."""
import json
import re

import pytest
from payloads import CHART_MARKERS, EVIL, MARKDOWN_MARKERS, RLO, seed, tagged

from aims.common.text import BIDI_CONTROLS, chart_text, visible_controls
from aims.store import db
from aims.ui.chrome import plain

PAYLOADS = {
    "image": f"![x](http://{EVIL}/p.png)",
    "link": f"[click](http://{EVIL}/l)",
    "angle link": f"<http://{EVIL}/a>",
    "bare addresses": f"http://{EVIL}/u, www.{EVIL} and a@{EVIL}",
    "directive": ":red[red text] and :blue-background[x]",
    "icon": ":material/bug_report: icon",
    "emoji": ":smile: :+1: :-1: :streamlit:",
    "formula": "$x^2$ and $$y^2$$",
    "emphasis": "**bold** _it_ *em* ~~strike~~",
    "code": "`code` and ```fence```",
    "script": "<script>alert(1)</script>",
    "html image": f"<img src=http://{EVIL}/x onerror=alert(1)>",
    "heading": "# heading",
    "setext heading": "Title\n===",
    "quote": "> quote",
    "list": "- item\n* item\n+ item\n1. item\n2) item",
    "rule": "---",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "entity": "&lt;b&gt; &amp; &#x202E;",
    "indented code": "a\n\n    code",
    "reference link": f"[x]\n\n[x]: http://{EVIL}/ref",
    "right-to-left override": f"invoice {RLO}fdp.exe",
}
ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_shown(rendered: str) -> str:
    """What a reader sees of plain()'s output once Markdown has resolved its escapes."""
    return ESCAPABLE.sub(r"\1", rendered).replace("\u2060", "").replace("\u00a0", " ")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_plain_leaves_nothing_markdown_would_act_on_and_reads_as_typed(payload):
    out = plain(payload)
    for name, marker in MARKDOWN_MARKERS.items():
        assert not re.search(marker, out), (name, out)
    for line in out.splitlines():          # no line starts a heading, quote, list, rule, table or code block
        assert not re.match(r"[ \t]*(?:[#>*+\-=|`~]|\d+[.)])|[ \t]{4}", line), line
    assert as_shown(out) == visible_controls(payload)


def test_plain_escapes_what_would_start_a_block_on_any_line():
    out = plain("ok\n# heading\n> quote\n- item\n1. item\n2) item\n===\n    code")
    assert out.splitlines() == ["ok", "\\# heading", "\\> quote", "\\- item", "1\\. item", "2\\) item", "\\===",
                                "\u00a0" * 4 + "code"]


def test_plain_keeps_ordinary_text_and_punctuation_as_it_is():
    assert plain("Priya Shah (CRO), 10:30; 50% done - see A.6.2.4!") == "Priya Shah (CRO), 10:30; 50% done - see A.6.2.4!"
    assert plain(None) == "" and plain(float("nan")) == "" and plain(0) == "0"


def test_emoji_shortcodes_and_icons_are_broken_up_not_only_escaped():
    # they are looked for after escapes are resolved: a word joiner after the colon stops them
    assert plain(":smile:") == ":\u2060smile:"
    assert plain(":material/warning:") == ":\u2060material/warning:"
    assert plain(":red[x]") == "\\:red\\[x\\]"


@pytest.mark.parametrize("char", list(BIDI_CONTROLS))
def test_every_bidirectional_control_is_shown_as_a_marker(char):
    shown = visible_controls(f"a{char}b")
    assert char not in shown and shown == f"a[U+{ord(char):04X}]b"
    assert char not in plain(f"a{char}b") and char not in chart_text(f"a{char}b")


def test_chart_text_escapes_what_plotly_reads_as_html():
    assert chart_text('<a href="http://x">y</a> & <b>') == '&lt;a href="http://x"&gt;y&lt;/a&gt; &amp; &lt;b&gt;'
    assert chart_text(None) == "" and chart_text("$x$") == "&#36;x&#36;"


# ---- every page, on a workspace full of payloads ------------------------------------------------

# Fields of the elements' messages that Streamlit shows as plain text (values a user edits, option
# lists of select boxes, data and a table's column set-up, code, chart specs checked on their own)
# or that the app alone writes (icons): everything else is Markdown.
PLAIN_FIELDS = {"options", "default", "value", "raw_value", "raw_values", "placeholder", "code_text", "data",
                "spec", "id", "form_id", "url", "file_name", "arrow_data", "formatted_value", "set_value",
                "query_string", "page_script_hash", "columns", "icon"}
PLAIN_ELEMENTS = {"selectbox", "multiselect", "text_input", "text_area", "code", "arrow_data_frame", "arrow_table",
                  "date_input", "number_input"}


def _strings(message, path=""):
    """(field path, text) for every string in a protobuf message, nested messages included."""
    for field, value in message.ListFields():
        where = f"{path}.{field.name}"
        if field.name in PLAIN_FIELDS:
            continue
        items = value if type(value).__name__.startswith("Repeated") else [value]
        for item in items:
            if isinstance(item, str):
                yield where, item
            elif hasattr(item, "ListFields"):
                if field.name in PLAIN_ELEMENTS:
                    continue
                yield from _strings(item, where)


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def leaks(at, where: str) -> list[str]:
    """Every Markdown-rendered text of the app's last run that holds a payload unescaped, and every
    chart whose titles, labels or hover texts hold one."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if proto.DESCRIPTOR.name == "PlotlyChart":
            spec = json.dumps(json.loads(proto.spec), ensure_ascii=False)     # '<' as itself, not '\\u003c'
            for name, marker in CHART_MARKERS.items():
                for hit in re.finditer(marker, spec):
                    found.append(f"{where}: chart {name}: {spec[max(0, hit.start() - 60):hit.end() + 20]!r}")
            continue
        for field, text in _strings(proto, proto.DESCRIPTOR.name):
            names = [name for name, marker in MARKDOWN_MARKERS.items() if re.search(marker, text)]
            if names:
                found.append(f"{where}: {field} {names}: {text[:120]!r}")
    return list(dict.fromkeys(found))


@pytest.fixture
def payload_app(tmp_path, monkeypatch, cat):
    """The app on a database whose one workspace holds payloads in every text field, written by a
    user whose name is a payload too."""
    from helpers import start_app

    monkeypatch.setenv("AIMS_USER", tagged("USER", 200))
    path = tmp_path / "payloads.duckdb"
    con = db.open_database(path)
    ids = seed(con, cat)
    con.close()
    return start_app(path, monkeypatch), ids


def views(ids):
    """(page, query parameters, session state) for every view that shows user text."""
    ws = str(ids["ws"])
    yield "pages/overview.py", {"ws": ws}, {}
    yield "pages/gap-analysis.py", {"ws": ws}, {}
    yield "pages/gap-analysis.py", {"ws": ws, "req": "5.2"}, {"gap_mode": "Workshop (one requirement)"}
    yield "pages/soa.py", {"ws": ws}, {}
    yield "pages/ai-systems.py", {"ws": ws, "system": ids["system"]}, {}
    yield "pages/ai-act.py", {"ws": ws, "system": ids["system"]}, {}
    yield "pages/impact.py", {"ws": ws, "system": ids["system"]}, {}
    yield "pages/risks.py", {"ws": ws, "risk": ids["risk"]}, {"risks_view": "Register"}
    for view in ("Add a risk", "Risk library", "From impact assessments", "Traceability", "Risk criteria"):
        yield "pages/risks.py", {"ws": ws}, {"risks_view": view}
    for tab in ("Plan", "Actions", "Manager view", "Phases and effort"):
        yield "pages/roadmap.py", {"ws": ws, "roadmap_tab": tab}, {}
    yield "pages/governance.py", {"ws": ws}, {}
    yield "pages/documents.py", {"ws": ws}, {"doc_requests_owner": tagged("DOWNER")}
    yield "pages/reports.py", {"ws": ws}, {}
    yield "pages/workspaces.py", {"ws": ws}, {}


def test_no_page_renders_user_text_as_markdown_or_chart_html(payload_app):
    at, ids = payload_app
    found = []
    for page, params, state in views(ids):
        for k, v in params.items():
            at.query_params[k] = v
        for k, v in state.items():
            at.session_state[k] = v
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        found += leaks(at, f"{page} {params} {state}")
    assert not found, "\n".join(found)
