"""Text that would do something if the app rendered it as Markdown or HTML, and a workspace whose
every text field holds some, for the tests that check user text is shown as typed everywhere
(tests/test_user_text.py, tests/e2e/test_user_text_browser.py).

Each payload carries an outside image, a link, a colour directive, an icon, an emoji shortcode,
a formula, emphasis, HTML with a script and an outside image, a heading and a right-to-left
override. `tagged(tag, limit)` fits them into a field's length limit, most telling first."""
from __future__ import annotations

from datetime import date, timedelta

EVIL = "evil.example"
RLO = "\u202e"
PARTS = [f"![x](http://{EVIL}/{{tag}}.png)",
         ":red[red]",
         f"{RLO}txt.exe",
         ":material/bug_report:",
         "$x^2$",
         "**bold**",
         f'<a href="http://{EVIL}/a">a</a>',
         f"<img src=http://{EVIL}/i onerror=alert(1)>",
         ":smile:",
         f"[link](http://{EVIL}/{{tag}})",
         "<script>alert(1)</script>"]
LONG_LINE = f"http://{EVIL}/" + "W" * 1500          # one very long word: it must wrap, not widen the page
# a roadmap action's owner must read as a name, with the role in brackets, or an e-mail address
OWNER = f'Aowner (:red[red] <a href="http://{EVIL}/o">a</a> $x^2$ **b** {RLO}txt.exe)'
MAIL_OWNER = f"boss@{EVIL}"


def tagged(tag: str, limit: int = 200) -> str:
    """A heading mark, `tag` and as many payload parts as fit in `limit` characters."""
    text = f"# heading {tag}"
    for part in PARTS:
        part = part.format(tag=tag)
        if len(text) + 1 + len(part) <= limit:
            text += " " + part
    return text


# Raw markers that may appear in what the app renders as Markdown only escaped (preceded by a
# backslash) or broken up (a word joiner after a colon or inside an address): each is a regex.
MARKDOWN_MARKERS = {
    "image": r"!\[",
    "link": r"(?<!\\)\[[^\]\\]*(?<!\\)\]\(",
    "directive": r":red\[",
    "icon": r":material/bug_report:",
    "emoji": r":smile:",
    "formula": r"(?<!\\)\$x\^2(?<!\\)\$",
    "bold": r"(?<!\\)\*\*bold",
    "html": r"(?<!\\)<(?:img|script|a )",
    "address": r"https?://" + EVIL.replace(".", r"\."),
    "heading": r"(?m)^\s*#+ heading",
    "bidi": RLO,
}
# ... and in what Plotly draws (titles, tick labels, hover texts), which reads some HTML and
# formulas between dollar signs
CHART_MARKERS = {"html": r"<(?:img|script|a )", "formula": r"\$x\^2\$", "bidi": RLO}


def seed(con, cat, today: date | None = None) -> dict:
    """A workspace whose text fields all hold payloads, written through the app's write functions
    (so every rule a user's data obeys holds); returns its id and the IDs of its records."""
    from aims.ai_systems import classification, impact, inventory
    from aims.assessment import requirements as assessments
    from aims.governance import documents, policy, roles, training
    from aims.risk import register as risks
    from aims.roadmap import actions as roadmap
    from aims.roadmap import phases as roadmap_phases
    from aims.store import workspaces

    today = today or date.today()
    t = tagged
    ws = workspaces.create(con, {"name": t("WS", 80), "organisation": t("ORG"), "sector": t("SECTOR"),
                                 "scope": t("SCOPE", 5000), "target_date": today + timedelta(days=300)})
    sid = inventory.create(con, ws, {
        "name": t("SYS"), "description": t("DESC"), "business_owner": t("BOWNER"), "technical_owner": t("TOWNER"),
        "business_unit": t("UNIT"), "purpose": t("PURPOSE", 5000) + " " + LONG_LINE,
        "intended_use": t("USE", 5000), "foreseeable_misuse": t("MISUSE", 5000), "lifecycle_stage": "deployed",
        "vendor": t("VENDOR"), "model": t("MODEL"), "data_sources": t("DATA", 5000),
        "affected_persons": t("AFFECTED", 5000), "oversight": t("OVERSIGHT", 5000)})
    classification.record(con, ws, sid, {}, "deployer")

    aid = impact.start(con, ws, sid, t("ASSESSOR"))
    questions = [q for s in impact.questionnaire()["sections"] for q in s["questions"]]
    impact.save_answers(con, ws, aid, {q["id"]: {"value": q["options"][0]["value"],
                                                 "note": t("NOTE") if i == 0 else ""} for i, q in enumerate(questions)})
    impact.set_status(con, ws, aid, "in review")
    impact.set_status(con, ws, aid, "approved", t("APPROVER"), today, today + timedelta(days=365))

    crit = risks.criteria(con, ws)
    labels = {f"{s}_labels": crit[f"{s}_labels"][:4] + [t(s[:3].upper(), 40)] for s in ("likelihood", "impact")}
    texts = {f"{s}_descriptions": crit[f"{s}_descriptions"][:4] + [t("MEANING", 300)] for s in ("likelihood", "impact")}
    risks.save_criteria(con, ws, {**{k: v for k, v in crit.items() if k != "customised"}, **labels, **texts})
    rid = risks.create(con, ws, {
        "title": t("RISK"), "description": t("RDESC", 5000), "stakeholders": t("HOLDERS", 5000),
        "existing_controls": t("EXISTING", 5000), "owner": t("ROWNER"), "lifecycle_stage": "deployed",
        "inherent_likelihood": 5, "inherent_impact": 5, "treatment": "mitigate", "controls": ["A.6.2.4"],
        "systems": [sid], "due": today - timedelta(days=3)})

    assessments.save(con, ws, cat, {
        "5.2": {"maturity": 1, "notes": t("GNOTES", 5000), "evidence": t("GEVIDENCE", 5000), "owner": t("GOWNER")},
        "A.6.2.4": {"maturity": 1, "owner": t("COWNER"), "evidence_ref": t("EVREF", 5000)},
        "A.10.4": {"applicable": False, "exclusion_reason": t("EXCLUDED", 5000)}})
    assessments.set_soa_approval(con, ws, t("V", 40), t("SOABY"), today)

    roadmap_phases.ensure_phases(con, ws, today + timedelta(days=300), today)
    phase = roadmap_phases.add_phase(con, ws, {"name": t("PHASE", 80), "start": today,
                                               "finish": today + timedelta(days=60), "position": 1})
    act = roadmap.create_action(con, ws, cat, {
        "title": t("ACTION"), "phase_id": phase, "owner": MAIL_OWNER, "effort": "M", "start": today,
        "due": today + timedelta(days=20), "requirements": ["5.2"], "risks": [rid], "notes": t("ANOTES", 5000)}, today)
    late = roadmap.create_action(con, ws, cat, {
        "title": t("LATE"), "phase_id": phase, "owner": OWNER, "effort": "S", "start": today - timedelta(days=9),
        "due": today - timedelta(days=2), "notes": t("LNOTES", 5000)}, today)
    roadmap.update_actions(con, ws, cat, {act: {"status": "done"}}, today)

    pid = roles.add_person(con, ws, {"name": t("PERSON", 120), "job_title": t("JOB", 120)})
    roles.add_standard_roles(con, ws)
    role = roles.add_role(con, ws, {"name": t("ROLE", 120), "responsibilities": t("RESP", 5000), "holders": [pid]})
    empty = roles.add_role(con, ws, {"name": t("NOBODY", 120)})
    roles.save_raci(con, ws, {roles.activities()[0].id: {role: "A/R"},
                              roles.activities()[1].id: {empty: "A"}})    # a RACI problem names the role
    training.add_session(con, ws, {"topic": t("TOPIC"), "trainer": t("TRAINER"), "notes": t("TNOTES", 5000),
                                   "audience": [role], "held_on": today - timedelta(days=1)})

    policy.create(con, ws, {"version": "1.0", "title": t("POLICY"), "status": "approved", "endorsed_by": t("ENDORSER"),
                            "endorser_role": t("EROLE"), "approved_on": today, "next_review": today + timedelta(days=365),
                            "location": t("WHERE", 5000), "principles": [t("PRINCIPLE", 80)],
                            "change_summary": t("CHANGED", 5000)}, today=today)
    policy.start_revision(con, ws, "1.1", t("REVISION", 5000))

    doc = documents.add(con, ws, cat, {"title": t("DOC"), "requirements": ["5.2"], "owner": t("DOWNER"),
                                       "status": "draft", "version": t("DV", 40), "location": t("DLOC", 5000)})
    return {"ws": ws, "system": sid, "assessment": aid, "risk": rid, "phase": phase, "action": act, "late": late,
            "person": pid, "role": role, "document": doc}
