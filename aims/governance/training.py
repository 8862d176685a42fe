"""Training and awareness records (ISO/IEC 42001 7.2 competence, 7.3 awareness): sessions with
topic, audience roles, date and trainer, attendance per person, and coverage per role.

Coverage rule: a session's audience is a set of roles; every holder of an audience role needs
the session's topic. A person counts as trained on a topic when they *completed* any session with
that topic (same words, case-insensitive), whatever its audience. Attended-but-not-completed,
absent and invited do not count. Coverage with nobody to train is None (shown as a dash).
A session in the future can only have invited people: attendance is recorded once it took place.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from aims.access import members
from aims.access.rules import EDIT
from aims.common.validate import LONG_TEXT, ValidationError, blank, choice, day, raise_if, text
from aims.governance.roles import holders as role_holders
from aims.governance.roles import persons, roles
from aims.store import conflicts, db

KINDS = ("competence", "awareness")
KIND_LABELS = {"competence": "Competence (7.2)", "awareness": "Awareness (7.3)"}
ATTENDANCE = ("invited", "attended", "completed", "absent")
FIELDS = ("topic", "kind", "audience", "held_on", "trainer", "notes")


def _pct(n: int, d: int) -> float | None:
    return None if d == 0 else round(100.0 * n / d, 1)


def _phrase(name: str, plural: bool) -> str:
    """'Model owner' -> 'model owners'; keeps acronyms such as 'AI governance officer'."""
    words = name.strip()
    if len(words) > 1 and not words[1].isupper():
        words = words[0].lower() + words[1:]
    return words + ("s" if plural and not words.endswith("s") else "")


# ---- reads ------------------------------------------------------------------------------------

def sessions(con, workspace_id: int) -> pd.DataFrame:
    """Sessions newest first: id, topic, kind, audience (list of role IDs), audience_names
    (comma-joined), held_on, trainer, notes and attendance counts per status."""
    with db.reading(con) as cur:
        df = cur.execute(
            "SELECT s.id, s.topic, s.kind, s.audience, s.held_on, s.trainer, s.notes,"
            " count(a.person_id) FILTER (WHERE a.status = 'invited') AS invited,"
            " count(a.person_id) FILTER (WHERE a.status = 'attended') AS attended,"
            " count(a.person_id) FILTER (WHERE a.status = 'completed') AS completed,"
            " count(a.person_id) FILTER (WHERE a.status = 'absent') AS absent"
            " FROM training_session s LEFT JOIN training_attendance a"
            " ON a.workspace_id = s.workspace_id AND a.session_id = s.id"
            " WHERE s.workspace_id = ? GROUP BY s.id, s.topic, s.kind, s.audience, s.held_on, s.trainer, s.notes"
            " ORDER BY s.held_on DESC NULLS LAST, s.id DESC",
            [int(workspace_id)]).df()
    role_df = roles(con, workspace_id)
    names = dict(zip(role_df["id"], role_df["name"]))
    df["audience"] = [[a for a in str(v).split(";") if a] for v in df["audience"]]
    df["audience_names"] = [", ".join(names.get(a, a) for a in aud) for aud in df["audience"]]
    df["held_on"] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in df["held_on"]]
    for col in ATTENDANCE:
        df[col] = df[col].astype(int)
    return df


def attendance_records(con, workspace_id: int) -> pd.DataFrame:
    """Every attendance record: session_id, person_id, status."""
    with db.reading(con) as cur:
        return cur.execute("SELECT session_id, person_id, status FROM training_attendance WHERE workspace_id = ?"
                           " ORDER BY session_id, person_id", [int(workspace_id)]).df()


def attendance(con, workspace_id: int, session_id: str) -> pd.DataFrame:
    """The attendance sheet of a session: every person, with `expected` (holds an audience role)
    and `status` ('' when nothing is recorded). Expected people first, then by name."""
    sess = sessions(con, workspace_id)
    hit = sess[sess["id"] == session_id]
    if hit.empty:
        raise ValidationError(f"There is no training session {session_id!r} in this workspace.")
    audience = set(hit.iloc[0]["audience"])
    people_df = persons(con, workspace_id)
    with db.reading(con) as cur:
        held = cur.execute("SELECT person_id, role_id FROM gov_role_holder WHERE workspace_id = ?",
                           [int(workspace_id)]).fetchall()
        rec = dict(cur.execute("SELECT person_id, status FROM training_attendance WHERE workspace_id = ?"
                               " AND session_id = ?", [int(workspace_id), session_id]).fetchall())
    expected = {pid for pid, rid in held if rid in audience}
    out = people_df.assign(expected=people_df["id"].isin(expected),
                           status=[rec.get(pid, "") for pid in people_df["id"]])
    out = out.assign(_name=out["name"].str.lower()).sort_values(["expected", "_name"], ascending=[False, True])
    return out.rename(columns={"id": "person_id", "label": "person"})[
        ["person_id", "person", "roles", "expected", "status"]].reset_index(drop=True)


def coverage_table(holders: pd.DataFrame, session_df: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Coverage per audience role and topic (pure).

    holders: role_id, role, person_id. session_df: id, topic, kind, audience (list of role IDs).
    records: session_id, person_id, status. Returns role_id, role, topic, kind, holders, trained,
    pct (None with no holders) and label ('4 of 6 model owners trained on bias testing'),
    ordered by topic then role.
    """
    cols = ["role_id", "role", "topic", "kind", "holders", "trained", "pct", "label"]
    if session_df.empty:
        return pd.DataFrame(columns=cols)
    topic_of = {sid: str(t).strip().lower() for sid, t in zip(session_df["id"], session_df["topic"])}
    done = records[records["status"] == "completed"] if not records.empty else records
    trained_on: dict[str, set] = {}
    for sid, pid in zip(done.get("session_id", []), done.get("person_id", [])):
        if sid in topic_of:
            trained_on.setdefault(topic_of[sid], set()).add(pid)
    role_names = dict(zip(holders["role_id"], holders["role"])) if not holders.empty else {}
    members: dict[str, set] = {}
    for rid, pid in zip(holders.get("role_id", []), holders.get("person_id", [])):
        members.setdefault(rid, set()).add(pid)
    seen: dict[tuple[str, str], dict] = {}
    for s in session_df.itertuples(index=False):
        key_topic = str(s.topic).strip().lower()
        for rid in s.audience:
            if (rid, key_topic) in seen:
                continue
            people = members.get(rid, set())
            trained = len(people & trained_on.get(key_topic, set()))
            role = role_names.get(rid, rid)
            topic = _phrase(str(s.topic), False)
            label = (f"{trained} of {len(people)} {_phrase(role, len(people) != 1)} trained on {topic}"
                     if people else f"no {_phrase(role, True)} assigned yet for {topic}")
            seen[(rid, key_topic)] = {"role_id": rid, "role": role, "topic": s.topic, "kind": s.kind,
                                      "holders": len(people), "trained": trained,
                                      "pct": _pct(trained, len(people)), "label": label}
    df = pd.DataFrame(list(seen.values()), columns=cols)
    return df.sort_values(["topic", "role"], key=lambda c: c.str.lower()).reset_index(drop=True)


def coverage_summary(holders: pd.DataFrame, session_df: pd.DataFrame, records: pd.DataFrame) -> dict:
    """Overall figures (pure): required = distinct (person, topic) pairs a person needs through
    their roles; completed = those they completed; people = people holding an audience role;
    fully_trained = those who completed every topic they need; pct = completed / required."""
    topic_of = {sid: str(t).strip().lower() for sid, t in zip(session_df.get("id", []), session_df.get("topic", []))}
    members: dict[str, set] = {}
    for rid, pid in zip(holders.get("role_id", []), holders.get("person_id", [])):
        members.setdefault(rid, set()).add(pid)
    need: set[tuple[str, str]] = set()
    for sid, aud in zip(session_df.get("id", []), session_df.get("audience", [])):
        for rid in aud:
            need |= {(pid, topic_of[sid]) for pid in members.get(rid, set())}
    got = {(pid, topic_of[sid]) for sid, pid, st in zip(records.get("session_id", []), records.get("person_id", []),
                                                        records.get("status", []))
           if st == "completed" and sid in topic_of}
    completed = need & got
    people = {pid for pid, _ in need}
    missing_people = {pid for pid, _ in need - got}
    return {"required": len(need), "completed": len(completed), "pct": _pct(len(completed), len(need)),
            "people": len(people), "fully_trained": len(people - missing_people)}


def coverage(con, workspace_id: int) -> pd.DataFrame:
    """Coverage per audience role and topic for a workspace (see coverage_table)."""
    return coverage_table(role_holders(con, workspace_id), sessions(con, workspace_id),
                          attendance_records(con, workspace_id))


def summary(con, workspace_id: int) -> dict:
    """Overall training coverage of a workspace (see coverage_summary), plus the session count."""
    sess = sessions(con, workspace_id)
    out = coverage_summary(role_holders(con, workspace_id), sess, attendance_records(con, workspace_id))
    out["sessions"] = len(sess)
    return out


# ---- writes -----------------------------------------------------------------------------------

def _clean(data: dict, role_ids: dict[str, str], p: list[str]) -> dict:
    """Typed session fields. Audience roles may be given as role IDs or role names."""
    row = {"topic": text(data.get("topic"), "Topic", p, required=True),
           "kind": choice(data.get("kind"), "Kind of training", KINDS, p, default="competence"),
           "held_on": day(data.get("held_on"), "Date", p),
           "trainer": text(data.get("trainer"), "Trainer", p),
           "notes": text(data.get("notes"), "Notes", p, limit=LONG_TEXT)}
    aud = data.get("audience") or []
    if hasattr(aud, "tolist"):
        aud = aud.tolist()
    if isinstance(aud, str):
        aud = [a.strip() for a in aud.split(";")]
    by_key = {k.lower(): rid for rid, name in role_ids.items() for k in (rid, name)}
    ids = []
    for a in aud:
        if blank(a):
            continue
        rid = by_key.get(str(a).strip().lower())
        if rid is None:
            p.append(f"Audience: {a!r} is not a role in the roles register; add the role first.")
        elif rid not in ids:
            ids.append(rid)
    if not ids and not p:
        p.append("Audience: choose at least one role the session is for.")
    row["audience"] = ";".join(ids)
    return row


def _role_ids(con, workspace_id: int) -> dict[str, str]:
    r = roles(con, workspace_id)
    return dict(zip(r["id"], r["name"]))


def add_session(con, workspace_id: int, data: dict, who: str | None = None) -> str:
    """Record a training session; returns an ID like 'TR-001'."""
    p: list[str] = []
    row = _clean(data, _role_ids(con, workspace_id), p)
    raise_if(p)
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        db.require_workspace(cur, workspace_id)
        sid = db.next_local_id(cur, "training_session", int(workspace_id), "TR")
        cur.execute("INSERT INTO training_session (workspace_id, id, " + ", ".join(FIELDS) + ", updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [int(workspace_id), sid] + [row[f] for f in FIELDS] + [datetime.now()])
        db.log_diff(cur, int(workspace_id), "training", sid, {}, row, who)
    return sid


def update_session(con, workspace_id: int, session_id: str, data: dict, who: str | None = None,
                   today: date | None = None, base: dict | None = None) -> int:
    """Change a session's fields; returns fields changed. Moving a session with recorded
    attendance into the future is refused. `base` holds the values the user's form was opened on
    (audience as role IDs): fields left as shown are not written, and a field someone else
    changed since raises conflicts.EditConflict."""
    with db.transaction(con) as tx:
        return _update_session(tx, workspace_id, session_id, data, who, today or date.today(), base)


def _update_session(tx, workspace_id: int, session_id: str, data: dict, who: str | None, today: date,
                    base: dict | None) -> int:
    sess = sessions(tx, workspace_id)
    hit = sess[sess["id"] == session_id]
    if hit.empty:
        raise ValidationError(f"There is no training session {session_id!r} in this workspace.")
    old_row = hit.iloc[0]
    old = {"topic": old_row["topic"], "kind": old_row["kind"], "audience": ";".join(old_row["audience"]),
           "held_on": old_row["held_on"], "trainer": old_row["trainer"], "notes": old_row["notes"]}
    p: list[str] = []
    role_ids = _role_ids(tx, workspace_id)
    new = _clean({**old, **data}, role_ids, p)
    if base is not None:
        stored = _clean(dict(old), role_ids, [])
        seen = _clean({**old, **base}, role_ids, [])
        write, found = conflicts.settle(session_id, stored, {f: new[f] for f in data if f in new},
                                        {f: seen[f] for f in base if f in seen})
        conflicts.raise_if_conflicts(tx.cur, int(workspace_id), "training", found)
        new = {**stored, **write}
    recorded = int(old_row["attended"] + old_row["completed"] + old_row["absent"])
    if recorded and (new["held_on"] is None or new["held_on"] > today):
        p.append(f"{recorded} attendance record{'s' if recorded != 1 else ''} exist for this session, so its date "
                 "must be today or earlier.")
    raise_if(p)
    with db.writing(tx) as cur:
        members.require(cur, workspace_id, EDIT)
        n = db.log_diff(cur, int(workspace_id), "training", session_id, old, new, who)
        if n:
            cur.execute("UPDATE training_session SET " + ", ".join(f"{f} = ?" for f in FIELDS)
                        + ", updated_at = ? WHERE workspace_id = ? AND id = ?",
                        [new[f] for f in FIELDS] + [datetime.now(), int(workspace_id), session_id])
    return n


def delete_session(con, workspace_id: int, session_id: str, who: str | None = None) -> None:
    """Remove a session and its attendance records."""
    sess = sessions(con, workspace_id)
    hit = sess[sess["id"] == session_id]
    if hit.empty:
        raise ValidationError(f"There is no training session {session_id!r} in this workspace.")
    with db.writing(con) as cur:
        members.require(cur, workspace_id, EDIT)
        cur.execute("DELETE FROM training_attendance WHERE workspace_id = ? AND session_id = ?",
                    [int(workspace_id), session_id])
        cur.execute("DELETE FROM training_session WHERE workspace_id = ? AND id = ?", [int(workspace_id), session_id])
        db.log_change(cur, int(workspace_id), "training", session_id, "deleted", hit.iloc[0]["topic"], None, who)


def save_attendance(con, workspace_id: int, session_id: str, changes: dict[str, str], who: str | None = None,
                    today: date | None = None, base: dict[str, str] | None = None) -> int:
    """Apply {person_id: status or ''} for one session ('' removes the record); returns records
    changed. Attended, completed or absent need the session to have taken place (a date today or
    earlier). All or nothing. `base` ({person_id: status}) holds what the user's screen showed: a
    record someone else changed since raises EditConflict (record: the person, field 'status')."""
    today = today or date.today()
    with db.transaction(con) as tx:
        members.require(tx.cur, workspace_id, EDIT)
        sess = sessions(tx, workspace_id)
        hit = sess[sess["id"] == session_id]
        if hit.empty:
            raise ValidationError(f"There is no training session {session_id!r} in this workspace.")
        held_on = hit.iloc[0]["held_on"]
        people_df = persons(tx, workspace_id).set_index("id")
        old = dict(tx.cur.execute("SELECT person_id, status FROM training_attendance WHERE workspace_id = ?"
                                  " AND session_id = ?", [int(workspace_id), session_id]).fetchall())
        p: list[str] = []
        wanted: dict[str, str] = {}
        found = []
        for pid, value in changes.items():
            if pid not in people_df.index:
                p.append(f"There is no person {pid!r} in this workspace.")
                continue
            label = f"Attendance of {people_df.at[pid, 'name']}"
            status = "" if blank(value) else choice(value, label, ATTENDANCE, p, default="")
            if status in ("attended", "completed", "absent") and (held_on is None or held_on > today):
                p.append(f"{label}: the session is {'not dated' if held_on is None else 'on ' + held_on.isoformat()}; "
                         f"record {status!r} once it has taken place (until then use 'invited').")
            if base is not None and pid in base:
                seen = "" if blank(base[pid]) else str(base[pid]).strip()
                write, clash = conflicts.settle(pid, {"status": old.get(pid, "")}, {"status": status}, {"status": seen})
                found += [conflicts.Conflict(c.record, c.field, c.base, c.theirs, c.yours,
                                             label=f"({people_df.at[pid, 'name']}) attendance") for c in clash]
                if "status" not in write:
                    continue
            wanted[pid] = status
        if found:
            raise conflicts.EditConflict(found)
        raise_if(p)
        n = 0
        cur = tx.cur
        for pid, status in wanted.items():
            before = old.get(pid, "")
            if before == status:
                continue
            cur.execute("DELETE FROM training_attendance WHERE workspace_id = ? AND session_id = ? AND person_id = ?",
                        [int(workspace_id), session_id, pid])
            if status:
                cur.execute("INSERT INTO training_attendance VALUES (?, ?, ?, ?)",
                            [int(workspace_id), session_id, pid, status])
            db.log_change(cur, int(workspace_id), "attendance", f"{session_id}/{pid}", "status",
                          before or None, status or None, who)
            n += 1
    return n
