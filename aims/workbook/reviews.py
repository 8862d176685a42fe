"""Management Reviews sheet: the management reviews (ISO/IEC 42001 9.3), one row per review, with
its date, status, whether top management was present, how many inputs hold text, its outputs and
the roadmap actions it decided.

Editable: the attendees and the outputs (decisions, improvement opportunities, changes to the
AIMS, resources), to correct the minutes; saved through aims.audit.review.update with its rules
(a held review records its attendees). Planning a review, compiling its inputs, marking it held
(with top management present or not) and adding its actions happen on the Management review
page, so the date, status and top management columns are read-only here, as are the inputs and
actions.
"""
from __future__ import annotations

from aims.audit import review as reviews

from .engine import Column
from .registry import Context, Sheet

COLUMNS = (
    Column("ID", "id", editable=False, width=9, note="MR-001 ... Reviews are planned and held on the Management "
           "review page."),
    Column("Date", "held_on", "date", editable=False, width=12, note="The planned date, or the day it was held."),
    Column("Status", "status", editable=False, width=9),
    Column("Top management present", "top_management_present", "bool", editable=False, width=13),
    Column("State", "state", "long", editable=False, width=30,
           note="A review held without top management does not count as the management review (9.3)."),
    Column("Attendees", "attendees", "long", width=30, limit=reviews.ATTENDEES_TEXT),
    Column("Inputs written", "inputs_label", editable=False, width=11,
           note="Inputs (9.3.2) with text: compiled by the app and edited on the Management review page."),
    Column("Decisions", "decisions", "long", width=34),
    Column("Improvement opportunities", "improvements", "long", width=30),
    Column("Changes to the AIMS", "changes", "long", width=30),
    Column("Resources", "resources", "long", width=26),
    Column("Actions", "actions_label", "long", editable=False, width=34,
           note="The roadmap actions the review decided, with their status (Roadmap sheet)."),
)


def rows(ctx: Context) -> list[dict]:
    def load_rows():
        acts = reviews.review_actions(ctx.con, ctx.ws_id, today=ctx.today)
        decided: dict[str, list[str]] = {}
        for r in acts.to_dict("records"):
            decided.setdefault(r["review_id"], []).append(f"{r['id']} {r['title']} ({r['status']})")
        out = []
        for r in reviews.listing(ctx.con, ctx.ws_id, ctx.today).to_dict("records"):
            r["inputs_label"] = f"{r['inputs_written']} of {r['inputs']}"
            r["actions_label"] = "\n".join(decided.get(r["id"], []))
            out.append(r)
        return out
    return ctx.cached("reviews", load_rows)


def change(con, ctx: Context, key: str, fields: dict, values: dict) -> None:
    reviews.update(con, ctx.ws_id, key, dict(fields), today=ctx.today)


def kpis(ctx: Context) -> list[tuple]:
    import pandas as pd

    listing = pd.DataFrame(rows(ctx), columns=reviews.LISTING_COLUMNS)
    s = reviews.summary(listing, ctx.today)
    note = (f"Held with top management present (9.3); last {s['last_held'] or 'none yet'}, next planned "
            f"{s['next_planned'] or 'none'}; {s['actions_open']} of {s['actions']} review actions open.")
    if s["held_without_top"]:
        note += f" {s['held_without_top']} held without top management (not counted)."
    return [("Management reviews held", s["held"], note)]


def sheet() -> Sheet:
    return Sheet("Management Reviews", "Management reviews: date, top management, attendees, outputs and the "
                 "actions decided.", COLUMNS, rows=rows, key="id", entity="review", change=change, kpis=kpis)
