"""Classifications sheet: every EU AI Act classification of every AI system (newest first per
system, earlier versions kept as history): role, category, legal basis with its point ('Annex III
5(b)', 'Annex I Section A'), the questions answered yes, and the reasoning. Read only: a
classification is made with the wizard in the app, which applies the rules to the answers.
Decision support, not legal advice."""
from __future__ import annotations

import json

from aims.ai_systems import classification

from .engine import Column
from .registry import Context, Sheet

COLUMNS = (
    Column("AI system", "system_id", editable=False, width=10),
    Column("System name", "system_name", editable=False, width=26),
    Column("Version", "version", "int", editable=False, width=8),
    Column("Latest", "latest", "bool", editable=False, width=8),
    Column("Role", "role", editable=False, width=14),
    Column("Category", "category", "choice", editable=False, width=14, level="category"),
    Column("Basis", "basis", editable=False, width=22),
    Column("GPAI", "gpai", editable=False, width=10),
    Column("Answered yes", "yes", "long", editable=False, width=48),
    Column("Reasoning", "reasoning", "long", editable=False, width=60),
    Column("Classified on", "classified_at", "date", editable=False, width=12),
    Column("Classified by", "classified_by", editable=False, width=16),
)


def rows(ctx: Context) -> list[dict]:
    from .ai_systems import rows as system_rows
    names = {r["id"]: r["name"] for r in system_rows(ctx)}
    rules = classification.rules()
    texts = {q["id"]: q.get("text", q["id"]) for q in rules.questions + rules.legacy}
    out, seen = [], set()
    for r in classification.history(ctx.con, ctx.ws_id).to_dict("records"):
        answers = json.loads(r["answers"] or "{}")
        reasoning = json.loads(r["reasoning"] or "[]")
        out.append({**r, "system_name": names.get(r["system_id"], ""), "latest": r["system_id"] not in seen,
                    "category": classification.CATEGORY_LABEL.get(r["category"], r["category"]),
                    "role": str(r["role"]).replace("_", " "),
                    "basis": classification.stored_point(r["basis"], r.get("annex_iii_points"),
                                                         r.get("annex_i_section")),
                    "yes": "\n".join(f"{k}: {texts.get(k, k)}" for k, v in answers.items() if v),
                    "reasoning": "\n".join(reasoning) if isinstance(reasoning, list) else str(reasoning)})
        seen.add(r["system_id"])
    return out


def sheet() -> Sheet:
    return Sheet("Classifications", "EU AI Act classification of each AI system, with history (decision support, "
                 "not legal advice).", COLUMNS, rows=rows)
