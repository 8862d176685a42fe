"""Legibility on a projector (1440 px): on every page and tab of the demo, every table shows
empty cells as empty (never 'None'), and every column given a fixed width is wide enough for
its heading and, for columns of short values (choices, dates, numbers, short text), for its
longest value. Columns left to size themselves fit their content by construction.

Widths are estimated from the grid's font (14 px Source Sans: at most 7.5 px a character on
average, plus cell padding and the pencil icon of an editable column), which is how a heading
like 'Clause / obje...' or a value like 'not assessec' was cut before."""
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

CHAR_PX, PADDING_PX, EDIT_ICON_PX = 7.0, 18, 22
NAMED = {"small": 75, "medium": 200, "large": 400}
SHORT_TYPES = {"selectbox", "checkbox", "date", "datetime", "number", "progress"}
SHORT_TEXT = 24      # text columns whose values are this short are cut when they do not fit

PAGES = ["pages/overview.py", "pages/progress.py", "pages/gap-analysis.py", "pages/soa.py", "pages/ai-systems.py", "pages/ai-act.py",
         "pages/impact.py", "pages/risks.py", "pages/roadmap.py", "pages/governance.py", "pages/documents.py",
         "pages/reports.py", "pages/workspaces.py"]


def needed(text: str, editable: bool = False) -> float:
    return CHAR_PX * len(text) + PADDING_PX + (EDIT_ICON_PX if editable else 0)


def problems(frame_proto, value: pd.DataFrame) -> list[str]:
    """What a 1440 px screen would cut or show as 'None' in one table."""
    out = []
    if not frame_proto.HasField("placeholder") or frame_proto.placeholder != "":
        shown = frame_proto.placeholder if frame_proto.HasField("placeholder") else "None"
        out.append(f"empty cells show {shown!r}")
    config = json.loads(frame_proto.columns or "{}")
    editable = frame_proto.editing_mode != 0
    for name, col in config.items():
        if col.get("hidden") or name.startswith("_"):
            continue
        width = NAMED.get(col.get("width"), col.get("width"))
        if not isinstance(width, (int, float)):
            continue                                        # sizes itself to the content
        label = col.get("label") or name
        if needed(label, editable and not col.get("disabled")) > width:
            out.append(f"heading {label!r} is cut at {width} px")
        kind = (col.get("type_config") or {}).get("type", "text")
        if name in value.columns and kind in SHORT_TYPES | {"text"}:
            shown = value[name].dropna().map(str)
            if kind == "date":                              # a date column shows the day only, whatever the dtype
                shown = value[name].dropna().map(lambda v: pd.Timestamp(v).date().isoformat())
            longest = max(shown, key=len, default="")
            if kind == "text" and len(longest) > SHORT_TEXT:
                continue                                    # long text may wrap or be opened
            if needed(longest, kind == "selectbox") > width:
                out.append(f"value {longest!r} of {label!r} is cut at {width} px")
    return out


def tables(at) -> list[tuple]:
    return [(el.proto, el.value) for el in at.dataframe]


@pytest.mark.parametrize("page", PAGES)
def test_every_table_is_legible_at_1440_px(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    found = [f"{page}, table {i + 1}: {p}" for i, (proto, value) in enumerate(tables(app))
             for p in problems(proto, value)]
    # the other tabs of the page are drawn too (Streamlit runs every tab's code), so one run sees them
    assert not found, "\n".join(found)


def test_the_check_finds_a_cut_heading_and_none_cells():
    """The check itself: a 60 px 'Clause / objective' column and the default placeholder fail."""
    script = """
import pandas as pd, streamlit as st
st.dataframe(pd.DataFrame({"Clause / objective": ["4 Context of the organization"], "Status": [None]}),
             column_config={"Clause / objective": st.column_config.TextColumn(width=60)})
"""
    at = AppTest.from_string(script).run()
    found = problems(*tables(at)[0])
    assert "empty cells show 'None'" in found
    assert "heading 'Clause / objective' is cut at 60 px" in found
