"""The heatmap builder: counts in every cell, band names, an appetite boundary and clickable cells."""
import pandas as pd
import pytest

from aims.risk import charts as risk_charts
from aims.risk import scoring as rs

CRIT = rs.defaults()


def frame(rows):
    df = pd.DataFrame(rows, columns=["id", "inherent_likelihood", "inherent_impact", "residual_likelihood",
                                     "residual_impact"])
    for c in df.columns[1:]:
        df[c] = df[c].astype("Int64")
    return df


DF = frame([("R-001", 4, 3, 2, 3), ("R-002", 4, 3, None, None), ("R-003", 1, 5, 1, 2)])


def annotations(fig):
    """{(likelihood, impact): annotation text}."""
    return {(a.y, a.x): a.text for a in fig.layout.annotations}


def test_every_cell_shows_its_count_and_band_name():
    fig = risk_charts.heatmap(DF, CRIT, "inherent")
    ann = annotations(fig)
    assert len(ann) == 25
    assert ann[(4, 3)].startswith("<b>2</b>") and "High" in ann[(4, 3)]
    assert ann[(1, 5)].startswith("<b>1</b>") and "Medium" in ann[(1, 5)]
    assert ann[(5, 5)].startswith("<b>0</b>") and "Critical" in ann[(5, 5)]


def test_residual_map_counts_only_rated_risks_and_current_uses_the_current_rating():
    assert annotations(risk_charts.heatmap(DF, CRIT, "residual"))[(2, 3)].startswith("<b>1</b>")
    # R-001's treatment is implemented (current = residual 2 x 3); R-003's is not (current = inherent 1 x 5)
    df = DF.assign(current_likelihood=pd.array([2, 4, 1], dtype="Int64"),
                   current_impact=pd.array([3, 3, 5], dtype="Int64"))
    current = annotations(risk_charts.heatmap(df, CRIT, "current"))
    assert current[(2, 3)].startswith("<b>1</b>") and current[(4, 3)].startswith("<b>1</b>")
    assert current[(1, 5)].startswith("<b>1</b>") and current[(1, 2)].startswith("<b>0</b>")


def test_cell_colours_follow_the_bands():
    heat = risk_charts.heatmap(DF, CRIT).data[0]
    assert heat.z[0][0] == 0 and heat.z[2][2] == 1 and heat.z[3][2] == 2 and heat.z[4][4] == 3  # z[lik-1][imp-1]


def test_the_legend_names_the_bands_with_their_scores_and_the_appetite():
    names = [t.name for t in risk_charts.heatmap(DF, CRIT).data if t.showlegend is not False and t.name]
    assert names[:4] == ["Low (1-4)", "Medium (5-9)", "High (10-15)", "Critical (16-25)"]
    assert "Appetite boundary: score above 9" in names


def test_the_appetite_boundary_separates_9_from_10():
    edges = risk_charts._appetite_edges(CRIT)
    # (likelihood 2, impact 5) = 10 is above; its left neighbour (2, 4) = 8 is not -> a vertical edge at x 4.5
    assert (4.5, 1.5, 4.5, 2.5) in edges
    # (3, 4) = 12 is above; the cell below (2, 4) = 8 is not -> a horizontal edge at y 2.5
    assert (3.5, 2.5, 4.5, 2.5) in edges
    # (3, 3) = 9 and its left neighbour (3, 2) = 6 are both within appetite: no edge between them,
    # but its right neighbour (3, 4) = 12 is above: an edge at x 3.5
    assert (2.5, 2.5, 2.5, 3.5) not in edges and (3.5, 2.5, 3.5, 3.5) in edges
    assert len(edges) == 8  # a staircase: 4 vertical and 4 horizontal segments


def test_each_cell_is_clickable_and_carries_its_coordinates():
    cells = risk_charts.heatmap(DF, CRIT).data[-1]
    assert len(cells.x) == 25 and list(cells.customdata[0]) == [1, 1, 0]
    hit = next(i for i, c in enumerate(cells.customdata) if list(c[:2]) == [4, 3])
    assert "2 risks</b>: R-001, R-002" in cells.text[hit] and "above appetite" in cells.text[hit]


def test_the_selected_cell_is_outlined():
    fig = risk_charts.heatmap(DF, CRIT, selected=(4, 3))
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 1 and rects[0].x0 < 3 < rects[0].x1 and rects[0].y0 < 4 < rects[0].y1


def test_the_score_preview_shows_scores():
    ann = annotations(risk_charts.heatmap(DF.iloc[0:0], CRIT, compact=True, show="score"))
    assert ann[(4, 5)] == "<b>20</b>" and ann[(1, 1)] == "<b>1</b>"


@pytest.mark.parametrize("state, cell", [
    (None, None),
    ({"selection": {"points": [], "point_indices": [], "box": [], "lasso": []}}, None),
    ({"selection": {"points": [{"x": 3, "y": 4, "customdata": [4, 3, 2]}]}}, (4, 3)),
    ({"points": [{"customdata": [5, 1, 0]}]}, (5, 1)),
    ({"selection": {"points": [{"x": None, "y": None}]}}, None),
    ({"selection": {"points": [{"customdata": [9, 9, 0]}]}}, None),
])
def test_reading_the_clicked_cell_back(state, cell):
    assert risk_charts.cell_from_selection(state) == cell


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError):
        risk_charts.heatmap(DF, CRIT, "target")
