"""Statement of Applicability sheet (the 38 Annex A controls), and the SoA on its own as a
client deliverable with version, approval and date.

Editable in the workbook: applicable, inclusion justification, exclusion justification,
implementation, evidence reference. Owner and maturity come from the gap analysis.
"""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

from aims import __version__
from aims.assessment import requirements as assessments
from aims.assessment import soa as soa_rows

from . import engine
from .engine import Column
from .gap_analysis import table
from .registry import Context, Sheet

COLUMNS = (
    Column("Ref", "req_id", editable=False, width=9, note="The Annex A control ID. Do not change it."),
    Column("Control", "title", editable=False, width=36),
    Column("Objective", "group_title", editable=False, width=26),
    Column("Applicable", "applicable", "bool", width=11, list_name="Yes / No", required=True,
           note="No excludes the control: give the exclusion justification."),
    Column("Inclusion justification", "inclusion_reasons", "multi", width=28,
           choices=assessments.INCLUSION_REASONS, list_name="Inclusion reasons",
           note="Why the control is needed; several allowed, separated by '; '."),
    Column("Exclusion justification", "exclusion_reason", "long", width=36,
           note="Required when the control is excluded."),
    Column("Implementation", "implementation", "choice", width=14, choices=assessments.IMPLEMENTATION,
           list_name="Implementation"),
    Column("Owner", "owner", editable=False, width=22, note="Edit the owner on the Gap Analysis sheet."),
    Column("Evidence reference", "evidence_ref", "long", width=30),
    Column("Maturity", "maturity", "maturity", editable=False, width=15, level="maturity",
           note="From the Gap Analysis sheet."),
    Column("Check", "check", editable=False, width=24, note="What is missing for this control, if anything."),
)


def rows(ctx: Context) -> list[dict]:
    t = table(ctx)
    controls = t[t["kind"] == "control"]
    checks = dict(zip(soa_rows.rows(t)["ID"], soa_rows.rows(t)["Check"]))
    return [{**r, "check": checks.get(r["req_id"], "")} for r in controls.to_dict("records")]


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in fields.items()}
    assessments.save(con, ctx.ws_id, ctx.catalog, {key: fields})


def sheet() -> Sheet:
    return Sheet("Statement of Applicability", "The 38 Annex A controls: applicability, justification, "
                 "implementation and evidence.", COLUMNS, rows=rows, key="req_id", entity="control",
                 change=change)


def standalone(ctx: Context) -> bytes:
    """The SoA as its own workbook for due-diligence questionnaires: organisation, version,
    approval and date above the control table. For reading, not for re-import."""
    approval = assessments.soa_approval(ctx.con, ctx.ws_id)
    data = rows(ctx)
    applicable = [r for r in data if r["applicable"]]
    wb = Workbook()
    ws = wb.active
    ws.title = "Statement of Applicability"
    ws["A1"] = "Statement of Applicability"
    ws["A1"].font = engine.TITLE_FONT
    ws["A2"] = "ISO/IEC 42001:2023 Annex A controls"
    ws["A2"].font = engine.SUBTITLE_FONT
    facts = [
        ("Organisation", ctx.workspace.get("organisation") or ctx.workspace["name"]),
        ("SoA version", approval.get("version") or "not set"),
        ("Approved by", approval.get("approved_by") or "not approved yet"),
        ("Approved on", approval.get("approved_on")),
        ("Date of this export", ctx.today),
        ("Controls", f"{len(applicable)} of {len(data)} applicable, {len(data) - len(applicable)} excluded"),
    ]
    for i, (label, value) in enumerate(facts, start=4):
        ws.cell(row=i, column=1, value=label).font = engine.LABEL_FONT
        engine.put(ws.cell(row=i, column=2), value if value is not None else "-")
        ws.cell(row=i, column=2).alignment = engine.Alignment(horizontal="left")
    start = 4 + len(facts) + 1
    columns = [c for c in COLUMNS if c.field != "check"]
    shown = [Column(c.header, c.field, c.kind, c.width, editable=True, choices=c.choices, level=c.level)
             for c in columns]
    engine.write_table(ws, shown, data, ctx, start_row=start, validations=False)
    ws.freeze_panes = ws.cell(row=start + 1, column=3)
    ws.oddHeader.center.text = f"Statement of Applicability, version {approval.get('version') or '-'}"
    ws.oddFooter.center.text = f"{ctx.workspace.get('organisation') or ctx.workspace['name']} · confidential"
    wb.properties.title = "Statement of Applicability"
    wb.properties.creator = f"AIMS Workbench {__version__}"
    wb.properties.created = datetime.now()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
