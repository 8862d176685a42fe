"""Trend charts: pure functions from a trends.trend series to Plotly figures, in the house style
(aims.common.chart_style). Every line is named in the legend and differs in dash as well as
colour; baselines are marked with a vertical line and their name, and drawn as diamonds; the
value now is written next to the last point."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from aims.common.chart_style import FONT, GREY, PRIMARY, TARGET, merged

STAGE1 = "#CC79A7"      # Okabe-Ito reddish purple
STAGE2 = "#009E73"      # Okabe-Ito bluish green, as the roadmap's 'done'
ROADMAP = "#56B4E9"     # Okabe-Ito sky blue
GAPS = "#D55E00"        # Okabe-Ito vermilion
RISKS = "#B3261E"       # the risk pages' 'above appetite' red
GRID = "#e6ecf3"
BASELINE = "#5b6573"
PERCENT_LINES = (("readiness_pct", "Readiness", PRIMARY, "solid", 4),
                 ("stage1_pct", "Stage 1 (gate conditions met)", STAGE1, "dot", 3),
                 ("stage2_pct", "Stage 2 readiness", STAGE2, "dash", 3),
                 ("roadmap_pct", "Roadmap progress", ROADMAP, "dashdot", 3))
COUNT_LINES = (("open_gaps", "Open gaps", GAPS, "solid", 3),
               ("risks_above", "Risks above appetite", RISKS, "dash", 3))


def _values(series: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else float(v) for v in series[column]]


def _traces(series: pd.DataFrame, lines, suffix: str) -> tuple[list, list]:
    """One line per metric (weeks, baselines and now joined) plus the baselines as diamonds, and
    the labels of the values now (spread apart when close)."""
    x = pd.to_datetime(series["when"])
    marked = (series["kind"] == "baseline").to_numpy()
    text = series["label"].tolist()
    traces, notes = [], []
    fmt = "%{y:.0f}" + suffix
    for column, name, colour, dash, width in lines:
        y = _values(series, column)
        traces.append(go.Scatter(x=x, y=y, name=name, mode="lines+markers", legendgroup=column, text=text,
                                 line=dict(color=colour, dash=dash, width=width), connectgaps=True,
                                 marker=dict(size=6, color=colour),
                                 hovertemplate="%{text}: " + fmt + "<extra>" + name + "</extra>"))
        if marked.any():
            traces.append(go.Scatter(x=x[marked], y=[v for v, m in zip(y, marked) if m], mode="markers",
                                     legendgroup=column, showlegend=False, text=[t for t, m in zip(text, marked) if m],
                                     marker=dict(symbol="diamond", size=14, color=colour, line=dict(color="white",
                                                                                                    width=1.5)),
                                     hovertemplate="Baseline %{text}: " + fmt + "<extra>" + name + "</extra>"))
        if len(y) and y[-1] is not None:
            notes.append(dict(x=x.iloc[-1], y=y[-1], text=f"<b>{y[-1]:.0f}{suffix}</b>", showarrow=False,
                              xanchor="left", xshift=10, font=dict(color=colour, size=16)))
    return traces, notes


def _spread(notes: list[dict], gap: float) -> None:
    """Shift labels of values now that sit closer than `gap` (in axis units) apart, in order."""
    ordered = sorted(notes, key=lambda n: n["y"])
    for below, above in zip(ordered, ordered[1:]):
        if above["y"] - below["y"] < gap:
            above["yshift"] = below.get("yshift", 0) + 18


def _baselines(series: pd.DataFrame, named: bool, span_days: float = 0) -> tuple[list, list]:
    """A dotted line per baseline and, when `named`, its name above the plot; names closer than a
    sixth of the axis span (`span_days`) take turns on two rows so they never overlap."""
    shapes, notes, previous, row = [], [], None, 0
    for when, label in zip(pd.to_datetime(series.loc[series["kind"] == "baseline", "when"]),
                           series.loc[series["kind"] == "baseline", "label"]):
        shapes.append(dict(type="line", x0=when, x1=when, y0=0, y1=1, yref="paper",
                           line=dict(color=BASELINE, width=1.5, dash="dot")))
        if named:
            row = 1 - row if previous is not None and (when - previous).days < span_days / 6 else 0
            previous = when
            short = label if len(label) <= 24 else label[:23] + "…"
            notes.append(dict(x=when, y=1.0, yref="paper", yanchor="bottom", text=short, showarrow=False,
                              yshift=2 + 20 * row, font=dict(color=BASELINE, size=13), bgcolor="rgba(255,255,255,0.9)"))
    return shapes, notes


def _x_range(series: pd.DataFrame, today: date, target: date | None) -> list:
    x = pd.to_datetime(series["when"])
    first = x.min() if len(x) else pd.Timestamp(today)
    last = max(pd.Timestamp(today), pd.Timestamp(target) if target else pd.Timestamp(today))
    span = max((last - first).days, 28)
    return [first - timedelta(days=max(7, span // 14)), last + timedelta(days=max(10, span // 8))]


def _layout(title: str, height: int, top: int) -> dict:
    return dict(height=height, font=FONT, paper_bgcolor="white", plot_bgcolor="white", hovermode="closest",
                title=dict(text=title, x=0, y=1 - 10 / height, yanchor="top", font=dict(size=17)),
                margin=dict(l=20, r=40, t=top, b=40),
                legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, title=None, font=dict(size=14)))


def percent_trend(series: pd.DataFrame, today: date, target: date | None = None) -> go.Figure:
    """Readiness, Stage 1 (gate conditions met), Stage 2 readiness and roadmap progress (%) over
    time (trends.trend output) on a 0-100% axis; baselines marked and named; the certificate
    target date marked when set. With one point only, a note says how the trend builds up."""
    traces, notes = _traces(series, PERCENT_LINES, "%")
    _spread(notes, 6)
    span = _x_range(series, today, target)
    shapes, marks = _baselines(series, named=True, span_days=(span[1] - span[0]).days)
    notes += marks
    if target:
        t = pd.Timestamp(target)
        shapes.append(dict(type="line", x0=t, x1=t, y0=0, y1=1, yref="paper", line=dict(color=TARGET, width=2)))
        notes.append(dict(x=t, y=0.02, yref="paper", text=f"Certificate target<br>{target.isoformat()}",
                          showarrow=False, xanchor="right", yanchor="bottom", xshift=-6, align="right",
                          font=dict(color=TARGET, size=13), bgcolor="rgba(255,255,255,0.85)"))
    if len(series) < 2:
        notes.append(dict(x=0.5, y=0.55, xref="paper", yref="paper", showarrow=False, font=dict(color="#4a5563"),
                          text="One point so far: a point is added every week as the work changes,<br>"
                               "and every baseline taken is marked here."))
    height = 500
    return go.Figure(traces, merged(_layout("Progress over time (%)", height, 86), dict(
        xaxis=dict(gridcolor=GRID, range=span, tickformat="%b %Y", tickangle=0, nticks=7),
        yaxis=dict(range=[0, 108], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", gridcolor=GRID, automargin=True),
        annotations=notes, shapes=shapes)))


def count_trend(series: pd.DataFrame, today: date, target: date | None = None) -> go.Figure:
    """Open gaps and risks above appetite over time (trends.trend output), baselines marked."""
    traces, notes = _traces(series, COUNT_LINES, "")
    top = max([v for c, *_ in COUNT_LINES for v in _values(series, c) if v is not None] + [1.0])
    _spread(notes, top / 12)
    shapes, _ = _baselines(series, named=False)
    height = 330
    return go.Figure(traces, merged(_layout("Open gaps and risks above appetite", height, 50), dict(
        xaxis=dict(gridcolor=GRID, range=_x_range(series, today, target), tickformat="%b %Y", tickangle=0, nticks=5),
        yaxis=dict(rangemode="tozero", range=[0, top * 1.15], gridcolor=GRID, automargin=True, zerolinecolor=GREY),
        annotations=notes, shapes=shapes, legend=dict(y=-0.14))))
