"""The parts of the evidence files page (pages/evidence.py): the list of files with their flags,
an open file (download, versions, links, description and expiry), the upload form and the
auditor's evidence pack. The rules are in aims.audit.evidence_files and evidence_pack; edit
widgets are drawn only for those who may change evidence (owners and editors, and contributors
for the requirements and documents they own: aims refuses the rest)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from aims.access import identity
from aims.audit import evidence_files as ev
from aims.audit import evidence_pack, findings
from aims.catalog.standard import Catalog
from aims.common.text import visible_controls
from aims.common.validate import ValidationError
from aims.store import blobs
from aims.ui import chrome, conflicts

VIEW = "evidence_view"
PARAM = "evidence"
LINK_FIELDS = (("requirement", "Requirements and controls"), ("audit_item", "Audit checklist items"),
               ("finding", "Findings"), ("document", "Documents"))
STATUS_COLOURS = {ev.OK: "green", ev.EXPIRING: "orange", ev.EXPIRED: "red", ev.MISSING: "red"}
STATUS_ICONS = {ev.OK: ":material/check_circle:", ev.EXPIRING: ":material/schedule:",
                ev.EXPIRED: ":material/event_busy:", ev.MISSING: ":material/broken_image:"}
_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class Ctx:
    """What every part of the page reads: `table` is evidence_files.files, `known` targets()."""
    con: object
    ws_id: int
    ws: dict
    cat: Catalog
    table: pd.DataFrame
    known: dict


def deferred(fn):
    """`fn` for a download button's data: Streamlit calls it on another thread when the button is
    clicked, where the person acting in this run must act too (their read is checked)."""
    actor = identity.current()

    def run():
        with identity.acting(actor):
            return fn()
    return run


# ---- the list ----------------------------------------------------------------------------------

def filtered(table: pd.DataFrame) -> pd.DataFrame:
    f = st.columns([2.4, 3], vertical_alignment="bottom")
    statuses = f[0].pills("Status", list(ev.STATUS_LABELS), format_func=ev.STATUS_LABELS.get, selection_mode="multi",
                          key="ev_status", help="None picked: every file")
    search = f[1].text_input("Search", key="ev_search", placeholder="ID, file name, description, link (e.g. 5.2)...")
    view = table[table["status"].isin(statuses)] if statuses else table
    needle = search.strip().lower()
    if needle:
        hay = view["id"] + " " + view["name"] + " " + view["description"] + " " + view["links_text"]
        view = view[hay.str.lower().str.contains(needle, regex=False)]
    return view


def list_frame(view: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "ID": view["id"], "File": view["name"], "Version": view["version"], "Linked to": view["links_text"],
        "Expires": view["expires_on"], "Status": view["status"].map(ev.STATUS_LABELS), "Note": view["note"],
        "Uploaded by": view["uploaded_by"], "Uploaded": view["uploaded_at"], "Size": view["size"].map(ev.size_label),
    }).reset_index(drop=True)


COLUMNS = {"ID": st.column_config.TextColumn(width=70), "File": st.column_config.TextColumn(width=220),
           "Version": st.column_config.NumberColumn("Ver.", width=45, format="v%d"),
           "Linked to": st.column_config.TextColumn(width=230),
           "Expires": st.column_config.DateColumn(format="YYYY-MM-DD", width=95),
           "Status": st.column_config.TextColumn(width=110), "Note": st.column_config.TextColumn(width=220),
           "Uploaded": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=130),
           "Size": st.column_config.TextColumn(width=70)}
_STYLE = {"expired": "color: #b42318; font-weight: 600", "missing on disk": "color: #b42318; font-weight: 600",
          "missing": "color: #b42318; font-weight: 600", "expiring soon": "color: #b54708; font-weight: 600",
          "no evidence": "color: #667085"}


def styled(frame: pd.DataFrame):
    return frame.style.map(lambda v: _STYLE.get(v, ""), subset=["Status"])


def files_tab(c: Ctx) -> None:
    if c.table.empty:
        st.info("No evidence file yet." + (" Upload the first one (Upload tab)." if chrome.may_edit(owned=True)
                                          else ""), icon=":material/attach_file:")
        return
    view = filtered(c.table)
    st.caption(f"Showing {len(view)} of {chrome.tally(len(c.table), 'file')} (latest versions). Select a row to "
               "open the file: download it, see its versions" + (" and edit its links." if chrome.may_edit(owned=True)
                                                                  else " and its links."))
    frame = list_frame(view)
    ids = list(frame["ID"])
    event = st.dataframe(styled(frame), hide_index=True, column_config=COLUMNS, on_select="rerun",
                         selection_mode="single-row", placeholder="", height="auto" if len(frame) <= 12 else 480,
                         key=f"ev_table_{chrome.digest(ids)}_{st.session_state.get('ev_table_v', 0)}")
    picked = [ids[i] for i in event.selection.rows if i < len(ids)]
    if picked:
        st.query_params[PARAM] = picked[0]
    open_panel(c)


# ---- one file -----------------------------------------------------------------------------------

def open_panel(c: Ctx) -> None:
    """The file named in the URL (?evidence=EV-001), below the list."""
    eid = st.query_params.get(PARAM)
    if not eid:
        return
    f = ev.get(c.con, c.ws_id, eid)
    if f is None:
        st.info(f"There is no evidence file {chrome.plain(eid)} in this workspace.", icon=":material/info:")
        return
    vers = ev.versions(c.con, c.ws_id, eid)
    latest = vers.iloc[0]
    st.divider()
    head = st.columns([6, 1])
    head[0].subheader(f"{eid} · {chrome.plain(f['name'])}")
    if head[1].button("Close", key="ev_close_panel", icon=":material/close:", use_container_width=True):
        st.query_params.pop(PARAM, None)
        st.session_state["ev_table_v"] = st.session_state.get("ev_table_v", 0) + 1
        st.rerun()
    b = st.container(horizontal=True)
    b.badge(f"version {f['version']}", icon=":material/history:", color="gray")
    b.badge(ev.STATUS_LABELS[latest["status"]], icon=STATUS_ICONS[latest["status"]],
            color=STATUS_COLOURS[latest["status"]])
    if latest["note"] and latest["disk"] == blobs.PRESENT:
        b.badge(latest["note"][:90], color=STATUS_COLOURS[latest["status"]])
    if latest["disk"] != blobs.PRESENT:
        st.warning(f"**{eid} cannot be downloaded:** {chrome.plain(latest['note'])}.", icon=":material/broken_image:")
    left, right = st.columns([1.15, 1], gap="large")
    with left:
        _about(c, f, vers)
    with right:
        st.markdown("**Evidence for**")
        if chrome.may_edit(owned=True):
            links_editor(c, eid, f["links"])
        elif f["links"]:
            st.text("\n".join(_target_label(c, k, t) for k, t in f["links"]))
        else:
            st.caption("Not linked to anything yet.")
    if chrome.may_edit(owned=True):
        with st.expander("Edit the description and expiry date", icon=":material/edit:"):
            details_form(c, f)
    with st.expander("History", icon=":material/manage_history:"):
        st.dataframe(ev.history(c.con, c.ws_id, eid), hide_index=True, placeholder="", column_config={
            "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
            "changed_by": "Who", "field": "Field", "old_value": "Old value", "new_value": "New value"})


def _target_label(c: Ctx, kind: str, target: str) -> str:
    return f"{ev.KIND_LABELS[kind]}: {c.known.get(kind, {}).get(target, target + ' (no longer exists)')}"


def _about(c: Ctx, f: dict, vers: pd.DataFrame) -> None:
    if f["description"]:
        st.text(f["description"])
    st.caption(f"Uploaded by {chrome.plain(f['uploaded_by'])} on {f['uploaded_at']:%Y-%m-%d %H:%M} · "
               f"{ev.size_label(int(f['size']))} · {chrome.plain(f['media_type'])}")
    st.caption("SHA-256 (the auditor's check that the file is the one recorded)")
    st.code(f["sha256"], language=None, wrap_lines=True)
    numbers = [int(v) for v in vers["version"]]
    row = vers.iloc[0]
    d = st.columns([1.6, 1.4], vertical_alignment="bottom")
    if len(numbers) > 1:
        info = {int(r["version"]): r for r in vers.to_dict("records")}
        pick = d[0].selectbox("Version", numbers, key=f"ev_version_{f['id']}", format_func=lambda v: (
            f"v{v} · {info[v]['uploaded_at']:%Y-%m-%d} · {ev.STATUS_LABELS[info[v]['status']]}"))
        row = info[pick]
    there = row["disk"] == blobs.PRESENT
    d[1 if len(numbers) > 1 else 0].download_button(
        f"Download v{int(row['version'])}", data=deferred(lambda v=int(row["version"]): ev.content(
            c.con, c.ws_id, f["id"], v) or b""), file_name=row["name"], mime=row["media_type"] or None,
        disabled=not there, on_click="ignore", icon=":material/download:", key=f"ev_download_{f['id']}_{row['version']}",
        help=None if there else row["note"])
    if len(numbers) > 1:
        st.dataframe(pd.DataFrame({"Version": vers["version"], "File": vers["name"], "Uploaded by": vers["uploaded_by"],
                                   "Uploaded": vers["uploaded_at"], "Status": vers["status"].map(ev.STATUS_LABELS)}),
                     hide_index=True, placeholder="", column_config={
                         "Version": st.column_config.NumberColumn(format="v%d", width=60),
                         "Uploaded": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})


def link_fields(c: Ctx, key: str, shown: list[tuple[str, str]], across: int = 1) -> list[tuple[str, str]]:
    """One multiselect per kind of link with something to link to (inside a form), `across` to a
    row; returns the links chosen."""
    chosen = []
    kinds = [(kind, label) for kind, label in LINK_FIELDS if c.known[kind] or any(k == kind for k, _ in shown)]
    cols = [col for _ in range(0, len(kinds), across) for col in st.columns(across)]
    for (kind, label), col in zip(kinds, cols):
        current = [t for k, t in shown if k == kind]
        options = list(c.known[kind]) + [t for t in current if t not in c.known[kind]]
        picked = col.multiselect(label, options, default=current, key=f"{key}_{kind}", placeholder="None",
                                format_func=lambda t, kind=kind: visible_controls(
                                    c.known[kind].get(t, f"{t} (no longer exists)")))
        chosen += [(kind, t) for t in picked]
    return chosen


def links_editor(c: Ctx, eid: str, links: list[tuple[str, str]]) -> None:
    name = f"ev_links_{eid}"
    key = f"{name}_{chrome.form_version(name)}"
    shown = conflicts.loaded(name, links, probe=f"{key}_requirement")
    with st.form(key, border=False):
        chosen = link_fields(c, key, shown)
        go = st.form_submit_button("Save links", icon=":material/link:")
    if go and chrome.saved(lambda: ev.set_links(c.con, c.ws_id, eid, chosen, base=shown),
                           lambda n: f"{eid}: {chrome.tally(n, 'link')} added or removed." if n else
                           f"{eid}: the links had not changed."):
        chrome.form_done(name)
        st.rerun()


def details_form(c: Ctx, f: dict) -> None:
    form = f"ev_details_{f['id']}"
    prefix, shown = conflicts.opened(form, {"description": f["description"], "expires_on": f["expires_on"]},
                                     ev.FIELD_LABELS)
    with st.form(prefix, border=False):
        desc = st.text_area("Description", shown["description"], max_chars=5000, height=90, key=f"{prefix}_description")
        d = st.columns(2, vertical_alignment="bottom")
        expires = d[0].date_input("Expiry date", value=shown["expires_on"], format="YYYY-MM-DD",
                                  key=f"{prefix}_expires_on", help=EXPIRY_HELP)
        clear = d[1].checkbox("No expiry date", key=f"{prefix}_clear", value=False)
        go = st.form_submit_button("Save description and expiry", icon=":material/save:")
    values = {"description": desc, "expires_on": None if clear else expires} if go else None
    conflicts.submit(form, f["id"], values, shown,
                     lambda data, base: ev.update(c.con, c.ws_id, f["id"], data, base=base),
                     lambda n: chrome.fields_saved(n, f["id"]))


EXPIRY_HELP = (f"For evidence valid for a time (a certificate, a contract, a test report): flagged {ev.EXPIRING_DAYS} "
               "days before, and as expired once the date has passed.")


# ---- upload -------------------------------------------------------------------------------------

def upload_tab(c: Ctx) -> None:
    try:
        limit = ev.max_mb()
    except ValidationError as exc:
        chrome.show_problems(exc, "Uploads are switched off")
        return
    modes = ["A new evidence file"] + (["A new version of a file"] if not c.table.empty else [])
    mode = st.segmented_control("What are you uploading?", modes, default=modes[0], key="ev_upload_mode") or modes[0]
    if chrome.role() == "contributor":
        st.caption("As a contributor you upload evidence for the requirements and documents you own: link it to one.")
    name = "ev_upload"
    k = f"{name}_{chrome.form_version(name)}"
    new = mode == modes[0]
    with st.form(k):
        target = None
        if not new:
            names = dict(zip(c.table["id"], c.table["id"] + " · " + c.table["name"] + " (v"
                             + c.table["version"].astype(str) + ")"))
            target = st.selectbox("File to add a version to *", list(names), format_func=lambda i: visible_controls(names[i]),
                                  key=f"{k}_target", index=_index(list(names), st.query_params.get(PARAM)))
        up = st.file_uploader(f"File * (up to {limit:g} MB)", type=sorted(ev.ALLOWED), key=f"{k}_file",
                              max_upload_size=max(1, math.ceil(limit)), help=f"Allowed: {ev.ALLOWED_TEXT}.")
        d = st.columns([3, 1.3])
        desc = d[0].text_input("Description", max_chars=5000, key=f"{k}_description",
                               placeholder="What it shows, e.g. AI policy signed by the CEO" if new
                               else "Blank: keeps the description of the previous version")
        expires = d[1].date_input("Expiry date (optional)", value=None, format="YYYY-MM-DD", key=f"{k}_expires",
                                  help=EXPIRY_HELP)
        links = []
        if new:
            st.markdown("**Evidence for** (you can add links later too)")
            links = link_fields(c, k, [], across=2)
        go = st.form_submit_button("Upload evidence" if new else "Upload the new version", type="primary",
                                   icon=":material/upload:")
    if not go:
        return
    if up is None:
        st.error("Choose a file to upload first.", icon=":material/error:")
        return
    before = dict(zip(c.table["id"], c.table["version"])).get(target)
    done = []

    def write():
        done.append(ev.upload(c.con, c.ws_id, up.name, up.getvalue(), description=desc, expires_on=expires,
                              links=links, evidence_id=target))
        return done[-1]

    if chrome.saved(write, lambda r: f"Restored the missing file of {r[0]} version {r[1]} from your upload."
                    if before is not None and r[1] == before else f"Uploaded {up.name} as {r[0]} version {r[1]}."):
        chrome.form_done(name)
        st.query_params[PARAM] = done[-1][0]
        st.rerun()


def _index(options: list, value) -> int:
    return options.index(value) if value in options else 0


# ---- the evidence pack --------------------------------------------------------------------------

SCOPES = ("Every applicable requirement", "Chosen requirements", "One audit's scope")


def pack_tab(c: Ctx) -> None:
    st.caption("One ZIP for the auditor: the latest version of each evidence file, named like 'EV-001 v2 - name', and "
               "an index workbook (requirement, file, SHA-256, version, who uploaded it and when, expiry, status). A "
               "file is evidence for a requirement when it is linked to it, to one of its audit items, to a finding "
               "against it or to a document the register links to it.")
    scope = st.segmented_control("Scope", SCOPES, default=SCOPES[0], key="ev_pack_scope") or SCOPES[0]
    reqs, audit = None, None
    if scope == SCOPES[1]:
        reqs = st.multiselect("Requirements and controls", list(c.cat.requirements), key="ev_pack_reqs",
                              format_func=lambda r: f"{r} {c.cat.requirements[r].title}", placeholder="Pick some")
        if not reqs:
            st.caption("Pick the requirements the pack is for.")
            return
    elif scope == SCOPES[2]:
        audits = chrome.cached(findings.audit_options, c.con, c.ws_id)
        if not audits:
            st.info("There is no audit in this workspace yet.", icon=":material/info:")
            return
        audit = st.selectbox("Audit", list(audits), format_func=lambda a: visible_controls(audits[a]),
                             key="ev_pack_audit")
    try:
        pack = evidence_pack.plan(c.con, c.ws_id, c.cat, reqs, audit)
    except ValidationError as exc:
        chrome.show_problems(exc, "No pack can be made")
        return
    covered = len({r["req_id"] for r in pack.rows if r["id"]})
    k = st.columns(4)
    k[0].metric("Requirements in scope", len(pack.requirements), border=True)
    k[1].metric("With evidence", f"{covered} of {len(pack.requirements)}", border=True)
    k[2].metric("Files in the pack", len(pack.included), border=True)
    k[3].metric("Missing on disk", len(pack.missing), border=True, help="Listed in the index, left out of the ZIP")
    if pack.missing:
        st.warning(f"Left out of the pack, missing from the evidence folder: {', '.join(pack.missing)}. The index "
                   "lists them as missing.", icon=":material/broken_image:")
    label = _FILE_NAME.sub("_", f"Evidence pack - {c.ws['name']} - {date.today()}.zip")
    st.download_button("Download the evidence pack", data=deferred(
        lambda: evidence_pack.build(c.con, c.ws_id, c.cat, reqs, audit)[0]), file_name=label, mime="application/zip",
        type="primary", icon=":material/folder_zip:", on_click="ignore", key="ev_pack_download")
    rows = pd.DataFrame(pack.rows)
    if st.toggle("Only requirements with evidence", key="ev_pack_only"):
        rows = rows[rows["id"] != ""]
    st.dataframe(pd.DataFrame({"Requirement": rows["req_id"], "Title": rows["title"], "Evidence": rows["id"],
                               "Status": rows["status"], "File in pack": rows.get("entry"), "Linked as": rows["linked_as"],
                               "Note": rows["note"]}).style.map(lambda v: _STYLE.get(v, ""), subset=["Status"]),
                 hide_index=True, placeholder="", height=min(460, 40 + 35 * max(len(rows), 2)), key="ev_pack_preview",
                 column_config={"Requirement": st.column_config.TextColumn("Req.", width=70),
                                "Title": st.column_config.TextColumn(width=230),
                                "Evidence": st.column_config.TextColumn(width=70),
                                "Status": st.column_config.TextColumn(width=95),
                                "File in pack": st.column_config.TextColumn(width=250),
                                "Linked as": st.column_config.TextColumn(width=190)})
