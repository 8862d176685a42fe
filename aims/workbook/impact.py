"""Impact Assessments sheet: one row per answer of the latest impact assessment of each AI
system (41 questions each), with the option chosen, its severity and the note.

Editable: the answer (a drop-down of that question's options, listed on the Lists sheet) and
the note, while the assessment is a draft or in review; approved assessments are read-only in
the app and an edit to them is refused with a clear message. Rows cannot be added or removed:
a new assessment or version is started in the app.
"""
from __future__ import annotations

from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from aims.ai_systems import impact

from .engine import Column
from .registry import Context, Sheet

KEY_NOTE = "Assessment and question IDs. Do not change them."
COLUMNS = (
    Column("Answer ID", "id", editable=False, width=30, note=KEY_NOTE),
    Column("Assessment", "assessment_id", editable=False, width=11),
    Column("AI system", "system", editable=False, width=24),
    Column("Version", "version", "int", editable=False, width=8),
    Column("Status", "status", editable=False, width=10),
    Column("Section", "section_title", editable=False, width=22),
    Column("Question", "question", "long", editable=False, width=50),
    Column("Answer", "answer", "long", width=44, note="Pick one of the options of this question (drop-down)."),
    Column("Severity", "severity", "choice", editable=False, width=10, level="risk"),
    Column("Note", "note", "long", width=36),
)


def rows(ctx: Context) -> list[dict]:
    def load():
        qs = impact.questions()
        latest = impact.list_all(ctx.con, ctx.ws_id).drop_duplicates("system_id")   # newest version first
        every = impact.all_answers(ctx.con, ctx.ws_id)   # one read for all assessments
        severity = {qid: {o["value"]: o["severity"] for o in q["options"]} for qid, q in qs.items()}
        label = {qid: {o["value"]: o["label"] for o in q["options"]} for qid, q in qs.items()}
        out = []
        for a in latest.to_dict("records"):
            given = every.get(a["id"], {})
            for qid, q in qs.items():
                ans = given.get(qid, {"value": None, "note": ""})
                sev = severity[qid].get(ans["value"], "")
                out.append({"id": f"{a['id']}/{qid}", "assessment_id": a["id"], "qid": qid,
                            "system": f"{a['system_id']} {a['system_name'] or ''}".strip(), "version": a["version"],
                            "status": a["status"], "section_title": q["section_title"], "question": q["text"],
                            "answer": label[qid].get(ans["value"], ""), "severity": sev, "note": ans["note"] or ""})
        return out
    return ctx.cached("impact_answers", load)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    assessment_id, qid = key.split("/", 1)
    q = impact.questions().get(qid)
    if q is None:
        from aims.common.validate import ValidationError
        raise ValidationError(f"Unknown question {qid!r}.")
    label = values.get("answer") or ""
    value = next((o["value"] for o in q["options"] if o["label"] == label), None)
    if label and value is None:
        from aims.common.validate import ValidationError
        raise ValidationError(f"Answer {label!r} is not one of the options of question {qid}; pick one from the "
                              "drop-down (or clear the cell).")
    impact.save_answers(con, ctx.ws_id, assessment_id, {qid: {"value": value, "note": values.get("note", "")}})


def extra_lists(ctx: Context) -> dict:
    """The options of each question, for the Answer drop-downs."""
    return {qid: [o["label"] for o in q["options"]] for qid, q in impact.questions().items()}


def decorate(ws, ctx: Context, rows_: list[dict], list_refs: dict) -> None:
    """One drop-down per question, over the Answer cells of that question's rows."""
    col = [c.field for c in COLUMNS].index("answer") + 1
    letter = ws.cell(row=1, column=col).column_letter
    cells: dict[str, list[str]] = {}
    for r, row in enumerate(rows_, start=2):
        cells.setdefault(row["qid"], []).append(f"{letter}{r}")
    for qid, refs in cells.items():
        if qid in list_refs:
            dv = DataValidation(type="list", formula1=list_refs[qid], allow_blank=True, showErrorMessage=True,
                                errorTitle="Answer", error="Pick one of the options of this question.")
            dv.sqref = MultiCellRange(" ".join(refs))   # built at once: adding cells one by one is quadratic
            ws.add_data_validation(dv)


def kpis(ctx: Context) -> list[tuple]:
    latest = impact.list_all(ctx.con, ctx.ws_id).drop_duplicates("system_id")
    approved = int((latest["status"] == "approved").sum())
    high = int(latest["overall_level"].isin(("high", "critical")).sum())
    return [("Impact assessments", len(latest), f"{approved} approved; {high} with a high or critical overall level.")]


def sheet() -> Sheet:
    return Sheet("Impact Assessments", "The latest impact assessment of each AI system, one row per answer.",
                 COLUMNS, rows=rows, key="id", entity="impact_answer", change=change, extra_lists=extra_lists,
                 kpis=kpis, decorate=decorate)
