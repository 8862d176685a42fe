"""Governance: the AI policy record with its versions, roles and the RACI matrix, training and awareness."""
import streamlit as st

from aims.governance import summary as governance
from aims.ui import chrome, governance_panels

con, ws = chrome.page("Governance", "AI policy, roles and responsibilities, training and awareness")
cat = chrome.catalog()
WS = int(ws["id"])

snap = chrome.cached(governance.snapshot, con, WS, cat)
pol, tr = snap["policy"], snap["training"]
k = st.columns(4)
k[0].metric("AI policy", pol["label"], border=True,
            help=(f"Endorsed by {chrome.plain(pol['endorsed_by'])} on {pol['approved_on']}." if pol["approved_version"]
                  else "No approved version yet.")
            + (f" Version {pol['working_version']} is {pol['working_status']}." if pol["working_version"] else ""))
k[1].metric("Policy review", "overdue" if pol["review_overdue"] else chrome.days_to(pol["next_review"])
            if pol["next_review"] else "not set", border=True,
            help="Days to the next planned review of the approved policy (A.2.4).")
k[2].metric("RACI check", "–" if snap["raci_problems"] is None else
            ("consistent" if not snap["raci_problems"] else
             f"{snap['raci_problems']} problem{'s' if snap['raci_problems'] != 1 else ''}"), border=True,
            help="Every activity needs exactly one accountable role and at least one responsible role.")
k[3].metric("Training coverage", chrome.pct(tr["pct"]), border=True,
            help=f"{tr['completed']} of {tr['required']} trainings that people need through their roles are "
                 f"completed; {tr['fully_trained']} of {tr['people']} people are fully trained.")

tab_policy, tab_roles, tab_training = st.tabs(["Policy", "Roles and RACI", "Training"], key="gov_tab")

with tab_policy:
    governance_panels.policy_tab(con, ws, cat)
with tab_roles:
    governance_panels.roles_tab(con, ws, cat)
with tab_training:
    governance_panels.training_tab(con, ws, cat)
