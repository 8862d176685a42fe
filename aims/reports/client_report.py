"""The client's gap assessment report as PDF bytes: cover, contents, executive summary, readiness
charts, findings per clause and per Annex A objective with what to do, the Statement of
Applicability, AI systems, risks, roadmap and forecast, progress since a baseline, and the full
gap table and SoA as appendices. Pure: `build(data)` lays out what report_data.gather returned.

Rules the text follows: "not assessed" is never counted as conformant (it is named as its own
figure); a percentage without a denominator shows as a dash; an empty section says why.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from aims.progress.compare import change_text, figure_text
from aims.reports import pdf_charts as charts
from aims.reports.pdf_layout import MUTED, ReportPDF, day, pct

TITLE = "AI management system readiness report"
KICKER = "ISO/IEC 42001 gap assessment"


def _n(value, noun: str, plural: str | None = None) -> str:
    return f"{value} {noun if value == 1 else plural or noun + 's'}"


def stage1_pct(gate: dict) -> float | None:
    return gate["share"].get("pct")


def key_figures(data: dict) -> list[tuple[str, str, str]]:
    """The executive summary's boxes: (value, label, detail)."""
    o, gate, rk, fc = data["overall"], data["gate"], data["risks"], data["roadmap"]["forecast"]
    return [
        (pct(o["readiness_pct"]), "Readiness", f"{o['at_target']} of {o['applicable']} applicable at target"),
        (f"{gate['met']} of {gate['total']}", "Stage 1 gate conditions met",
         f"documents and records {pct(stage1_pct(gate))} in place"),
        (pct(o["stage2_pct"]), "Stage 2 readiness", f"{o['stage2_verified']} at target with verified evidence"),
        (str(o["open_gaps"]), "Open gaps", "assessed and below target"),
        (str(o["not_assessed"]), "Not assessed", "counted as not ready"),
        (str(rk["above_count"]), "Risks above appetite", f"of {rk['open']} open risks (score above {rk['appetite']})"),
        (pct(fc.progress_pct), "Roadmap progress", f"{data['roadmap']['done']} of {data['roadmap']['count']} actions done"),
        (f"{fc.ready:%d %b %Y}" if fc.ready else "-", "Forecast ready date",
         f"target {day(fc.target)}" if fc.target else "no target date set"),
    ]


def summary_text(data: dict) -> str:
    """The executive summary in plain words."""
    o, ws, gate = data["overall"], data["workspace"], data["gate"]
    name = ws["organisation"] or ws["name"]
    parts = []
    if o["assessed"] == 0:
        parts.append(f"No requirement of {name} has been rated yet, so readiness cannot be judged: every one of the "
                     f"{o['applicable']} applicable requirements counts as not ready until it is assessed.")
    else:
        parts.append(f"{name} meets its target maturity on {o['at_target']} of the {o['applicable']} applicable "
                     f"requirements of ISO/IEC 42001 (readiness {pct(o['readiness_pct'])}). {o['open_gaps']} assessed "
                     f"requirements are below target, and {o['not_assessed']} are not assessed yet; those count as "
                     "not ready, never as met.")
    parts.append("For the Stage 1 audit, which reviews the documented system, "
                 + (f"all {gate['total']} gate conditions are met." if gate["ready"] else
                    f"{gate['met']} of {gate['total']} gate conditions are met.")
                 + f" Stage 2 readiness, which needs records showing each requirement operates, is "
                 f"{pct(o['stage2_pct'])}.")
    rk = data["risks"]
    if rk["count"]:
        parts.append(f"The risk register holds {_n(rk['open'], 'open risk')}; {rk['above_count']} "
                     f"{'is' if rk['above_count'] == 1 else 'are'} above the agreed appetite.")
    else:
        parts.append("No AI risk has been recorded yet.")
    fc = data["roadmap"]["forecast"]
    if data["roadmap"]["count"]:
        parts.append(f"The implementation roadmap is {pct(fc.progress_pct)} complete by effort. {fc.sentence}")
    else:
        parts.append("No implementation roadmap has been drawn up yet.")
    return " ".join(parts)


# ---- sections -------------------------------------------------------------------------------------

def _executive(pdf: ReportPDF, data: dict) -> None:
    pdf.heading("Executive summary")
    pdf.para(summary_text(data), size=10.5)
    pdf.kpis(key_figures(data))
    pdf.heading("Decisions needed", level=1, keep=20)
    if data["decisions"]:
        pdf.bullets(data["decisions"])
    else:
        pdf.note("Nothing needs a management decision today: no overdue action, no untreated risk above appetite, "
                 "no open major nonconformity and every Stage 1 gate condition met.")
    pdf.heading("How to read the figures", level=1, keep=20)
    pdf.note("Readiness is the share of applicable requirements at their target maturity (0 none to 5 optimising). "
             "A requirement not assessed yet counts as not ready; controls excluded in the Statement of "
             "Applicability drop out of every figure. A dash means there is nothing to count.")


def _readiness(pdf: ReportPDF, data: dict) -> None:
    pdf.heading("Readiness", keep=120)
    for rows, title in ((data["clauses"], "Readiness by clause (4 to 10)"),
                        (data["controls"], "Readiness by Annex A objective")):
        if pdf.will_page_break(len(rows) * 7.4 + 16):
            pdf.add_page()
        y = pdf.y
        pdf.set_y(y + charts.readiness_bars(pdf, pdf.l_margin, y, pdf.width, rows, title) + 2)
    trend = data["trend"]
    pdf.heading("Readiness over time", level=1, keep=85)
    if trend is None or len(trend) < 2:
        pdf.note("The trend needs a baseline or two weeks of history; this workspace has neither yet.")
    else:
        points = trend.to_dict("records")
        for p in points:
            p["as_of"] = pd.Timestamp(p["as_of"]).date()
        y = pdf.y
        pdf.set_y(y + charts.trend(pdf, pdf.l_margin, y, pdf.width, 62, points) + 2)
        pdf.note("Weekly points are rebuilt from the change log; baselines count as taken; the last point is today.")
    gate = data["gate"]
    pdf.heading("Stage 1 gate", level=1, keep=45)
    pdf.para("Stage 1 reviews the documented system. These conditions must all hold before it:", size=9.5)
    pdf.table_of(["Condition", "Met", "Where it stands"],
                 [[c["label"], "yes" if c["met"] else "no", c["status"]] for c in gate["conditions"]],
                 [34, 8, 58], align=["L", "C", "L"])


def _gap_block(pdf: ReportPDF, g: dict) -> None:
    head = (f"{g['req_id']} {g['title']}: maturity {g['maturity']}, target {g['target']} (gap {g['gap']})"
            + (", documented information required" if g["mandatory_doc"] else ""))
    height = (pdf.text_height(head, 9.5, "B") + pdf.text_height("What to do: " + g["guidance"], 9)
              + 4.5 * (bool(g["evidence"]) + bool(g["owner"])) + 6)
    if pdf.will_page_break(height):       # a gap and its guidance stay on one page
        pdf.add_page()
    pdf.para(head, size=9.5, style="B", after=0.8)
    pdf.para("What to do: " + g["guidance"], size=9, after=0.8)
    if g["evidence"]:
        pdf.para("Typical evidence: " + "; ".join(g["evidence"]) + ".", size=8.5, colour=MUTED, after=0.8)
    if g["owner"]:
        pdf.para(f"Owner: {g['owner']}", size=8.5, colour=MUTED, after=0.8)
    pdf.ln(2)


def _groups(pdf: ReportPDF, groups: list[dict], title: str, intro: str) -> None:
    pdf.heading(title)
    pdf.para(intro, size=9.5)
    for g in groups:
        pdf.heading(f"{g['group']} {g['title']}", level=1, keep=30)
        if not g["applicable"]:
            pdf.note("Every control of this objective is excluded in the Statement of Applicability: nothing to assess.")
            continue
        facts = (f"Readiness {pct(g['readiness_pct'])}: {g['at_target']} of {g['applicable']} applicable at target, "
                 f"{_n(g['open_gaps'], 'open gap')}, {g['not_assessed']} not assessed"
                 + (f", {g['excluded']} excluded" if g["excluded"] else "")
                 + (f"; average maturity {g['avg_maturity']:.1f} against a target of {g['avg_target']:.1f}."
                    if g["avg_maturity"] is not None else "; no rating yet."))
        pdf.para(facts, size=9.5, after=2)
        if g["top_gaps"]:
            for gap in g["top_gaps"]:
                _gap_block(pdf, gap)
            if g["open_gaps"] > len(g["top_gaps"]):
                pdf.note(f"The largest {len(g['top_gaps'])} of {g['open_gaps']} gaps; all are in Appendix A.")
        elif g["not_assessed"]:
            pdf.note(f"No open gap among the rated requirements; {g['not_assessed']} still to assess before this "
                     "group can count as ready.")
        else:
            pdf.note("No open gap: every applicable requirement is at its target.")


def _soa(pdf: ReportPDF, data: dict) -> None:
    s, approval = data["soa"], data["soa_approval"]
    pdf.heading("Statement of Applicability", keep=60)
    pdf.para(f"Of the {s['controls']} Annex A controls, {s['applicable']} apply and {s['excluded']} "
             f"{'is' if s['excluded'] == 1 else 'are'} excluded. {s['applicable_justified']} of the applicable controls "
             f"give a reason for inclusion and {s['excluded_justified']} of the excluded ones a justification for "
             f"exclusion. {pct(s['implemented_pct'])} of the applicable controls are implemented.", size=10)
    if s["missing_justification"]:
        pdf.para(f"{_n(s['missing_justification'], 'control')} still lack{'s' if s['missing_justification'] == 1 else ''} "
                 "the justification an auditor asks for (see Appendix B).", size=10, style="B")
    who = (f"Version {approval['version'] or 'not set'}, approved by {approval['approved_by']} on "
           f"{approval['approved_on']}." if approval.get("approved_by") else
           f"Version {approval.get('version') or 'not set'}; not approved yet.")
    pdf.para(who, size=9.5)
    pdf.table_of(["Implementation of the applicable controls", "Controls"],
                 [[k.capitalize(), v] for k, v in s["by_implementation"].items()], [70, 30], align=["L", "R"])
    excluded = data["soa_rows"][~data["soa_rows"]["Applicable"]]
    if len(excluded):
        pdf.heading("Excluded controls", level=1, keep=25)
        pdf.table_of(["Control", "Justification for exclusion"],
                     [[f"{r['ID']} {r['Control']}", r["Exclusion justification"] or "(none given)"]
                      for r in excluded.to_dict("records")], [40, 60])


def _systems(pdf: ReportPDF, data: dict) -> None:
    sy = data["systems"]
    pdf.heading("AI systems and the EU AI Act", keep=50)
    if not sy["count"]:
        pdf.note("No AI system is in the inventory yet, so no EU AI Act category can be shown. Listing the systems "
                 "in scope is one of the first steps (it feeds the risk and impact assessments).")
        return
    cats = sy["by_category"]
    pdf.para(f"The inventory lists {_n(sy['count'], 'AI system')} in use or in development. By EU AI Act category: "
             + ", ".join(f"{v} {k}" for k, v in cats.items() if v) + ".", size=10)
    if cats.get("not classified"):
        pdf.para(f"{cats['not classified']} still to classify: the category decides which obligations apply.",
                 size=9.5, style="B")
    pdf.table_of(["ID", "AI system", "EU AI Act category", "Life-cycle stage", "Business owner"],
                 [[r["id"], r["name"], r["category"], r["stage"], r["owner"]] for r in sy["listed"]],
                 [12, 34, 18, 16, 20])
    if sy["count"] > len(sy["listed"]):
        pdf.note(f"The first {len(sy['listed'])} of {sy['count']} systems, prohibited and high-risk first; the "
                 "engagement workbook lists them all.")


def _risks(pdf: ReportPDF, data: dict) -> None:
    rk = data["risks"]
    pdf.heading("AI risks", keep=110)
    if not rk["count"]:
        pdf.note("The AI risk register is empty: no risk has been identified yet, so there is no heatmap to show.")
        return
    s = rk["summary"]
    pdf.para(f"{_n(rk['open'], 'open risk')} ({s['closed']} closed). Before treatment {s['above_inherent']} "
             f"{'is' if s['above_inherent'] == 1 else 'are'} above the appetite; with the planned treatments "
             f"{s['above_residual']} would remain above it; today {rk['above_count']} "
             f"{'is' if rk['above_count'] == 1 else 'are'} (the residual rating counts once its treatment is in place).",
             size=10)
    size = 62
    y = pdf.y
    h1 = charts.heatmap(pdf, pdf.l_margin, y, size, rk["inherent"], rk["crit"],
                        f"Before treatment (inherent): {rk['open']} open")
    h2 = charts.heatmap(pdf, pdf.l_margin + pdf.width / 2 + 4, y, size, rk["residual"], rk["crit"],
                        f"After planned treatment (residual): {rk['residual_rated']} rated")
    pdf.set_y(y + max(h1, h2))
    charts.heatmap_legend(pdf, pdf.l_margin, pdf.y, rk["crit"])
    pdf.ln(9)
    pdf.heading("Risks above appetite", level=1, keep=30)
    if not rk["above"]:
        pdf.note(f"No open risk is above the appetite (score above {rk['appetite']}).")
        return
    shown = rk["above"][:12]             # what fits on the page below the heatmaps
    pdf.table_of(["ID", "Risk", "Inherent", "Residual", "Score now", "Treatment", "Owner"],
                 [[r["id"], r["title"], r["inherent"], r["residual"], f"{r['score']} {r['level']}",
                   r["treatment"] or "not decided", r["owner"]] for r in shown],
                 [10, 38, 10, 10, 12, 12, 18], align=["L", "L", "C", "C", "C", "L", "L"])
    if rk["above_count"] > len(shown):
        pdf.note(f"The {len(shown)} highest of {rk['above_count']} risks above appetite; the register lists them all.")


def _roadmap(pdf: ReportPDF, data: dict) -> None:
    rm = data["roadmap"]
    fc = rm["forecast"]
    pdf.heading("Roadmap and forecast", keep=90)
    if not rm["count"]:
        pdf.note("No roadmap action exists yet, so there is no progress or forecast to show. Generating the actions "
                 "from the open gaps is the usual next step.")
        return
    pdf.para(f"{rm['count']} actions, {rm['done']} done, {rm['overdue_count']} overdue, {rm['blocked']} blocked. "
             f"Progress by effort {pct(fc.progress_pct)} (planned by today {pct(fc.planned_pct)}). {fc.sentence}",
             size=10)
    if rm["burnup"]:
        rows = rm["burnup"]
        for r in rows:
            r["day"] = pd.Timestamp(r["day"]).date()
            r["done"] = None if r["done"] is None or r["done"] != r["done"] else r["done"]
        y = pdf.y + 2
        pdf.set_y(y + charts.burnup(pdf, pdf.l_margin, y, pdf.width, 70, rows, data["today"], fc.target, fc.ready) + 4)
    if rm["phases"]:
        pdf.heading("Progress by phase", level=1, keep=30)
        pdf.table_of(["Phase", "From", "To", "Actions", "Done", "Overdue", "Progress", "Planned by today"],
                     [[p.get("name", ""), _short(p.get("start")), _short(p.get("finish")), p.get("actions", 0),
                       p.get("done", 0), p.get("overdue", 0), pct(p.get("progress_pct")), pct(p.get("planned_pct"))]
                      for p in rm["phases"]], [30, 12, 12, 9, 8, 9, 10, 10],
                     align=["L", "C", "C", "R", "R", "R", "R", "R"])
    if rm["overdue"]:
        pdf.heading("Overdue actions", level=1, keep=30)
        pdf.table_of(["ID", "Action", "Owner", "Due"],
                     [[r["id"], r["title"], r["owner"], _short(r["due"])] for r in rm["overdue"]], [12, 52, 24, 12])
        if rm["overdue_count"] > len(rm["overdue"]):
            pdf.note(f"The {len(rm['overdue'])} longest overdue of {rm['overdue_count']}.")


def _short(value) -> str:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return "-"
    return pd.Timestamp(value).strftime("%d %b %Y")






def _comparison(pdf: ReportPDF, cmp: dict, top: int = 15) -> None:
    before, after = cmp["before"], cmp["after"]
    name = before["name"]
    short = name if len(name) <= 40 else name[:38] + "..."
    pdf.heading(f"Progress since {name}", keep=60, toc_name=f"Progress since {short}")
    pdf.para(f"Compared with the baseline {name!s} taken {_stamp(before['taken_at'])}, as of {_stamp(after['taken_at'])}.",
             size=10)
    figures = cmp["figures"]
    if len(figures):
        pdf.table_of(["Figure", "Before", "Now", "Change"],
                     [[r["label"], figure_text(r["metric"], r["before"]), figure_text(r["metric"], r["after"]),
                       change_text(r["metric"], r["change"])] for r in figures.to_dict("records")],
                     [46, 18, 18, 18], align=["L", "R", "R", "R"])
    groups = cmp["groups"]
    moved = groups[groups["change"].fillna(0) != 0] if len(groups) else groups
    pdf.heading("Readiness by clause and objective", level=1, keep=30)
    if len(moved):
        pdf.table_of(["Group", "Before", "Now", "Change"],
                     [[r["group_title"] or r["group"], pct(r["before_pct"]), pct(r["after_pct"]),
                       change_text("x_pct", r["change"])] for r in moved.to_dict("records")],
                     [52, 16, 16, 16], align=["L", "R", "R", "R"])
    else:
        pdf.note("No clause or objective changed its readiness.")
    reqs = cmp["requirements"]
    pdf.heading("Requirements that changed", level=1, keep=30)
    if len(reqs):
        counts = reqs["change"].value_counts()
        pdf.para("; ".join(f"{counts.get(k, 0)} {k}" for k in ("improved", "worse", "newly assessed",
                                                               "no longer assessed") if counts.get(k, 0)) + ".", size=9.5)
        pdf.table_of(["Requirement", "Change", "Maturity before", "Maturity now", "Status now"],
                     [[f"{r['req_id']} {r['title']}", r["change"], _lvl(r["maturity_before"]), _lvl(r["maturity_after"]),
                       r["status_after"]] for r in reqs.head(top).to_dict("records")], [40, 16, 15, 15, 14])
        if len(reqs) > top:
            pdf.note(f"The first {top} of {len(reqs)} changed requirements.")
    else:
        pdf.note("No requirement's rating changed.")
    rk = cmp["risks"]
    pdf.heading("Risks that moved", level=1, keep=30)
    if len(rk):
        pdf.table_of(["Risk", "Change", "Inherent before", "Inherent now", "Residual before", "Residual now"],
                     [[f"{r['id']} {r['title']}", r["change"], r["inherent_before"], r["inherent_after"],
                       r["residual_before"], r["residual_after"]] for r in rk.head(top).to_dict("records")],
                     [38, 12, 12, 12, 13, 13], align=["L", "L", "C", "C", "C", "C"])
        if len(rk) > top:
            pdf.note(f"The first {top} of {len(rk)} risks that changed.")
    else:
        pdf.note("No risk was added, moved on the heatmap or closed.")
    done, docs, found = cmp["actions_done"], cmp["documents_approved"], cmp["findings"]
    pdf.heading("Work done in between", level=1, keep=30)
    if len(done):
        pdf.table_of(["Action done", "Done on"], [[f"{r['id']} {r['title']}", _short(r["done_at"])]
                                                  for r in done.head(top).to_dict("records")], [80, 20])
        if len(done) > top:
            pdf.note(f"The first {top} of {len(done)} actions done.")
    else:
        pdf.note("No roadmap action was completed in between.")
    if len(docs):
        pdf.table_of(["Document", "Status before", "Status now"],
                     [[r["document"], r["status_before"], r["status_after"]] for r in docs.head(top).to_dict("records")],
                     [60, 20, 20])
    else:
        pdf.note("No document was approved or record made available in between.")
    if len(found):
        pdf.table_of(["Finding", "Grade", "Change"], [[f"{r['id']} {r['title']}", r["grade"], r["change"]]
                                                      for r in found.head(top).to_dict("records")], [60, 25, 15])
    else:
        pdf.note("No audit finding was raised or closed in between.")


def _lvl(value) -> str:
    from aims.assessment.requirements import maturity_label
    return maturity_label(value)


def _stamp(value) -> str:
    try:
        return pd.Timestamp(value).strftime("%d %B %Y %H:%M").lstrip("0")
    except (ValueError, TypeError):
        return str(value or "-")


def _appendices(pdf: ReportPDF, data: dict) -> None:
    gaps = data["gap_table"]
    pdf.add_page()
    pdf.heading("Appendix A: gap table")
    pdf.note(f"Every requirement in catalogue order ({len(gaps)}). Status 'not assessed' means no rating yet: it "
             "counts as not ready. Evidence: none, claimed, documented (counts toward Stage 1) or verified (Stage 2).")
    pdf.table_of(["ID", "Requirement", "Status", "Maturity", "Target", "Gap", "Evidence", "Owner"],
                 [[r["req_id"], r["title"], r["status"], r["maturity"], r["target"], r["gap"], r["evidence"], r["owner"]]
                  for r in gaps.to_dict("records")],
                 [9, 30, 11, 12, 7, 5, 11, 15], size=7.5, align=["L", "L", "L", "L", "C", "C", "L", "L"])
    rows = data["soa_rows"]
    pdf.add_page()
    pdf.heading("Appendix B: Statement of Applicability")
    pdf.table_of(["ID", "Control", "Applies", "Justification", "Implementation", "Owner"],
                 [[r["ID"], r["Control"], "yes" if r["Applicable"] else "no",
                   "; ".join(r["Inclusion justification"]) if r["Applicable"] else r["Exclusion justification"],
                   r["Implementation"] if r["Applicable"] else "-", r["Owner"]] for r in rows.to_dict("records")],
                 [9, 27, 9, 26, 13, 16], size=7.5, align=["L", "L", "C", "L", "L", "L"])


def build(data: dict) -> bytes:
    """The full report as PDF bytes (data: report_data.gather)."""
    ws, brand = data["workspace"], data["brand"]
    client = ws["name"]
    pdf = ReportPDF(TITLE, client, brand.get("colour", ""), brand.get("logo"))
    pdf.cover(KICKER, TITLE, client, [
        ("Organisation", ws.get("organisation") or ""), ("Sector", ws.get("sector") or ""),
        ("Date", day(data["today"])), ("Assessor", data.get("assessor") or ""),
        ("Report version", data.get("version") or "1.0"),
        ("Target certification", day(ws["target_date"]) if ws.get("target_date") else ""),
    ], scope=ws.get("scope") or "")
    pdf.contents()
    _executive(pdf, data)
    pdf.add_page()
    _readiness(pdf, data)
    pdf.add_page()
    _groups(pdf, data["clauses"], "Findings per clause",
            "Clauses 4 to 10 always apply. Under each clause: its figures, then its largest gaps with what to do, "
            "mandatory documented information first.")
    pdf.add_page()
    _groups(pdf, data["controls"], "Findings per Annex A objective",
            "The Annex A controls that apply, grouped by objective; excluded controls drop out of the figures.")
    pdf.add_page()
    _soa(pdf, data)
    _systems(pdf, data)
    pdf.add_page()
    _risks(pdf, data)
    pdf.add_page()
    _roadmap(pdf, data)
    if data.get("comparison"):
        pdf.add_page()
        _comparison(pdf, data["comparison"])
    _appendices(pdf, data)
    return bytes(pdf.output())
