"""Shared page chrome: the cached database connection, the workspace picker kept in the URL,
and small display helpers. Pages import this; the domain package `aims` never does."""
from __future__ import annotations

import gc
import html
import time
from datetime import date

import pandas as pd
import streamlit as st

from aims import catalog as catalog_mod
from aims import db, demo, workspaces
from aims.validate import ValidationError

WS_KEY = "ws_picker"
PAGE_KEY = "_page"          # the URL path of the page running (set by app.py)

# A rerun after a change allocates many short-lived objects (frames, figures); with Python's
# default thresholds the cycle collector then makes full passes over the whole heap, caches
# included, adding 50-100 ms to some page runs on a large workspace. Collect less often.
gc.set_threshold(50_000, 20, 10)


@st.cache_resource(show_spinner="Opening the database...")
def _open(path: str):
    con = db.open_database(path)
    demo.ensure(con, catalog_mod.load())
    return con


def connection():
    """The process-wide root connection for AIMS_DB; stops the page with a clear message when
    another program holds the file."""
    path = db.database_path()
    try:
        return _open(path)
    except db.DatabaseLockedError as exc:
        st.error(f"**The database is in use.** {exc}", icon=":material/lock:")
        st.stop()


def catalog():
    return catalog_mod.load()


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

    A workspace named in the URL wins when the URL changed (new tab, shared link); otherwise the
    picker's own state is kept. Returns the chosen workspace, or None when there is none.
    """
    ws = workspaces.list_all(con)
    if ws.empty:
        st.session_state.pop(WS_KEY, None)
        return None
    ids = [int(i) for i in ws["id"]]
    names = dict(zip(ids, ws["name"]))
    raw = st.query_params.get("ws")
    from_url = int(raw) if raw and raw.isdigit() and int(raw) in ids else None
    if from_url is not None and raw != st.session_state.get("_ws_url_seen"):
        st.session_state[WS_KEY] = from_url
    if st.session_state.get(WS_KEY) not in ids:
        st.session_state[WS_KEY] = ids[0]
    st.sidebar.selectbox("Workspace (client engagement)", ids, format_func=names.get, key=WS_KEY,
                         help="Each workspace is one client engagement. Manage them on the Workspaces page.")
    chosen = int(st.session_state[WS_KEY])
    st.query_params["ws"] = str(chosen)
    st.session_state["_ws_url_seen"] = str(chosen)
    return workspaces.get(con, chosen)


def current_workspace() -> dict | None:
    return st.session_state.get("workspace")


def require_workspace() -> dict:
    """The selected workspace, or stop the page with a pointer to the Workspaces page."""
    ws = current_workspace()
    if ws is None:
        st.info("There is no active workspace. Create one on the Workspaces page.", icon=":material/info:")
        st.page_link("views/workspaces.py", label="Go to Workspaces", icon=":material/folder_open:")
        st.stop()
    return ws


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
        parts.append(f"**{ws['name']}**" + (f" · {ws['organisation']}" if ws.get("organisation") else ""))
    if caption:
        parts.append(caption)
    if parts:
        st.caption(" · ".join(parts))


def show_problems(exc: ValidationError, what: str = "Nothing was saved") -> None:
    """Show every validation problem of a rejected write."""
    items = "\n".join(f"- {p}" for p in exc.problems)
    st.error(f"**{what}.** Please fix:\n{items}", icon=":material/error:")


FLASH_SECONDS = 10     # how long a save's confirmation stays at the top of its page


def flash(message: str) -> None:
    """Queue a success message for the page that saved: a toast on its next run, and a box at
    the top of the page on its runs of the next FLASH_SECONDS seconds, so a rerun right after the
    save (a widget settling, a filter touched) does not take the confirmation away."""
    st.session_state["_flash"] = {"text": message, "at": time.monotonic(), "page": st.session_state.get(PAGE_KEY),
                                  "toasted": False}


def show_flash() -> None:
    """Show the queued message (see flash); drop it once it is older than FLASH_SECONDS."""
    item = st.session_state.get("_flash")
    if not item:
        return
    if time.monotonic() - item["at"] > FLASH_SECONDS or item["page"] != st.session_state.get(PAGE_KEY):
        st.session_state.pop("_flash", None)
        return
    if not item["toasted"]:
        st.toast(item["text"], icon=":material/check_circle:")
        item["toasted"] = True
    st.success(item["text"], icon=":material/check_circle:")


def owner_options(con, workspace_id: int, *current) -> list[str]:
    """Owners to offer: the people of the roles register plus every owner already typed (so old
    free-text owners stay selectable), sorted, with '' (no owner) first."""
    from aims import roles
    names = set(cached(roles.people, con, workspace_id))
    for values in current:
        names.update(v for v in values if isinstance(v, str) and v.strip())
    return [""] + sorted(names, key=str.lower)


def owner_picker(container, label: str, options: list[str], value: str, key: str) -> str:
    """A selectbox over `options` that also accepts a new name typed by the user."""
    opts = options if value in options else options + [value]
    return container.selectbox(label, opts, index=opts.index(value), key=key, accept_new_options=True,
                               format_func=lambda v: v or "(no owner)",
                               help="People from the roles register; type a new name to add one.") or ""


def pct(value) -> str:
    """'64%' or a dash when there is nothing to measure."""
    return "–" if value is None or pd.isna(value) else f"{value:.0f}%"


def days_to(target) -> str:
    if target is None or pd.isna(target):
        return "no date set"
    d = (target - date.today()).days
    return f"{d} days" if d >= 0 else f"{-d} days overdue"


def esc(value) -> str:
    """HTML-escape user text before it goes into any markdown with HTML."""
    return html.escape(str(value or ""))
