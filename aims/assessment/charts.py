"""Chart builders: pure functions from plain data to Plotly figures (pages only display them)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aims.assessment.requirements import MATURITY_LABELS
from aims.common.chart_style import FONT, PRIMARY, TARGET, merged

INSIDE_FROM = 60        # readiness % from which a bar's label sits inside the bar


def _layout(height: int, **extra) -> dict:
    """The house layout of a chart `height` px high, with `extra` merged in (see merged)."""
    return merged(dict(height=height, margin=dict(l=40, r=30, t=40, b=40), font=FONT,
                       paper_bgcolor="white", plot_bgcolor="white",
                       legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0)), extra)


def maturity_radar(groups: pd.DataFrame, title: str) -> go.Figure:
    """Current (average maturity of assessed requirements) vs target per group, on the 0-5 scale.

    `groups` is scoring.by_group output. Groups with nothing assessed show 0 for current and are
    marked "(not assessed)" in their axis label, so an empty spoke is never mistaken for a rating.
    """
    names = [g if g.startswith("A.") else f"Clause {g}" for g in groups["group"]]
    # the note goes on a second line: on one line a side label ran past the chart's edge
    labels = [n if pd.notna(m) else f"{n}<br>(not assessed)" for n, m in zip(names, groups["avg_maturity"])]
    current = [0 if pd.isna(v) else v for v in groups["avg_maturity"]]
    target = [0 if pd.isna(v) else v for v in groups["avg_target"]]
    hover = [f"{t}<br>current {'-' if pd.isna(c) else c} / target {g}" for t, c, g in
             zip(groups["group_title"], groups["avg_maturity"], groups["avg_target"])]
    traces = []
    if labels:
        close = lambda xs: list(xs) + [xs[0]]  # noqa: E731 - close the polygon
        traces = [go.Scatterpolar(r=close(target), theta=close(labels), name="Target", mode="lines",
                                  line=dict(color=TARGET, dash="dash", width=2), hoverinfo="skip"),
                  go.Scatterpolar(r=close(current), theta=close(labels), name="Current", fill="toself",
                                  line=dict(color=PRIMARY, width=2), fillcolor="rgba(31,78,121,0.25)",
                                  text=close(hover), hovertemplate="%{text}<extra></extra>")]
    return go.Figure(traces, _layout(
        440, title=dict(text=title, x=0, font=dict(size=16)),
        polar=dict(angularaxis=dict(type="category", direction="clockwise", rotation=90, tickfont=dict(size=13)),
                   radialaxis=dict(range=[0, 5], tickvals=list(range(6)),
                                   ticktext=[f"{k} {v}" for k, v in MATURITY_LABELS.items()],
                                   tickfont=dict(size=10), angle=90, tickangle=90)),
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0.5, xanchor="center"),
        margin=dict(l=110, r=110, t=60, b=60)))


def readiness_bars(groups: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of readiness % per group, labelled with the percent and the counts.
    A group with nothing applicable shows a dash label and no bar."""
    g = groups.iloc[::-1]
    values = [0 if pd.isna(v) else v for v in g["readiness_pct"]]
    text = [("-" if pd.isna(p) else f"{p:.0f}%") + f"  ({a} of {n})"
            for p, a, n in zip(g["readiness_pct"], g["at_target"], g["applicable"])]
    labels = [t if len(t) <= 30 else t[:28].rstrip() + "…" for t in g["group_title"]]
    # a long bar carries its label inside: outside, it would run off a narrow chart's right edge
    bar = go.Bar(x=values, y=labels, orientation="h", text=text,
                 textposition=["inside" if v >= INSIDE_FROM else "outside" for v in values],
                 insidetextanchor="end", insidetextfont=dict(color="white"), outsidetextfont=dict(color=FONT["color"]),
                 customdata=g["group_title"], marker_color=PRIMARY, cliponaxis=False,
                 hovertemplate="%{customdata}: %{text}<extra></extra>")
    return go.Figure(bar, _layout(60 + 34 * len(g), title=dict(text=title, x=0, font=dict(size=16)),
                                  xaxis=dict(range=[0, 118], ticksuffix="%", tickvals=[0, 25, 50, 75, 100],
                                             gridcolor="#e6ecf3"),
                                  yaxis=dict(automargin=True), showlegend=False))


def count_bars(values: pd.Series, order, title: str) -> go.Figure:
    """Horizontal bars counting `values` per category in `order` (zero bars kept, so the
    categories never move), each labelled with its count; reads well in a narrow column."""
    counts = values.value_counts()
    cats = list(order) + [c for c in counts.index if c not in order]
    xs = [int(counts.get(c, 0)) for c in cats]
    bar = go.Bar(x=xs[::-1], y=cats[::-1], orientation="h", text=xs[::-1], textposition="outside",
                 marker_color=PRIMARY, cliponaxis=False, hovertemplate="%{y}: %{x}<extra></extra>")
    top = max(xs + [1])
    return go.Figure(bar, _layout(70 + 34 * len(cats), title=dict(text=title, x=0, font=dict(size=16)),
                                  showlegend=False,
                                  xaxis=dict(rangemode="tozero", gridcolor="#e6ecf3", range=[0, top * 1.2],
                                             dtick=1 if top <= 8 else None, tickformat="d"),
                                  yaxis=dict(automargin=True)))
