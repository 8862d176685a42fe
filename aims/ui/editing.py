"""Editable tables that never lose typed edits.

`pending_editor` shows a st.data_editor whose edits are moved, cell by cell, into a pending-changes
dict in session state (keyed by the row's ID, not its position), so edits survive filter changes,
page switches and reruns until the user saves or discards them. `save_bar` shows the count of
unsaved changes with Save and Discard buttons.

Both follow the acting person's role (chrome.may_edit): for someone who may not change the table
it is shown read-only (a plain st.dataframe) and there is no save bar. Tables of records a
contributor may own (gap-analysis rows, actions, documents) pass `owned=True`: contributors get
the editor, with a note that only their own rows save. Hiding is never the check: aims refuses.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from aims.ui import chrome, conflicts

OWN_ROWS = ("You are a contributor: you can save only the rows you own (whose owner is your email or name); "
            "a save that changes someone else's row is refused.")


def _same(a, b) -> bool:
    na, nb = _is_blank(a), _is_blank(b)
    if na or nb:
        return na and nb
    if isinstance(a, (pd.Timestamp, date)) or isinstance(b, (pd.Timestamp, date)):
        return pd.Timestamp(a) == pd.Timestamp(b)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return list(a) == list(b)
    return a == b or str(a) == str(b)


def _is_blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, (list, tuple)):
        return len(v) == 0
    if isinstance(v, str):
        return v == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _stash(pending_key: str, frame_key: str, editor_key: str, columns: dict[str, str]) -> None:
    """on_change: move the editor's delta into the pending dict, keyed by row ID."""
    delta = st.session_state.get(editor_key) or {}
    frame: pd.DataFrame = st.session_state[frame_key]
    for pos, cells in (delta.get("edited_rows") or {}).items():
        row = frame.iloc[int(pos)]
        for col, value in cells.items():
            if col in columns:
                _keep(pending_key, row["ID"], columns[col], value, row[col])


def _keep(pending_key: str, row_id, field: str, value, shown) -> None:
    """Record a pending edit, and the value the cell showed before the first edit (its base)."""
    st.session_state.setdefault(pending_key, {}).setdefault(row_id, {})[field] = value
    st.session_state.setdefault(pending_key + "__base", {}).setdefault(row_id, {}).setdefault(field, shown)


def pending_editor(frame: pd.DataFrame, pending_key: str, columns: dict[str, str], *, key: str,
                   owned: bool = False, **editor_args) -> pd.DataFrame:
    """Show `frame` (with an 'ID' column) in a data editor with pending edits applied on top.

    `columns` maps editable display columns to field names. Returns the displayed frame. For a
    role that may not edit the table (see chrome.may_edit; `owned`: its rows are records a
    contributor may own) it is a read-only table of the stored values.
    """
    if not chrome.may_edit(owned):
        return read_only(frame, **editor_args)
    if owned and chrome.role() == "contributor":
        st.caption(OWN_ROWS)
    pending = st.session_state.setdefault(pending_key, {})
    shown = frame.copy()
    reverse = {v: k for k, v in columns.items()}
    for i, row_id in enumerate(shown["ID"]):
        for field, value in pending.get(row_id, {}).items():
            col = reverse[field]
            if shown[col].dtype.kind in "iu" and not isinstance(value, (int,)):
                shown[col] = shown[col].astype(object)
            shown.at[shown.index[i], col] = value
    frame_key = f"{key}__frame"
    st.session_state[frame_key] = shown
    # The key changes with the rows shown, so a new filter never applies an old delta to other rows.
    editor_key = f"{key}_{abs(hash(tuple(shown['ID'])))}_{st.session_state.get(pending_key + '__v', 0)}"
    st.session_state[f"{key}__editor"] = editor_key  # lets tests and callbacks find the live editor
    edited = st.data_editor(shown, key=editor_key, hide_index=True, num_rows="fixed",
                            on_change=_stash, args=(pending_key, frame_key, editor_key, columns), **editor_args, placeholder="")
    # Also diff the returned frame (covers edits that arrive without a callback, e.g. in tests).
    ids = shown["ID"].tolist()
    for col, field in columns.items():     # column by column: per-cell .iloc is slow on long tables
        for row_id, new, old in zip(ids, edited[col].tolist(), shown[col].tolist()):
            if not _same(new, old):
                _keep(pending_key, row_id, field, new, old)
    return edited


def read_only(frame: pd.DataFrame, column_config: dict | None = None, height=None, **_editing) -> pd.DataFrame:
    """The table as pending_editor shows it, without editing (the editor-only arguments are dropped)."""
    st.dataframe(frame, hide_index=True, column_config=column_config, height=height or "auto", placeholder="")
    return frame


def effective_changes(pending: dict, original: pd.DataFrame, columns: dict[str, str]) -> dict:
    """Pending edits minus those that equal the stored value (edited and edited back)."""
    base = original.set_index("ID")
    out = {}
    for row_id, fields in pending.items():
        keep = {}
        for field, value in fields.items():
            col = {v: k for k, v in columns.items()}[field]
            if row_id not in base.index or not _same(value, base.at[row_id, col]):
                keep[field] = value
        if keep:
            out[row_id] = keep
    return out


def base_of(pending_key: str, changes: dict) -> dict:
    """The values the table showed for the cells in `changes`, before the user edited them
    (the base a save compares with the stored values; see aims.store.conflicts)."""
    seen = st.session_state.get(pending_key + "__base", {})
    return {r: {f: seen.get(r, {}).get(f) for f in fields} for r, fields in changes.items()}


def discard(pending_key: str) -> None:
    st.session_state[pending_key] = {}
    st.session_state[pending_key + "__base"] = {}
    st.session_state[pending_key + "__v"] = st.session_state.get(pending_key + "__v", 0) + 1


def save_bar(pending_key: str, write: Callable[[dict, dict], object], prefix: str,
             original: pd.DataFrame | None = None, columns: dict[str, str] | None = None, *,
             message: Callable[[object, dict], str], owned: bool = False) -> None:
    """Unsaved-change count with Save and Discard.

    Save runs write(changes, base), where `base` holds the values the cells showed before the
    edits (see base_of), and flashes message(result, changes); a refusal shows its problems and
    keeps the edits. A save refused for someone else's newer values offers the choice here (see
    ui.conflicts, where=`prefix`). Not drawn for a role that may not edit the table (`owned` as
    for pending_editor)."""
    if not chrome.may_edit(owned):
        return
    pending = st.session_state.get(pending_key, {})
    if original is not None and columns is not None:
        pending = effective_changes(pending, original, columns)
    n = sum(len(v) for v in pending.values())
    c = st.columns([1.2, 1.2, 5])
    rows = len(pending)
    clicked = c[0].button(f"Save {rows} row{'s' if rows != 1 else ''}" if n else "Save", type="primary",
                          disabled=not n, key=f"{prefix}_save", icon=":material/save:", use_container_width=True)
    if c[1].button("Discard", disabled=not n, key=f"{prefix}_discard", use_container_width=True):
        discard(pending_key)
        conflicts.drop(prefix)
        st.rerun()
    if n:
        c[2].warning(f"{n} unsaved changed field{'s' if n != 1 else ''} on {rows} row{'s' if rows != 1 else ''}: "
                     "they are kept while you filter, and written only when you save.", icon=":material/edit_note:")
    if clicked and conflicts.save(prefix, write, pending, base_of(pending_key, pending),
                                  lambda result, changes=pending: message(result, changes)):
        discard(pending_key)
        st.rerun()
    if conflicts.panel(prefix):
        discard(pending_key)
        st.rerun()
