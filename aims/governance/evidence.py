"""The evidence request list for the client: per owner, what to provide by when.

Two sources:
- documents: every required document in the register that is missing (provide it) or still a
  draft (provide the approved version), and every required record that is missing (provide it)
  or partial (provide the complete record);
- requirements: applicable requirements whose gap-analysis status is 'gap' or 'not assessed'
  and whose evidence strength is 'none' (from assessments.table + scoring.with_status), unless a
  document it requires is already requested (providing that document is the evidence).
A document without its own owner or due date takes them from its first linked requirement in the
gap analysis, so every request has the best-known owner; '(no owner)' when there is none.
"""
from __future__ import annotations

import io
from datetime import date

import pandas as pd

from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.catalog.standard import Catalog
from aims.common.validate import ValidationError
from aims.governance import documents
from aims.store import workspaces

NO_OWNER = "(no owner)"
COLUMNS = ["owner", "source", "ref", "item", "request", "due", "overdue", "status"]


def requests(con, workspace_id: int, catalog: Catalog, today: date | None = None) -> pd.DataFrame:
    """All open evidence requests of a workspace, sorted by owner ('(no owner)' last), due date
    (undated last), documents before requirements, then reference.

    Columns: owner, source ('document' or 'requirement'), ref (document requirements or req_id),
    item (document name or requirement title), request (what to provide), due (date or None),
    overdue (bool), status (document status or gap-analysis status).
    """
    today = today or date.today()
    ws = workspaces.get(con, workspace_id)
    if ws is None:
        raise ValidationError(f"There is no workspace with id {workspace_id}.")
    table = scoring.with_status(assessments.table(con, workspace_id, catalog, ws["default_target"]))
    by_req = table.set_index("req_id")
    rows = []
    covered: set[str] = set()  # requirements whose evidence is a requested document already
    reg = documents.register(con, workspace_id, catalog, today)
    for d in reg[reg["required"] & reg["status"].isin(["missing", "draft", "partial"])].itertuples(index=False):
        linked = [r for r in d.req_ids if r in by_req.index and by_req.at[r, "applicable"]]
        owner = d.owner or next((by_req.at[r, "owner"] for r in linked if by_req.at[r, "owner"]), "")
        due = d.due or next((by_req.at[r, "due"] for r in linked if by_req.at[r, "due"] is not None), None)
        if d.status == "missing":
            what = f"Provide the {d.kind} (none on file yet)"
        elif d.status == "partial":
            what = "Provide the complete record (part of it on file" + (f", dated {d.record_date}" if d.record_date
                                                                       else "") + ")"
        else:
            what = "Provide the approved version (" + (f"draft {d.version}" if d.version else "a draft") + " on file)"
        covered.update(d.req_ids)
        rows.append({"owner": owner, "source": "document", "ref": d.requirements, "item": d.document,
                     "request": what, "due": due, "status": d.status})
    gaps = table[table["status"].isin(["gap", "not assessed"]) & (table["evidence_strength"] == "none")
                 & ~table["req_id"].isin(covered)]
    for g in gaps.itertuples(index=False):
        req = catalog.requirements[g.req_id]
        example = "; ".join(req.evidence[:2])
        rows.append({"owner": g.owner, "source": "requirement", "ref": g.req_id, "item": g.title,
                     "request": "Provide evidence that it is in place" + (f", for example: {example}" if example else ""),
                     "due": g.due, "status": g.status})
    df = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "overdue"])
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    df["owner"] = df["owner"].where(df["owner"].astype(bool), NO_OWNER)
    df["due"] = [None if d is None or pd.isna(d) else d for d in df["due"]]
    df["overdue"] = [bool(d is not None and d < today) for d in df["due"]]
    order = {rid: i for i, rid in enumerate(catalog.requirements)}
    df["_o"] = df["owner"] == NO_OWNER
    df["_d"] = [d if d is not None else date.max for d in df["due"]]
    df["_s"] = df["source"] != "document"
    df["_r"] = [order.get(str(r).split(",")[0], 10**6) for r in df["ref"]]
    df = df.sort_values(["_o", "owner", "_d", "_s", "_r"], kind="stable")
    return df[COLUMNS].reset_index(drop=True)


def by_owner(req: pd.DataFrame) -> pd.DataFrame:
    """One row per owner (pure): owner, items, documents, requirements, overdue, next_due
    (earliest due date or None), in the order owners appear in `req`."""
    cols = ["owner", "items", "documents", "requirements", "overdue", "next_due"]
    if req.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for owner, part in req.groupby("owner", sort=False):
        dues = [d for d in part["due"] if d is not None]
        rows.append({"owner": owner, "items": len(part), "documents": int((part["source"] == "document").sum()),
                     "requirements": int((part["source"] == "requirement").sum()),
                     "overdue": int(part["overdue"].sum()), "next_due": min(dues) if dues else None})
    return pd.DataFrame(rows, columns=cols)


def letter(req: pd.DataFrame, owner: str, organisation: str = "", sender: str = "") -> str:
    """A plain-text evidence request for one owner, ready to paste into an e-mail."""
    mine = req[req["owner"] == owner]
    name = owner.split(" (")[0] if owner != NO_OWNER else "colleague"
    lines = [f"Dear {name},", "",
             "For the ISO/IEC 42001 readiness work" + (f" at {organisation}" if organisation else "")
             + ", please provide the following evidence:", ""]
    for i, r in enumerate(mine.itertuples(index=False), 1):
        when = f"due {r.due.isoformat()}" if r.due is not None else "due date to agree"
        lines.append(f"{i}. {r.item} [{r.ref}]. {r.request}; {when}{' (overdue)' if r.overdue else ''}.")
    lines += ["", "A link to where each item lives is enough; drafts are welcome if marked as such.", "",
              "Thank you" + (f",\n{sender}" if sender else ".")]
    return "\n".join(lines)


def to_csv(req: pd.DataFrame) -> bytes:
    """The request list as CSV (UTF-8 with BOM for Excel); cells a spreadsheet would run as a
    formula are prefixed with a single quote."""
    out = req.assign(overdue=req["overdue"].map({True: "yes", False: ""}),
                     due=[d.isoformat() if d is not None else "" for d in req["due"]])
    out = out.map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
