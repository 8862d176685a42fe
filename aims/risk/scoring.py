"""AI risk scoring rules: pure functions over plain values (no database, no Streamlit).

Rules (also in the README):
- score = likelihood x impact, each on a labelled 1-5 scale, so 1..25.
- level bands: score <= low_max is low, <= medium_max medium, <= high_max high, else critical
  (defaults 4 / 9 / 15: a 5x5 matrix with 8 low, 7 medium, 6 high and 4 critical cells).
- above appetite: score > appetite (default 9: high and critical risks are above appetite).
- the residual rating is the risk planned after the treatment. It becomes the current risk only
  when the treatment is implemented (the day it was, `treatment_implemented_on`, is recorded)
  and the residual risk is rated; until then the current risk is the inherent risk. Only a
  treatment that changes the risk (mitigate, transfer, avoid) is implemented; an accepted risk
  keeps its inherent rating. The implementation date cannot be in the future.
- above appetite, acceptance and the register's "now" figures use the current risk.
- accepting a risk (status 'accepted' or treatment 'accept') whose current score is above
  appetite needs a formal acceptance: who accepted it, when, and until when (the expiry).
- an acceptance cannot be dated in the future, and its expiry must fall after its date.
- residual likelihood and impact are rated together, and neither may exceed its inherent value
  (controls reduce a risk; they never increase it).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from aims.catalog.standard import load_json
from aims.common.validate import ValidationError, blank, integer, raise_if, text

LEVELS = ("low", "medium", "high", "critical")
LIFECYCLE_STAGES = ("idea", "design", "development", "validation", "deployed", "retired")
TREATMENTS = ("mitigate", "accept", "transfer", "avoid")
IMPLEMENTED_TREATMENTS = ("mitigate", "transfer", "avoid")   # treatments that are put in place
STATUSES = ("open", "in treatment", "accepted", "closed")
SCALE = (1, 2, 3, 4, 5)
LABEL_LIMIT = 40
DESCRIPTION_LIMIT = 300
ACCEPTING_STATUS = "accepted"
ACCEPT_TREATMENT = "accept"


# ---- criteria ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _default_file() -> dict:
    return load_json("risk_criteria.json")


def defaults() -> dict:
    """The default criteria from data/catalog/risk_criteria.json, validated (a fresh dict)."""
    raw = _default_file()
    try:
        lik = sorted(raw["likelihood"], key=lambda r: r["level"])
        imp = sorted(raw["impact"], key=lambda r: r["level"])
        data = {"likelihood_labels": [r["label"] for r in lik],
                "likelihood_descriptions": [r.get("description", "") for r in lik],
                "impact_labels": [r["label"] for r in imp],
                "impact_descriptions": [r.get("description", "") for r in imp],
                **raw["bands"], "appetite": raw["appetite"], "review_months": raw.get("review_months", 12)}
        if [r["level"] for r in lik] != list(SCALE) or [r["level"] for r in imp] != list(SCALE):
            raise ValidationError("the likelihood and impact scales must have levels 1 to 5")
        return {**clean_criteria(data), "customised": False}
    except (KeyError, TypeError, ValidationError) as exc:
        from aims.catalog.standard import CatalogError
        raise CatalogError(f"catalogue error: risk_criteria.json: {exc}") from exc


def clean_criteria(data: dict) -> dict:
    """Validated criteria from user input; raises ValidationError listing every problem.

    Keys: likelihood_labels, impact_labels (5 labels each, required, unique), the matching
    *_descriptions (optional), low_max < medium_max < high_max (1..24), appetite (1..24),
    review_months (1..36).
    """
    p: list[str] = []
    out: dict[str, Any] = {}
    for scale in ("likelihood", "impact"):
        name = scale.capitalize()
        labels = list(data.get(f"{scale}_labels") or [])
        descriptions = list(data.get(f"{scale}_descriptions") or [""] * 5)
        if len(labels) != 5 or len(descriptions) != 5:
            p.append(f"{name} scale needs exactly five labels (levels 1 to 5).")
            labels = (labels + [""] * 5)[:5]
            descriptions = (descriptions + [""] * 5)[:5]
        labels = [text(v, f"{name} level {n} label", p, limit=LABEL_LIMIT, required=True)
                  for n, v in zip(SCALE, labels)]
        seen = [lbl.lower() for lbl in labels if lbl]
        if len(set(seen)) != len(seen):
            p.append(f"{name} labels must all differ; two levels share a label.")
        out[f"{scale}_labels"] = labels
        out[f"{scale}_descriptions"] = [text(v, f"{name} level {n} description", p, limit=DESCRIPTION_LIMIT)
                                        for n, v in zip(SCALE, descriptions)]
    bounds = {"low_max": "Low band upper score", "medium_max": "Medium band upper score",
              "high_max": "High band upper score"}
    for key, label in bounds.items():
        out[key] = integer(data.get(key), label, p, low=1, high=24, allow_none=False)
    lo, mid, hi = out["low_max"], out["medium_max"], out["high_max"]
    if None not in (lo, mid, hi) and not lo < mid < hi:
        p.append(f"Band upper scores must rise: low ({lo}) < medium ({mid}) < high ({hi}); "
                 "scores above the high band are critical.")
    out["appetite"] = integer(data.get("appetite"), "Risk appetite (highest acceptable score)", p,
                              low=1, high=24, allow_none=False)
    out["review_months"] = integer(data.get("review_months", 12), "Review interval (months)", p,
                                   low=1, high=36, allow_none=False)
    raise_if(p)
    return out


def band_ranges(crit: dict) -> list[tuple[str, int, int]]:
    """[(level, lowest score, highest score)] for the four bands, for legends and help text."""
    edges = [0, crit["low_max"], crit["medium_max"], crit["high_max"], 25]
    return [(lvl, edges[i] + 1, edges[i + 1]) for i, lvl in enumerate(LEVELS)]


def scale_label(value, labels: list[str]) -> str:
    """'4 Likely' for 4 with the likelihood labels; '' for a blank value."""
    if blank(value):
        return ""
    return f"{int(value)} {labels[int(value) - 1]}"


# ---- scores --------------------------------------------------------------------------------------

def score(likelihood, impact) -> int | None:
    """likelihood x impact (1..25), or None when either is missing."""
    if blank(likelihood) or blank(impact):
        return None
    return int(likelihood) * int(impact)


def level(value, crit: dict) -> str | None:
    """The band (low, medium, high, critical) of a score, or None for a missing score."""
    if blank(value):
        return None
    value = int(value)
    if value <= crit["low_max"]:
        return "low"
    if value <= crit["medium_max"]:
        return "medium"
    if value <= crit["high_max"]:
        return "high"
    return "critical"


def above_appetite(value, crit: dict) -> bool:
    """True when a score exceeds the appetite; a missing score is never above appetite."""
    return not blank(value) and int(value) > crit["appetite"]


def residual_is_current(residual_l, residual_i, implemented_on) -> bool:
    """True when the residual rating is the current risk: rated, and the treatment implemented."""
    return not blank(implemented_on) and score(residual_l, residual_i) is not None


def current_score(inherent_l, inherent_i, residual_l, residual_i, implemented_on=None) -> int | None:
    """The residual score when it is rated and the treatment is implemented (implemented_on is
    the day it was), else the inherent score."""
    if residual_is_current(residual_l, residual_i, implemented_on):
        return score(residual_l, residual_i)
    return score(inherent_l, inherent_i)


def _current(r: dict) -> int | None:
    return current_score(r.get("inherent_likelihood"), r.get("inherent_impact"), r.get("residual_likelihood"),
                         r.get("residual_impact"), r.get("treatment_implemented_on"))


def rating_for_level(target: str, crit: dict) -> tuple[int, int]:
    """A starting (likelihood, impact) for a risk known only by its level (e.g. an impact
    assessment answer rated 'high'): among the cells of that band, the most balanced one
    (smallest |likelihood - impact|), then the lowest score, then the higher impact.
    Under the default criteria: low (1, 1), medium (3, 3), high (3, 4), critical (4, 4)."""
    cells = [(lik, imp) for lik in SCALE for imp in SCALE if level(lik * imp, crit) == target]
    if not cells:
        raise ValueError(f"no cell of the matrix is in band {target!r}")
    return min(cells, key=lambda c: (abs(c[0] - c[1]), c[0] * c[1], -c[1]))


def is_accepting(status: str, treatment: str) -> bool:
    """A risk is being accepted when its status is 'accepted' or its treatment is 'accept'."""
    return status == ACCEPTING_STATUS or treatment == ACCEPT_TREATMENT


# ---- rules on one risk ---------------------------------------------------------------------------

def rating_problems(r: dict, label: str = "The risk") -> list[str]:
    """Problems with the residual rating of a risk dict (typed 1-5 values or None)."""
    p: list[str] = []
    rl, ri = r.get("residual_likelihood"), r.get("residual_impact")
    if (rl is None) != (ri is None):
        p.append(f"{label}: rate residual likelihood and residual impact together, or leave both empty.")
        return p
    if rl is not None and r.get("inherent_likelihood") is not None and rl > r["inherent_likelihood"]:
        p.append(f"{label}: residual likelihood ({rl}) cannot be higher than inherent likelihood "
                 f"({r['inherent_likelihood']}); controls reduce a risk, they do not increase it.")
    if ri is not None and r.get("inherent_impact") is not None and ri > r["inherent_impact"]:
        p.append(f"{label}: residual impact ({ri}) cannot be higher than inherent impact "
                 f"({r['inherent_impact']}); controls reduce a risk, they do not increase it.")
    return p


def treatment_problems(r: dict, today: date | None = None, label: str = "The risk") -> list[str]:
    """Problems with the implementation date of a risk's treatment; [] when fine."""
    today = today or date.today()
    done = r.get("treatment_implemented_on")
    if blank(done):
        return []
    p = []
    if r.get("treatment") not in IMPLEMENTED_TREATMENTS:
        p.append(f"{label}: only a treatment that changes the risk (mitigate, transfer or avoid) is implemented; "
                 f"{'an accepted risk' if r.get('treatment') == ACCEPT_TREATMENT else 'a risk without a treatment'} "
                 "keeps its inherent rating, so leave the implementation date empty.")
    if done > today:
        p.append(f"{label}: the treatment implementation date {done} is in the future; record it on the day the "
                 "treatment is in place.")
    return p


def acceptance_problems(r: dict, crit: dict, today: date | None = None, label: str = "The risk") -> list[str]:
    """Problems with the acceptance of a risk dict (see the module rules); [] when fine."""
    today = today or date.today()
    p: list[str] = []
    current = _current(r)
    if is_accepting(r.get("status", ""), r.get("treatment", "")) and above_appetite(current, crit):
        why = (f"{label} is above the risk appetite (score {current}, appetite {crit['appetite']}) "
               "and is being accepted")
        missing = [name for name, key in (("who accepted it (Accepted by)", "accepted_by"),
                                          ("the acceptance date (Accepted on)", "accepted_on"),
                                          ("the acceptance expiry date", "acceptance_expiry"))
                   if blank(r.get(key))]
        if missing:
            p.append(f"{why}: record {', '.join(missing)}.")
    accepted_on, expiry = r.get("accepted_on"), r.get("acceptance_expiry")
    if accepted_on and accepted_on > today:
        p.append(f"{label}: the acceptance date {accepted_on} is in the future; use the date it was accepted.")
    if accepted_on and expiry and expiry <= accepted_on:
        p.append(f"{label}: the acceptance expiry ({expiry}) must be after the acceptance date ({accepted_on}).")
    return p


def checks(r: dict, crit: dict, today: date | None = None) -> list[str]:
    """What a reviewer should look at for one risk (typed dict with scores computed); [] when none.

    Not validation errors: a register can legitimately hold these states for a while.
    """
    today = today or date.today()
    out = []
    open_ = r.get("status") in ("open", "in treatment")
    current = _current(r)
    implemented = not blank(r.get("treatment_implemented_on"))
    if r.get("status") != "closed":
        if not r.get("owner"):
            out.append("no owner")
        if not r.get("treatment"):
            out.append("treatment not decided")
        elif r.get("treatment") == "mitigate" and not r.get("controls"):
            out.append("mitigation without planned controls")
        if r.get("treatment") in IMPLEMENTED_TREATMENTS and open_ and r.get("due") is None and not implemented:
            out.append("no due date for the treatment")
        if r.get("treatment") in ("mitigate", "transfer") and r.get("residual_likelihood") is None:
            out.append("residual risk not rated")  # accepting or avoiding leaves the inherent rating
        accepting = is_accepting(r.get("status", ""), r.get("treatment", ""))
        if above_appetite(current, crit) and not accepting:
            out.append("above appetite until the treatment is implemented"
                       if r.get("treatment") in IMPLEMENTED_TREATMENTS and not implemented
                       else "above appetite: treat further or accept formally")
        if accepting and above_appetite(current, crit) and (
                not r.get("accepted_by") or r.get("accepted_on") is None or r.get("acceptance_expiry") is None):
            out.append("accepted above appetite without a complete acceptance")
        if accepting and r.get("acceptance_expiry") is not None and r["acceptance_expiry"] < today:
            out.append("acceptance expired")
        if open_ and r.get("due") is not None and r["due"] < today and not implemented:
            out.append("treatment overdue")
        if r.get("next_review") is not None and r["next_review"] < today:
            out.append("review overdue")
        if r.get("excluded_controls"):
            out.append("needs a control the SoA excludes: " + ", ".join(r["excluded_controls"]))
    return out


def cell_counts(likelihoods, impacts) -> list[list[int]]:
    """A 5x5 count matrix: counts[likelihood - 1][impact - 1]; missing values are skipped."""
    counts = [[0] * 5 for _ in SCALE]
    for lik, imp in zip(likelihoods, impacts):
        if not blank(lik) and not blank(imp):
            counts[int(lik) - 1][int(imp) - 1] += 1
    return counts
