"""The AI system form of the inventory page (add and edit), and the owner names of system rows."""
from __future__ import annotations

import streamlit as st

from aims.ai_systems import inventory
from aims.ui import chrome


def owners_of(rows: list[dict]) -> list[str]:
    """The owner names of system rows, for the people register."""
    return [r.get(f) for r in rows for f in ("business_owner", "technical_owner")]


def system_form(key: str, values: dict, submit: str, owners: list[str]) -> dict | None:
    """All inventory fields in a form (owners picked from `owners` or typed new); returns the
    typed values when submitted, else None."""
    v = {**inventory.DEFAULTS, **values}

    def pick(col, field, help=None):
        label, options = inventory.FIELDS[field]
        return col.selectbox(label, options, index=list(options).index(v[field]) if v[field] in options else 0,
                             help=help, key=f"{key}_{field}")

    with st.form(key, border=True):
        out = {}
        c = st.columns([2, 1, 1])
        out["name"] = c[0].text_input("Name *", v.get("name", ""), max_chars=200, key=f"{key}_name")
        out["lifecycle_stage"] = pick(c[1], "lifecycle_stage")
        out["business_unit"] = c[2].text_input("Business unit", v.get("business_unit", ""), max_chars=200)
        out["description"] = st.text_area("Description", v.get("description", ""), max_chars=5000, height=68)
        c = st.columns(2)
        out["business_owner"] = chrome.owner_picker(c[0], "Business owner", owners, v.get("business_owner") or "",
                                                    key=f"{key}_business_owner")
        out["technical_owner"] = chrome.owner_picker(c[1], "Technical owner", owners, v.get("technical_owner") or "",
                                                     key=f"{key}_technical_owner")
        c = st.columns(3)
        out["purpose"] = c[0].text_area("Purpose", v.get("purpose", ""), max_chars=5000, height=90)
        out["intended_use"] = c[1].text_area("Intended uses and users", v.get("intended_use", ""), max_chars=5000, height=90)
        out["foreseeable_misuse"] = c[2].text_area("Reasonably foreseeable misuse", v.get("foreseeable_misuse", ""),
                                                   max_chars=5000, height=90)
        c = st.columns(4)
        out["sourcing"] = pick(c[0], "sourcing")
        out["vendor"] = c[1].text_input("Vendor", v.get("vendor", ""), max_chars=200)
        out["model"] = c[2].text_input("Model", v.get("model", ""), max_chars=200)
        out["model_type"] = pick(c[3], "model_type")
        c = st.columns(2)
        out["data_sources"] = c[0].text_area("Data sources", v.get("data_sources", ""), max_chars=5000, height=68)
        out["affected_persons"] = c[1].text_area("Affected persons", v.get("affected_persons", ""), max_chars=5000, height=68)
        c = st.columns(4)
        out["personal_data"] = c[0].checkbox("Personal data used", bool(v["personal_data"]))
        out["special_categories"] = c[1].checkbox("Special categories of personal data", bool(v["special_categories"]))
        out["eu_market"] = c[2].checkbox("Placed on or used in the EU market", bool(v["eu_market"]))
        out["gpai"] = c[3].checkbox("General-purpose AI model involved", bool(v["gpai"]))
        c = st.columns(2)
        out["automation"] = pick(c[0], "automation")
        out["org_role"] = pick(c[1], "org_role", help="The organisation's role for this system under the EU AI Act")
        out["oversight"] = st.text_area("Human oversight mechanism", v.get("oversight", ""), max_chars=5000, height=68)
        c = st.columns(2)
        out["last_review"] = c[0].date_input("Last review", v.get("last_review"), format="YYYY-MM-DD")
        out["next_review"] = c[1].date_input("Next review", v.get("next_review"), format="YYYY-MM-DD")
        return out if st.form_submit_button(submit, type="primary") else None
