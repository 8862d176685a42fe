"""The Progress page's panels: the workspace's baselines (take, rename, delete) and the comparison
of two moments (a baseline with a later one, or with now), on screen and as an Excel workbook."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from aims.progress import baselines, compare
from aims.progress.snapshot import FIGURES, PERCENTS
from aims.ui import chrome
from aims.workbook import comparison as comparison_book

NOW = "now"
SHORT = {"readiness_pct": "Readiness", "stage1_pct": "Stage 1 gate", "stage2_pct": "Stage 2",
         "assessed_pct": "Assessed", "open_gaps": "Open gaps", "risks_above": "Over appetite",
         "roadmap_pct": "Roadmap"}
LOWER_IS_BETTER = ("open_gaps", "risks_above")


def _when(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def baseline_table(listed: pd.DataFrame) -> None:
    """The baselines, newest first, with their headline figures as taken."""
    shown = listed.iloc[::-1].reset_index(drop=True)
    st.dataframe(pd.DataFrame({
        "ID": shown["id"], "Name": shown["name"], "Taken": shown["taken_at"].map(_when), "By": shown["taken_by"],
        "Kind": shown["kind"], **{SHORT[k]: shown[k] for k in FIGURES}, "Note": shown["note"],
    }), hide_index=True, width="stretch", placeholder="", column_config={
        "ID": st.column_config.TextColumn(width=70), "Name": st.column_config.TextColumn(width=200),
        "Taken": st.column_config.TextColumn(width=130), "Kind": st.column_config.TextColumn(width=110),
        **{SHORT[k]: st.column_config.NumberColumn(format="%.1f %%", width=115) for k in PERCENTS},
        **{SHORT[k]: st.column_config.NumberColumn(format="%d", width=115) for k in LOWER_IS_BETTER},
    })


def take_form(con, ws: dict, cat) -> None:
    """Take a baseline now (editors): name and note; the form starts empty after success."""
    fv = chrome.form_version("baseline_take")
    with st.form(f"baseline_take_{fv}", border=True):
        st.markdown("**Take a baseline now**")
        name = st.text_input("Baseline name *", max_chars=baselines.NAME_LIMIT, key=f"bl_name_{fv}",
                             placeholder="e.g. After workshop 2")
        note = st.text_area("Note", key=f"bl_note_{fv}", height=68, placeholder="What happened up to now (optional)")
        pressed = st.form_submit_button("Take baseline", type="primary", icon=":material/photo_camera:")
    if pressed and chrome.saved(lambda: baselines.take(con, ws["id"], name, cat, ws["default_target"], note),
                                lambda bid: f"Baseline {bid} {name.strip()} taken: the assessment as it is now is kept."):
        chrome.form_done("baseline_take")
        st.rerun()


def manage_form(con, ws: dict, listed: pd.DataFrame) -> None:
    """Rename, change the note of, or delete one baseline (editors)."""
    ids = list(listed["id"])[::-1]
    names = dict(zip(listed["id"], listed["id"] + "  " + listed["name"]))
    with st.expander("Rename or delete a baseline"):
        bid = chrome.labelled_picker("Baseline", ids, names, "bl_manage_pick")
        row = listed.set_index("id").loc[bid]
        with st.form(f"baseline_edit_{bid}_{chrome.digest([row['name'], row['note']])}", border=False):
            name = st.text_input("Name *", value=row["name"], max_chars=baselines.NAME_LIMIT)
            note = st.text_area("Note", value=row["note"], height=68)
            rename = st.form_submit_button("Save name and note", icon=":material/save:")
        shown = {"name": row["name"], "note": row["note"]}
        if rename and chrome.saved(lambda: baselines.rename(con, ws["id"], bid, name, note, base=shown),
                                   lambda _: f"Baseline {bid} saved as {name.strip()}."):
            st.rerun()
        sure = st.checkbox(f"Yes, delete {bid} {row['name']} (its frozen assessment is lost)", key=f"bl_del_ok_{bid}")
        if st.button("Delete baseline", disabled=not sure, key=f"bl_del_{bid}", icon=":material/delete:") and \
                chrome.saved(lambda: baselines.delete(con, ws["id"], bid), lambda _: f"Baseline {bid} deleted."):
            st.rerun()


def pickers(listed: pd.DataFrame) -> tuple[str, str | None]:
    """From (a baseline: the first one by default, the kick-off) and to (a later baseline or now)."""
    ids = list(listed["id"])
    labels = {i: f"{i}  {n}  ({_when(t)[:10]})" for i, n, t in zip(listed["id"], listed["name"], listed["taken_at"])}
    left, right = st.columns(2)
    with left:
        before = chrome.labelled_picker("Compare from", ids, labels, "bl_from", current=st.query_params.get("from"))
    with right:
        after = chrome.labelled_picker("to", [NOW, *[i for i in ids if i != before]],
                                       {NOW: "Now (the workspace as it is)", **labels}, "bl_to",
                                       current=st.query_params.get("to"))
    st.query_params["from"], st.query_params["to"] = before, after
    return before, None if after == NOW else after


def _delta(metric: str, change, before) -> dict:
    if before is None or pd.isna(before):
        return {"delta": "none before", "delta_color": "off", "delta_arrow": "off"}
    if change is None or pd.isna(change):
        return {}
    text = f"{change:+.1f} pts" if metric in PERCENTS else f"{int(change):+d}"
    return {"delta": text, "delta_color": "inverse" if metric in LOWER_IS_BETTER else "normal"}


def _shown(metric: str, value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return chrome.pct(value) if metric in PERCENTS else str(int(value))


def headline(c: dict) -> None:
    """The headline figures after, with their change since before."""
    figs = c["figures"].set_index("metric")
    cols = st.columns(len(SHORT))
    for col, (metric, label) in zip(cols, SHORT.items()):
        row = figs.loc[metric]
        col.metric(label, _shown(metric, row["after"]), border=True, **_delta(metric, row["change"], row["before"]),
                   help=f"{FIGURES[metric]}: {_shown(metric, row['before'])} before.")


def group_table(c: dict, kind: str) -> None:
    part = c["groups"][c["groups"]["kind"] == kind]
    st.dataframe(pd.DataFrame({"Group": part["group_title"], "Before": part["before_pct"], "After": part["after_pct"],
                               "Change": part["change"]}), hide_index=True, width="stretch", placeholder="",
                 column_config={"Group": st.column_config.TextColumn(width=250),
                                "Before": st.column_config.NumberColumn(format="%.1f %%", width=70),
                                "After": st.column_config.NumberColumn(format="%.1f %%", width=70),
                                "Change": st.column_config.NumberColumn(format="%+.1f", width=70)})


LISTS = (  # (tab title, key, columns shown: field -> heading, sentence when empty)
    ("Requirements", "requirements", {"req_id": "Requirement", "title": "Title", "change": "Change",
                                      "maturity_before": "Maturity before", "maturity_after": "Maturity after",
                                      "status_after": "Status now"},
     "No requirement changed its rating, target or applicability."),
    ("Risks", "risks", {"id": "Risk", "title": "Title", "change": "Change", "inherent_before": "Inherent before",
                        "inherent_after": "Inherent after", "residual_before": "Residual before",
                        "residual_after": "Residual after"}, "No risk moved on the heatmap, was added or closed."),
    ("Actions done", "actions_done", {"id": "Action", "title": "Title", "done_at": "Done on"},
     "No roadmap action was completed in between."),
    ("Documents approved", "documents_approved", {"id": "Document", "status_before": "Before",
                                                  "status_after": "Now"},
     "No document was approved and no record made available in between."),
    ("Findings", "findings", {"id": "Finding", "title": "Title", "grade": "Grade", "change": "Change"},
     "No audit finding was raised or closed in between."),
)


def change_lists(c: dict) -> None:
    tabs = st.tabs([f"{title} ({c['counts'][key]})" for title, key, _, _ in LISTS])
    for tab, (title, key, columns, empty) in zip(tabs, LISTS):
        with tab:
            frame = c[key]
            if frame.empty:
                st.caption(empty)
                continue
            st.dataframe(frame[list(columns)].rename(columns=columns), hide_index=True, width="stretch",
                         placeholder="", height=min(36 + 35 * len(frame), 420))


def comparison(con, ws: dict, cat, listed: pd.DataFrame) -> None:
    """The comparison section: pickers, headline changes, per group, the lists, the download."""
    before, after = pickers(listed)
    c = chrome.cached(compare.between, con, ws["id"], cat, ws["default_target"], before, after)
    b, a = c["before"], c["after"]
    st.caption(f"From **{chrome.plain(b['name'])}** ({_when(b['taken_at'])}) to **{chrome.plain(a['name'])}**"
               f" ({_when(a['taken_at'])}). Each side is scored with the same rules: not assessed never counts as "
               "ready, excluded controls drop out.")
    headline(c)
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Readiness per clause**")
        group_table(c, "clause")
    with right:
        st.markdown("**Readiness per Annex A objective**")
        group_table(c, "control")
    change_lists(c)
    st.download_button("Download the comparison (Excel)", icon=":material/download:",
                       data=lambda: comparison_book.build(c, ws["name"]),
                       file_name=f"{ws['name']} progress {before} to {after or 'now'}.xlsx".replace("/", "-"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
