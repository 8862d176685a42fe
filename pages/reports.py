"""Reports: the Excel engagement workbook (download, and import of the client's edits), the client
report PDF and the one-page summary, the Statement of Applicability on its own, and CSV downloads
of every table."""
import hashlib

import pandas as pd
import streamlit as st

from aims.assessment import requirements as assessments
from aims.assessment import soa
from aims.common.validate import ValidationError
from aims.store import db
from aims.store.files import FileProblem
from aims.ui import chrome, report_panel
from aims.workbook import csv as wb_csv
from aims.workbook import export, importer, registry
from aims.workbook import problems as listing
from aims.workbook import soa as wb_soa

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LARGE = 3000   # records: above this the workbook is prepared on request, with a progress bar

con, ws = chrome.page("Reports and the Excel workbook", "hand the client a workbook, import their answers back")
cat = chrome.catalog()
WS = ws["id"]
version = export.data_version(con, WS)


@st.cache_data(show_spinner=False, max_entries=8)
def _workbook(_con, ws_id: int, data_version, today) -> bytes:
    return export.build(_con, ws_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _soa_workbook(_con, ws_id: int, data_version, today) -> bytes:
    return wb_soa.standalone(export.context(_con, ws_id))


@st.cache_data(show_spinner=False, max_entries=16)
def _csv(_con, ws_id: int, sheet_name: str, data_version, today) -> tuple[bytes, int]:
    sheet = next(s for s in registry.sheets() if s.name == sheet_name)
    frame = export.frame(export.context(_con, ws_id), sheet)
    return wb_csv.to_csv(frame), len(frame)


sheets = registry.sheets()
today = pd.Timestamp.today().date()

# ---- the engagement workbook ------------------------------------------------------------------
st.subheader("Engagement workbook")
left, right = st.columns([5, 2], gap="large")
with left:
    st.markdown(
        "One Excel file with everything in this workspace, styled for the client: drop-down lists, "
        "colours for maturity, gaps and risk levels, filters and print set-up. The client edits the "
        "columns under dark blue headings and sends it back; import it below.")
with right:
    records = export.record_count(con, WS)
    ready_key = f"reports_wb_{WS}_{version}_{today}"
    data = st.session_state.get(ready_key)
    if data is None and records <= LARGE:
        with st.spinner("Building the workbook..."):
            data = _workbook(con, WS, version, today)
    if data is None:
        st.info(f"This workspace holds {records:,} records: the workbook is built on request.",
                icon=":material/hourglass_top:")
        if st.button("Prepare the workbook", key="reports_prepare", icon=":material/build:", type="primary"):
            bar = st.progress(0.0, text="Starting...")
            data = export.build(con, WS, cat, progress=lambda f, what: bar.progress(min(f, 1.0), text=f"Sheet: {what}"))
            st.session_state[ready_key] = data
            bar.empty()
    if data is not None:
        st.download_button("Download the workbook (.xlsx)", data, file_name=export.file_name(ws, today),
                           mime=XLSX, key="reports_download_workbook", on_click="ignore", type="primary",
                           icon=":material/download:")
        st.caption(f"{len(data) / 1024:,.0f} KB · {len(sheets)} sheets · as of {today}")
with st.expander(f"What is in the workbook ({len(sheets)} sheets)", icon=":material/table_view:"):
    st.dataframe(pd.DataFrame([{"Sheet": s.name, "What it holds": s.description,
                                "Client can edit": "yes" if s.importable else "read only"} for s in sheets]),
                 hide_index=True, key="reports_sheet_list", column_config={
                     "Sheet": st.column_config.TextColumn(width="medium"),
                     "What it holds": st.column_config.TextColumn(width="large"),
                     "Client can edit": st.column_config.TextColumn(width=130)}, placeholder="")

report_panel.section(con, ws, cat)      # the client report (PDF) and the one-page summary

# ---- Statement of Applicability on its own ----------------------------------------------------
st.subheader("Statement of Applicability")
approval = assessments.soa_approval(con, WS)
st.caption(f"Version {chrome.plain(approval['version']) or 'not set'} · "
           + (f"approved by {chrome.plain(approval['approved_by'])} on {approval['approved_on']}"
              if approval["approved_by"]
              else "not approved yet") + " · for due-diligence questionnaires and auditors")
c = st.columns([1, 1, 4])
c[0].download_button("SoA as Excel", _soa_workbook(con, WS, version, today),
                     file_name=export.file_name(ws, today, "Statement of Applicability"), mime=XLSX,
                     key="reports_download_soa", on_click="ignore", icon=":material/rule:")
soa_table = soa.rows(assessments.table(con, WS, cat, ws["default_target"]))
c[1].download_button("SoA as CSV", soa.to_csv(soa_table, approval), file_name=f"Statement of Applicability {ws['name']}.csv",
                     mime="text/csv", key="reports_download_soa_csv", on_click="ignore", icon=":material/csv:")

# ---- CSV of any table ---------------------------------------------------------------------------
st.subheader("CSV of one table")
tables = [s for s in sheets if s.rows]
c = st.columns([2, 1, 2], vertical_alignment="bottom")
name = c[0].selectbox("Table", [s.name for s in tables], key="reports_csv_table")
csv_data, csv_rows = _csv(con, WS, name, version, today)
c[1].download_button("Download CSV", csv_data, file_name=f"{name} - {ws['name']}.csv",
                     mime="text/csv", key="reports_download_csv", on_click="ignore", icon=":material/download:")
c[2].caption(f"{csv_rows:,} rows. Text that a spreadsheet would run as a formula is prefixed with a quote.")

# ---- import ---------------------------------------------------------------------------------------
if not chrome.may_edit():       # importing changes the whole workspace: editors only (aims checks it too)
    st.stop()
st.subheader("Import an edited workbook")
st.caption("Everything is checked first and nothing changes until you apply. The database is backed up "
           "before the import, and the whole import is applied or nothing is.")
upload_key = f"reports_upload_{st.session_state.get('reports_upload_n', 0)}"
upload = st.file_uploader("Workbook (.xlsx) exported from this workspace and edited in Excel or LibreOffice",
                          type=["xlsx"], key=upload_key, max_upload_size=importer.MAX_BYTES // 1024 // 1024)


def _reset_upload() -> None:
    st.session_state["reports_upload_n"] = st.session_state.get("reports_upload_n", 0) + 1


if upload is not None:
    raw = upload.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    mapped = bool(st.session_state.get(f"reports_map_{digest}"))   # ticked: another workspace's workbook is wanted here
    plan_key = f"reports_plan_{WS}_{digest}_{version}_{mapped}"
    if plan_key not in st.session_state:
        with st.spinner("Checking every sheet, row and cell..."):
            try:
                st.session_state[plan_key] = importer.plan(con, WS, raw, cat, allow_other_workspace=mapped)
            except ValidationError as exc:
                st.session_state[plan_key] = exc
    plan = st.session_state[plan_key]
    if isinstance(plan, importer.OtherWorkspace):
        st.session_state[f"reports_source_{WS}_{digest}"] = plan.source
        st.error(chrome.plain(plan.problems[0]), icon=":material/error:")     # it names both workspaces
    if source := st.session_state.get(f"reports_source_{WS}_{digest}"):
        st.checkbox(f"Map this workbook of '{chrome.plain(source)}' onto '{chrome.plain(ws['name'])}'",
                    key=f"reports_map_{digest}", help="Its rows are compared with, and applied to, the records of "
                    "this workspace that have the same IDs. Tick only if that is where they belong.")
    if isinstance(plan, importer.OtherWorkspace):
        pass
    elif isinstance(plan, ValidationError):
        n = len(plan.problems)
        chrome.show_problems(ValidationError(listing.first(plan.problems)), f"The workbook was not imported: {n:,} "
                             f"problem{'s' if n != 1 else ''} to fix in Excel, then upload it again. Nothing was changed")
        if listing.more(plan.problems):
            if f"{plan_key}_csv" not in st.session_state:      # built once, not on every rerun
                st.session_state[f"{plan_key}_csv"] = listing.to_csv(plan.problems)
            st.download_button("Download every problem (CSV)", st.session_state[f"{plan_key}_csv"], "import problems.csv",
                               "text/csv", key="reports_problems_csv", on_click="ignore", icon=":material/download:")
    else:
        counts = plan.counts()
        for w in listing.first(plan.warnings, noun="warning"):
            st.warning(chrome.plain(w), icon=":material/warning:")       # they quote names and values
        k = st.columns(4)
        k[0].metric("Rows added", counts["added"], border=True)
        k[1].metric("Rows changed", counts["changed"], border=True, help=f"{counts['fields']} fields in all")
        k[2].metric("Unchanged", counts["unchanged"], border=True)
        k[3].metric("Deleted in Excel", counts["deleted"], border=True,
                    help="Only removed if you confirm below.")
        st.dataframe(pd.DataFrame(importer.overview(plan)), hide_index=True, key="reports_plan_overview", placeholder="")
        if not plan.has_changes:
            st.success("The workbook matches the workspace: there is nothing to import.", icon=":material/task_alt:")
        for sp in plan.sheets:
            if not sp.has_changes:
                continue
            with st.expander(f"{sp.name}: {len(sp.added)} added · {len(sp.changed)} changed · "
                             f"{sp.unchanged} unchanged · {len(sp.deleted)} deleted in Excel",
                             expanded=True):
                st.dataframe(pd.DataFrame(importer.change_rows(sp)).assign(
                                 Row=lambda f: [str(int(v)) if v else "" for v in f["Row"]]), hide_index=True,
                             key=f"reports_changes_{sp.name}", column_config={
                                 "Row": st.column_config.TextColumn("Excel row", width="small"),
                                 "Old value": st.column_config.TextColumn(width="medium"),
                                 "New value": st.column_config.TextColumn(width="medium")}, placeholder="")
        if plan.has_changes:
            delete = False
            deletable = sum(1 for sp in plan.sheets for r in sp.deleted if not r.blocked)
            if deletable:
                delete = st.checkbox(f"Also delete the {deletable} record{'s' if deletable != 1 else ''} "
                                     "whose rows were deleted in Excel", key="reports_confirm_delete",
                                     help="Leave unticked to keep them; the rest of the import is applied either way. "
                                          "AI systems are retired rather than deleted, as in the app.")
            if st.button("Apply the import", type="primary", key="reports_apply", icon=":material/upload:"):
                try:
                    with st.spinner("Backing up the database and applying the changes..."):
                        result = importer.apply(con, WS, raw, delete=delete, db_path=db.database_path(), catalog=cat,
                                                allow_other_workspace=mapped)
                except ValidationError as exc:
                    chrome.show_problems(ValidationError(listing.first(exc.problems)), "Nothing was imported")
                except FileProblem as exc:          # the backup taken before the import could not be written
                    chrome.show_problems(ValidationError(str(exc)), "Nothing was imported")
                else:
                    st.cache_data.clear()
                    _reset_upload()
                    chrome.flash(f"Imported: {result['added']} added, {result['changed']} changed "
                                 f"({result['fields']} fields), {result['deleted']} deleted."
                                 + (f" {result['deletions_skipped']} deleted in Excel were kept." if result["deletions_skipped"] else "")
                                 + (f" {result['deletions_blocked']} could not be deleted (see the preview)."
                                if result["deletions_blocked"] else "")
                             + (f" Backup: {result['backup']}" if result["backup"] else "")
                             + (f" Baseline {result['baseline']} keeps the state before the import (Progress page)."
                                if result["baseline"] else ""))
                    st.rerun()

st.divider()
report_panel.branding(con, WS)     # the client report's colour and logo (editors)
