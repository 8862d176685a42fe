"""Shared page chrome: the frame around every page (page config, navigation, the workspace
picker kept in the URL), the cached database connection and reads, and small display helpers.

Every page starts with `chrome.start()`. Normally `streamlit run app.py` runs the entry point,
which draws the frame (`entry`) and then runs the page, whose `start()` then does nothing. On a
freshly started server Streamlit runs a deep-linked script from pages/ on its own (its legacy
multipage mode, until some session has called st.navigation); there `start()` registers the
navigation, which switches the server to the entry point for good, and reruns through it.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import time
from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from aims.access import identity, members
from aims.catalog import standard as catalog_mod
from aims.common.text import visible_controls
from aims.common.validate import ValidationError
from aims.demo import client as demo
from aims.store import db, workspaces
from aims.ui import signin

WS_KEY = "ws_picker"
_WS_NEXT = "_ws_next"       # the workspace the next run's picker opens (see switch_workspace)
PAGE_KEY = "_page"          # the URL path of the page running (set by the frame)
ROLE_KEY = "_role"          # the acting person's role in the open workspace (set by the frame)
_FRAMED = "_framed"         # set by entry() for the page it runs: the frame is drawn

# The screens, grouped as the sidebar shows them: (script, title, icon, URL path). Each script
# in pages/ is named after its URL path, so a deep link finds it in either multipage mode.
SECTIONS = {
    "Readiness": [
        ("pages/dashboard.py", "Manager dashboard", ":material/monitoring:", "dashboard"),
        ("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
        ("pages/progress.py", "Progress and baselines", ":material/history:", "progress"),
        ("pages/gap-analysis.py", "Gap analysis", ":material/fact_check:", "gap-analysis"),
        ("pages/workshop.py", "Workshops", ":material/co_present:", "workshop"),
        ("pages/soa.py", "Statement of Applicability", ":material/rule:", "soa"),
    ],
    "AI systems": [
        ("pages/ai-systems.py", "AI system inventory", ":material/memory:", "ai-systems"),
        ("pages/ai-act.py", "EU AI Act classification", ":material/gavel:", "ai-act"),
        ("pages/impact.py", "Impact assessments", ":material/assignment:", "impact"),
    ],
    "Risk": [
        ("pages/risks.py", "AI risk register", ":material/crisis_alert:", "risks"),
    ],
    "Plan and govern": [
        ("pages/roadmap.py", "Roadmap", ":material/timeline:", "roadmap"),
        ("pages/governance.py", "Governance", ":material/account_balance:", "governance"),
        ("pages/documents.py", "Documented information", ":material/description:", "documents"),
    ],
    "Audit": [
        ("pages/audits.py", "Audits", ":material/checklist:", "audits"),
        ("pages/findings.py", "Findings and corrective action", ":material/report:", "findings"),
        ("pages/management-review.py", "Management review", ":material/groups:", "management-review"),
        ("pages/evidence.py", "Evidence files", ":material/attach_file:", "evidence"),
    ],
    "Reports": [
        ("pages/reports.py", "Reports and workbook", ":material/table_view:", "reports"),
    ],
    "Settings": [
        ("pages/workspaces.py", "Workspaces", ":material/folder_open:", "workspaces"),
    ],
}
DEFAULT_PAGE = "overview"   # served at the root URL

# A rerun after a change allocates many short-lived objects (frames, figures); with Python's
# default thresholds the cycle collector then makes full passes over the whole heap, caches
# included, adding 50-100 ms to some page runs on a large workspace. Collect less often.
gc.set_threshold(50_000, 20, 10)


@st.cache_resource(show_spinner="Opening the database...")
def _open(path: str, demo_on_empty: bool = True):
    con = db.open_database(path)
    if demo_on_empty:
        with identity.acting(identity.LOCAL):      # the installation's own start-up, nobody's edit
            demo.ensure(con, catalog_mod.load())
    return con


def connection():
    """The process-wide root connection for AIMS_DB; stops the page with a clear message when
    another program holds the file or the file is no usable database (nothing written to it).
    An empty database gets the demo workspace, unless sign-in is configured (a team's server
    starts empty: its administrators create the workspaces)."""
    path = db.database_path()
    try:
        return _open(path, not signin.settings().sign_in)
    except db.DatabaseLockedError as exc:
        st.error(f"**The database is in use.** {exc}", icon=":material/lock:")
        st.stop()
    except db.DatabaseFileError as exc:
        st.error(f"**The database cannot be opened.** {plain(str(exc))}", icon=":material/error:")
        st.stop()


def catalog():
    return catalog_mod.load()


def _frame():
    """Page config, navigation, workspace picker and the sidebar notes; returns the page to run."""
    # an emoji icon is drawn in the browser; a :material/...: one is fetched from fonts.gstatic.com by
    # every visitor's browser (and fails on an offline machine)
    st.set_page_config(page_title="AIMS Workbench", page_icon="\U0001f6e1\ufe0f", layout="wide")
    team = signin.settings()
    actor = signin.gate(team)
    con = connection()
    st.session_state["workspace"] = ws = pick_workspace(con)
    st.session_state[ROLE_KEY] = members.role(con, ws["id"]) if ws else None
    home = "dashboard" if st.session_state[ROLE_KEY] == "viewer" else DEFAULT_PAGE    # managers follow progress
    page = st.navigation({section: [st.Page(script, title=title, icon=icon, url_path=path, default=path == home)
                                    for script, title, icon, path in items]
                          for section, items in SECTIONS.items()})
    cat = catalog()
    signin.sidebar(con, team, actor, ws)
    if not actor.signed_in:
        _who(con)
    st.sidebar.caption(f"Catalogue: {cat.name}, content {cat.version}")
    st.session_state[PAGE_KEY] = page.url_path
    return page


def _who(con) -> None:
    """Whose name the change log records: AIMS_USER when the operator set it, else the name the
    local user gives once (asked for until given, changeable in a popover)."""
    if os.environ.get("AIMS_USER"):
        st.sidebar.caption(f"Changes recorded as: {plain(db.current_user())}")
        return
    name = db.local_user(con)
    if name:
        box = st.sidebar.popover(f"Changes recorded as: {plain(name)}", icon=":material/person:", width="stretch")
    else:
        box = st.sidebar.container(border=True)
        box.markdown("**Who is working?** Your name goes into the change log with every change you save.")
    with box.form("who_form", border=False, enter_to_submit=True):
        typed = st.text_input("Your name", value=name or "", max_chars=80, placeholder="e.g. Jane Doe",
                              key=f"who_name_{digest([name])}")
        if st.form_submit_button("Save my name", icon=":material/badge:"):
            try:
                db.set_local_user(con, typed)
            except ValidationError as exc:
                st.error(str(exc))
            else:
                flash(f"Changes are now recorded as {typed.strip()}.")
                st.rerun()


def entry() -> None:
    """The entry point (app.py): draw the frame, then run the page the URL names."""
    page = _frame()
    st.session_state[_FRAMED] = True
    page.run()


def start() -> None:
    """First call of every page: draws the frame unless the entry point already has (see above).

    Run on its own, the page reruns through the entry point once per session: widgets drawn in
    the legacy run would get other IDs than in every later run, so a first click would be lost."""
    if st.session_state.pop(_FRAMED, False):
        return
    _frame()
    if not st.session_state.get("_rerouted"):
        st.session_state["_rerouted"] = True
        st.rerun()


def page(title: str, caption: str | Callable[[dict], str] = "") -> tuple:
    """The opening of a workspace page: the frame, the connection, the selected workspace (or a
    pointer to the Workspaces page and a stop), the title with its caption (text, or a function of
    the workspace), a note for the roles that see fewer edit widgets (ROLE_NOTES) and the page's
    save message. Returns (connection, workspace)."""
    start()
    con = connection()
    ws = require_workspace()
    page_header(title, ws, caption(ws) if callable(caption) else caption)
    if role() in ROLE_NOTES:
        st.caption(ROLE_NOTES[role()])
    show_flash()
    return con, ws


# Said once under the header of every workspace page to the roles that see fewer edit widgets.
ROLE_NOTES = {
    "viewer": "Read only: you are a viewer of this workspace.",
    "contributor": "You are a contributor of this workspace: you change only the gap-analysis rows, roadmap "
                   "actions, risks and documents you own; everything else is read only.",
}


def serve_like_a_running_server() -> None:
    """For AppTest (tests, benchmark): keep Streamlit's legacy pages/ mode off, as on a server
    after its first session. AppTest decides that mode afresh before every run, from the pages/
    folder alone, so every run would take the path a real server takes only for the first deep
    link after it starts (that path has its own browser test)."""
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager.__init__, "_aims_server_like", False):
        return
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._aims_server_like = True
    PagesManager.__init__ = init


def data_version(con) -> int:
    """Bumps with every write: each write path logs to change_log in its own transaction."""
    with db.reading(con) as cur:
        return cur.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchall()[0][0]


# A resource cache keeps the one result object (no pickling per rerun); callers get a shallow
# copy of frames, and pandas copy-on-write keeps any change they make out of the cached one.
@st.cache_resource(show_spinner=False, max_entries=200)
def _call(name: str, version: int, today: date, key: tuple, _fn, _con, _args: tuple, _kwargs: dict):
    return _fn(_con, *_args, **_kwargs)


def cached(fn, con, *args, **kwargs):
    """fn(con, *args, **kwargs), computed once per data version (and day) and shared by reruns
    and sessions. For reads only; a catalogue argument is keyed by its version. Results that
    are not DataFrames (dicts of figures and small frames) are shared: read them, never change them."""
    key = tuple(f"catalog {a.version}" if isinstance(a, catalog_mod.Catalog) else a for a in args)
    key += tuple(sorted(kwargs.items()))
    key += (id(con),)  # one cache per open database
    value = _call(f"{fn.__module__}.{fn.__qualname__}", data_version(con), date.today(), key, fn, con, args, kwargs)
    return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value


def pick_workspace(con) -> dict | None:
    """Draw the sidebar workspace picker and keep the choice in the URL (?ws=ID).

    Which workspace opens, first rule that applies: a switch asked for by the last run
    (switch_workspace); the URL when it changed (new tab, shared link); the picker as the user
    left it; the last choice; the first workspace. The widget's key carries a digest of the
    names, so a renamed workspace shows its new name (Streamlit keeps a keyed selectbox's old
    labels). Only the workspaces the acting person is a member of are offered; a URL naming
    another one says so. Returns the chosen workspace, or None when there is none."""
    ws = workspaces.list_all(con)
    allowed = members.visible_ids(con)
    if allowed is not None:
        ws = ws[ws["id"].astype(int).isin(allowed)]
    raw = st.query_params.get("ws")
    if raw and raw != st.session_state.get("_ws_url_seen") and not (raw.isdigit() and int(raw) in set(ws["id"].astype(int))):
        st.warning(f"The link names workspace {plain(raw)}, which is not one of yours (or no longer exists): "
                   "ask its owner to add you as a member.", icon=":material/block:")
    if ws.empty:
        st.session_state.pop(WS_KEY, None)
        return None
    ids = [int(i) for i in ws["id"]]
    names = dict(zip(ids, ws["name"]))
    widget = f"{WS_KEY}_{digest(sorted(names.items()))}"
    from_url = int(raw) if raw and raw.isdigit() and int(raw) in ids else None
    if _WS_NEXT in st.session_state:
        chosen = st.session_state.pop(_WS_NEXT)
    elif from_url is not None and raw != st.session_state.get("_ws_url_seen"):
        chosen = from_url
    elif st.session_state.get(widget) in ids:
        chosen = st.session_state[widget]
    else:
        chosen = st.session_state.get(WS_KEY)
    chosen = int(chosen) if chosen in ids else ids[0]
    st.session_state[widget] = chosen              # set before the widget is drawn: allowed
    st.sidebar.selectbox("Workspace (client engagement)", ids, format_func=lambda i: visible_controls(names[i]), key=widget,
                         help="Each workspace is one client engagement. Manage them on the Workspaces page.")
    st.session_state[WS_KEY] = chosen
    st.query_params["ws"] = str(chosen)
    st.session_state["_ws_url_seen"] = str(chosen)
    return workspaces.get(con, chosen)


def switch_workspace(workspace_id: int | None, message: str | None) -> None:
    """Open another workspace (None: the first there is) after a change, with a message (None:
    the one already queued), and rerun.

    The picker is already drawn when a page saves, and Streamlit refuses a change to a drawn
    widget's state, so the switch is handed to the next run's picker (see pick_workspace)."""
    st.session_state[_WS_NEXT] = None if workspace_id is None else int(workspace_id)
    if message is not None:
        flash(message)
    st.rerun()


def current_workspace() -> dict | None:
    return st.session_state.get("workspace")


def require_workspace() -> dict:
    """The selected workspace, or stop the page with a pointer to the Workspaces page."""
    ws = current_workspace()
    if ws is None:
        actor = identity.current()
        if actor.local or actor.admin:
            st.info("There is no active workspace. Create one on the Workspaces page.", icon=":material/info:")
            st.page_link("pages/workspaces.py", label="Go to Workspaces", icon=":material/folder_open:")
        else:
            st.info(f"{plain(actor.email or 'You')} is not a member of any workspace yet. Ask a workspace owner or an "
                    "administrator to add you.", icon=":material/info:")
        st.stop()
    return ws


def role() -> str | None:
    """The acting person's role in the open workspace ('owner' for the local user)."""
    return st.session_state.get(ROLE_KEY)


def may_edit(owned: bool = False) -> bool:
    """Whether the open workspace's edit widgets are drawn for the acting person: owners and
    editors get them all; contributors those of the records they may own (`owned=True`: the
    gap-analysis rows, actions, risks and documents), and aims refuses their saves of others'
    records; viewers none. Never the check itself: every write function checks in aims."""
    r = role()
    return r in ("owner", "editor") or (owned and r == "contributor")


def may_manage() -> bool:
    """Whether the workspace's members, archiving and deletion are offered (owners, administrators)."""
    return role() == "owner" or identity.current().admin


_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stMetricValue"] { font-size: 2rem; }
</style>"""


def page_header(title: str, ws: dict | None, caption: str = "") -> None:
    """Page title with the workspace and organisation under it (and the app-wide styles)."""
    st.html(_CSS)
    st.title(title)
    parts = []
    if ws:
        parts.append(f"**{plain(ws['name'])}**" + (f" · {plain(ws['organisation'])}" if ws.get("organisation") else ""))
    if caption:
        parts.append(caption)
    if parts:
        st.caption(" · ".join(parts))


def show_problems(exc: ValidationError, what: str = "Nothing was saved") -> None:
    """Show every validation problem of a rejected write."""
    items = "\n".join(f"- {plain(p)}" for p in exc.problems)
    st.error(f"**{what}.** Please fix:\n{items}", icon=":material/error:")


FLASH_SECONDS = 10     # how long a save's confirmation stays at the top of its page


def flash(message: str) -> None:
    """Queue a success message for the page that saved: one box at the top of the page on its
    runs of the next FLASH_SECONDS seconds, so a rerun right after the save (a widget settling, a
    filter touched) does not take the confirmation away. One message, never a box and a toast."""
    st.session_state["_flash"] = {"text": message, "at": time.monotonic(), "page": st.session_state.get(PAGE_KEY)}


def show_flash() -> None:
    """Show the queued message (see flash); drop it once it is older than FLASH_SECONDS."""
    item = st.session_state.get("_flash")
    if not item:
        return
    if time.monotonic() - item["at"] > FLASH_SECONDS or item["page"] != st.session_state.get(PAGE_KEY):
        st.session_state.pop("_flash", None)
        return
    st.success(plain(item["text"]), icon=":material/check_circle:")     # messages name user records


def form_version(name: str) -> int:
    """The version of an add form: its widget keys carry it, and form_done(name) after a
    successful add moves to the next one, so the form starts empty again. Unlike a form that
    clears on submit, a refused add keeps everything that was typed, to fix."""
    return st.session_state.get(f"_form_v_{name}", 0)


def form_done(name: str) -> None:
    """An add through the form `name` succeeded: its next run starts empty (see form_version)."""
    st.session_state[f"_form_v_{name}"] = form_version(name) + 1


def digest(values) -> str:
    """A short fingerprint of labels: widgets whose labels change after a save put it in their key,
    because Streamlit keeps showing a keyed widget's old labels."""
    return hashlib.md5(repr(list(values)).encode()).hexdigest()[:10]


def labelled_picker(label: str, options: list, labels: dict, key: str, current=None):
    """A selectbox whose option labels change after a save (a status, a category), opened on
    `current` (else the last choice, else the first option).

    Streamlit keeps showing a keyed selectbox's old label when only its labels change, so the
    widget's key carries a digest of the labels, and the choice is kept under `key` itself."""
    chosen = current if current in options else st.session_state.get(key)
    shown = [labels.get(o, str(o)) for o in options]
    value = st.selectbox(label, options, index=options.index(chosen) if chosen in options else 0,
                         format_func=lambda o: visible_controls(labels.get(o, str(o))), key=f"{key}_{digest(shown)}")
    st.session_state[key] = value
    return value


def system_picker(systems: pd.DataFrame, key: str) -> str:
    """Pick one AI system (ID, name and EU AI Act category); the choice is kept in the URL (?system=)."""
    ids = list(systems["id"])
    names = dict(zip(ids, systems["id"] + "  " + systems["name"] + "  (" + systems["ai_act_category"] + ")"))
    sid = labelled_picker("AI system", ids, names, key, current=st.query_params.get("system"))
    st.query_params["system"] = sid
    return sid


def saved(write: Callable[[], object], message: Callable[[object], str]) -> bool:
    """Run a write (again, when the database refused it for a simultaneous change; see
    db.retrying); on success queue message(result) (see flash) and return True, on refusal show
    the problems (nothing was written) and return False."""
    try:
        result = db.retrying(write)
    except ValidationError as exc:
        show_problems(exc)
        return False
    flash(message(result))
    return True


def tally(n: int, noun: str) -> str:
    """'1 row', '3 rows'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def fields_saved(n: int, where: str = "", rows: int | None = None) -> str:
    """The confirmation of a save that changed `n` fields (of `rows` table rows, when a table was
    saved): it counts fields as fields, never as 'changes', so 7 fields on one row do not read
    as seven saves."""
    if not n:
        return "Nothing had changed."
    of_rows = f" on {tally(rows, 'row')}" if rows else ""
    return f"Saved {tally(n, 'changed field')}{of_rows}{' to ' + where if where else ''}."


def owner_options(con, workspace_id: int, *current) -> list[str]:
    """Owners to offer, the same in every owner field: the workspace's one people list
    (roles.owner_names) plus the values in `current` (so a field's own value stays selectable),
    sorted, with '' (no owner) first."""
    from aims.governance import roles
    names = set(cached(roles.owner_names, con, workspace_id))
    for values in current:
        names.update(v for v in values if isinstance(v, str) and v.strip())
    return [""] + sorted(names, key=str.lower)


def with_owners(con, workspace_id: int, names, write: Callable):
    """Run write(tx) and add every new owner name among `names` to the people register, in one
    transaction (see roles.register_owners); returns write's result. Every owner field saves
    through this, so the one people list offers whoever was named anywhere."""
    from aims.governance import roles
    names = [n for n in names if isinstance(n, str) and n.strip()]
    with db.transaction(con) as tx:
        result = write(tx)
        if names:                   # most saves name nobody new: no register read for them
            roles.register_owners(tx, workspace_id, names)
    return result


def owner_picker(container, label: str, options: list[str], value: str, key: str) -> str:
    """A selectbox over `options` that also accepts a new name typed by the user."""
    opts = options if value in options else options + [value]
    return container.selectbox(label, opts, index=opts.index(value), key=key, accept_new_options=True,
                               format_func=lambda v: v or "(no owner)",
                               help="The workspace's people (Governance page) and owners named elsewhere; "
                                    "type a new name to add that person.") or ""


def pct(value) -> str:
    """'64%' or a dash when there is nothing to measure."""
    return "–" if value is None or pd.isna(value) else f"{value:.0f}%"


def days_to(target) -> str:
    if target is None or pd.isna(target):
        return "no date set"
    d = (target - date.today()).days
    return f"{d} days" if d >= 0 else f"{-d} days overdue"


_INLINE = re.compile(r"([\\`*_\[\]<>~$|&]|:(?=[A-Za-z]))")    # emphasis, links, html, maths, entities, :directives:
# Emoji shortcodes (':smile:', ':+1:') and icons (':material/warning:') are looked for in the text
# after escapes are resolved, so a backslash does not stop them: a word joiner after the colon does.
_SHORTCODE = re.compile(r":(?=[\w+\-]+(?:/[\w+\-]*)?:)")
# Web and mail addresses become links after escapes are resolved, so no backslash stops them: an
# invisible word joiner inside 'http://', 'www.' and 'a@b' does, and the text still reads the same.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=\w)(?=@\w)", re.IGNORECASE)
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)   # headings, lists, rules
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)     # four spaces would start a code block


def plain(value) -> str:
    """User text made literal for anything Streamlit renders as markdown (messages, headings,
    captions, labels, help texts): the characters that would format it are escaped, so
    '**bold** [link](x)', ':red[x]', ':smile:' and '$x$' show as typed, while ordinary punctuation
    stays as it is. Leading spaces become no-break spaces (no code block), and bidirectional
    control characters show as markers such as '[U+202E]' (see aims.common.text)."""
    text = _SHORTCODE.sub(":\u2060", visible_controls(value))
    text = _AUTOLINK.sub("\u2060", _INLINE.sub(r"\\\1", text))
    text = _INDENT.sub(lambda m: "\u00a0" * len(m.group()), text)
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]
                                                   if m.group(2)[-1] in ".)" else "\\" + m.group(2)), text)
