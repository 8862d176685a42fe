"""The inputs of a management review (ISO/IEC 42001 9.3.2), compiled from the app's own records
as plain text the meeting works from: one text per input of the catalogue
(data/catalog/management_review.json, see aims.audit.review), by the input's `source`. Read-only:
aims.audit.review stores the texts (plan, refresh_inputs) and keeps what users edited.

What each source reads (figures as on the other pages; 'since the last review' means after the
latest held review before this one, when there is one):
- review_actions: the roadmap actions earlier held reviews decided, with their status (done,
  open, overdue).
- context_issues / context_parties: clause 4.1 / 4.2 as the gap analysis records them (maturity
  against target, evidence, notes, the last change) and how many of their fields changed since
  the last review.
- readiness: readiness now (scoring.summary), Stage 2 readiness, the week-by-week trend over
  four weeks and since the last review (progress.trends.readiness_trend).
- nonconformities: the findings register's nonconformities, open ones with their next step and
  corrective action, and those closed since the last review.
- monitoring: clause 9.1 in the gap analysis and the register's monitoring and measurement results.
- audits: the internal and certification audits, their findings by grade and conclusions, and how
  many applicable requirements the completed internal audits cover.
- risks: the risk register's figures and the open risks above the appetite now.
- impact: the AI systems in use and the status of their latest impact assessments.
- objectives: clause 6.2 in the gap analysis and the AI objectives document in the register.
- opportunities: open findings graded 'opportunity for improvement'.
Where the app holds nothing yet, the text says so. Lists show at most LISTED items.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.ai_systems import impact, inventory
from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.audit import findings, programme
from aims.audit import review as reviews
from aims.catalog.standard import Catalog
from aims.governance import documents
from aims.progress import trends
from aims.reports import dashboard
from aims.risk import register as risks
from aims.store import db

LISTED = 10


def _pct(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:g}%"


def _n(n: int, noun: str) -> str:
    """'1 risk', '3 risks'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _more(lines: list[str], total: int) -> list[str]:
    return lines + ([f"- ... and {total - len(lines)} more"] if total > len(lines) else [])


class _Context:
    """What every compiler reads: the workspace, the catalogue, the day and the last review's date."""

    def __init__(self, con, ws_id: int, catalog: Catalog, default_target: int, review_id: str | None, today: date):
        self.con, self.ws, self.cat, self.default_target, self.today = con, int(ws_id), catalog, default_target, today
        self.review_id = review_id
        before = reviews.earlier(con, ws_id, review_id)
        self.earlier = before
        self.since = before[0]["held_on"] if before else None
        self._status = None
        self._findings = None

    @property
    def status(self) -> pd.DataFrame:
        if self._status is None:
            self._status = scoring.with_status(assessments.table(self.con, self.ws, self.cat, self.default_target))
        return self._status

    @property
    def findings(self) -> pd.DataFrame:
        if self._findings is None:
            self._findings = findings.table(self.con, self.ws, self.today)
        return self._findings


# ---- one compiler per source ----------------------------------------------------------------------

def review_actions(ctx: _Context) -> str:
    if not ctx.earlier:
        return "No earlier management review is recorded in the app."
    ids = [r["id"] for r in ctx.earlier]
    acts = reviews.review_actions(ctx.con, ctx.ws, ids, ctx.today)
    names = ", ".join(ids)
    if acts.empty:
        return f"The earlier reviews ({names}) decided no roadmap actions."
    done = int((acts["status"] == "done").sum())
    late = int(acts["overdue"].sum())
    lines = [f"{_n(len(acts), 'action')} from earlier reviews ({names}): {done} done, "
             f"{len(acts) - done} open ({late} overdue)."]
    for a in acts.head(LISTED).to_dict("records"):
        if a["status"] == "done":
            how = f"done{' on ' + str(a['done_at']) if a['done_at'] else ''}"
        else:
            how = (f"{a['status']}, {int(a['percent'])}%" + (f", due {a['due']}" if a["due"] else ", no due date")
                   + (", overdue" if a["overdue"] else ""))
        lines.append(f"- {a['id']} {a['title']} ({a['review_id']}): {how}")
    return "\n".join(_more(lines, len(acts)))


def _requirement(ctx: _Context, req_id: str) -> list[str]:
    """A requirement as the gap analysis records it, and its changes since the last review."""
    row = ctx.status.set_index("req_id").loc[req_id]
    title = ctx.cat.requirements[req_id].title
    if row["status"] == "not assessed":
        rating = "not assessed yet"
    else:
        rating = (f"maturity {assessments.maturity_label(row['maturity'])} against a target of {int(row['target'])}"
                  + (", at target" if row["status"] == "at target" else f", a gap of {int(row['gap'])}"))
    lines = [f"{req_id} {title}, in the gap analysis: {rating}."]
    for field, label in (("evidence", "Evidence"), ("notes", "Notes")):
        if str(row[field] or "").strip():
            lines.append(f"{label}: {str(row[field]).strip()}")
    if pd.notna(row.get("updated_at")) and row.get("updated_at") is not None:
        lines.append(f"Last changed on {pd.Timestamp(row['updated_at']):%Y-%m-%d}"
                     + (f" by {row['updated_by']}." if str(row.get("updated_by") or "").strip() else "."))
    if ctx.since is not None:
        with db.reading(ctx.con) as cur:
            changed = [r[0] for r in cur.execute(
                "SELECT DISTINCT field FROM change_log WHERE workspace_id = ? AND entity = 'assessment' AND entity_id = ?"
                " AND CAST(changed_at AS DATE) > ? ORDER BY field", [ctx.ws, req_id, ctx.since]).fetchall()]
        lines.append(f"Changed since the last review ({ctx.since}): "
                     + (", ".join(f.replace("_", " ") for f in changed) if changed else "nothing") + ".")
    return lines


def context_issues(ctx: _Context) -> str:
    return "\n".join(_requirement(ctx, "4.1"))


def context_parties(ctx: _Context) -> str:
    return "\n".join(_requirement(ctx, "4.2"))


def readiness(ctx: _Context) -> str:
    s = scoring.summary(ctx.status)
    lines = [f"Readiness: {_pct(s['readiness_pct'])} ({s['at_target']} of {s['applicable']} applicable requirements "
             f"at target); {s['assessed']} assessed, {s['open_gaps']} gaps open, {s['not_assessed']} not assessed.",
             f"Stage 2 readiness (at target with verified evidence): {_pct(s['stage2_pct'])}."]
    trend = trends.readiness_trend(ctx.con, ctx.ws, ctx.cat, ctx.today)
    moved = dashboard.change(trend)
    if moved is None:
        lines.append("Trend: not enough history yet (it is rebuilt week by week from the change log).")
    else:
        delta, since = moved
        way = "no change" if delta == 0 else f"{'up' if delta > 0 else 'down'} {abs(delta):g} points"
        lines.append(f"Trend: {way} since {since}.")
    if ctx.since is not None and not trend.empty:
        then = trend[trend["as_of"] <= ctx.since]
        if not then.empty and pd.notna(then.iloc[-1]["readiness_pct"]):
            lines.append(f"At the last review ({ctx.since}) readiness was {_pct(then.iloc[-1]['readiness_pct'])}.")
    return "\n".join(lines)


def _finding_line(f: dict) -> str:
    reqs = f" against {', '.join(f['requirements'])}" if f["requirements"] else ""
    return f"- {f['id']} {f['grade']}{reqs}: {f['title']}"


def nonconformities(ctx: _Context) -> str:
    df = ctx.findings
    ncs = df[df["grade"].isin(findings.NONCONFORMITIES)]
    if ncs.empty:
        return ("No nonconformity is recorded in the app yet." if df.empty else
                f"No nonconformity is recorded in the app ({len(df)} other findings).")
    live = ncs[ncs["status"] == "open"]
    majors = int((ncs["grade"] == "major nonconformity").sum())
    lines = [f"Nonconformities: {len(ncs)} recorded ({majors} major, {len(ncs) - majors} minor): {len(live)} open, "
             f"{len(ncs) - len(live)} closed."]
    if not live.empty:
        lines.append("Open:")
        shown = []
        for f in live.head(LISTED).to_dict("records"):
            extra = [f"owner {f['owner']}" if f["owner"] else "no owner"]
            if f["due"]:
                extra.append(f"due {f['due']}" + (" (overdue)" if f["overdue"] else ""))
            extra.append(f"next step: {f['next_step']}")
            if f["action_id"]:
                extra.append(f"corrective action {f['action_id']} ({f['action_status'] or 'missing'})")
            shown.append(_finding_line(f) + "; " + "; ".join(extra))
        lines += _more(shown, len(live))
    recent = pd.Series([ctx.since is None or (d is not None and d > ctx.since) for d in ncs["closed_on"]],
                       index=ncs.index, dtype=bool)
    closed = ncs[(ncs["status"] == "closed") & recent]
    if not closed.empty:
        lines.append("Closed" + (f" since the last review ({ctx.since}):" if ctx.since else ":"))
        for f in closed.head(LISTED).to_dict("records"):
            verified = (f"; verified {f['verification']} on {f['verified_on']}" if f["verification"] else "")
            lines.append(_finding_line(f) + f"; closed on {f['closed_on']}{verified}")
    return "\n".join(lines)


def _register_line(ctx: _Context, name: str) -> str | None:
    reg = documents.register(ctx.con, ctx.ws, ctx.cat, ctx.today).set_index("id")
    if name not in reg.index:
        return None
    r = reg.loc[name]
    if r["status"] == "missing":
        return f"{name} ({r['kind']} in the register): missing."
    when = (f", dated {r['record_date']}" if r["kind"] == "record" and r["record_date"] else
            f", version {r['version']}" if r["version"] else "")
    where = f", kept at {r['location']}" if str(r["location"] or "").strip() else ""
    return f"{name} ({r['kind']} in the register): {r['status']}{when}{where}."


def monitoring(ctx: _Context) -> str:
    lines = _requirement(ctx, "9.1")
    line = _register_line(ctx, "Monitoring and measurement results")
    return "\n".join(lines + ([line] if line else []))


def audits(ctx: _Context) -> str:
    df = programme.table(ctx.con, ctx.ws)
    if df.empty:
        return "No audit is recorded in the app yet."
    grades = ctx.findings
    lines = []
    for certification, heading in ((False, "Internal audits"), (True, "Certification audits")):
        part = df[df["certification"] == certification]
        if part.empty:
            continue
        by_status = part["status"].value_counts()
        lines.append(f"{heading}: " + ", ".join(f"{int(by_status[s])} {s}" for s in programme.STATUSES[::-1]
                                                if s in by_status) + ".")
        for a in part.to_dict("records"):
            found = grades[grades["audit_id"] == a["id"]]["grade"].value_counts()
            when = ("finished", a["finish"]) if a["status"] == "completed" else ("starts", a["start"])
            bits = [a["status"] + (f", {when[0]} {when[1]}" if when[1] else "")]
            if a["scope"] or not certification:
                bits.append(f"{len(a['scope'])} requirements in scope")
            if a["status"] == "in progress" and a["progress_pct"] is not None:
                bits.append(f"checklist {a['progress_pct']:g}% done")
            bits.append("findings: " + (", ".join(f"{int(n)} {g}" for g, n in found.items()) if len(found) else "none"))
            line = f"- {a['id']} {a['title']} ({a['kind']}): " + "; ".join(bits)
            for field, label in (("conclusion", "Conclusion"), ("outcome", "Outcome")):
                if str(a[field] or "").strip():
                    line += f". {label}: {str(a[field]).strip()}"
            lines.append(line)
    gate = documents.stage1_gate(ctx.con, ctx.ws, ctx.cat, ctx.today)
    cond = next(c for c in gate["conditions"] if c["key"] == "internal_audit")
    if cond["source"] == "records":
        lines.append(f"Coverage: {cond['status'][len('Internal audits in the app: '):]}.")
    return "\n".join(lines)


def risk_register(ctx: _Context) -> str:
    table = risks.table(ctx.con, ctx.ws, today=ctx.today)
    if table.empty:
        return "The AI risk register is empty."
    s = risks.summary(table)
    crit = risks.criteria(ctx.con, ctx.ws)
    lines = [f"AI risk register: {_n(s['open'], 'open risk')} ({s['closed']} closed); {s['above_current']} above the "
             f"appetite ({crit['appetite']}) now; {_n(s['treatments_overdue'], 'treatment')} overdue; "
             f"{_n(s['reviews_overdue'], 'review')} overdue; {_n(s['acceptances_expired'], 'acceptance')} expired."]
    above = table[(table["status"] != "closed") & table["above_appetite"]].sort_values(
        "current_score", ascending=False, kind="stable")
    if not above.empty:
        lines.append("Above the appetite now:")
        lines += _more([f"- {r['id']} {r['title']}: score {int(r['current_score'])} ({r['current_level']}), {r['status']}"
                        + (f", owner {r['owner']}" if r["owner"] else "") for r in above.head(LISTED).to_dict("records")],
                       len(above))
    return "\n".join(lines)


def impact_assessments(ctx: _Context) -> str:
    systems = inventory.list_systems(ctx.con, ctx.ws, include_retired=False)
    if systems.empty:
        return "No AI system in use is in the inventory yet."
    done = impact.list_all(ctx.con, ctx.ws)
    latest = done.drop_duplicates("system_id").set_index("system_id")
    status = [latest.at[s, "status"] if s in latest.index else "none" for s in systems["id"]]
    counts = {k: status.count(k) for k in ("approved", "in review", "draft", "none")}
    lines = [f"{_n(len(systems), 'AI system')} in use: {counts['approved']} with an approved "
             f"impact assessment, {counts['in review']} in review, {counts['draft']} in draft, {counts['none']} without one."]
    missing = [f"{i} {n}" for i, n, s, c in zip(systems["id"], systems["name"], status, systems["ai_act_category"])
               if s != "approved" and c == "high-risk"]
    if missing:
        lines.append("High-risk systems without an approved assessment: " + ", ".join(missing) + ".")
    late = impact.overdue(done, ctx.today)
    late = late[late["system_id"].isin(set(systems["id"]))]
    if not late.empty:
        lines.append("Re-assessment due (next review passed): " + ", ".join(
            f"{s} {n} (due {pd.Timestamp(d):%Y-%m-%d})" for s, n, d in
            zip(late["system_id"], late["system_name"], late["next_review"])) + ".")
    return "\n".join(lines)


def objectives(ctx: _Context) -> str:
    lines = _requirement(ctx, "6.2")
    line = _register_line(ctx, "AI objectives")
    return "\n".join(lines + ([line] if line else []))


def opportunities(ctx: _Context) -> str:
    df = ctx.findings
    ofi = df[(df["grade"] == "opportunity for improvement") & (df["status"] == "open")]
    if ofi.empty:
        return "No open opportunity for improvement is recorded in the app."
    lines = [f"{len(ofi)} open opportunit{'y' if len(ofi) == 1 else 'ies'} for improvement:"]
    lines += _more([f"- {f['id']} {f['title']} ({f['source']}" + (f" {f['audit_id'] or f['review_id']}"
                                                                 if f["audit_id"] or f["review_id"] else "") + ")"
                    + (f"; owner {f['owner']}" if f["owner"] else "") for f in ofi.head(LISTED).to_dict("records")],
                   len(ofi))
    return "\n".join(lines)


COMPILERS = {"review_actions": review_actions, "context_issues": context_issues, "context_parties": context_parties,
             "readiness": readiness, "nonconformities": nonconformities, "monitoring": monitoring, "audits": audits,
             "risks": risk_register, "impact": impact_assessments, "objectives": objectives,
             "opportunities": opportunities}


def compile_inputs(con, workspace_id: int, catalog: Catalog, default_target: int, review_id: str | None = None,
                   today: date | None = None) -> dict[str, str]:
    """{input key: text} for every catalogue input the app compiles (inputs whose source is ''
    are left out), for the review `review_id` (None: a review being planned now)."""
    ctx = _Context(con, workspace_id, catalog, default_target, review_id, today or date.today())
    return {item.key: COMPILERS[item.source](ctx) for item in reviews.input_catalogue() if item.source}
