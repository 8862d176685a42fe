"""Every workspace page as each role sees it, on the demo client with sign-in configured: a viewer
gets no edit widget anywhere, a contributor gets them only on the gap analysis, documents, risks
and roadmap actions (the records they may own), an editor sees what the local user of an
installation without sign-in sees. Hiding is never the check (aims refuses, see
test_permissions.py); these tests only say that the pages offer what the role allows.

What counts as an edit widget here: a data editor that is not read-only, a form submit button,
a text, number, date or time input, a text area, a file uploader, a checkbox, and any button that
is not one of the VIEW_BUTTONS. Not edit widgets: selectboxes, multiselects, radios, pills,
segmented controls and toggles (in this app they choose what to look at: filters, pickers, tabs),
download buttons, and the inputs listed in FILTERS, which only narrow what a table shows.
"""
import shutil
from collections import Counter

import pytest
from helpers import start_app, start_as

from aims.access import members
from aims.catalog import standard as catalog
from aims.demo import client
from aims.store import db
from aims.ui import chrome, editing, risk_tabs

VIEWER, CONTRIBUTOR, EDITOR = "vic@client.example", "cora@client.example", "ed@firm.example"
CONTRIBUTOR_NAME = "Tom Becker (Head of Data Science)"      # owns and rows in the demo

# Inputs that only narrow or page what is shown (by widget key).
FILTERS = {"gap_search", "soa_search", "doc_search", "inv_search", "risks_search", "risks_lib_search",
           "roadmap_actions_search", "roadmap_actions_page", "ev_search", "audits_cycle_start"}
# Buttons that change nothing: moving between records, closing a panel, clearing a chart filter,
# building a workbook to download.
VIEW_BUTTONS = {"Previous", "Next", "Close", "Clear cell filter", "Prepare the workbook"}

# One run per view: the page, its URL parameters and session state, chosen to show the page's edit
# widgets (the open risk, the roadmap tab with the actions table, the workshop form).
VIEWS = {
    "overview": ("pages/overview.py", {}, {}),
    "progress": ("pages/progress.py", {}, {}),
    "gap analysis table": ("pages/gap-analysis.py", {}, {}),
    "gap analysis workshop": ("pages/gap-analysis.py", {"req": "6.1.2"}, {}),
    "soa": ("pages/soa.py", {}, {}),
    "ai systems": ("pages/ai-systems.py", {"system": "AIS-001"}, {}),
    "ai act": ("pages/ai-act.py", {"system": "AIS-001"}, {}),
    "impact": ("pages/impact.py", {"system": "AIS-001"}, {}),
    "risk register": ("pages/risks.py", {"risk": "R-001"}, {}),
    "risk criteria": ("pages/risks.py", {}, {"risks_view": "Risk criteria"}),
    "roadmap actions": ("pages/roadmap.py", {"roadmap_tab": "Actions"}, {}),
    "roadmap phases": ("pages/roadmap.py", {"roadmap_tab": "Phases and effort"}, {}),
    "governance": ("pages/governance.py", {}, {}),
    "documents": ("pages/documents.py", {}, {}),
    "reports": ("pages/reports.py", {}, {}),
    "audits": ("pages/audits.py", {}, {}),
    "findings": ("pages/findings.py", {}, {"findings_view": "Raise a finding"}),
    "management review": ("pages/management-review.py", {}, {}),
    "evidence": ("pages/evidence.py", {}, {"evidence_view": "Upload"}),
}
# The views where a contributor keeps edit widgets, and what they still may not do there.
CONTRIBUTOR_EDITS = {
    "gap analysis table": set(), "gap analysis workshop": set(),
    "risk register": {"Delete risk"},
    "roadmap actions": {"Generate actions from gaps", "Generate actions from risk treatment plans",
                        "Delete this action"},
    "documents": {"Remove document"},
    "evidence": set(),          # evidence for the requirements and documents they own
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo client with a viewer, a contributor (named as an owner in the demo) and an editor."""
    path = tmp_path_factory.mktemp("roles") / "demo.duckdb"
    con = db.open_database(path)
    ws = client.create(con, catalog.load())
    members.add(con, ws, VIEWER, "viewer", "Vic")
    members.add(con, ws, CONTRIBUTOR, "contributor", CONTRIBUTOR_NAME)
    members.add(con, ws, EDITOR, "editor")
    con.close()
    return path


@pytest.fixture
def db_path(demo_db, tmp_path):
    """A copy of the demo database for one test (runs may write: the roadmap plans its phases)."""
    return shutil.copy(demo_db, tmp_path / "demo.duckdb")


def open_view(at, view):
    page, params, state = VIEWS[view]
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def as_member(db_path, monkeypatch, email, view):
    return open_view(start_as(db_path, monkeypatch, email), view)


def widgets(block):
    """Every widget of a block and its children, depth first."""
    for node in getattr(block, "children", {}).values():
        if hasattr(node, "form_id") or node.type in ("dataframe", "file_uploader"):
            yield node
        yield from widgets(node)


def name(w) -> str:
    return w.key or getattr(w, "label", "") or w.type


def edit_widgets(at) -> list[str]:
    """The edit widgets of the page (the main area: the sidebar holds the workspace picker and sign-out)."""
    found = []
    for w in widgets(at.main):
        if w.type == "dataframe":
            if w.editing_mode != "read_only" and not w.proto.disabled:
                found.append(f"editable table {w.key}")
        elif w.type == "button":
            if w.form_id or w.label not in VIEW_BUTTONS:
                found.append(f"button {w.label!r}")
        elif w.type in ("text_input", "text_area", "number_input", "date_input", "time_input"):
            if w.key not in FILTERS:
                found.append(f"{w.type} {name(w)!r}")
        elif w.type in ("file_uploader", "checkbox"):
            found.append(f"{w.type} {name(w)!r}")
    return found


def signature(at) -> Counter:
    """What the page offers, to compare two roles: every widget by type and key (or label)."""
    return Counter((w.type, name(w), getattr(w, "editing_mode", "")) for w in widgets(at.main))


def captions(at) -> str:
    return " ".join(c.value for c in at.main.caption)


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_viewer_reads_every_page_and_gets_no_edit_widget(db_path, monkeypatch, view):
    at = as_member(db_path, monkeypatch, VIEWER, view)
    assert not at.error, [e.value for e in at.error]
    assert edit_widgets(at) == []
    assert not at.main.data_editor or all(d.editing_mode == "read_only" for d in at.main.data_editor)
    assert captions(at).count(chrome.ROLE_NOTES["viewer"]) == 1
    assert len(at.main.dataframe) + len(at.main.metric) + len(at.main.markdown) > 0    # and still its content
    if view == "gap analysis workshop":         # the rating in words where the form was
        assert any("**Current maturity:**" in m.value for m in at.main.markdown)


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_contributor_edits_only_where_they_may_own_records(db_path, monkeypatch, view):
    at = as_member(db_path, monkeypatch, CONTRIBUTOR, view)
    assert not at.error, [e.value for e in at.error]
    found = edit_widgets(at)
    assert chrome.ROLE_NOTES["contributor"] in captions(at)
    if view not in CONTRIBUTOR_EDITS:
        assert found == []
        return
    assert found, "a contributor keeps the edit widgets of the records they may own"
    refused = {label for label in CONTRIBUTOR_EDITS[view] if any(label in f for f in found)}
    assert not refused, f"editor-only widgets shown to a contributor: {refused}"
    if at.main.data_editor:       # the tables they edit say that only their own rows save
        assert editing.OWN_ROWS in captions(at)
    if view == "risk register":
        assert risk_tabs.OWN_RISKS in captions(at)


@pytest.mark.parametrize("view", list(VIEWS))
def test_an_editor_sees_what_the_local_user_sees(db_path, monkeypatch, view):
    editor = as_member(db_path, monkeypatch, EDITOR, view)
    assert not editor.error, [e.value for e in editor.error]
    local = open_view(start_app(db_path, monkeypatch), view)
    assert signature(editor) == signature(local)
    assert edit_widgets(editor) or view == "overview"      # (so the other tests look for what is there)
    assert not any(note in captions(editor) for note in chrome.ROLE_NOTES.values())
