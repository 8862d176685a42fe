"""Report charts: pure functions from plain frames to Plotly figures, in the house style
(aims.common.chart_style). Every line is named in the legend and differs in dash as well as
colour; the latest value is written next to its point."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from aims.common.chart_style import FONT, PRIMARY, TARGET, merged

STAGE2 = "#009E73"      # Okabe-Ito bluish green, as the roadmap's 'done'
GRID = "#e6ecf3"
HEIGHT = 470


def readiness_trend(trend: pd.DataFrame, today: date, target: date | None) -> go.Figure:
    """Readiness % and Stage 2 readiness % week by week (dashboard.readiness_trend output) on a
    0-100% axis, each labelled with its latest value; the certificate target date is marked and
    kept in view, so the distance left reads at a glance. With one week only, a note says that
    the trend builds up week by week."""
    x = pd.to_datetime(trend["as_of"])
    lines = (("readiness_pct", "Readiness", PRIMARY, "solid", 3.5),
             ("stage2_pct", "Stage 2 readiness (verified evidence)", STAGE2, "dash", 2.5))
    traces, notes = [], []
    for column, name, colour, dash, width in lines:
        y = [None if pd.isna(v) else float(v) for v in trend[column]]
        traces.append(go.Scatter(x=x, y=y, name=name, mode="lines+markers", line=dict(color=colour, dash=dash,
                                 width=width), marker=dict(size=8 if column == "readiness_pct" else 6, color=colour),
                                 hovertemplate="week to %{x|%Y-%m-%d}: %{y:.0f}%<extra>" + name.split(" (")[0]
                                 + "</extra>"))
        if len(y) and y[-1] is not None:
            notes.append(dict(x=x.iloc[-1], y=y[-1], text=f"<b>{y[-1]:.0f}%</b>", showarrow=False, xanchor="left",
                              xshift=10, font=dict(color=colour, size=16 if column == "readiness_pct" else 14)))
    if len(notes) == 2 and abs(notes[0]["y"] - notes[1]["y"]) < 7:        # keep close labels apart
        notes[0]["yshift"], notes[1]["yshift"] = 10, -10
    first = x.min() if len(x) else pd.Timestamp(today)
    last = max(pd.Timestamp(today), pd.Timestamp(target) if target else pd.Timestamp(today))
    span = max((last - first).days, 28)
    shapes = []
    if target:
        t = pd.Timestamp(target)
        shapes.append(dict(type="line", x0=t, x1=t, y0=0, y1=1, yref="paper", line=dict(color=TARGET, width=2)))
        notes.append(dict(x=t, y=0.99, yref="paper", text=f"Certificate target<br>{target.isoformat()}",
                          showarrow=False, xanchor="right", yanchor="top", xshift=-6, align="right",
                          font=dict(color=TARGET, size=12), bgcolor="rgba(255,255,255,0.85)"))
    if len(trend) < 2:
        notes.append(dict(x=0.5, y=0.55, xref="paper", yref="paper", showarrow=False, font=dict(color="#4a5563"),
                          text="One week on record so far: a point is added every week<br>"
                               "as the gap analysis changes."))
    return go.Figure(traces, merged(dict(
        height=HEIGHT, font=FONT, paper_bgcolor="white", plot_bgcolor="white",
        title=dict(text="Readiness week by week", x=0, y=1 - 12 / HEIGHT, yanchor="top", font=dict(size=16)),
        margin=dict(l=20, r=30, t=80, b=40), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None)),
        dict(
        xaxis=dict(gridcolor=GRID, range=[first - timedelta(days=max(10, span // 12)),
                                          last + timedelta(days=max(10, span // 12))], tickformat="%b %Y"),
        yaxis=dict(range=[0, 105], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", gridcolor=GRID, automargin=True),
        annotations=notes, shapes=shapes)))
