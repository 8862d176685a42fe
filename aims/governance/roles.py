"""People, AI roles and the RACI matrix (ISO/IEC 42001 5.3, A.3.2).

- People: the named individuals of the engagement (name and job title). `people()` gives their
  labels ("Priya Shah (CRO)") for owner pickers anywhere in the app.
- Roles: a register of AI roles (the standard set from data/catalog/governance.json plus custom
  ones), each with a one-sentence responsibility and any number of holders (six model owners are
  one role with six holders).
- RACI: one letter per activity x role: R responsible, A accountable, C consulted, I informed,
  A/R accountable and doing the work. Every activity needs exactly one accountable role: saving a
  second one is refused; a missing one (or no responsible role) is flagged by `raci_problems`.
"""
from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.common.validate import LONG_TEXT, ValidationError, blank, raise_if, text
from aims.governance.content import Activity, ActivityGroup
from aims.governance.content import load as load_content
from aims.store import conflicts, db

RACI_LETTERS = ("R", "A", "C", "I", "A/R")
NONE_MARKS = ("-", "–")  # how a table shows "not involved"
_LETTER_ALIASES = {"AR": "A/R", "RA": "A/R", "R/A": "A/R", "A/R": "A/R"}


def person_label(name: str, job_title: str = "") -> str:
    """How a person appears in owner fields: 'Name (Job title)', or just the name."""
    return f"{name} ({job_title})" if job_title else name


def activities() -> tuple[Activity, ...]:
    """The main governance activities of the RACI matrix, in order."""
    return load_content().activities


def activity_groups() -> tuple[ActivityGroup, ...]:
    """The groups the RACI activities fall into (management system, AI systems in use), in order."""
    return load_content().groups


def standard_roles() -> dict[str, str]:
    """The standard AI roles: name -> one-sentence responsibilities."""
    return dict(load_content().roles)


# ---- reads ------------------------------------------------------------------------------------

def persons(con, workspace_id: int) -> pd.DataFrame:
    """People of the workspace ordered by name: id, name, job_title, label, roles (role names, comma-joined)."""
    with db.reading(con) as cur:
        df = cur.execute(
            "SELECT p.id, p.name, p.job_title, coalesce(string_agg(r.name, ', ' ORDER BY r.name), '') AS roles"
            " FROM gov_person p"
            " LEFT JOIN gov_role_holder h ON h.workspace_id = p.workspace_id AND h.person_id = p.id"
            " LEFT JOIN gov_role r ON r.workspace_id = h.workspace_id AND r.id = h.role_id"
            " WHERE p.workspace_id = ? GROUP BY p.id, p.name, p.job_title ORDER BY lower(p.name), p.id",
            [int(workspace_id)]).df()
    df["label"] = [person_label(n, t) for n, t in zip(df["name"], df["job_title"])]
    return df[["id", "name", "job_title", "label", "roles"]]


def people(con, workspace_id: int) -> list[str]:
    """Labels of the named people ('Priya Shah (CRO)'), sorted, for owner pickers elsewhere."""
    return list(persons(con, workspace_id)["label"])


# Every owner field of a workspace, one text per row ('' for none).
_OWNER_FIELDS = ("SELECT owner FROM assessment WHERE workspace_id = $ws"
                 " UNION SELECT business_owner FROM ai_system WHERE workspace_id = $ws"
                 " UNION SELECT technical_owner FROM ai_system WHERE workspace_id = $ws"
                 " UNION SELECT owner FROM risk WHERE workspace_id = $ws"
                 " UNION SELECT owner FROM action WHERE workspace_id = $ws"
                 " UNION SELECT owner FROM document_register WHERE workspace_id = $ws")


def owner_names(con, workspace_id: int) -> list[str]:
    """The one list every owner field offers: the people register's labels, plus any owner named
    in a requirement, AI system, risk, action or document before it reached the register (an
    owner matching a person's name is that person, not a second entry); sorted, ignoring case."""
    labels = people(con, workspace_id)
    known = {v.lower() for v in labels} | {str(v).lower() for v in persons(con, workspace_id)["name"]}
    with db.reading(con) as cur:
        named = [r[0] for r in cur.execute(_OWNER_FIELDS, {"ws": int(workspace_id)}).fetchall()]
    extra = {n.strip() for n in named if n and n.strip() and n.strip().lower() not in known}
    return sorted(set(labels) | extra, key=str.lower)


def roles(con, workspace_id: int) -> pd.DataFrame:
    """The roles register in order of creation: id, name, responsibilities, standard,
    holders (list of person IDs), holder_labels (list of labels), holder_count."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT id, name, responsibilities, standard FROM gov_role WHERE workspace_id = ?"
                         " ORDER BY id", [int(workspace_id)]).df()
        held = cur.execute("SELECT h.role_id, p.id, p.name, p.job_title FROM gov_role_holder h"
                           " JOIN gov_person p ON p.workspace_id = h.workspace_id AND p.id = h.person_id"
                           " WHERE h.workspace_id = ? ORDER BY lower(p.name)", [int(workspace_id)]).fetchall()
    ids: dict[str, list] = {}
    labels: dict[str, list] = {}
    for role_id, pid, name, title in held:
        ids.setdefault(role_id, []).append(pid)
        labels.setdefault(role_id, []).append(person_label(name, title))
    df["holders"] = [ids.get(r, []) for r in df["id"]]
    df["holder_labels"] = [labels.get(r, []) for r in df["id"]]
    df["holder_count"] = [len(h) for h in df["holders"]]
    return df


def holders(con, workspace_id: int) -> pd.DataFrame:
    """Long table of role holders: role_id, role, person_id, person (label)."""
    with db.reading(con) as cur:
        df = cur.execute("SELECT h.role_id, r.name AS role, h.person_id, p.name, p.job_title FROM gov_role_holder h"
                         " JOIN gov_role r ON r.workspace_id = h.workspace_id AND r.id = h.role_id"
                         " JOIN gov_person p ON p.workspace_id = h.workspace_id AND p.id = h.person_id"
                         " WHERE h.workspace_id = ? ORDER BY h.role_id, lower(p.name)", [int(workspace_id)]).df()
    df["person"] = [person_label(n, t) for n, t in zip(df["name"], df["job_title"])]
    return df[["role_id", "role", "person_id", "person"]]


def raci(con, workspace_id: int) -> pd.DataFrame:
    """The RACI cells that are set: activity_id, role_id, letter."""
    with db.reading(con) as cur:
        return cur.execute("SELECT activity_id, role_id, letter FROM gov_raci WHERE workspace_id = ?"
                           " ORDER BY activity_id, role_id", [int(workspace_id)]).df()


def raci_matrix(con, workspace_id: int) -> pd.DataFrame:
    """RACI as a matrix: one row per activity (activity_id, activity), one column per role named
    by role name, cells '' or a letter. For screens and the workbook."""
    role_df = roles(con, workspace_id)
    cells = raci(con, workspace_id)
    lookup = {(a, r): letter for a, r, letter in cells.itertuples(index=False)}
    rows = []
    for act in activities():
        row = {"activity_id": act.id, "activity": act.name}
        for rid, name in zip(role_df["id"], role_df["name"]):
            row[name] = lookup.get((act.id, rid), "")
        rows.append(row)
    return pd.DataFrame(rows)


def raci_problems(cells: pd.DataFrame, role_df: pd.DataFrame, acts=None) -> pd.DataFrame:
    """Consistency flags for a RACI (pure): for every activity, exactly one accountable role
    (A or A/R), at least one responsible role (R or A/R), and someone holding the accountable role.
    Returns activity_id, activity, problem (one row per problem; empty when consistent)."""
    acts = acts if acts is not None else activities()
    names = dict(zip(role_df["id"], role_df["name"]))
    counts = dict(zip(role_df["id"], role_df.get("holder_count", pd.Series([1] * len(role_df)))))
    out = []
    for act in acts:
        mine = cells[cells["activity_id"] == act.id] if not cells.empty else cells
        letters = dict(zip(mine["role_id"], mine["letter"])) if not mine.empty else {}
        accountable = [r for r, letter in letters.items() if letter in ("A", "A/R")]
        responsible = [r for r, letter in letters.items() if letter in ("R", "A/R")]
        if not accountable:
            out.append((act.id, act.name, "no accountable role: mark exactly one role A"))
        elif len(accountable) > 1:
            out.append((act.id, act.name, f"{len(accountable)} accountable roles ("
                        + ", ".join(names.get(r, r) for r in accountable) + "): keep exactly one A"))
        elif not counts.get(accountable[0], 0):
            out.append((act.id, act.name, f"the accountable role {names.get(accountable[0], accountable[0])} "
                        "has nobody assigned"))
        if not responsible:
            out.append((act.id, act.name, "no responsible role: mark at least one role R"))
    return pd.DataFrame(out, columns=["activity_id", "activity", "problem"])


# ---- writes: shared by people and roles -------------------------------------------------------


def _flag_clashes(names, taken: set[str], message: str, p: list[str]) -> None:
    """Append message.format(name) to p for each name already in `taken` (lower case) or earlier in
    `names`, ignoring case. Blank names are never flagged (they are reported as required)."""
    seen = set(taken)
    for name in names:
        if name and name.lower() in seen:
            p.append(message.format(name))
        seen.add(name.lower())


def _checked_edits(tx, workspace_id: int, current: pd.DataFrame, changes: dict[str, dict], entity: str,
                   fields: tuple[str, ...], clean, clash: str, base: dict[str, dict] | None = None
                   ) -> dict[str, tuple[dict, dict]]:
    """Validate edits {id: {field: value}} of people or roles; returns {id: (old, new)}.

    `current` holds the rows by `id` (read in the transaction `tx`); only `fields` may be edited;
    clean(data, p) returns the cleaned row and appends its problems to p; `clash` is the message
    for a name that would be taken twice. `base` holds the values the user's screen showed (see
    aims.store.conflicts): fields left as shown keep their stored value, and a field someone else
    changed since raises EditConflict. Raises ValidationError with every problem (unknown IDs,
    other fields, bad values, clashes).
    """
    current = current.set_index("id")
    p: list[str] = []
    merged, found = {}, []
    for item_id, edits in changes.items():
        if item_id not in current.index:
            p.append(f"There is no {entity} {item_id!r} in this workspace.")
            continue
        bad = set(edits) - set(fields)
        if bad:
            p.append(f"{', '.join(sorted(bad))} cannot be edited on a {entity}.")
        old = {f: current.at[item_id, f] for f in fields}
        new = clean({**old, **edits}, p)
        if base is not None:
            stored = clean(dict(old), [])
            shown = base.get(item_id, {})
            seen = clean({**old, **shown}, [])
            write, clash_found = conflicts.settle(item_id, stored, {f: new[f] for f in edits if f in new},
                                                  {f: seen[f] for f in shown if f in seen})
            found += clash_found
            new = {**stored, **write}
        merged[item_id] = (old, new)
    conflicts.raise_if_conflicts(tx.cur, int(workspace_id), entity, found)
    names = dict(zip(current.index, current["name"]))
    names.update({item_id: new["name"] for item_id, (_, new) in merged.items()})
    _flag_clashes(names.values(), set(), clash, p)
    raise_if(p)
    return merged


# Fixed statements deleting a person or a role with the rows that refer to it (dependents first).
_DELETES = {
    "person": ("DELETE FROM gov_role_holder WHERE workspace_id = ? AND person_id = ?",
               "DELETE FROM training_attendance WHERE workspace_id = ? AND person_id = ?",
               "DELETE FROM gov_person WHERE workspace_id = ? AND id = ?"),
    "role": ("DELETE FROM gov_role_holder WHERE workspace_id = ? AND role_id = ?",
             "DELETE FROM gov_raci WHERE workspace_id = ? AND role_id = ?",
             "DELETE FROM gov_role WHERE workspace_id = ? AND id = ?"),
}


def _delete(con, workspace_id: int, entity: str, item_id: str, current: pd.DataFrame, who: str | None) -> None:
    """Delete person or role `item_id` and the rows that refer to it (see _DELETES) in one
    transaction, logging the name it had. `current` holds the entity's rows (id, name); an unknown
    ID raises ValidationError."""
    names = dict(zip(current["id"], current["name"]))
    if item_id not in names:
        raise ValidationError(f"There is no {entity} {item_id!r} in this workspace.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        for sql in _DELETES[entity]:
            cur.execute(sql, [int(workspace_id), item_id])
        db.log_change(cur, int(workspace_id), entity, item_id, "deleted", names[item_id], None, who)


# ---- writes: people ---------------------------------------------------------------------------

def _insert_all(con, workspace_id: int, cleaned: list[dict], table: str, prefix: str, write,
                owners: bool = False) -> list[str]:
    """Give each cleaned row the next local ID of `table` ('PE-001') and write(cur, id, row) it, all
    in one transaction; returns the IDs in order. `owners`: the rows are people named as owners
    of records, which a contributor may do for themselves only."""
    ids = []
    with db.writing(con) as cur:
        db.require_workspace(cur, workspace_id)
        if owners:
            members.require_each(cur, workspace_id, {f"adding {r['name']!r} to the people": r["name"] for r in cleaned})
        else:
            members.require(cur, workspace_id, EDIT)
        for row in cleaned:
            ids.append(db.next_local_id(cur, table, int(workspace_id), prefix))
            write(cur, ids[-1], row)
    return ids


def _new_rows(rows: list[dict], clean, existing: pd.DataFrame, clash: str) -> list[dict]:
    """The rows cleaned by clean(data, problems), refused (ValidationError with every problem) when
    any is invalid or its name is taken, in `existing` or twice among `rows`; `clash` names one."""
    p: list[str] = []
    cleaned = [clean(r, p) for r in rows]
    _flag_clashes([row["name"] for row in cleaned], set(existing["name"].str.lower()), clash, p)
    raise_if(p)
    return cleaned


def _clean_person(data: dict, p: list[str]) -> dict:
    return {"name": text(data.get("name"), "Person's name", p, limit=120, required=True),
            "job_title": text(data.get("job_title"), "Job title", p, limit=120)}


def add_person(con, workspace_id: int, data: dict, who: str | None = None) -> str:
    """Add a named person; returns an ID like 'PE-001'. Names are unique in a workspace."""
    return add_people(con, workspace_id, [data], who)[0]


def add_people(con, workspace_id: int, rows: list[dict], who: str | None = None, *, owners: bool = False) -> list[str]:
    """Add several people in one transaction; returns their IDs. All or nothing. `owners`: see
    _insert_all (register_owners)."""
    cleaned = _new_rows(rows, _clean_person, persons(con, workspace_id),
                        "A person named {!r} is already listed; use another name (add an initial).")

    def write(cur, pid: str, row: dict) -> None:
        cur.execute("INSERT INTO gov_person VALUES (?, ?, ?, ?, ?)",
                    [int(workspace_id), pid, row["name"], row["job_title"], datetime.now()])
        db.log_diff(cur, int(workspace_id), "person", pid, {}, row, who)

    return _insert_all(con, workspace_id, cleaned, "gov_person", "PE", write, owners)


_LABELLED = re.compile(r"(.+?)\s*\(([^()]+)\)")


def register_owners(con, workspace_id: int, names, who: str | None = None) -> list[str]:
    """Add to the people register every owner name that is no person yet, so that one people list
    feeds every owner field (a name typed as owner of a requirement is offered for AI systems,
    risks, actions and documents). A name matches a person by label or by name, ignoring case; a
    name typed as 'Name (Job title)' becomes that person with that job title. Blank names are
    skipped. Returns the IDs added; ValidationError (nothing added) for an over-long name."""
    current = persons(con, workspace_id)
    known = {str(v).lower() for v in [*current["label"], *current["name"]]}
    new: list[dict] = []
    for raw in names:
        typed = raw.strip() if isinstance(raw, str) else ""
        if not typed or typed.lower() in known:
            continue
        m = _LABELLED.fullmatch(typed)
        name, title = (m.group(1).strip(), m.group(2).strip()) if m else (typed, "")
        if name.lower() in known:      # the person is listed under another job title: no second entry
            continue
        new.append({"name": name, "job_title": title})
        known |= {typed.lower(), name.lower()}
    return add_people(con, workspace_id, new, who, owners=True) if new else []


def save_people(con, workspace_id: int, changes: dict[str, dict], who: str | None = None,
                base: dict[str, dict] | None = None) -> int:
    """Apply {person_id: {name, job_title}}; returns fields changed. All or nothing. `base`: the
    values the user's screen showed (see aims.store.conflicts)."""
    n = 0
    with db.transaction(con) as tx:
        members.require(tx.cur, workspace_id, EDIT)
        merged = _checked_edits(tx, workspace_id, persons(tx, workspace_id), changes, "person", ("name", "job_title"),
                                _clean_person, "Two people would be named {!r}; names must be unique.", base)
        cur = tx.cur
        for pid, (old, new) in merged.items():
            changed = db.log_diff(cur, int(workspace_id), "person", pid, old, new, who)
            if changed:
                cur.execute("UPDATE gov_person SET name = ?, job_title = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                            [new["name"], new["job_title"], datetime.now(), int(workspace_id), pid])
            n += changed
    return n


def delete_person(con, workspace_id: int, person_id: str, who: str | None = None) -> None:
    """Remove a person with their role assignments and training attendance."""
    _delete(con, workspace_id, "person", person_id, persons(con, workspace_id), who)


# ---- writes: roles ----------------------------------------------------------------------------

def _resolve_people(values, role_name: str, people_df: pd.DataFrame, p: list[str]) -> list[str]:
    """Person IDs from IDs, labels or names (case-insensitive); unknown people are problems."""
    if hasattr(values, "tolist"):  # a numpy array from a table cell
        values = values.tolist()
    if isinstance(values, (list, tuple, set)):
        items = list(values)
    elif blank(values):
        return []
    else:
        items = [v.strip() for v in str(values).split(";")]
    by_key: dict[str, str] = {}
    for pid, name, label in zip(people_df["id"], people_df["name"], people_df["label"]):
        by_key[pid.lower()] = by_key[label.lower()] = by_key[name.lower()] = pid
    out: list[str] = []
    for item in items:
        if blank(item):
            continue
        pid = by_key.get(str(item).strip().lower())
        if pid is None:
            p.append(f"{role_name}: {item!r} is not in the people list; add the person first.")
        elif pid not in out:
            out.append(pid)
    return out


def _clean_role(data: dict, people_df: pd.DataFrame, p: list[str]) -> dict:
    name = text(data.get("name"), "Role name", p, limit=120, required=True)
    return {"name": name,
            "responsibilities": text(data.get("responsibilities"), f"{name or 'Role'}: responsibilities", p,
                                     limit=LONG_TEXT),
            "holders": _resolve_people(data.get("holders", []), name or "Role", people_df, p)}


def add_role(con, workspace_id: int, data: dict, who: str | None = None, standard: bool = False) -> str:
    """Add a role (name, responsibilities, holders as person IDs, labels or names); returns 'RO-001'."""
    return add_roles(con, workspace_id, [data], who, standard)[0]


def add_standard_roles(con, workspace_id: int, who: str | None = None) -> list[str]:
    """Add every standard role not yet in the register (matched by name); returns the new IDs."""
    have = set(roles(con, workspace_id)["name"].str.lower())
    todo = [{"name": n, "responsibilities": r} for n, r in standard_roles().items() if n.lower() not in have]
    return add_roles(con, workspace_id, todo, who, standard=True) if todo else []


def add_roles(con, workspace_id: int, rows: list[dict], who: str | None = None, standard: bool = False) -> list[str]:
    """Add several roles in one transaction; returns their IDs. All or nothing."""
    people_df = persons(con, workspace_id)
    cleaned = _new_rows(rows, lambda data, p: _clean_role(data, people_df, p), roles(con, workspace_id),
                        "A role named {!r} already exists; edit it instead or choose another name.")
    std = {n.lower() for n in standard_roles()}

    def write(cur, rid: str, row: dict) -> None:
        cur.execute("INSERT INTO gov_role VALUES (?, ?, ?, ?, ?, ?)",
                    [int(workspace_id), rid, row["name"], row["responsibilities"],
                     standard or row["name"].lower() in std, datetime.now()])
        for pid in row["holders"]:
            cur.execute("INSERT INTO gov_role_holder VALUES (?, ?, ?)", [int(workspace_id), rid, pid])
        db.log_diff(cur, int(workspace_id), "role", rid, {},
                    {"name": row["name"], "responsibilities": row["responsibilities"],
                     "holders": ", ".join(row["holders"])}, who)

    return _insert_all(con, workspace_id, cleaned, "gov_role", "RO", write)


def save_roles(con, workspace_id: int, changes: dict[str, dict], who: str | None = None,
               base: dict[str, dict] | None = None) -> int:
    """Apply {role_id: {name, responsibilities, holders}}; returns fields changed. All or nothing.
    `base`: the values the user's screen showed (see aims.store.conflicts)."""
    n = 0
    with db.transaction(con) as tx:
        members.require(tx.cur, workspace_id, EDIT)
        people_df = persons(tx, workspace_id)
        merged = _checked_edits(tx, workspace_id, roles(tx, workspace_id), changes, "role",
                                ("name", "responsibilities", "holders"), lambda data, p: _clean_role(data, people_df, p),
                                "Two roles would be named {!r}; role names must be unique.", base)
        cur = tx.cur
        for rid, (old, new) in merged.items():
            changed = db.log_diff(cur, int(workspace_id), "role", rid,
                                  {**old, "holders": ", ".join(sorted(old["holders"]))},
                                  {**new, "holders": ", ".join(sorted(new["holders"]))}, who)
            if not changed:
                continue
            n += changed
            cur.execute("UPDATE gov_role SET name = ?, responsibilities = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                        [new["name"], new["responsibilities"], datetime.now(), int(workspace_id), rid])
            cur.execute("DELETE FROM gov_role_holder WHERE workspace_id = ? AND role_id = ?", [int(workspace_id), rid])
            for pid in new["holders"]:
                cur.execute("INSERT INTO gov_role_holder VALUES (?, ?, ?)", [int(workspace_id), rid, pid])
    return n


def delete_role(con, workspace_id: int, role_id: str, who: str | None = None) -> None:
    """Remove a role with its holders and RACI letters (activities it was accountable for are then flagged)."""
    _delete(con, workspace_id, "role", role_id, roles(con, workspace_id), who)


# ---- writes: RACI -----------------------------------------------------------------------------

def clean_letter(value, label: str, p: list[str]) -> str:
    """'' for blank or a dash (no involvement), else one of RACI_LETTERS (lower case and 'AR' accepted)."""
    if blank(value) or str(value).strip() in NONE_MARKS:
        return ""
    v = str(value).strip().upper().replace(" ", "")
    v = _LETTER_ALIASES.get(v, v)
    if v not in RACI_LETTERS:
        p.append(f"{label} must be one of R, A, C, I or A/R (or empty), not {value!r}.")
        return ""
    return v


def save_raci(con, workspace_id: int, changes: dict[str, dict], who: str | None = None,
              base: dict[str, dict] | None = None) -> int:
    """Apply {activity_id: {role_id: letter or ''}}; returns cells changed.

    Refused (nothing written) when an activity or role is unknown, a letter is not R, A, C, I or
    A/R, or an activity would end up with more than one accountable role. `base` ({activity_id:
    {role_id: letter}}) holds the letters the user's screen showed: a cell someone else changed
    since raises EditConflict, with the role as the record and the activity as the field.
    """
    with db.transaction(con) as tx:
        return _save_raci(tx, workspace_id, changes, who, base)


def _save_raci(tx, workspace_id: int, changes: dict[str, dict], who: str | None, base: dict[str, dict] | None) -> int:
    acts = {a.id: a.name for a in activities()}
    role_df = roles(tx, workspace_id)
    names = dict(zip(role_df["id"], role_df["name"]))
    cells = raci(tx, workspace_id)
    state = {(a, r): letter for a, r, letter in cells.itertuples(index=False)}
    p: list[str] = []
    wanted: dict[tuple[str, str], str] = {}
    found = []
    for act, fields in changes.items():
        if act not in acts:
            p.append(f"Unknown RACI activity {act!r}.")
            continue
        for rid, value in fields.items():
            if rid not in names:
                p.append(f"{acts[act]}: there is no role {rid!r} in this workspace.")
                continue
            letter = clean_letter(value, f"{acts[act]} / {names[rid]}", p)
            if base is not None and rid in base.get(act, {}):
                seen = clean_letter(base[act][rid], "", [])
                write, clash = conflicts.settle(rid, {act: state.get((act, rid), "")}, {act: letter}, {act: seen})
                if clash:
                    by = tx.cur.execute("SELECT changed_by, changed_at FROM change_log WHERE workspace_id = ? AND "
                                        "entity = 'raci' AND entity_id = ? ORDER BY id DESC LIMIT 1",
                                        [int(workspace_id), f"{act}/{rid}"]).fetchone() or ("", None)
                    found += [conflicts.Conflict(rid, act, seen, clash[0].theirs, letter, *by,
                                                 label=f"({names[rid]}) {acts[act]}")]
                if act not in write:
                    continue
            wanted[(act, rid)] = letter
    if found:
        raise conflicts.EditConflict(found)
    merged = {**state, **wanted}
    for act in {a for a, _ in wanted}:
        accountable = [names[r] for (a, r), letter in merged.items() if a == act and letter in ("A", "A/R")]
        if len(accountable) > 1:
            p.append(f"{acts[act]} would have {len(accountable)} accountable roles ({', '.join(sorted(accountable))}): "
                     "exactly one role is accountable for an activity. Change the other letters to R, C or I.")
    raise_if(p)
    n = 0
    with db.writing(tx) as cur:
        members.require(cur, workspace_id, EDIT)
        for (act, rid), letter in wanted.items():
            old = state.get((act, rid), "")
            if old == letter:
                continue
            cur.execute("DELETE FROM gov_raci WHERE workspace_id = ? AND activity_id = ? AND role_id = ?",
                        [int(workspace_id), act, rid])
            if letter:
                cur.execute("INSERT INTO gov_raci VALUES (?, ?, ?, ?)", [int(workspace_id), act, rid, letter])
            db.log_change(cur, int(workspace_id), "raci", f"{act}/{rid}", "letter", old or None, letter or None, who)
            n += 1
    return n
