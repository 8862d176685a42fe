"""The AI system form of the inventory page (add and edit), and the owner names of system rows."""
from __future__ import annotations

import streamlit as st

from aims.ai_systems import inventory
from aims.common.validate import blank
from aims.ui import chrome, conflicts


def owners_of(rows: list[dict]) -> list[str]:
    """The owner names of system rows, for the people register."""
    return [r.get(f) for r in rows for f in ("business_owner", "technical_owner")]


def system_form(key: str, values: dict, submit: str, owners: list[str]) -> dict | None:
    """All inventory fields in a form (owners picked from `owners` or typed new); returns the
    typed values when submitted, else None. Every widget is keyed `<key>_<field>`, so what the
    user typed survives a rerun in which the stored values changed."""
    v = {**inventory.DEFAULTS, **values}

    def pick(col, field, help=None):
        label, options = inventory.FIELDS[field]
        return col.selectbox(label, options, index=list(options).index(v[field]) if v[field] in options else 0,
                             help=help, key=f"{key}_{field}")

    def line(col, field, label, limit=200):
        return col.text_input(label, "" if blank(v.get(field)) else str(v[field]), max_chars=limit,
                              key=f"{key}_{field}")

    def area(col, field, label, height=68):
        return col.text_area(label, "" if blank(v.get(field)) else str(v[field]), max_chars=5000, height=height,
                             key=f"{key}_{field}")

    def tick(col, field, label):
        return col.checkbox(label, bool(v[field]), key=f"{key}_{field}")

    def day(col, field, label):
        return col.date_input(label, v.get(field), format="YYYY-MM-DD", key=f"{key}_{field}")

    with st.form(key, border=True):
        out = {}
        c = st.columns([2, 1, 1])
        out["name"] = line(c[0], "name", "Name *")
        out["lifecycle_stage"] = pick(c[1], "lifecycle_stage")
        out["business_unit"] = line(c[2], "business_unit", "Business unit")
        out["description"] = area(st, "description", "Description")
        c = st.columns(2)
        out["business_owner"] = chrome.owner_picker(c[0], "Business owner", owners, v.get("business_owner") or "",
                                                    key=f"{key}_business_owner")
        out["technical_owner"] = chrome.owner_picker(c[1], "Technical owner", owners, v.get("technical_owner") or "",
                                                     key=f"{key}_technical_owner")
        c = st.columns(3)
        out["purpose"] = area(c[0], "purpose", "Purpose", 90)
        out["intended_use"] = area(c[1], "intended_use", "Intended uses and users", 90)
        out["foreseeable_misuse"] = area(c[2], "foreseeable_misuse", "Reasonably foreseeable misuse", 90)
        c = st.columns(4)
        out["sourcing"] = pick(c[0], "sourcing")
        out["vendor"] = line(c[1], "vendor", "Vendor")
        out["model"] = line(c[2], "model", "Model")
        out["model_type"] = pick(c[3], "model_type")
        c = st.columns(2)
        out["data_sources"] = area(c[0], "data_sources", "Data sources")
        out["affected_persons"] = area(c[1], "affected_persons", "Affected persons")
        c = st.columns(4)
        out["personal_data"] = tick(c[0], "personal_data", "Personal data used")
        out["special_categories"] = tick(c[1], "special_categories", "Special categories of personal data")
        out["eu_market"] = tick(c[2], "eu_market", "Placed on or used in the EU market")
        out["gpai"] = tick(c[3], "gpai", "General-purpose AI model involved")
        c = st.columns(2)
        out["automation"] = pick(c[0], "automation")
        out["org_role"] = pick(c[1], "org_role", help="The organisation's role for this system under the EU AI Act")
        out["oversight"] = area(st, "oversight", "Human oversight mechanism")
        c = st.columns(2)
        out["last_review"] = day(c[0], "last_review", "Last review")
        out["next_review"] = day(c[1], "next_review", "Next review")
        return out if st.form_submit_button(submit, type="primary") else None


def edit_pending(system_id: str) -> bool:
    """True while a save of the system's edit form waits for the user's choice (keep it open)."""
    return conflicts.pending(f"inv_edit_{system_id}")


def edit_system(con, workspace_id: int, system_id: str, stored: dict, owners: list[str]) -> None:
    """The edit form of one system, opened on its stored values and saved over them: fields the
    user leaves are not written, a field someone else changed since is offered as a choice."""
    form = f"inv_edit_{system_id}"
    prefix, shown = conflicts.opened(form, {f: stored.get(f) for f in inventory.FIELDS},
                                     {f: label for f, (label, _) in inventory.FIELDS.items()})
    values = system_form(prefix, {**stored, **shown}, "Save changes", owners)
    conflicts.submit(form, system_id, values, shown, lambda data, base: chrome.with_owners(
        con, workspace_id, owners_of([data]), lambda tx: inventory.update(tx, workspace_id, system_id, data, base=base)),
        lambda n: chrome.fields_saved(n, system_id))
