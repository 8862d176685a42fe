"""Roadmap charts: pure functions from plain frames to Plotly figures (the page only shows them).

Colours follow the Okabe-Ito palette (safe for colour-blind readers) and every coloured mark
also carries its label or number: status words on the Gantt bars, percentages on the progress
bars, effort days on the workload bars, named lines and end labels on the burn-up.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from aims.common.chart_style import FONT, GREY, PRIMARY, TARGET, merged
from aims.common.text import chart_text

STATUS_COLOURS = {"to do": "#B8C2CC", "in progress": "#0072B2", "blocked": "#D55E00", "done": "#009E73"}
PHASE_COLOUR = "#DCE6F0"
OVERDUE = "#D55E00"
DONE = STATUS_COLOURS["done"]
GRID = "#e6ecf3"


def _layout(height: int, heading: str, **extra) -> dict:
    """The house layout of a roadmap chart, with `extra` merged in (see charts.merged)."""
    return merged(dict(height=height, font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                       title=dict(text=heading, x=0, font=dict(size=16)), margin=dict(l=20, r=30, t=80, b=40),
                       legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None)), extra)


def _vline(day: date, label: str, colour: str, dash: str, ypos: float = 1.0,
           anchor: str = "left") -> tuple[dict, dict]:
    """A labelled vertical line on a date axis as (shape, annotation): add_vline's own annotation
    breaks on date axes. The label starts at the line (anchor 'left') or ends there ('right')."""
    x = pd.Timestamp(day)
    return (dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=2, dash=dash)),
            dict(x=x, y=ypos, yref="paper", text=label, showarrow=False, xanchor=anchor, yanchor="bottom",
                 font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.85)"))


def _empty(height: int, title: str, text: str) -> go.Figure:
    return go.Figure(layout=_layout(height, title, annotations=[
        dict(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")]))


def _short(text: str, n: int = 60) -> str:
    """User text cut to `n` characters, as typed on the chart (see chart_text)."""
    return chart_text(text if len(text) <= n else text[: n - 1].rstrip() + "…")


def gantt(phases: pd.DataFrame, actions: pd.DataFrame, today: date, target: date | None,
          progress: pd.DataFrame | None = None) -> go.Figure:
    """Phases as light bars (labelled with their progress), each followed by its actions as bars
    coloured by status and labelled with the status and percent; overdue actions get a
    vermilion outline and the word 'overdue'. Today and the target date are marked.

    `actions` needs id, title, phase_id, start, due, status, percent, overdue, owner, priority;
    actions without any date are left out (the page says how many). `progress` is
    forecast.phase_progress output (optional, for the phase labels).
    """
    prog = progress.set_index("phase_id") if progress is not None and not progress.empty else None
    rows = []
    for ph in phases.itertuples():
        pct = prog.at[ph.id, "progress_pct"] if prog is not None and ph.id in prog.index else None
        label = "no actions" if pct is None or pd.isna(pct) else f"{pct:.0f}% done"
        rows.append({"row": f"<b>{_short(ph.name, 45)}</b>", "start": ph.start, "finish": ph.finish,
                     "legend": "phase", "text": label, "overdue": False,
                     "hover": f"<b>{chart_text(ph.name)}</b><br>{ph.start} → {ph.finish}<br>{label} "
                              "(effort-weighted)"})
        part = actions[actions["phase_id"] == ph.id]
        part = part.assign(_s=pd.to_datetime(part["start"].where(part["start"].notna(), part["due"]))) \
            .sort_values(["_s", "due", "id"], na_position="last")
        for a in part.itertuples():
            start, due = a.start, a.due
            if start is None and due is None:
                continue
            start = start or due
            due = due or start
            # a done action shows when it really ended; the others their planned window
            end = a.done_at if a.status == "done" and a.done_at else due
            start = min(start, end)
            words = a.status + (f" {a.percent}%" if a.status in ("in progress", "blocked") and a.percent else "")
            if a.overdue:
                words = "⚠ overdue · " + words
            when = f"{start} → done {end} (due {due})" if a.status == "done" else f"{start} → due {due}"
            rows.append({"row": f"{a.id} {_short(a.title, 48)}", "start": start, "finish": end + timedelta(days=1),
                         "legend": a.status, "text": words, "overdue": bool(a.overdue),
                         "hover": f"<b>{a.id}</b> {chart_text(a.title)}<br>{chart_text(ph.name)}<br>"
                                  f"Owner: {chart_text(a.owner) or '(no owner)'}"
                                  f"<br>{when}<br>{words}<br>Priority: {a.priority}"})
    df = pd.DataFrame(rows, columns=["row", "start", "finish", "legend", "text", "overdue", "hover"])
    if df.empty:
        return _empty(240, "Roadmap", "No phases yet")
    df["start"], df["finish"] = pd.to_datetime(df["start"]), pd.to_datetime(df["finish"])
    df["ms"] = (df["finish"] - df["start"]).dt.total_seconds().mul(1000).astype("int64")
    order = list(dict.fromkeys(df["row"]))
    # One horizontal bar trace per legend entry (bars from `base` lasting `x` milliseconds on a
    # date axis), built directly: plotly.express takes several times longer for the same figure.
    traces = []
    for legend in ["phase", *STATUS_COLOURS]:
        part = df[df["legend"] == legend]
        if part.empty:
            continue
        flags = part["overdue"].tolist()
        traces.append(go.Bar(
            base=part["start"].dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(), x=part["ms"].tolist(),
            y=part["row"].tolist(), orientation="h", text=part["text"].tolist(),
            customdata=[[h, f] for h, f in zip(part["hover"], flags)], hovertemplate="%{customdata[0]}<extra></extra>",
            name="Phase (planned window)" if legend == "phase" else legend, legendgroup=legend, showlegend=True,
            marker=dict(color=PHASE_COLOUR if legend == "phase" else STATUS_COLOURS[legend],
                        line=dict(width=[3 if f else 0.5 for f in flags],
                                  color=[OVERDUE if f else "#6b7785" for f in flags])),
            textposition="inside" if legend == "phase" else "outside", insidetextanchor="start",
            textfont=dict(size=12, color="#1b2430"), cliponaxis=False))
    # A tall chart: dates on top, with the today/target labels and the legend above them.
    height = max(340, 140 + 28 * len(df))
    plot_px = height - 140 - 30
    above = lambda px: 1 + px / plot_px  # noqa: E731 - paper y this many pixels above the plot
    lines = [_vline(today, "Today", "#1b2430", "dot", above(26))]
    if target:
        near = abs((target - today).days) <= 60    # lift the label so it does not sit on "Today"
        lines.append(_vline(target, f"Certificate target {target.isoformat()}", TARGET, "solid",
                            above(44 if near else 26)))
    return go.Figure(traces, _layout(
        height, "Roadmap by phase", barmode="overlay", bargap=0.25, margin=dict(t=140, b=30),
        title=dict(y=1 - 12 / height, yanchor="top"), legend=dict(tracegroupgap=0, y=above(62), yanchor="bottom"),
        xaxis=dict(type="date", title=None, gridcolor=GRID, showgrid=True, side="top", tickformat="%b %Y"),
        # the first row on top: categories run bottom-up on a horizontal bar chart
        yaxis=dict(categoryorder="array", categoryarray=order[::-1], title=None, automargin=True,
                   tickfont=dict(size=12)),
        shapes=[shape for shape, _ in lines], annotations=[label for _, label in lines]))


def burnup(series: pd.DataFrame, today: date, target: date | None, ready: date | None, earned: float) -> go.Figure:
    """Cumulative planned and done effort (forecast.burnup output), the scope, and the forecast
    from today's earned effort to the forecast ready date. Lines differ in dash as well as colour
    and each is named at its end."""
    title = "Burn-up: planned against done effort"
    if series.empty:
        return _empty(300, title, "No actions yet")
    x = pd.to_datetime(series["day"])
    total = float(series["total"].iloc[0])
    done = series[series["done"].notna()]
    traces = [
        go.Scatter(x=x, y=series["total"], name=f"Scope ({total:g} effort days)", mode="lines",
                   line=dict(color=GREY, dash="dot", width=2), hovertemplate="Scope %{y:.0f} d<extra></extra>"),
        go.Scatter(x=x, y=series["planned"], name="Planned", mode="lines",
                   line=dict(color=PRIMARY, dash="dash", width=2.5),
                   hovertemplate="%{x|%Y-%m-%d}: planned %{y:.0f} d<extra></extra>"),
        go.Scatter(x=pd.to_datetime(done["day"]), y=done["done"], name="Done", mode="lines+markers",
                   line=dict(color=DONE, width=3), marker=dict(size=6),
                   hovertemplate="%{x|%Y-%m-%d}: done %{y:.0f} d<extra></extra>")]
    last = x.max()
    if ready is not None:
        traces.append(go.Scatter(x=[pd.Timestamp(today), pd.Timestamp(ready)], y=[earned, total],
                                 name=f"Forecast at this pace (ready {ready.isoformat()})", mode="lines+markers",
                                 line=dict(color=TARGET, dash="dashdot", width=2), marker=dict(symbol="diamond", size=8),
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:.0f} d<extra></extra>"))
        last = max(last, pd.Timestamp(ready))
    lines = [_vline(today, f"Today: {round(earned, 1):g} of {round(total, 1):g} effort days earned", "#1b2430", "dot")]
    if target:
        lines.append(_vline(target, f"Certificate target {target.isoformat()}", TARGET, "solid", 0.92,
                            anchor="right"))
        last = max(last, pd.Timestamp(target))
    return go.Figure(traces, _layout(
        460, title, margin=dict(t=110), legend=dict(y=1.04),
        xaxis=dict(gridcolor=GRID, range=[x.min() - pd.Timedelta(days=3), last + pd.Timedelta(days=10)]),
        yaxis=dict(gridcolor=GRID, rangemode="tozero", title=dict(text="effort days (cumulative)", standoff=12),
                   automargin=True),
        shapes=[shape for shape, _ in lines], annotations=[label for _, label in lines]))


def phase_progress(progress: pd.DataFrame) -> go.Figure:
    """Horizontal bars of effort-weighted progress per phase (0-100%) with a diamond for what
    was planned by today, and a column of labels right of 100%: '62% done · planned 80% ·
    3 of 7 actions done · 1 overdue' (or 'no actions')."""
    p = progress.iloc[::-1].assign(name=lambda f: f["name"].map(chart_text))     # phase names as typed
    values = [0 if pd.isna(v) else v for v in p["progress_pct"]]
    has = p["planned_pct"].notna()
    text = ["no actions" if pd.isna(v) else
            f"<b>{v:.0f}% done</b> · planned {pl:.0f}% · {d} of {n} action{'s' if n != 1 else ''} done"
            + (f" · {o} overdue" if o else "") + (f" · {b} blocked" if b else "")
            for v, pl, d, n, o, b in zip(p["progress_pct"], p["planned_pct"], p["done"], p["actions"], p["overdue"],
                                         p["blocked"])]
    traces = [
        go.Bar(x=values, y=p["name"], orientation="h", marker_color=PRIMARY, name="Done (effort-weighted)",
               hovertemplate="%{y}: %{x:.0f}% done<extra></extra>"),
        go.Scatter(x=p.loc[has, "planned_pct"], y=p.loc[has, "name"], mode="markers", name="Planned by today",
                   marker=dict(symbol="diamond", size=13, color=TARGET, line=dict(color="white", width=1)),
                   hovertemplate="%{y}: planned %{x:.0f}% by today<extra></extra>"),
        go.Scatter(x=[103] * len(p), y=p["name"], mode="text", text=text, textposition="middle right",
                   showlegend=False, hoverinfo="skip", cliponaxis=False)]
    return go.Figure(traces, _layout(
        120 + 40 * len(p), "Progress per phase (weighted by effort)",
        xaxis=dict(range=[0, 240], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", gridcolor=GRID),
        yaxis=dict(automargin=True),
        shapes=[dict(type="line", x0=100, x1=100, y0=0, y1=1, yref="paper", line=dict(color=GREY, width=1))]))


def workload(load: pd.DataFrame, top: int = 15) -> go.Figure:
    """Stacked bars of the effort days left per owner by status (forecast.workload output, the
    heaviest first, at most `top` owners), each labelled with its total and overdue count."""
    w = load.head(top).iloc[::-1].assign(owner=lambda f: f["owner"].map(chart_text))    # names as typed
    traces = [go.Bar(x=w[status], y=w["owner"], orientation="h", name=status, marker_color=STATUS_COLOURS[status],
                     hovertemplate="%{y}: %{x:.0f} d " + status + "<extra></extra>")
              for status in ("to do", "in progress", "blocked")]
    labels = [f"{r:.0f} d left · {o} open" + (f" · {d} overdue" if d else "")
              for r, o, d in zip(w["remaining"], w["open"], w["overdue"])]
    traces.append(go.Scatter(x=w["remaining"], y=w["owner"], mode="text", text=labels, textposition="middle right",
                             showlegend=False, hoverinfo="skip", cliponaxis=False))
    top_x = float(w["remaining"].max()) if len(w) else 1.0
    return go.Figure(traces, _layout(
        110 + 36 * max(1, len(w)), "Workload per owner (effort days left)",
        barmode="stack", legend=dict(traceorder="normal"),
        xaxis=dict(range=[0, top_x * 1.6 + 1], gridcolor=GRID, title="effort days left"),
        yaxis=dict(automargin=True)))
