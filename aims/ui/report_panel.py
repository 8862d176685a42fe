"""The Reports page's client report section: the full PDF report and the one-page management
summary (built when their download button is pressed, never on a rerun), the baseline to
compare with, the version and assessor on the cover, and the report's branding (colour and
logo) for those who may edit the workspace (`branding`). A viewer may still download both PDFs."""
from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from aims.access import identity
from aims.progress import baselines
from aims.reports import client_report, report_data, summary_pdf
from aims.reports.pdf_layout import DEFAULT_COLOUR
from aims.store import db, workspaces
from aims.ui import chrome

PDF = "application/pdf"


def builder(con, workspace_id: int, catalog, *, summary: bool, assessor: str, version: str,
            baseline_id: str | None) -> Callable[[], bytes]:
    """The callable a download button runs when pressed: it reads the workspace as it is then
    (so nothing is built on a rerun) and returns the PDF bytes."""
    def build() -> bytes:
        data = report_data.gather(con, workspace_id, catalog, assessor=assessor, version=version,
                                  baseline_id=None if summary else baseline_id)
        return summary_pdf.build(data) if summary else client_report.build(data)
    return build


def file_name(ws: dict, kind: str, today: date) -> str:
    safe = "".join(c if c.isalnum() or c in " -_()" else "_" for c in ws["name"]).strip() or "workspace"
    return f"{kind} - {safe} - {today:%Y-%m-%d}.pdf"


def _assessor_default(con) -> str:
    actor = identity.current()
    return actor.name or actor.email or db.local_user(con) or ""


def section(con, ws: dict, catalog) -> None:
    """The 'Client report (PDF)' section of the Reports page."""
    wid = ws["id"]
    today = pd.Timestamp.today().date()
    st.subheader("Client report (PDF)")
    st.markdown("A gap assessment report to hand over without editing: cover, contents, executive summary, "
                "readiness charts, findings per clause and Annex A objective with what to do, the SoA, AI systems, "
                "risk heatmaps, roadmap and forecast, and the full gap table and SoA as appendices. The one-page "
                "summary is for managers: progress, forecast, top risks and the decisions needed.")
    listed = chrome.cached(baselines.listing, con, wid)
    labels = {None: "No comparison"}
    labels.update({r["id"]: f"{r['name']} ({pd.Timestamp(r['taken_at']):%d %b %Y})" for r in listed.to_dict("records")})
    c = st.columns([3, 1, 2])
    baseline_id = c[0].selectbox("Compare with a baseline", list(labels), format_func=lambda k: labels[k],
                                 key=f"reports_pdf_baseline_{wid}",
                                 help="Adds a section 'Progress since <baseline>' to the full report.")
    version, assessor = "1.0", ""          # a viewer (a manager) gets the report as issued: no cover fields
    if chrome.may_edit():
        version = c[1].text_input("Report version", "1.0", max_chars=20, key=f"reports_pdf_version_{wid}")
        assessor = c[2].text_input("Assessor", _assessor_default(con), max_chars=120, key=f"reports_pdf_assessor_{wid}")
    b = st.columns([1.15, 1.3, 1.55])
    b[0].download_button("Download the client report (PDF)", builder(
        con, wid, catalog, summary=False, assessor=assessor, version=version or "1.0", baseline_id=baseline_id),
        file_name=file_name(ws, "AIMS readiness report", today), mime=PDF, key="reports_pdf_full",
        on_click="ignore", type="primary", icon=":material/picture_as_pdf:")
    b[1].download_button("Download the one-page summary (PDF)", builder(
        con, wid, catalog, summary=True, assessor=assessor, version=version or "1.0", baseline_id=None),
        file_name=file_name(ws, "AIMS management summary", today), mime=PDF, key="reports_pdf_summary",
        on_click="ignore", icon=":material/summarize:")
    b[2].caption("Built from the workspace as it is when you press the button (a few seconds)."
                 + ("" if len(listed) else " Take a baseline on the Overview to compare progress.")
                 + (" Colour and logo: 'Report branding' at the bottom of this page." if chrome.may_edit() else ""))


def branding(con, wid: int) -> None:
    """The report's colour and logo (owners and editors; the page draws it at its end, after the
    workbook import, whose upload stays the page's first file uploader)."""
    if not chrome.may_edit():
        return
    current = chrome.cached(workspaces.brand, con, wid)
    with st.expander("Report branding: colour and logo", icon=":material/palette:"):
        v = chrome.form_version(f"reports_brand_{wid}")
        c = st.columns([1, 2, 1], vertical_alignment="bottom")
        colour = c[0].color_picker("Accent colour", current["colour"] or DEFAULT_COLOUR, key=f"reports_brand_colour_{v}",
                                   help="Headings, bars and the cover band; darkened in the PDF when too light to read.")
        logo = c[1].file_uploader("Logo (PNG or JPEG, at most 1 MB)", type=["png", "jpg", "jpeg"],
                                  key=f"reports_brand_logo_{v}", max_upload_size=1)
        remove = c[2].checkbox("Remove the logo", key=f"reports_brand_remove_{v}", disabled=current["logo"] is None)
        if current["logo"] is not None:
            st.image(current["logo"], caption="Current logo", width=160)
        if st.button("Save the branding", key=f"reports_brand_save_{v}", icon=":material/save:"):
            data = logo.getvalue() if logo is not None else None
            kind = (logo.type or "") if logo is not None else ""
            value = "" if colour.lower() == DEFAULT_COLOUR else colour
            if chrome.saved(lambda: workspaces.set_brand(con, wid, value, data, kind, clear_logo=remove),
                            lambda n: "Branding saved." if n else "Nothing changed."):
                chrome.form_done(f"reports_brand_{wid}")
                st.rerun()
