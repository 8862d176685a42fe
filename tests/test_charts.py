"""Chart builders of the overview and inventory: words and numbers on every mark, and layouts
made in one go."""
import math

import pandas as pd

from aims.assessment import charts
from aims.common import chart_style

GROUPS = pd.DataFrame({
    "group": ["4", "5", "A.2"], "group_title": ["Context of the organisation", "Leadership", "A.2 Policies related to AI"],
    "avg_maturity": [2.5, math.nan, 4.0], "avg_target": [3.0, 3.0, 3.0],
    "readiness_pct": [50.0, math.nan, 100.0], "at_target": [2, 0, 3], "applicable": [4, 0, 3]})


def test_merged_updates_nested_dicts_and_replaces_other_values():
    base = {"height": 300, "margin": {"l": 40, "r": 30}, "legend": {"x": 0}}
    out = chart_style.merged(base, {"margin": {"l": 60}, "height": 500, "title": "T"})
    assert out == {"height": 500, "margin": {"l": 60, "r": 30}, "legend": {"x": 0}, "title": "T"}
    assert base["margin"] == {"l": 40, "r": 30}            # the base is not changed


def test_radar_marks_groups_with_nothing_assessed_and_closes_its_polygons():
    fig = charts.maturity_radar(GROUPS, "Maturity")
    target, current = fig.data
    assert list(current.theta) == ["Clause 4", "Clause 5<br>(not assessed)", "A.2", "Clause 4"]
    assert list(current.r) == [2.5, 0, 4.0, 2.5] and list(target.r) == [3.0, 3.0, 3.0, 3.0]
    assert fig.layout.height == 440 and fig.layout.margin.l == 110 and fig.layout.legend.y == -0.08
    assert fig.layout.title.text == "Maturity"
    assert charts.maturity_radar(GROUPS.iloc[0:0], "Empty").data == ()


def test_readiness_bars_show_percent_and_counts_and_a_dash_when_nothing_applies():
    fig = charts.readiness_bars(GROUPS, "Readiness")
    bar = fig.data[0]
    assert list(bar.y) == ["A.2 Policies related to AI", "Leadership", "Context of the organisation"]  # first on top
    assert list(bar.text) == ["100%  (3 of 3)", "-  (0 of 0)", "50%  (2 of 4)"]
    assert list(bar.x) == [100.0, 0, 50.0]
    assert list(bar.textposition) == ["inside", "outside", "outside"]   # a full bar keeps its label on the chart
    assert fig.layout.height == 60 + 34 * 3 and fig.layout.showlegend is False


def test_count_bars_keep_empty_categories_in_their_place():
    fig = charts.count_bars(pd.Series(["high-risk", "minimal", "high-risk"]), ["prohibited", "high-risk", "minimal"],
                            "By category")
    bar = fig.data[0]
    assert list(bar.y) == ["minimal", "high-risk", "prohibited"] and list(bar.x) == [1, 2, 0]
    assert fig.layout.xaxis.dtick == 1 and fig.layout.font.family == chart_style.FONT["family"]
