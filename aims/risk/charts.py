"""The 5x5 risk heatmap: a pure builder from register rows to a Plotly figure.

Colour is never the only signal: every cell shows its count and its band name, the legend names
the bands with their score ranges, and the risk appetite is a thick boundary line (also in the
legend). A transparent marker sits on every cell so a click selects it (Plotly heatmaps are not
selectable themselves); `cell_from_selection` reads the clicked cell back from the selection.
"""
from __future__ import annotations

import plotly.graph_objects as go

from aims.common.chart_style import FONT
from aims.common.text import chart_text
from aims.common.validate import blank
from aims.risk import scoring as rs

BAND_COLOURS = {"low": "#a8d5a2", "medium": "#fde38a", "high": "#f59c4c", "critical": "#c9302c"}
BAND_TEXT = {"low": "#1b2430", "medium": "#1b2430", "high": "#1b2430", "critical": "#ffffff"}
APPETITE_LINE = "#1b2430"
SELECTED_LINE = "#1f4e79"
WHICH = ("inherent", "residual", "current")


def cell_ratings(df, which: str) -> tuple[list, list]:
    """(likelihoods, impacts) of the rows for 'inherent', 'residual' (the planned residual;
    unrated rows give NA) or 'current' (the residual where the treatment is implemented, else the
    inherent: the register's current_likelihood and current_impact)."""
    if which not in WHICH:
        raise ValueError(f"which must be one of {WHICH}")
    return list(df[f"{which}_likelihood"]), list(df[f"{which}_impact"])


def ids_by_cell(df, which: str) -> dict[tuple[int, int], list[str]]:
    """{(likelihood, impact): [risk IDs]} for the rated rows."""
    out: dict[tuple[int, int], list[str]] = {}
    for rid, lik, imp in zip(df["id"], *cell_ratings(df, which)):
        if not blank(lik) and not blank(imp):
            out.setdefault((int(lik), int(imp)), []).append(rid)
    return out


def _appetite_edges(crit: dict) -> list[tuple[float, float, float, float]]:
    """Line segments separating cells within appetite from cells above it (cell centres are at
    integers, edges at .5)."""
    above = {(lik, imp) for lik in rs.SCALE for imp in rs.SCALE if lik * imp > crit["appetite"]}
    segs = []
    for lik, imp in above:
        if (lik, imp - 1) not in above and imp > 1:      # left neighbour within appetite
            segs.append((imp - 0.5, lik - 0.5, imp - 0.5, lik + 0.5))
        if (lik - 1, imp) not in above and lik > 1:      # lower neighbour within appetite
            segs.append((imp - 0.5, lik - 0.5, imp + 0.5, lik - 0.5))
    return sorted(segs)


def heatmap(df, crit: dict, which: str = "inherent", *, title: str = "", selected: tuple[int, int] | None = None,
            compact: bool = False, show: str = "count") -> go.Figure:
    """A 5x5 likelihood (up) x impact (right) matrix of the rows of `df` (risks.table output).

    Cells are coloured by band and show the count (show='score': the score, for a criteria
    preview) and, unless compact, the band name; the risk appetite is drawn as a boundary;
    `selected` (likelihood, impact) gets an outline. Each cell's transparent marker carries
    customdata [likelihood, impact, count].
    """
    counts = rs.cell_counts(*cell_ratings(df, which))
    ids = ids_by_cell(df, which)
    # the workspace's own scale labels: shown as typed (see chart_text)
    lik_labels, imp_labels = ([chart_text(v) for v in crit[f"{s}_labels"]] for s in ("likelihood", "impact"))
    bands = [[rs.LEVELS.index(rs.level(lik * imp, crit)) for imp in rs.SCALE] for lik in rs.SCALE]
    scale = []
    for i, lvl in enumerate(rs.LEVELS):  # stepped colour scale: one flat colour per band index
        scale += [[i / 4, BAND_COLOURS[lvl]], [(i + 1) / 4, BAND_COLOURS[lvl]]]
    # traces and layout as plain dicts, made into a figure in one go (each add_trace or
    # update_layout call on a figure is validated again, which is what made this slow)
    traces = [dict(type="heatmap", z=bands, x=list(rs.SCALE), y=list(rs.SCALE), zmin=-0.5, zmax=3.5,
                   colorscale=scale, showscale=False, xgap=3, ygap=3, hoverinfo="skip")]
    for lvl, lo, hi in rs.band_ranges(crit):
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=f"{lvl.capitalize()} ({lo}-{hi})",
                           marker=dict(symbol="square", size=15, color=BAND_COLOURS[lvl],
                                       line=dict(color="#6b7785", width=1))))
    traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", line=dict(color=APPETITE_LINE, width=4),
                       name=f"Appetite boundary: score above {crit['appetite']}"))
    xs, ys, custom, hover = [], [], [], []
    annotations, shapes = [], []
    for lik in rs.SCALE:
        for imp in rs.SCALE:
            n, sc = counts[lik - 1][imp - 1], lik * imp
            lvl = rs.level(sc, crit)
            listed = ids.get((lik, imp), [])
            shown = ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")
            xs.append(imp)
            ys.append(lik)
            custom.append([lik, imp, n])
            hover.append(f"Likelihood {lik} {lik_labels[lik - 1]} x impact {imp} {imp_labels[imp - 1]}<br>"
                         f"Score {sc}: {lvl}" + (" (above appetite)" if sc > crit["appetite"] else "")
                         + f"<br><b>{n} risk{'s' if n != 1 else ''}</b>" + (f": {shown}" if shown else "")
                         + ("<br>Click to list them" if n and not compact else ""))
            big = 13 if compact else 22
            value = sc if show == "score" else n
            label = f"<b>{value}</b>" if compact else \
                f"<b>{value}</b><br><span style='font-size:11px'>{lvl.capitalize()}</span>"
            annotations.append(dict(x=imp, y=lik, xref="x", yref="y", text=label, showarrow=False,
                                    font=dict(size=big, color=BAND_TEXT[lvl], family=FONT["family"]),
                                    opacity=1.0 if (n or show == "score") else 0.55))
    traces.append(dict(
        type="scatter", x=xs, y=ys, mode="markers", customdata=custom, text=hover, name="cells", showlegend=False,
        hovertemplate="%{text}<extra></extra>",
        marker=dict(symbol="square", size=44 if compact else 70, color="rgba(0,0,0,0)"),
        selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1))))
    for x0, y0, x1, y1 in _appetite_edges(crit):
        shapes.append(dict(type="line", xref="x", yref="y", x0=x0, y0=y0, x1=x1, y1=y1,
                           line=dict(color=APPETITE_LINE, width=4)))
    if selected:
        lik, imp = selected
        shapes.append(dict(type="rect", xref="x", yref="y", x0=imp - 0.47, x1=imp + 0.47, y0=lik - 0.47,
                           y1=lik + 0.47, line=dict(color=SELECTED_LINE, width=5)))
    tick = lambda labels: [f"{n} {t}" for n, t in zip(rs.SCALE, labels)]  # noqa: E731
    axis = dict(range=[0.5, 5.5], tickvals=list(rs.SCALE), showgrid=False, zeroline=False, fixedrange=True,
                automargin=True, ticks="")
    if compact:
        axis["tickfont"] = dict(size=10)
    return go.Figure(traces, dict(
        annotations=annotations, shapes=shapes,
        title=dict(text=title, x=0, font=dict(size=14 if compact else 16)),
        xaxis=dict(axis, ticktext=tick(imp_labels), title=dict(text="Impact", standoff=6)),
        yaxis=dict(axis, ticktext=tick(lik_labels), title=dict(text="Likelihood", standoff=6)),
        height=330 if compact else 500, font=FONT, paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=10, r=10, t=40 if title else 10, b=10), hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.14 if compact else -0.11, x=0, itemclick=False,
                    itemdoubleclick=False, font=dict(size=11 if compact else 12), entrywidth=0,
                    tracegroupgap=0),
        dragmode=False))


def cell_from_selection(state) -> tuple[int, int] | None:
    """The (likelihood, impact) clicked in a heatmap, from st.plotly_chart's returned state or
    its `selection` (dict-like, points[*].customdata = [likelihood, impact, count]); None when
    nothing (or something other than a cell) is selected."""
    if not state:
        return None
    selection = state.get("selection", state) if hasattr(state, "get") else None
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if data is not None and len(data) >= 2 and all(isinstance(v, (int, float)) for v in data[:2]):
            lik, imp = int(data[0]), int(data[1])
            if lik in rs.SCALE and imp in rs.SCALE:
                return lik, imp
    return None
