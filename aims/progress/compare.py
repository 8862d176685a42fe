"""What changed between two snapshots of a workspace (a baseline and a later baseline, or now).

`compare(before, after, catalog)` returns plain data (see its docstring); the rules:
- Figures and readiness per clause / Annex A objective are each side's own, scored with the
  app's rules (scoring.summary) on that side's frozen state; change = after - before, None when
  either side has none (a group with no applicable requirement).
- A requirement 'improved' when its maturity rose, 'worse' when it fell, 'newly assessed' when it
  had no rating before and has one now, 'no longer assessed' the other way round. When the
  maturity is the same but the status moved between 'gap' and 'at target' (its target changed),
  it improved or got worse by that status. 'now excluded' / 'now applicable' when the SoA
  decision changed (the maturity of an excluded control does not count). Listed in catalogue order.
- A risk is 'new' (not in the earlier register), 'removed' (deleted since), 'closed' (status
  became closed) or 'moved' (its inherent or residual likelihood x impact changed: it moved on
  the heatmap). Ordered by ID.
- Actions done in between: done now and not done (or not there) before, by when they were done.
- Documents approved in between: a document now approved or a record now available that was not
  before (or was not in the register).
- Findings 'raised' (not there before) or 'closed' (open before, closed now).
"""
from __future__ import annotations

import pandas as pd

from aims.assessment import scoring
from aims.catalog.standard import Catalog
from aims.progress import baselines, snapshot
from aims.progress.snapshot import FIGURES

REQUIREMENT_COLUMNS = ["req_id", "title", "change", "maturity_before", "maturity_after", "target_before",
                       "target_after", "status_before", "status_after"]
RISK_COLUMNS = ["id", "title", "change", "inherent_before", "inherent_after", "residual_before", "residual_after",
                "score_before", "score_after"]
IN_PLACE = ("approved", "available")


def _side(snap: dict) -> dict:
    return {"name": snap.get("name") or "now", "taken_at": snap.get("taken_at")}


def _frame(snap: dict, catalog: Catalog) -> pd.DataFrame:
    """The snapshot's requirements as the scoring functions read them, in catalogue order."""
    frame = catalog.frame()
    reqs = snap["requirements"]
    default = snap["workspace"]["default_target"]
    frame["maturity"] = pd.array([reqs.get(r, {}).get("maturity") for r in frame["req_id"]], dtype="Int64")
    frame["target"] = pd.array([reqs.get(r, {}).get("target", default) for r in frame["req_id"]], dtype="Int64")
    frame["applicable"] = [bool(reqs.get(r, {}).get("applicable", True)) for r in frame["req_id"]]
    frame["evidence_strength"] = [reqs.get(r, {}).get("evidence_strength", "none") for r in frame["req_id"]]
    return scoring.with_status(frame)


def _delta(before, after):
    if before is None or after is None or pd.isna(before) or pd.isna(after):
        return None
    return round(float(after) - float(before), 1)


def _figures(before: dict, after: dict) -> pd.DataFrame:
    rows = []
    for key, label in FIGURES.items():
        b, a = before["figures"].get(key), after["figures"].get(key)
        rows.append({"metric": key, "label": label, "before": b, "after": a, "change": _delta(b, a)})
    return pd.DataFrame(rows, dtype=object)      # counts stay whole numbers beside percentages


def _groups(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for kind in ("clause", "control"):
        b, a = scoring.by_group(old, kind), scoring.by_group(new, kind)
        for (_, x), (_, y) in zip(b.iterrows(), a.iterrows()):
            rows.append({"kind": kind, "group": x["group"], "group_title": x["group_title"],
                         "before_pct": x["readiness_pct"], "after_pct": y["readiness_pct"],
                         "change": _delta(x["readiness_pct"], y["readiness_pct"])})
    return pd.DataFrame(rows, columns=["kind", "group", "group_title", "before_pct", "after_pct", "change"])


def _requirement_change(b: dict, a: dict) -> str | None:
    if b["applicable"] != a["applicable"]:
        return "now applicable" if a["applicable"] else "now excluded"
    if not a["applicable"]:
        return None
    mb, ma = b["maturity"], a["maturity"]
    if pd.isna(mb) and pd.isna(ma):
        return None
    if pd.isna(mb):
        return "newly assessed"
    if pd.isna(ma):
        return "no longer assessed"
    if ma != mb:
        return "improved" if ma > mb else "worse"
    if b["status"] != a["status"]:
        return "improved" if a["status"] == "at target" else "worse"
    return None


def _requirements(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for b, a in zip(old.to_dict("records"), new.to_dict("records")):
        change = _requirement_change(b, a)
        if change:
            rows.append({"req_id": a["req_id"], "title": a["title"], "change": change,
                         "maturity_before": None if pd.isna(b["maturity"]) else int(b["maturity"]),
                         "maturity_after": None if pd.isna(a["maturity"]) else int(a["maturity"]),
                         "target_before": int(b["target"]), "target_after": int(a["target"]),
                         "status_before": b["status"], "status_after": a["status"]})
    return pd.DataFrame(rows, columns=REQUIREMENT_COLUMNS)


def _cell(pair) -> str:
    return "" if not pair else f"{pair[0]}×{pair[1]}"


def _risks(before: dict, after: dict) -> pd.DataFrame:
    old, new = before.get("risks", {}), after.get("risks", {})
    rows = []
    for rid in sorted(set(old) | set(new)):
        b, a = old.get(rid), new.get(rid)
        if b is None:
            change = "new"
        elif a is None:
            change = "removed"
        elif a["status"] == "closed" and b["status"] != "closed":
            change = "closed"
        elif a["inherent"] != b["inherent"] or a["residual"] != b["residual"]:
            change = "moved"
        else:
            continue
        rows.append({"id": rid, "title": (a or b)["title"], "change": change,
                     "inherent_before": _cell(b and b["inherent"]), "inherent_after": _cell(a and a["inherent"]),
                     "residual_before": _cell(b and b["residual"]), "residual_after": _cell(a and a["residual"]),
                     "score_before": b and b["score"], "score_after": a and a["score"]})
    return pd.DataFrame(rows, columns=RISK_COLUMNS)


def _actions_done(before: dict, after: dict) -> pd.DataFrame:
    old = before.get("actions", {})
    rows = [{"id": aid, "title": a["title"], "done_at": a["done_at"]}
            for aid, a in after.get("actions", {}).items()
            if a["status"] == "done" and old.get(aid, {}).get("status") != "done"]
    out = pd.DataFrame(rows, columns=["id", "title", "done_at"])
    return out.sort_values(["done_at", "id"], na_position="last").reset_index(drop=True)


def _documents(before: dict, after: dict) -> pd.DataFrame:
    old = before.get("documents", {})
    rows = [{"id": did, "document": d["document"], "status_before": old.get(did, {}).get("status", "not listed"),
             "status_after": d["status"]}
            for did, d in after.get("documents", {}).items()
            if d["status"] in IN_PLACE and old.get(did, {}).get("status") not in IN_PLACE]
    return pd.DataFrame(rows, columns=["id", "document", "status_before", "status_after"])


def _findings(before: dict, after: dict) -> pd.DataFrame:
    old = before.get("findings", {})
    rows = []
    for fid, f in sorted(after.get("findings", {}).items()):
        if fid not in old:
            rows.append({"id": fid, "title": f["title"], "grade": f["grade"], "change": "raised"})
        elif f["status"] == "closed" and old[fid]["status"] != "closed":
            rows.append({"id": fid, "title": f["title"], "grade": f["grade"], "change": "closed"})
    return pd.DataFrame(rows, columns=["id", "title", "grade", "change"])


def compare(before: dict, after: dict, catalog: Catalog) -> dict:
    """The changes from snapshot `before` to snapshot `after` (see the module rules): before and
    after ({name, taken_at}), figures (metric, label, before, after, change), groups (kind,
    group, group_title, before_pct, after_pct, change), requirements (REQUIREMENT_COLUMNS),
    risks (RISK_COLUMNS; cells as 'L×I', '' when not rated), actions_done (id, title, done_at),
    documents_approved (id, document, status_before, status_after), findings (id, title, grade,
    change) and counts (rows of each table, and of requirements per kind of change)."""
    old, new = _frame(before, catalog), _frame(after, catalog)
    out = {
        "before": _side(before), "after": _side(after),
        "figures": _figures(before, after),
        "groups": _groups(old, new),
        "requirements": _requirements(old, new),
        "risks": _risks(before, after),
        "actions_done": _actions_done(before, after),
        "documents_approved": _documents(before, after),
        "findings": _findings(before, after),
    }
    counts = {k: len(v) for k, v in out.items() if isinstance(v, pd.DataFrame) and k not in ("figures", "groups")}
    counts.update({f"requirements {c}": int(n) for c, n in out["requirements"]["change"].value_counts().items()})
    counts.update({f"risks {c}": int(n) for c, n in out["risks"]["change"].value_counts().items()})
    out["counts"] = counts
    return out


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def figure_text(metric: str, value) -> str:
    """A headline figure as reports show it: '23.2%' ('50%') for a percentage (metric '*_pct'), a
    whole count otherwise, '-' when there is none."""
    if _missing(value):
        return "-"
    return f"{float(value):.1f}%".replace(".0%", "%") if metric.endswith("_pct") else str(int(value))


def change_text(metric: str, value) -> str:
    """A figure's change: '+20.3 pts' ('+50 pts') for a percentage, '+22' for a count, 'no change',
    or '-' when either side has none."""
    if _missing(value):
        return "-"
    v = float(value)
    if v == 0:
        return "no change"
    return f"{v:+.1f}".replace(".0", "") + " pts" if metric.endswith("_pct") else f"{int(v):+d}"


def between(con, workspace_id: int, catalog: Catalog, default_target: int, before_id: str,
            after_id: str | None = None, today=None) -> dict:
    """compare() of the workspace's baseline `before_id` with baseline `after_id`, or with the
    workspace now when `after_id` is None. ValidationError for an unknown baseline."""
    before = baselines.load(con, workspace_id, before_id)
    after = (snapshot.capture(con, workspace_id, catalog, default_target, today) if after_id is None
             else baselines.load(con, workspace_id, after_id))
    return compare(before, after, catalog)
