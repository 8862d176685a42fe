"""EU AI Act classification: decision support, not legal advice.

Rules (questions and obligations are data in data/catalog/ai_act.json):
1. Any Art. 5 practice answered yes makes the system prohibited; this takes precedence.
2. A safety component of (or itself) an Annex I product needing third-party conformity
   assessment is high-risk (Art. 6(1)), dates from `high_risk_annex_i`. Section A and Section B
   products differ: for Section B only a few provisions apply (Art. 2(2)), so only the
   obligations of tier `annex_i_b` are listed for them (and GPAI model duties).
3. An Annex III point answered yes (asked point by point, e.g. 5(b)) is high-risk (Art. 6(2))
   unless an Art. 6(3) exemption applies; profiling of natural persons always stays high-risk
   (dates `high_risk_annex_iii`). The points are recorded with the result.
4. Otherwise any Art. 50 case makes it limited risk (transparency obligations); else minimal.
Art. 50 duties also apply on top of high-risk ones; GPAI duties (Art. 53, 55) apply on top of
any category. Obligations are filtered by the organisation's role and by their `when`
condition (the answers given, the Annex III points, the Annex I section, an exemption): see
`applies`. Their dates come from the dated, editable table `ai_act_date`.
Answers recorded with the earlier per-area questions (`legacy_questions`) are still read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.ai_systems import inventory
from aims.catalog.standard import CatalogError, load_json
from aims.common.validate import ValidationError, day, raise_if
from aims.store import conflicts, db

TIERS = ("prohibited", "high_risk", "limited", "minimal", "gpai", "gpai_systemic", "annex_i_b", "all")
ROLES = ("provider", "deployer", "importer", "distributor", "product_manufacturer", "authorised_representative")
SECTIONS = {"prohibited": "Prohibited practices (Art. 5)", "annex_i": "Products under Annex I (Art. 6(1))",
            "annex_iii": "Annex III high-risk use cases (Art. 6(2)), point by point",
            "exemption": "Art. 6(3) exemption", "profiling": "Profiling",
            "transparency": "Transparency cases (Art. 50)", "imagery": "Images and video of people",
            "deployer": "Your organisation as deployer", "gpai": "General-purpose AI models"}
WHEN_KEYS = ("answers", "annex_i_section", "annex_iii", "points", "points_other_than", "exemption", "any")
CATEGORY_LABEL = {"prohibited": "prohibited", "high_risk": "high-risk", "limited": "limited", "minimal": "minimal"}
BASIS_LABEL = {"annex_i": "Annex I (safety component)", "annex_iii": "Annex III (high-risk area)", "": ""}
EXEMPTED = " (Art. 6(3) exemption claimed)"


@dataclass(frozen=True)
class Rules:
    table_date: str
    table_note: str
    disclaimer: str
    dates: tuple[dict, ...]
    questions: tuple[dict, ...]
    obligations: tuple[dict, ...]
    legacy: tuple[dict, ...] = ()           # earlier per-area questions, read in stored answers only
    areas: tuple[tuple[str, str], ...] = ()  # Annex III areas (number, title)

    def question(self, qid: str) -> dict:
        return next(q for q in self.questions + self.legacy if q["id"] == qid)


def _when_problems(when: dict, ids: set, points: set) -> list[str]:
    out = [f"unknown condition {k!r}" for k in when if k not in WHEN_KEYS]
    out += [f"unknown question {a!r}" for a in when.get("answers", []) if a not in ids]
    out += [f"unknown point {p!r}" for k in ("points", "points_other_than") for p in when.get(k, []) if p not in points]
    for sub in when.get("any", []):
        out += _when_problems(sub, ids, points)
    return out


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The validated rule data (questions, obligations, default dates)."""
    data = load_json("ai_act.json")
    problems = []
    date_keys = {d["key"] for d in data["dates"]}
    ids = [q["id"] for q in data["questions"]]
    if len(set(ids)) != len(ids):
        problems.append("duplicate question ids")
    areas = data.get("annex_iii_areas", {})
    for q in data["questions"] + data.get("legacy_questions", []):
        if q["section"] not in SECTIONS or q["date_key"] not in date_keys:
            problems.append(f"question {q['id']}: unknown section or date key")
        if q["section"] == "annex_iii" and str(q.get("point", ""))[:1] not in areas:
            problems.append(f"question {q['id']}: an Annex III question needs a point of a known area")
        if q["id"] in ids and q["section"] == "annex_i" and q.get("annex_i_section") not in ("A", "B"):
            problems.append(f"question {q['id']}: an Annex I question needs its section, A or B")
    points = {q["point"] for q in data["questions"] if q["section"] == "annex_iii"}
    for o in data["obligations"]:
        roles = o["role"] if isinstance(o["role"], list) else [o["role"]]
        if o["tier"] not in TIERS or not roles or any(r not in ROLES and r != "any" for r in roles):
            problems.append(f"obligation {o['id']}: unknown tier or role")
        if o["date_key"] not in date_keys and not (o["date_key"] == "high_risk" and o["tier"] == "high_risk"):
            problems.append(f"obligation {o['id']}: unknown date key {o['date_key']}")
        problems += [f"obligation {o['id']}: {m}" for m in _when_problems(o.get("when", {}), set(ids), points)]
    if problems:
        raise CatalogError("ai_act.json: " + "; ".join(problems))
    return Rules(data["table_date"], data["table_note"], data["disclaimer"], tuple(data["dates"]),
                 tuple(data["questions"]), tuple(data["obligations"]), tuple(data.get("legacy_questions", [])),
                 tuple(areas.items()))


def point_label(basis: str, points, section: str = "") -> str:
    """The legal point of a result in words: 'Annex III 5(b)', 'Annex III 4(a), 4(b)',
    'Annex I Section A'; a result recorded before points were asked names the basis only."""
    points = [p for p in (points.split(", ") if isinstance(points, str) else points or []) if p]
    if basis == "annex_i":
        return f"Annex I Section {section}" if section else BASIS_LABEL["annex_i"]
    if points:
        return "Annex III " + ", ".join(points)
    return BASIS_LABEL.get(basis or "", basis)


@dataclass
class Result:
    category: str                      # prohibited, high_risk, limited, minimal
    basis: str = ""                    # annex_i or annex_iii for high-risk
    gpai: str = ""                     # '', gpai or gpai_systemic
    exemption_used: bool = False
    reasoning: list[str] = field(default_factory=list)
    transparency: list[str] = field(default_factory=list)
    annex_iii_points: list[str] = field(default_factory=list)   # e.g. ['5(b)'] ('5' from a per-area answer)
    annex_i_section: str = ""          # 'A' or 'B' for an Annex I product ('' when recorded per area)
    yes: frozenset = frozenset()       # the questions answered yes
    legacy: bool = False               # recorded with the earlier per-area questions

    @property
    def label(self) -> str:
        return CATEGORY_LABEL[self.category]

    @property
    def point(self) -> str:
        """'Annex III 5(b)' or 'Annex I Section A' for a high-risk or exempted result, else ''."""
        if self.category == "high_risk":
            return point_label(self.basis, self.annex_iii_points, self.annex_i_section)
        if self.exemption_used:
            return point_label("annex_iii", self.annex_iii_points) + EXEMPTED
        return ""


def classify(answers: dict[str, bool]) -> Result:
    """Apply the rules to yes/no answers (missing = no). Pure; see the module docstring."""
    r = rules()
    every = r.questions + r.legacy
    yes = {q["id"] for q in every if answers.get(q["id"]) is True}

    def why(qid: str) -> str:
        q = r.question(qid)
        return f"{q['article']}: {q['text']}"

    def picked(section: str) -> list[dict]:
        return [q for q in every if q["section"] == section and q["id"] in yes]

    prohibited = [q["id"] for q in picked("prohibited")]
    transparency = [q["id"] for q in picked("transparency")]
    annex_i = picked("annex_i")
    annex_iii = [q["id"] for q in picked("annex_iii")]
    exemptions = [q["id"] for q in picked("exemption")]
    gpai = "gpai_systemic" if {"gpai_model", "gpai_systemic"} <= yes else "gpai" if "gpai_model" in yes else ""
    res = Result("minimal", gpai=gpai, transparency=transparency, yes=frozenset(yes),
                 legacy=any(q["id"] in yes for q in r.legacy),
                 annex_iii_points=[] if prohibited else [q["point"] for q in picked("annex_iii")])
    if prohibited:
        res.category = "prohibited"
        res.reasoning = ["Prohibited practice answered yes (takes precedence over every other answer)."] + [
            why(q) for q in prohibited]
    elif annex_i:
        sections = {q.get("annex_i_section", "") for q in annex_i}
        res.category, res.basis = "high_risk", "annex_i"
        res.annex_i_section = "A" if "A" in sections else "B" if "B" in sections else ""
        res.reasoning = [{"A": "High-risk as a safety component of, or itself, a product under the Annex I Section A "
                               "legislation.",
                          "B": "High-risk as a safety component of, or itself, a product under the Annex I Section B "
                               "legislation: only a few AI Act provisions apply to it (Art. 2(2))."}.get(
            res.annex_i_section, "High-risk as a safety component of, or itself, an Annex I product.")] + [
            why(q["id"]) for q in annex_i]
    elif annex_iii and "profiling" in yes:
        res.category, res.basis = "high_risk", "annex_iii"
        res.reasoning = ["High-risk: an Annex III use case applies and the system profiles natural persons, so the "
                         "Art. 6(3) exemption cannot be used."] + [why(q) for q in annex_iii] + [why("profiling")]
    elif annex_iii and exemptions:
        res.exemption_used = True
        res.reasoning = ["An Annex III use case applies, but an Art. 6(3) exemption was claimed (no significant "
                         "risk); the provider must document this assessment (Art. 6(4))."] + [
            why(q) for q in annex_iii + exemptions]
    elif annex_iii:
        res.category, res.basis = "high_risk", "annex_iii"
        res.reasoning = ["High-risk: an Annex III use case applies and no Art. 6(3) exemption was claimed."] + [
            why(q) for q in annex_iii]
    if res.category not in ("prohibited", "high_risk"):
        if transparency:
            res.category = "limited"
            res.reasoning += ["Limited risk: transparency obligations apply."] + [why(q) for q in transparency]
        elif res.exemption_used:
            res.reasoning.append("Not high-risk because of the exemption, and no transparency case applies: minimal risk.")
        else:
            res.reasoning = ["Minimal risk: no prohibited practice, high-risk case or transparency case answered yes."]
    elif transparency:
        res.reasoning += ["Transparency obligations apply on top."] + [why(q) for q in transparency]
    if gpai:
        res.reasoning.append("General-purpose AI model obligations apply" +
                             (" including those for systemic risk." if gpai == "gpai_systemic" else "."))
    return res


def applies(when: dict | None, result: Result) -> bool:
    """Whether an obligation's condition holds for a result. Every key must hold: `answers`
    (any of these questions answered yes), `annex_i_section` (a high-risk Annex I product of that
    section), `annex_iii` (high-risk with an Annex III point), `points` (one of these points),
    `points_other_than` (a point not in the list, e.g. other than 2), `exemption` (an Art. 6(3)
    exemption claimed), `any` (one of the nested conditions)."""
    if not when:
        return True
    points = set(result.annex_iii_points) if result.category == "high_risk" else set()
    checks = {
        "answers": lambda v: bool(set(v) & result.yes),
        "annex_i_section": lambda v: result.category == "high_risk" and result.basis == "annex_i"
        and result.annex_i_section == v,
        "annex_iii": lambda v: bool(points) == v,
        "points": lambda v: bool(points & set(v)),
        "points_other_than": lambda v: bool(points - set(v)),
        "exemption": lambda v: result.exemption_used == v,
        "any": lambda v: any(applies(c, result) for c in v),
    }
    return all(checks[k](v) for k, v in when.items())


def obligations(result: Result, role: str, dates: dict[str, date]) -> pd.DataFrame:
    """Obligations for this result and role, with the date each applies from (from `dates`)."""
    if result.category == "high_risk" and result.basis == "annex_i" and result.annex_i_section == "B":
        tiers = {"annex_i_b"}     # Art. 2(2): only a few provisions apply to Section B products
    else:
        tiers = {"all", result.category}
        if result.transparency and result.category != "prohibited":
            tiers.add("limited")
    if result.gpai:
        tiers.add("gpai")
    if result.gpai == "gpai_systemic":
        tiers.add("gpai_systemic")
    rows = []
    for o in rules().obligations:
        roles = o["role"] if isinstance(o["role"], list) else [o["role"]]
        if o["tier"] not in tiers or (role not in roles and "any" not in roles):
            continue
        if not applies(o.get("when"), result):
            continue
        key = f"high_risk_{result.basis}" if o["date_key"] == "high_risk" else o["date_key"]
        rows.append({"article": o["article"], "obligation": o["title"], "what it means": o["summary"],
                     "applies from": dates.get(key), "tier": o["tier"], "role": role if role in roles else "any"})
    return pd.DataFrame(rows, columns=["article", "obligation", "what it means", "applies from", "tier", "role"])


# ---- the dated, editable table of application dates ----------------------------------------------

def _stored_keys(cur) -> set[str]:
    return {row[0] for row in cur.execute("SELECT key FROM ai_act_date").fetchall()}


def dates_table(con) -> pd.DataFrame:
    """The application dates, ordered by date. Rows are seeded from the catalogue on first use,
    and a key the catalogue gained later is added (the dates users edited stay as they are);
    what each row covers and its source are the catalogue's current wording."""
    r = rules()
    with db.reading(con) as cur:
        missing = {d["key"] for d in r.dates} - _stored_keys(cur)
    if missing:   # seeding the catalogue's dates is nobody's edit: no permission, no change-log row
        now = datetime.now()
        with db.writing(con) as cur:
            missing -= _stored_keys(cur)   # another session may have added them meanwhile
            if missing:
                cur.executemany("INSERT INTO ai_act_date VALUES (?, ?, ?, ?, ?, ?, ?)", [
                    [d["key"], d["date"], d.get("original_date"), d["what"], d.get("source", ""), r.table_date,
                     now] for d in r.dates if d["key"] in missing])
    with db.reading(con) as cur:
        df = cur.execute("SELECT * FROM ai_act_date ORDER BY applies_from, key").df()
    wording = {d["key"]: d for d in r.dates}
    for col in ("what", "source"):
        df[col] = [wording[k].get(col, v) if k in wording else v for k, v in zip(df["key"], df[col])]
    return df


def date_map(con) -> dict[str, date]:
    df = dates_table(con)
    return {k: pd.Timestamp(v).date() for k, v in zip(df["key"], df["applies_from"])}


def update_date(con, key: str, applies_from, checked_on, who: str | None = None, base: dict | None = None) -> None:
    """Change one application date and the date it was checked (both required). `base`
    ({applies_from, checked_on}) holds what the user's table showed: a date someone else changed
    since raises EditConflict."""
    p: list[str] = []
    new_date = day(applies_from, "Applies from", p)
    checked = day(checked_on, "Checked on", p)
    if new_date is None or checked is None:
        p.append("Both the date of application and the date it was checked are required.")
    if checked and checked > date.today():
        p.append("'Checked on' cannot be in the future.")
    raise_if(p)
    members.require_admin("change the EU AI Act dates, which every workspace uses")
    with db.transaction(con) as tx:
        table = dates_table(tx).set_index("key")
        if key not in table.index:
            raise ValidationError(f"Unknown date key {key!r}.")
        if base is not None:
            stored = {f: pd.Timestamp(table.at[key, f]).date() for f in ("applies_from", "checked_on")}
            write, found = conflicts.settle(key, stored, {"applies_from": new_date, "checked_on": checked}, base)
            conflicts.raise_if_conflicts(tx.cur, None, "ai_act_date", found)
            new_date, checked = write.get("applies_from", stored["applies_from"]), write.get("checked_on",
                                                                                             stored["checked_on"])
        _write_date(tx, key, table, new_date, checked, who)


def _write_date(tx, key: str, table: pd.DataFrame, new_date: date, checked: date, who: str | None) -> None:
    with db.writing(tx) as cur:
        cur.execute("UPDATE ai_act_date SET applies_from = ?, checked_on = ?, updated_at = ? WHERE key = ?",
                    [new_date, checked, datetime.now(), key])
        db.log_diff(cur, None, "ai_act_date", key,
                    {"applies_from": pd.Timestamp(table.at[key, "applies_from"]).date(),
                     "checked_on": pd.Timestamp(table.at[key, "checked_on"]).date()},
                    {"applies_from": new_date, "checked_on": checked}, who)


def table_checked_on(con) -> date:
    """The most recent 'checked on' date of the dates table (shown in the UI)."""
    return pd.Timestamp(dates_table(con)["checked_on"].max()).date()


# ---- stored classifications ------------------------------------------------------------------------

def record(con, workspace_id: int, system_id: str, answers: dict, role: str, who: str | None = None) -> Result:
    """Classify a system, store the result as a new version (earlier ones stay as history) and
    set the system's category. Unknown question IDs, non yes/no answers or roles are refused."""
    r = rules()
    known = {q["id"] for q in r.questions}
    p: list[str] = []
    unknown = sorted(set(answers) - known)
    if unknown:
        p.append(f"Unknown question(s): {', '.join(unknown)}.")
    bad = [k for k, v in answers.items() if not isinstance(v, bool)]
    if bad:
        p.append(f"Answers must be yes or no: {', '.join(sorted(bad))}.")
    if role not in ROLES:
        p.append(f"Role must be one of: {', '.join(ROLES)}; got {role!r}.")
    raise_if(p)
    system = inventory.get(con, workspace_id, system_id)
    if system is None:
        raise ValidationError(f"There is no AI system {system_id!r} in this workspace.")
    result = classify(answers)
    who = db.author(who)
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        version = cur.execute("SELECT coalesce(max(version), 0) + 1 FROM ai_act_classification"
                              " WHERE workspace_id = ? AND system_id = ?", [int(workspace_id), system_id]).fetchone()[0]
        cur.execute("INSERT INTO ai_act_classification (workspace_id, system_id, version, role, answers, category,"
                    " basis, gpai, reasoning, classified_at, classified_by, annex_iii_points, annex_i_section)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [int(workspace_id), system_id, version, role, json.dumps(answers, sort_keys=True),
                     result.category, result.basis, result.gpai, json.dumps(result.reasoning), datetime.now(), who,
                     ", ".join(result.annex_iii_points) if result.point else "", result.annex_i_section])
        db.log_change(cur, int(workspace_id), "ai_act_classification", f"{system_id} v{version}", "category",
                      None, result.category, who)
        role_text = role.replace("_", " ")
        cur.execute("UPDATE ai_system SET ai_act_category = ?, org_role = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                    [result.label, role_text, datetime.now(), int(workspace_id), system_id])
        db.log_diff(cur, int(workspace_id), "ai_system", system_id,
                    {"ai_act_category": system["ai_act_category"], "org_role": system["org_role"]},
                    {"ai_act_category": result.label, "org_role": role_text}, who)
    return result


def history(con, workspace_id: int, system_id: str | None = None) -> pd.DataFrame:
    """Stored classifications, newest first (all systems when system_id is None)."""
    sql = "SELECT * FROM ai_act_classification WHERE workspace_id = ?"
    params: list = [int(workspace_id)]
    if system_id:
        sql += " AND system_id = ?"
        params.append(system_id)
    with db.reading(con) as cur:
        return cur.execute(sql + " ORDER BY system_id, version DESC", params).df()


def stored_point(basis: str, points: str, section: str) -> str:
    """The legal point of a stored classification in words (see point_label): 'Annex III 5(b)',
    'Annex I Section A', 'Annex III 4(a) (Art. 6(3) exemption claimed)', or '' for none."""
    if basis:
        return point_label(basis, points or "", section or "")
    return point_label("annex_iii", points) + EXEMPTED if points else ""


def history_table(hist: pd.DataFrame, names: dict) -> pd.DataFrame:
    """The history (see history) in words: system 'AIS-001 Name' ('(retired)' when no longer in
    `names`), version, result, basis with its point ('Annex III 5(b)', 'Annex I Section A'), GPAI
    yes/no, the organisation's role, when and by whom."""
    blank = pd.Series([""] * len(hist), index=hist.index)
    return pd.DataFrame({
        "System": [f"{s} {names.get(s, '(retired)')}" for s in hist["system_id"]],
        "Version": hist["version"],
        "Result": [CATEGORY_LABEL.get(c, c) for c in hist["category"]],
        "Basis": [stored_point(b, p, s) for b, p, s in zip(hist["basis"], hist.get("annex_iii_points", blank),
                                                           hist.get("annex_i_section", blank))],
        "GPAI": ["yes" if g else "no" for g in hist["gpai"]],
        "Role": [(r or "").replace("_", " ") for r in hist["role"]],
        "When": hist["classified_at"],
        "By": hist["classified_by"],
    })


def latest_answers(con, workspace_id: int, system_id: str) -> tuple[dict, str | None]:
    """The answers and role of the latest classification ({} and None when never classified)."""
    h = history(con, workspace_id, system_id)
    if h.empty:
        return {}, None
    return json.loads(h.iloc[0]["answers"]), h.iloc[0]["role"]


def role_key(org_role: str) -> str:
    """'product manufacturer' (inventory wording) to 'product_manufacturer' (rule data); a role
    the rules do not know (none today) falls back to deployer."""
    key = (org_role or "deployer").replace(" ", "_")
    return key if key in ROLES else "deployer"

