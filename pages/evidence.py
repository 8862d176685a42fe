"""Evidence files: the files an auditor samples (policies, records, screenshots, exports), each linked
to the requirements, audit checklist items, findings and documents it is evidence for, with versions,
expiry flags, and the auditor's evidence pack (a ZIP with an index workbook)."""
import streamlit as st

from aims.audit import evidence_files, evidence_pack
from aims.ui import chrome, evidence_panels

con, ws = chrome.page("Evidence files", "the files an auditor samples, each linked to what it is evidence for")
cat = chrome.catalog()
WS = int(ws["id"])

table = evidence_files.files(con, WS)       # not cached: whether each file is still on disk is looked up every run
linked = chrome.cached(evidence_files.by_requirement, con, WS, cat)
applicable = chrome.cached(evidence_pack.applicable, con, WS, cat)
stats = evidence_files.summary(table, set(linked), applicable)
c = evidence_panels.Ctx(con=con, ws_id=WS, ws=ws, cat=cat, table=table,
                        known=chrome.cached(evidence_files.targets, con, WS, cat))

k = st.columns(5)
k[0].metric("Evidence files", stats["files"], border=True,
            help=f"Files uploaded to this workspace (latest versions; {int(table['versions'].sum()) if len(table) else 0} "
                 "versions in all).")
k[1].metric("Requirements covered", f"{stats['covered']} of {stats['applicable']}", border=True,
            help="Applicable requirements with at least one file linked to them, to one of their audit items, to a "
                 "finding against them or to a document the register links to them.")
k[2].metric("Expired", stats["expired"], border=True, help="Files whose expiry date has passed.")
k[3].metric(f"Expiring within {evidence_files.EXPIRING_DAYS} days", stats["expiring"], border=True,
            help="Files whose expiry date comes within the next 30 days (today included).")
k[4].metric("Missing on disk", stats["missing"], border=True,
            help="Files recorded here but no longer in the evidence folder (deleted or changed by hand).")
if stats["missing"]:
    gone = ", ".join(table.loc[table["status"] == evidence_files.MISSING, "id"])
    st.warning(f"**Missing from the evidence folder:** {gone}. They stay listed but cannot be downloaded or put in a "
               "pack" + ("; upload each again as a new version of its file (Upload tab)." if chrome.may_edit(owned=True)
                         else "; ask an editor to upload them again."), icon=":material/broken_image:")

VIEWS = ["Files", "Upload", "Evidence pack"]
if not chrome.may_edit(owned=True):
    VIEWS.remove("Upload")
if st.session_state.get(evidence_panels.VIEW) not in (None, *VIEWS):
    del st.session_state[evidence_panels.VIEW]
tabs = dict(zip(VIEWS, st.tabs(VIEWS, key=evidence_panels.VIEW, on_change="rerun")))

if tabs["Files"].open:
    with tabs["Files"]:
        evidence_panels.files_tab(c)
if "Upload" in tabs and tabs["Upload"].open:
    with tabs["Upload"]:
        evidence_panels.upload_tab(c)
if tabs["Evidence pack"].open:
    with tabs["Evidence pack"]:
        evidence_panels.pack_tab(c)
