"""Risks sheet: the AI risk register, one row per risk, with its AI systems and planned Annex A
controls as '; '-separated IDs.

Likelihood and impact show the workspace's scale labels ('4 Likely') and read back the number;
score and level are Excel formulas over the workspace's bands, so they follow the client's
ratings live. A new row creates a risk (its links to AI systems may name systems added on the
AI Systems sheet by their temporary IDs); a row deleted in Excel deletes the risk when
confirmed (refused while roadmap actions link to it).
"""
from __future__ import annotations

from aims.catalog.standard import CONTROL_IDS, load
from aims.risk import register as risks

from .engine import Column
from .registry import Context, Sheet


def criteria(ctx: Context | None) -> dict:
    if ctx is None:
        from aims.risk.scoring import defaults
        return defaults()
    return ctx.cached("risk_criteria", lambda: risks.criteria(ctx.con, ctx.ws_id))


def _scale(name: str):
    return lambda ctx: [f"{i} {label}" for i, label in enumerate(criteria(ctx)[f"{name}_labels"], start=1)]


def _annex_c(kind: str):
    def labels(ctx):
        cat = ctx.catalog if ctx is not None else load()
        items = cat.risk_sources if kind == "sources" else cat.objectives
        return [f"{k} {v}" for k, v in items.items()]
    return labels


def _system_ids(ctx) -> list[str]:
    if ctx is None:
        return []
    from .ai_systems import rows as system_rows
    return [r["id"] for r in system_rows(ctx)]


def _score(kind: str):
    def formula(r: int, c: dict, ctx=None) -> str:
        lik, imp = c[f"{kind}_likelihood"], c[f"{kind}_impact"]
        return (f'=IF(OR({lik}{r}="",{imp}{r}=""),"",'
                f'VALUE(LEFT({lik}{r},1))*VALUE(LEFT({imp}{r},1)))')
    return formula


def _level(kind: str):
    def formula(r: int, c: dict, ctx=None) -> str:
        crit = criteria(ctx)
        sc = f"{c[f'{kind}_score']}{r}"
        return (f'=IF({sc}="","",IF({sc}<={crit["low_max"]},"low",IF({sc}<={crit["medium_max"]},"medium",'
                f'IF({sc}<={crit["high_max"]},"high","critical"))))')
    return formula


def _current_score(r: int, c: dict, ctx=None) -> str:
    """The residual score once the treatment is implemented (a date in its column), else the inherent."""
    done, res, inh = c["treatment_implemented_on"], c["residual_score"], c["inherent_score"]
    return f'=IF(AND({done}{r}<>"",{res}{r}<>""),{res}{r},{inh}{r})'


def _rating(header: str, field: str, scale: str) -> Column:
    return Column(header, field, "code", width=15, choices=_scale(scale), list_name=f"{scale.capitalize()} scale",
                  note=f"1 to 5 on the workspace's {scale} scale (see the Lists sheet).")


COLUMNS = (
    Column("ID", "id", editable=False, width=9, note="R-001 ... Leave blank for a new risk."),
    Column("Title", "title", width=32, required=True),
    Column("Description", "description", "long", width=40),
    Column("AI systems", "systems", "refs", width=16, ref="ai_system", list_name="AI system IDs", choices=_system_ids,
           note="AI system IDs separated by '; ' (blank: an organisation-level risk)."),
    Column("Annex A controls", "controls", "refs", width=22, ref="control", list_name="Annex A controls",
           choices=CONTROL_IDS, note="Planned Annex A controls, IDs separated by '; '."),
    Column("Life-cycle stage", "lifecycle_stage", "choice", width=14, choices=risks.LIFECYCLE_STAGES,
           list_name="Life-cycle stage"),
    Column("Risk source (Annex C.3)", "risk_source", "code", width=26, choices=_annex_c("sources"),
           list_name="Risk sources (Annex C.3)"),
    Column("Affected objective (Annex C.2)", "objective", "code", width=26, choices=_annex_c("objectives"),
           list_name="Objectives (Annex C.2)"),
    Column("Affected stakeholders", "stakeholders", "long", width=28),
    _rating("Inherent likelihood", "inherent_likelihood", "likelihood"),
    _rating("Inherent impact", "inherent_impact", "impact"),
    Column("Inherent score", "inherent_score", "int", editable=False, width=9, formula=_score("inherent")),
    Column("Inherent level", "inherent_level", "choice", editable=False, width=10, level="risk",
           formula=_level("inherent")),
    Column("Existing controls", "existing_controls", "long", width=32),
    Column("Treatment", "treatment", "choice", width=12, choices=risks.TREATMENTS, list_name="Treatment"),
    _rating("Residual likelihood", "residual_likelihood", "likelihood"),
    _rating("Residual impact", "residual_impact", "impact"),
    Column("Residual score", "residual_score", "int", editable=False, width=9, formula=_score("residual")),
    Column("Residual level", "residual_level", "choice", editable=False, width=10, level="risk",
           formula=_level("residual")),
    Column("Treatment implemented on", "treatment_implemented_on", "date", width=12,
           note="The day the treatment was in place (mitigate, transfer or avoid). The residual rating is the planned "
                "one; it becomes the current risk from this date, until then the current risk is the inherent one."),
    Column("Current score", "current_score", "int", editable=False, width=9, formula=_current_score),
    Column("Current level", "current_level", "choice", editable=False, width=10, level="risk",
           formula=_level("current")),
    Column("Owner", "owner", width=22),
    Column("Due", "due", "date", width=12),
    Column("Status", "status", "choice", width=12, choices=risks.STATUSES, list_name="Risk status"),
    Column("Accepted by", "accepted_by", width=20),
    Column("Accepted on", "accepted_on", "date", width=12),
    Column("Acceptance expiry", "acceptance_expiry", "date", width=12),
    Column("Next review", "next_review", "date", width=12),
    Column("Checks", "checks", "long", editable=False, width=30, note="What a reviewer should look at."),
)


def rows(ctx: Context) -> list[dict]:
    def load_rows():
        out = []
        for r in risks.table(ctx.con, ctx.ws_id, today=ctx.today).to_dict("records"):
            r["checks"] = "; ".join(r["checks"])
            out.append(r)
        return out
    return ctx.cached("risks", load_rows)


def _plain(values: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}


def add(con, ctx: Context, values: dict) -> str:
    return risks.create(con, ctx.ws_id, _plain(values))


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    risks.update(con, ctx.ws_id, key, _plain(fields))


def delete(con, ctx: Context, key: str) -> None:
    risks.delete(con, ctx.ws_id, key)


def kpis(ctx: Context) -> list[tuple]:
    live = [r for r in rows(ctx) if r["status"] != "closed"]
    above = sum(1 for r in live if r["above_appetite"])
    return [("Open risks", len(live), f"{len(rows(ctx)) - len(live)} closed risk(s) not counted."),
            ("Risks above appetite", above, f"Current score (residual once the treatment is implemented, else "
             f"inherent) above {criteria(ctx)['appetite']}.")]


def scales(ctx: Context) -> list[tuple]:
    crit = criteria(ctx)
    out = []
    for name in ("likelihood", "impact"):
        out.append((f"{name.capitalize()} scale", "Meaning", {
            f"{i} {label}": desc for i, (label, desc) in
            enumerate(zip(crit[f"{name}_labels"], crit[f"{name}_descriptions"]), start=1)}))
    from aims.risk.scoring import band_ranges
    out.append(("Risk level", "Score (likelihood x impact)", {
        lvl: f"{lo} to {hi}" for lvl, lo, hi in band_ranges(crit)} | {"appetite": f"up to {crit['appetite']}"}))
    return out


def sheet() -> Sheet:
    return Sheet("Risks", "The AI risk register: inherent and residual ratings, treatment, owner, links to AI "
                 "systems and Annex A controls.", COLUMNS, rows=rows, key="id", entity="risk", add=add,
                 change=change, delete=delete, kpis=kpis, scales=scales)
