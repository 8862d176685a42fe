"""Management review (ISO/IEC 42001 9.3): reviews planned and held, the inputs the app compiles from
its own records (editable, with a comment each), the meeting with top management, its outputs and
the actions it decided on the roadmap."""
import streamlit as st

from aims.audit import review
from aims.ui import chrome, review_panels

con, ws = chrome.page("Management review", "ISO/IEC 42001 9.3: top management reviews the AI management system at "
                                           "planned intervals")
p = review_panels.Page(con=con, ws=ws, cat=chrome.catalog())

table = chrome.cached(review.listing, con, p.ws_id)
stats = review.summary(table)
k = st.columns(4)
k[0].metric("Reviews held", stats["held"], border=True,
            help="Reviews held with top management present: only those count as the management review (9.3)."
                 + (f" {stats['held_without_top']} more held without top management." if stats["held_without_top"]
                    else ""))
k[1].metric("Last review", str(stats["last_held"] or "none yet"), border=True,
            help="The latest review held with top management present.")
k[2].metric("Next review", str(stats["next_planned"] or "not planned"), border=True,
            help="The next planned review from today on.")
k[3].metric("Review actions open", f"{stats['actions_open']} of {stats['actions']}", border=True,
            help="Roadmap actions decided by management reviews and not done yet.")
if stats["held_without_top"]:
    st.warning(f"**{chrome.tally(stats['held_without_top'], 'review')} held without top management.** It does not "
               "count as the management review of ISO/IEC 42001 9.3, nor for the Stage 1 gate: open it to record top "
               "management's presence, or hold another review with them.", icon=":material/person_off:")
if stats["overdue_planned"]:
    st.info(f"{chrome.tally(stats['overdue_planned'], 'planned review')} past {'its' if stats['overdue_planned'] == 1 else 'their'} "
            "date: mark it held or move it.", icon=":material/event_busy:")

with st.expander("How a management review works here (ISO/IEC 42001 9.3)", icon=":material/help:"):
    st.markdown(
        "- **Plan** the review: the app compiles each input the standard expects from the workspace's own records "
        "(actions from earlier reviews, context, readiness and its trend, nonconformities, monitoring, audits, "
        "risks, impact assessments, objectives, opportunities for improvement).\n"
        "- **Prepare**: edit each input and add comments. Re-compiling a planned review refreshes the app's texts "
        "and never overwrites yours; the new text is shown beside it, and you choose to use it.\n"
        "- **Hold** the meeting with **top management**: a review held without them is recorded but does not "
        "count, nor for the Stage 1 gate.\n"
        "- Record the **outputs** (decisions, improvements, changes to the AIMS, resources) and put the **actions** "
        "on the roadmap, where their progress shows at the next review.")

if chrome.may_edit():
    with st.expander("Plan a review", icon=":material/event:", expanded=table.empty):
        review_panels.plan_form(p)
review_panels.review_list(table)
review_panels.review_panel(p, table)
