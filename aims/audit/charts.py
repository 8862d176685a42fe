"""Audit programme charts: pure functions from the programme's frames to Plotly figures.

Colours follow the Okabe-Ito palette (safe for colour-blind readers); every bar carries its
number or its label as text, so nothing is told by colour alone."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from aims.common.chart_style import FONT, TARGET, merged
from aims.common.text import chart_text

STATUS_COLOURS = {"audited": "#009E73", "planned": "#56B4E9", "not covered": "#D55E00"}
STATUS_NAMES = {"audited": "Audited (result recorded)", "planned": "In an audit's scope",
                "not covered": "Not covered by any internal audit"}
KIND_COLOURS = {"internal": "#0072B2", "stage 1": "#E69F00", "stage 2": "#CC79A7", "surveillance": "#009E73",
                "recertification": "#56B4E9"}
GRID = "#e6ecf3"


def _layout(height: int, heading: str, **extra) -> dict:
    return merged(dict(height=height, font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                       title=dict(text=heading, x=0, font=dict(size=16)), margin=dict(l=20, r=30, t=80, b=40),
                       legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None)), extra)


def coverage_bars(coverage: pd.DataFrame, group_titles: dict[str, str]) -> go.Figure:
    """Per clause (4 to 10) and Annex A objective (A.2 to A.10), the applicable requirements that
    are audited, planned (in an internal audit's scope) and not covered, as stacked horizontal
    bars labelled with their counts. `coverage` is programme.coverage_frame output;
    `group_titles` maps a group ID to its short title."""
    app = coverage[coverage["applicable"]]
    groups = list(dict.fromkeys(coverage["group"]))
    labels = [f"{g} {chart_text(group_titles.get(g, ''))}"[:48] for g in groups]
    traces = []
    for status, colour in STATUS_COLOURS.items():
        counts = [int(((app["group"] == g) & (app["status"] == status)).sum()) for g in groups]
        traces.append(go.Bar(y=labels, x=counts, orientation="h", name=STATUS_NAMES[status], marker_color=colour,
                             text=[c if c else "" for c in counts], textposition="inside",
                             insidetextanchor="middle", textangle=0,
                             textfont=dict(color="white" if status != "planned" else "#1b2430"),
                             hovertemplate="%{y}<br>" + STATUS_NAMES[status] + ": %{x}<extra></extra>"))
    height = 130 + 30 * len(groups)
    return go.Figure(traces, _layout(
        height, "Coverage of the applicable requirements by this cycle's internal audits", barmode="stack",
        bargap=0.3, margin=dict(t=90, b=30),
        xaxis=dict(title="Applicable requirements", gridcolor=GRID, dtick=1 if len(app) <= 12 else None),
        yaxis=dict(categoryorder="array", categoryarray=labels[::-1], automargin=True, tickfont=dict(size=12))))


def programme_timeline(audits: pd.DataFrame, window: tuple[date, date], stage1: date | None,
                       today: date) -> go.Figure:
    """The cycle's dated audits as bars from start to finish (one day when only one date is
    known), coloured by kind and labelled with their status; today and the Stage 1 date marked.
    Undated audits are left out (the page lists them)."""
    rows = []
    for a in audits.to_dict("records"):
        start, finish = a["start"] or a["finish"], a["finish"] or a["start"]
        if start is None:
            continue
        title = a["title"] if len(a["title"]) <= 40 else a["title"][:39] + "…"
        rows.append({"row": f"{a['id']} {chart_text(title)}", "start": pd.Timestamp(start),
                     "end": pd.Timestamp(finish + timedelta(days=1)), "kind": a["kind"], "text": a["status"],
                     "hover": f"<b>{a['id']}</b> {chart_text(a['title'])}<br>{a['kind']} · {a['status']}<br>"
                              f"{start} → {finish}"})
    if not rows:
        return go.Figure(layout=_layout(180, "Audits of the cycle", xaxis=dict(visible=False), yaxis=dict(visible=False),
                                        annotations=[dict(text="No dated audit in this cycle yet", showarrow=False,
                                                          x=0.5, y=0.5, xref="paper", yref="paper")]))
    df = pd.DataFrame(rows)
    order = list(df["row"])
    traces = []
    for kind, colour in KIND_COLOURS.items():
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        ms = ((part["end"] - part["start"]).dt.total_seconds() * 1000).astype("int64")
        traces.append(go.Bar(base=part["start"].dt.strftime("%Y-%m-%d").tolist(), x=ms.tolist(), y=part["row"].tolist(),
                             orientation="h", name=kind, marker_color=colour, text=part["text"].tolist(),
                             textposition="outside", cliponaxis=False, customdata=part["hover"].tolist(),
                             hovertemplate="%{customdata}<extra></extra>"))
    height = max(240, 150 + 34 * len(df))
    shapes, notes = [], []
    for day, label, colour, dash in ((today, "Today", "#1b2430", "dot"),
                                     (stage1, f"Stage 1 {stage1}", TARGET, "solid")):
        if day is None:
            continue
        x = pd.Timestamp(day)
        shapes.append(dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=2, dash=dash)))
        notes.append(dict(x=x, y=1.0, yref="paper", text=label, showarrow=False, xanchor="left", yanchor="bottom",
                          font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.85)"))
    span = [pd.Timestamp(window[0]), pd.Timestamp(window[1] + timedelta(days=1))]
    return go.Figure(traces, _layout(
        height, f"Audits of the cycle {window[0]} to {window[1]}", barmode="overlay", bargap=0.35,
        margin=dict(t=110, b=30), legend=dict(y=1.12),
        xaxis=dict(type="date", range=span, gridcolor=GRID, side="top", tickformat="%b %Y"),
        yaxis=dict(categoryorder="array", categoryarray=order[::-1], automargin=True, tickfont=dict(size=12)),
        shapes=shapes, annotations=notes))
