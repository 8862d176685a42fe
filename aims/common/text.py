"""User text shown as typed, outside Markdown: bidirectional control characters made visible,
and text made literal for Plotly, whose titles, tick labels and hover texts read a little HTML
(<b>, <br>, <a href=...>, <span style=...>) and character entities. Markdown escaping, for
what Streamlit renders as Markdown, is aims.ui.chrome.plain, which builds on `visible_controls`."""
from __future__ import annotations

import html
import math
import re

# Embeddings and overrides (U+202A-202E), isolates (U+2066-2069) and the marks (U+200E, U+200F,
# U+061C): each one reorders the text around it, so 'invoice\u202Efdp.exe' would read as
# 'invoiceexe.pdf' and a name could turn the rest of a sentence round.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def as_text(value) -> str:
    """str(value), with None and NaN (and pandas' missing values) as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def visible_controls(value) -> str:
    """The text with every bidirectional control character shown as a visible marker such as
    '[U+202E]' instead of silently reordering what is displayed around it."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", as_text(value))


def chart_text(value) -> str:
    """User text for a Plotly title, label or hover text: '&', '<', '>' and '$' (which would start
    a formula) as entities, which Plotly shows as typed, and bidirectional controls made visible."""
    return html.escape(visible_controls(value), quote=False).replace("$", "&#36;")
