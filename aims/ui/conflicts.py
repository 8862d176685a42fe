"""Saves that never overwrite someone else's newer value, and the choice shown when they would.

Every form and table passes, beside the user's values, the values it was loaded with (`base`);
the store refuses a field someone else changed meanwhile (aims.store.conflicts.EditConflict).
`save` keeps such a refusal, with the user's values, in session state; `panel`, drawn where the
save was made, shows each field with their value and yours, lets the user choose per field, and
saves again. Until the user chooses, nothing they typed is dropped.

`loaded` keeps the values a form was drawn with, for as long as its widgets live.
"""
from __future__ import annotations

import copy
from typing import Callable

import streamlit as st

from aims.common.validate import ValidationError
from aims.store import db
from aims.store.conflicts import EditConflict, shown
from aims.ui import chrome

Changes = dict[str, dict]       # {record ID: {field: value}}
_KEY = "_conflict"


def loaded(name: str, values: dict, probe: str) -> dict:
    """The values form `name` showed when its widgets were created.

    Stored on the run that creates them (the widget keyed `probe` is not in session state yet)
    and kept while they live, so a save compares what the user submitted with what they saw,
    not with what another session saved since. Give `probe` the key of one of the form's widgets,
    carrying the form's version (chrome.form_version) so a successful save starts afresh."""
    key = f"_loaded_{name}"
    if probe not in st.session_state or key not in st.session_state:
        st.session_state[key] = copy.deepcopy(values)
    return st.session_state[key]


def opened(form: str, fresh: dict, labels: dict | None = None) -> tuple[str, dict]:
    """Open the edit form `form` on the stored values `fresh`: returns (widget key prefix, the
    values the form shows). The prefix, `<form>_<version>`, is what the form's widget keys start
    with, and `<prefix>_<first field>` must be one of them (see loaded). When someone else saved
    since the form was opened, says which fields and offers to show the latest values."""
    prefix = f"{form}_{chrome.form_version(form)}"
    shown = loaded(form, fresh, probe=f"{prefix}_{next(iter(fresh))}")
    newer = changed_since(shown, fresh)
    if newer and not pending(form):
        names = ", ".join((labels or {}).get(f, f.replace("_", " ")) for f in newer)
        n = st.columns([3, 1.3], vertical_alignment="center")
        n[0].caption(":material/update: " + chrome.plain(
            f"Changed by someone else since you opened this form: {names}. Saving keeps their changes to the "
            "fields you leave as they are."))
        if n[1].button("Show latest", key=f"{prefix}_latest", icon=":material/refresh:", type="tertiary",
                       help="Reload the form with the saved values (what you typed here is dropped)"):
            chrome.form_done(form)
            st.rerun()
    return prefix, shown


def changed_since(base: dict, now: dict) -> dict:
    """The fields whose stored value differs from what the form showed: {field: stored value}."""
    from aims.store.conflicts import same
    return {f: v for f, v in now.items() if f in base and not same(v, base[f])}


def save(where: str, write: Callable[[Changes, Changes | None], object], changes: Changes, base: Changes | None,
         message: Callable[[object], str]) -> bool:
    """Run write(changes, base); on success flash message(result) and return True. A refusal for
    someone else's newer value is kept for `panel(where)` to offer the choice; other problems are
    shown at once. A write the database refused for a simultaneous change is retried."""
    try:
        result = db.retrying(lambda: write(changes, base))
    except EditConflict as exc:
        st.session_state[_KEY] = {"where": where, "write": write, "changes": changes, "base": base,
                                  "message": message, "conflicts": exc.conflicts}
        return False
    except ValidationError as exc:
        chrome.show_problems(exc)
        return False
    if st.session_state.get(_KEY, {}).get("where") == where:
        st.session_state.pop(_KEY)
    chrome.flash(message(result))
    return True


def drop(where: str) -> None:
    """Forget a refused save made at `where` (the user discarded their changes)."""
    if pending(where):
        st.session_state.pop(_KEY)


def pending(where: str) -> bool:
    """True while a refused save made at `where` waits for the user's choice."""
    return st.session_state.get(_KEY, {}).get("where") == where


def panel(where: str) -> bool:
    """Show the refused save made at `where`, if any: per field their value and yours, a choice,
    and Save. Returns True when the save then succeeded (the caller resets its form or table and
    reruns); Cancel drops the refused save and leaves the form as the user typed it."""
    item = st.session_state.get(_KEY)
    if not item or item["where"] != where:
        return False
    found = item["conflicts"]
    tag = chrome.digest([(c.record, c.field, repr(c.theirs), repr(c.yours)) for c in found])
    with st.container(border=True, key=f"conflict_{where}"):
        st.warning(f"**Someone else changed {chrome.tally(len(found), 'field')} since you opened this, so "
                   "nothing was saved.** Choose the value to keep for each; your other changes are saved "
                   "with them.", icon=":material/sync_problem:")
        picks = []
        for i, c in enumerate(found):
            who = f" (saved by {c.by}{f' at {c.at:%H:%M}' if c.at else ''})" if c.by else ""
            labels = {"theirs": f"Theirs: {shown(c.theirs)}{who}", "mine": f"Yours: {shown(c.yours)}"}
            picks.append(st.radio(chrome.plain(f"{c.record} · {c.label or c.field.replace('_', ' ')}"),
                                  ["theirs", "mine"], format_func=lambda o, labels=labels: chrome.plain(labels[o]),
                                  horizontal=True, key=f"conflict_{where}_{tag}_{i}"))
        b = st.columns([3, 1.4])
        again = b[0].button("Save with these choices", type="primary", key=f"conflict_{where}_{tag}_save",
                            icon=":material/save:", use_container_width=True)
        if b[1].button("Cancel", key=f"conflict_{where}_{tag}_cancel", use_container_width=True,
                       help="Keep your values in the form without saving them"):
            st.session_state.pop(_KEY, None)
            st.rerun()
    if not again:
        return False
    changes, base = copy.deepcopy(item["changes"]), copy.deepcopy(item["base"]) or {}
    for c, pick in zip(found, picks):
        if pick == "mine":              # the user has now seen theirs and overrules it
            base.setdefault(c.record, {})[c.field] = c.theirs
        else:
            changes.get(c.record, {}).pop(c.field, None)
    changes = {r: f for r, f in changes.items() if f}
    st.session_state.pop(_KEY, None)
    if save(where, item["write"], changes, base, item["message"]):
        return True
    if pending(where):                   # a newer change again: show the new choice
        st.rerun()
    return False


def submit(form: str, record: str, values: dict | None, shown: dict, write_one: Callable[[dict, dict | None], object],
           message: Callable[[object], str], after: Callable[[], None] = st.rerun) -> None:
    """The save of a one-record edit form opened with `opened`: when submitted (`values` not None),
    runs write_one(the user's values, the values shown) and, on success, starts the form afresh
    and calls `after` (a rerun); a refusal for someone else's newer values offers the choice
    below the form."""
    def write(changes: Changes, base: Changes | None):
        return write_one(changes.get(record, {}), (base or {}).get(record))
    if (values is not None and save(form, write, {record: values}, {record: shown}, message)) or panel(form):
        chrome.form_done(form)
        after()
