"""The house style every chart builder shares: colours, font and the layout merge."""
from __future__ import annotations

PRIMARY = "#1f4e79"
TARGET = "#e07b00"
GREY = "#9aa5b1"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1b2430")


def merged(base: dict, extra: dict) -> dict:
    """A layout: `base` with `extra` keys set; a dict value updates the base dict of its key.

    Chart builders make a figure in one go from its traces and such a layout: each later
    update_layout or add_trace call on a Plotly figure is validated again, which is slow."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
