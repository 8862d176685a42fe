"""Streamlit rendering of the Governance page's three tabs (AI policy, roles and RACI, training) and the
governance panel of the overview.

The page script views/governance.py draws the header and KPIs and calls one function per tab;
every write goes through aims.policy, aims.roles or aims.training.
"""
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.common.validate import ValidationError
from aims.governance import policy, roles, training
from aims.governance import summary as governance
from aims.store import db
from aims.ui import chrome, conflicts, editing


def try_write(action, message, form: str | None = None) -> None:
    """Run a write; flash and rerun on success, show every problem otherwise. `message` is a text
    (formatted with n and s when the write returns a count) or a function of the write's result.
    `form` names the add form the write came from: it starts empty after a success (chrome.form_done)."""
    try:
        result = action()
    except ValidationError as exc:
        chrome.show_problems(exc)
        return
    if callable(message):
        message = message(result)
    if form:
        chrome.form_done(form)
    chrome.flash(message.format(n=result, s="s" if result != 1 else "") if isinstance(result, int) else message)
    st.rerun()


def counted(message: str):
    """A `message` for editing.save_bar: `message` formatted with n (the count the save returned)
    and s (plural s); a message naming no count (where the table's fields were saved) reads as
    chrome.fields_saved of the fields and rows."""
    def say(n: int, changes: dict) -> str:
        return (message.format(n=n, s="s" if n != 1 else "") if "{n}" in message
                else chrome.fields_saved(n, message, len(changes)))
    return say


def remove_picker(label: str, choices: dict, key: str, *, empty: str, note: str, delete, done: str) -> None:
    """Pick one of `choices` (id -> name) in a selectbox `label` (key `<key>_pick`) and remove it with
    the button 'Remove <label>' (key `key`): delete(id) runs through try_write, flashing
    done.format(name). Shows only the caption `empty` when there is nothing to pick."""
    if not choices:
        st.caption(empty)
        return
    gone = st.selectbox(label, list(choices), format_func=choices.get, key=f"{key}_pick")
    st.caption(note)
    if st.button(f"Remove {label.lower()}", key=key):
        try_write(lambda: delete(gone), done.format(choices[gone]))


def show_version(v: dict) -> None:
    meanings = policy.starting_principles()
    st.markdown(f"**{chrome.plain(v['title'])}**, version **{chrome.plain(v['version'])}** · status **{v['status']}**")
    lines = []
    if v["endorsed_by"]:
        lines.append(f"- **Endorsed by:** {chrome.plain(v['endorsed_by'])}, {chrome.plain(v['endorser_role'])}"
                     + (f", on {v['approved_on']}" if v["approved_on"] else ""))
    if v["next_review"]:
        overdue = v["status"] == "approved" and v["next_review"] < date.today()
        lines.append(f"- **Next review:** {v['next_review']}"
                     + (" (**overdue**)" if overdue else f" ({chrome.days_to(v['next_review'])})"
                        if v["status"] == "approved" else ""))
    lines.append(f"- **Where it lives:** {chrome.plain(v['location']) or 'not recorded'}")
    if v["change_summary"]:
        lines.append(f"- **What changed:** {chrome.plain(v['change_summary'])}")
    st.markdown("\n".join(lines))
    if v["principles"]:
        st.markdown("**Ethical principles it commits to**\n" + "\n".join(
            f"- **{chrome.plain(p)}**" + (f": {meanings[p]}" if p in meanings else "") for p in v["principles"]))
    else:
        st.caption("No ethical principles listed yet.")


def policy_form(con, ws_id: int, key: str, values: dict, statuses: list[str], new_version: bool) -> dict | None:
    """The policy fields as a form; returns the typed values when submitted."""
    names = list(roles.persons(con, ws_id)["name"])
    with st.form(key, border=True):
        c = st.columns([1, 3, 1.4])
        version = c[0].text_input("Version *", values.get("version", ""), max_chars=12, disabled=not new_version,
                                  key=f"{key}_version", help="Numbers separated by dots, e.g. 1.0 or 1.1")
        title = c[1].text_input("Title *", values.get("title", "AI policy"), max_chars=200, key=f"{key}_title")
        status = c[2].selectbox("Status", statuses, index=statuses.index(values.get("status", statuses[0])),
                                key=f"{key}_status",
                                help="Approving needs the endorser, dates, location and at least one principle; "
                                     "it retires the version approved before.")
        c = st.columns(4)
        endorsed = values.get("endorsed_by") or None
        options = names + ([endorsed] if endorsed and endorsed not in names else [])
        endorsed_by = c[0].selectbox("Endorsed by (top management)", options,
                                     index=options.index(endorsed) if endorsed else None, accept_new_options=True,
                                     placeholder="Pick or type a name", key=f"{key}_endorsed_by")
        endorser_role = c[1].text_input("Endorser's role", values.get("endorser_role", ""), max_chars=200,
                                        placeholder="e.g. Chief Executive Officer", key=f"{key}_endorser_role")
        approved_on = c[2].date_input("Approval date", values.get("approved_on"), max_value=date.today(),
                                      format="YYYY-MM-DD", key=f"{key}_approved_on")
        next_review = c[3].date_input("Next review", values.get("next_review"), format="YYYY-MM-DD",
                                      key=f"{key}_next_review", help="Planned review of the policy (A.2.4)")
        location = st.text_input("Where the document lives (link or file name)", values.get("location", ""),
                                 max_chars=5000, key=f"{key}_location")
        current = list(values.get("principles") or [])
        offered = list(dict.fromkeys(list(policy.starting_principles()) + current))
        principles = st.multiselect("Ethical principles it commits to", offered, default=current,
                                    accept_new_options=True, key=f"{key}_principles",
                                    help="Pick from the starting set or type your own and press Enter.")
        change_summary = st.text_area("What changed in this version", values.get("change_summary", ""),
                                      max_chars=5000, height=80, key=f"{key}_change_summary")
        label = "Record this version" if new_version else f"Save version {values.get('version')}"
        if not st.form_submit_button(label, type="primary", icon=":material/save:"):
            return None
    return {"version": version, "title": title, "status": status, "endorsed_by": endorsed_by or "",
            "endorser_role": endorser_role, "approved_on": approved_on, "next_review": next_review,
            "location": location, "principles": principles, "change_summary": change_summary}


def next_version(latest: str) -> str:
    parts = policy.version_key(latest)
    return f"{parts[0]}.{(parts[1] if len(parts) > 1 else 0) + 1}"


def policy_tab(con, ws: dict, cat) -> None:
    """The policy in force, the requirements it evidences, the working version, history."""
    ws_id = int(ws["id"])
    versions = policy.versions(con, ws_id)
    in_force, work = policy.current(con, ws_id), policy.working(con, ws_id)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Policy in force")
        if in_force:
            show_version(in_force)
        elif versions.empty:
            st.info("No AI policy is recorded yet. Record the current version below, even if it is only a draft.",
                    icon=":material/info:")
        else:
            st.warning("No version is approved: there is no AI policy in force.", icon=":material/warning:")
    with right:
        st.subheader("Requirements it evidences")
        status_of = scoring.with_status(assessments.table(con, ws_id, cat, ws["default_target"])).set_index("req_id")
        st.markdown("\n".join(
            f"- **{rid}** {title}: {status_of.at[rid, 'status']}"
            + (f" (maturity {assessments.maturity_label(status_of.at[rid, 'maturity'])})"
               if status_of.at[rid, "status"] in ("gap", "at target") else "")
            for rid, title in policy.evidenced_requirements(cat)))
        st.caption("The policy record is the evidence for these requirements; their maturity is rated in the gap "
                   "analysis.")
        st.page_link("pages/gap-analysis.py", label="Rate 5.2 in the gap analysis", icon=":material/arrow_forward:",
                     query_params={"ws": str(ws_id), "req": "5.2"})

    st.divider()
    if not chrome.may_edit() and work:        # the others read the working version; editors write it
        st.subheader(f"Working version {work['version']} ({work['status']})")
        show_version(work)
    elif chrome.may_edit():
        if versions.empty:
            st.subheader("Record the AI policy")
            values = policy_form(con, ws_id, "gov_pol_new", {"version": "1.0"}, ["draft", "in review", "approved"], True)
            if values is not None:
                try_write(lambda: policy.create(con, ws_id, values), "AI policy version recorded.")
        elif work:
            st.subheader(f"Working version {work['version']} ({work['status']})")
            allowed = list(policy.TRANSITIONS[work["status"]])
            form = f"gov_pol_{work['id']}"
            prefix, shown = conflicts.opened(form, {f: work[f] for f in policy.FIELDS if f != "version"})
            values = policy_form(con, ws_id, prefix, {**work, **shown}, allowed, False)
            if values is not None:
                values.pop("version")
            conflicts.submit(form, work["id"], values, shown,
                             lambda data, base: policy.update(con, ws_id, work["id"], data, base=base),
                             lambda n: chrome.fields_saved(n, f"version {work['version']}"))
            with st.expander(f"Delete draft version {work['version']}", icon=":material/delete:"):
                st.caption("Only a version that was never approved can be deleted; approved versions stay in the history.")
                if st.button(f"Delete version {work['version']}", key="gov_pol_delete"):
                    try_write(lambda: policy.delete_draft(con, ws_id, work["id"]), f"Deleted draft version {work['version']}.")
        else:
            st.subheader("Revise the policy")
            with st.form("gov_pol_revise", border=True):
                c = st.columns([1, 4])
                new_v = c[0].text_input("New version *", next_version(versions.iloc[0]["version"]), max_chars=12,
                                        key="gov_pol_revise_version")
                summary = c[1].text_input("What will change", max_chars=5000, key="gov_pol_revise_summary")
                st.caption("The new draft starts from the latest version's title, location and principles.")
                if st.form_submit_button("Start the new version", type="primary", icon=":material/add:"):
                    try_write(lambda: policy.start_revision(con, ws_id, new_v, summary), f"Version {new_v} started as a draft.")
        if in_force:
            with st.expander(f"Record a review of version {in_force['version']} that changed nothing (A.2.4)",
                             icon=":material/event_repeat:"):
                with st.form("gov_pol_review"):
                    default = max(date.today(), in_force["next_review"] or date.today()) + timedelta(days=365)
                    review = st.date_input("Next review date", default, format="YYYY-MM-DD", key="gov_pol_review_date")
                    if st.form_submit_button("Save the next review date"):
                        try_write(lambda: policy.update(con, ws_id, in_force["id"], {"next_review": review}),
                                  "Next review date saved.")

    if not versions.empty:
        st.subheader("Version history")
        hist = pd.DataFrame({"Version": versions["version"], "Status": versions["status"], "Title": versions["title"],
                             "Endorsed by": [f"{a}, {b}" if a else "" for a, b in zip(versions["endorsed_by"],
                                                                                      versions["endorser_role"])],
                             "Approved on": versions["approved_on"], "Next review": versions["next_review"],
                             "What changed": versions["change_summary"]})
        st.dataframe(hist, hide_index=True, key="gov_policy_history", column_config={
            "Version": st.column_config.TextColumn(width="small"), "Status": st.column_config.TextColumn(width="small"),
            "Approved on": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Next review": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "What changed": st.column_config.TextColumn(width="large")}, placeholder="")
        if len(versions) > 1:
            # Start on the newest version that is not the working draft (that one is in the form above).
            ids = list(versions["id"])
            first = next((i for i, s in enumerate(versions["status"]) if s not in policy.WORKING), 0)
            pick = st.selectbox("Open a version", ids, index=first, key="gov_pol_view",
                                format_func=lambda i: "Version {} ({})".format(
                                    *versions.set_index("id").loc[i, ["version", "status"]]))
            with st.container(border=True):
                show_version(policy.get(con, ws_id, pick))


def roles_tab(con, ws: dict, cat) -> None:
    """The roles register, the people, and the RACI matrix with its consistency check."""
    ws_id = int(ws["id"])
    role_df = roles.roles(con, ws_id)
    people_df = roles.persons(con, ws_id)
    st.subheader("Roles and responsibilities")
    missing_std = [n for n in roles.standard_roles() if n.lower() not in set(role_df["name"].str.lower())]
    if role_df.empty:
        std = list(roles.standard_roles())
        st.info(f"No roles yet. Start from the {len(std)} standard AI roles ({', '.join(std)}), then name the "
                "people who hold them.", icon=":material/info:")
    else:
        frame = pd.DataFrame({"ID": role_df["id"], "Role": role_df["name"], "People": role_df["holder_labels"],
                              "Responsibilities": role_df["responsibilities"]})
        cols = {"Role": "name", "People": "holders", "Responsibilities": "responsibilities"}
        pending = f"gov_roles_pending_{ws_id}"
        editing.pending_editor(frame, pending, cols, key=f"gov_roles_{ws_id}", column_config={
            "ID": st.column_config.TextColumn(width="small"),
            "Role": st.column_config.TextColumn(width="medium", max_chars=120, required=True),
            "People": st.column_config.MultiselectColumn(options=list(people_df["label"]), width="large",
                                                         help="Who holds the role; add people below first"),
            "Responsibilities": st.column_config.TextColumn(width="large", max_chars=5000)},
            disabled=["ID"])
        editing.save_bar(pending, lambda changes, base: roles.save_roles(con, ws_id, changes, base=base),
                         "gov_roles", frame, cols, message=counted("the roles"))
    if missing_std and chrome.may_edit() and st.button(f"Add the {len(missing_std)} standard role{'s' if len(missing_std) != 1 else ''}"
                                 + (" not yet listed" if not role_df.empty else ""),
                                 key="gov_roles_standard", icon=":material/playlist_add:",
                                 type="primary" if role_df.empty else "secondary"):
        try_write(lambda: len(roles.add_standard_roles(con, ws_id)), "Added {n} standard role{s}.")
    if chrome.may_edit():       # the roles, people, RACI and training are set by editors
        c = st.columns(2)
        with c[0].expander("Add a custom role", icon=":material/add:"):
            fv = chrome.form_version("gov_role_add")
            with st.form(f"gov_role_add_{fv}"):
                name = st.text_input("Role name *", max_chars=120, key=f"gov_role_add_name_{fv}")
                resp = st.text_area("Responsibilities in a sentence", max_chars=5000, height=70, key=f"gov_role_add_resp_{fv}")
                who = st.multiselect("People", list(people_df["label"]), key=f"gov_role_add_people_{fv}")
                if st.form_submit_button("Add role", type="primary"):
                    try_write(lambda: roles.add_role(con, ws_id, {"name": name, "responsibilities": resp, "holders": who}),
                              f"Added the role {name.strip()}.", form="gov_role_add")
        with c[1].expander("Remove a role", icon=":material/delete:"):
            remove_picker("Role", dict(zip(role_df["id"], role_df["name"])), "gov_role_remove",
                          empty="There are no roles to remove.", note="Its holders and RACI letters are removed with it.",
                          delete=lambda rid: roles.delete_role(con, ws_id, rid), done="Removed the role {}.")

    st.subheader("People")
    st.caption("The people named here are offered as owners across the workbench.")
    if people_df.empty:
        st.info("No people yet. Add the people who hold AI roles.", icon=":material/info:")
    else:
        pframe = pd.DataFrame({"ID": people_df["id"], "Name": people_df["name"], "Job title": people_df["job_title"],
                               "Roles": people_df["roles"]})
        pcols = {"Name": "name", "Job title": "job_title"}
        ppending = f"gov_people_pending_{ws_id}"
        editing.pending_editor(pframe, ppending, pcols, key=f"gov_people_{ws_id}", column_config={
            "ID": st.column_config.TextColumn(width="small"),
            "Name": st.column_config.TextColumn(max_chars=120, required=True),
            "Job title": st.column_config.TextColumn(max_chars=120),
            "Roles": st.column_config.TextColumn(width="large", help="Edit holders in the roles table above")},
            disabled=["ID", "Roles"], height=min(420, 38 + 35 * len(pframe)))
        editing.save_bar(ppending, lambda changes, base: roles.save_people(con, ws_id, changes, base=base),
                         "gov_people", pframe, pcols, message=counted("people"))
    if chrome.may_edit():
        c = st.columns(2)
        with c[0].expander("Add a person", icon=":material/person_add:", expanded=people_df.empty):
            fv = chrome.form_version("gov_person_add")
            with st.form(f"gov_person_add_{fv}"):
                cc = st.columns(2)
                pname = cc[0].text_input("Name *", max_chars=120, key=f"gov_person_add_name_{fv}")
                ptitle = cc[1].text_input("Job title", max_chars=120, key=f"gov_person_add_title_{fv}")
                proles = st.multiselect("Roles", list(role_df["id"]), format_func=dict(zip(role_df["id"], role_df["name"])).get,
                                        key=f"gov_person_add_roles_{fv}")
                if st.form_submit_button("Add person", type="primary"):
                    def add_with_roles():
                        # One transaction: the person and their role assignments are saved together or not at all.
                        with db.transaction(con) as tx:
                            pid = roles.add_person(tx, ws_id, {"name": pname, "job_title": ptitle})
                            held = role_df.set_index("id")["holders"]
                            roles.save_roles(tx, ws_id, {r: {"holders": list(held[r]) + [pid]} for r in proles})
                    try_write(add_with_roles, f"Added {pname.strip()}.", form="gov_person_add")
        with c[1].expander("Remove a person", icon=":material/person_remove:"):
            remove_picker("Person", dict(zip(people_df["id"], people_df["label"])), "gov_person_remove",
                          empty="There is nobody to remove.",
                          note="Their role assignments and training attendance are removed with them.",
                          delete=lambda pid: roles.delete_person(con, ws_id, pid), done="Removed {}.")

    st.subheader("RACI matrix")
    st.caption("R responsible (does the work) · A accountable (answers for it; exactly one per activity) · "
               "C consulted · I informed · A/R accountable and doing the work · – not involved.")
    if role_df.empty:
        st.info("Add roles first: the matrix has one row per role and one column per activity.", icon=":material/info:")
    else:
        problems = roles.raci_problems(roles.raci(con, ws_id), role_df)
        if problems.empty:
            st.success("Every activity has exactly one accountable role, a responsible role and someone holding "
                       "the accountable role.", icon=":material/task_alt:")
        else:
            st.warning(f"**{problems['activity'].nunique()} activit{'ies need' if problems['activity'].nunique() != 1 else 'y needs'} "
                       "attention:**\n" + "\n".join(f"- {a}: {chrome.plain(p)}"      # problems name roles
                                              for a, p in zip(problems["activity"], problems["problem"])),
                       icon=":material/warning:")
        # Roles down the side and one group of activities across, a tab per group: short headers
        # keep a group on one 1440 px screen.
        cells = roles.raci(con, ws_id)
        lookup = {(r, a): letter for a, r, letter in cells.itertuples(index=False)}
        groups = roles.activity_groups()
        members = {g.id: [a for a in roles.activities() if a.group == g.id] for g in groups}
        flagged = set(problems["activity_id"])
        labels = []
        for g in groups:
            k = sum(a.id in flagged for a in members[g.id])
            labels.append(f"{g.name} ({len(members[g.id])})" + (f" · {k} to fix" if k else ""))
        for g, tab in zip(groups, st.tabs(labels)):
            with tab:
                raci_group(con, ws_id, role_df, lookup, g, members[g.id])


def raci_group(con, ws_id: int, role_df: pd.DataFrame, lookup: dict, group, acts: list) -> None:
    """The RACI editor of one group of activities (roles down the side), with its own save bar."""
    act_cols = {a.short: a.id for a in acts}
    rframe = pd.DataFrame({"ID": role_df["id"], "Role": role_df["name"],
                           "People": role_df["holder_count"].astype(int)})
    for a in acts:
        rframe[a.short] = [lookup.get((rid, a.id), "–") for rid in role_df["id"]]
    rpending = f"gov_raci_pending_{ws_id}_{group.id}"
    config = {"ID": None, "Role": st.column_config.TextColumn(width="medium", pinned=True),
              "People": st.column_config.NumberColumn(width=64, help="How many people hold the role")}
    for a in acts:      # as wide as the header with its edit icon needs, and no wider
        config[a.short] = st.column_config.SelectboxColumn(
            a.short, options=["–"] + list(roles.RACI_LETTERS), width=max(72, 7 * len(a.short) + 42), required=True,
            help=f"{a.name} ({', '.join(a.requirements)})")
    st.caption(group.note)
    editing.pending_editor(rframe, rpending, act_cols, key=f"gov_raci_{ws_id}_{group.id}", column_config=config,
                           disabled=["ID", "Role", "People"], height=min(560, 38 + 35 * len(rframe)))
    st.caption("Columns: " + " · ".join(f"**{a.short}** {a.name} ({', '.join(a.requirements)})" for a in acts))

    def by_activity(cells: dict) -> dict:      # the editor is keyed by role; save_raci by activity
        out: dict = {}
        for rid, row_cells in cells.items():
            for act, letter in row_cells.items():
                out.setdefault(act, {})[rid] = "" if letter in (None, "–") else letter
        return out

    editing.save_bar(rpending, lambda changes, base: roles.save_raci(con, ws_id, by_activity(changes),
                                                                     base=by_activity(base)),
                     f"gov_raci_{group.id}", rframe, act_cols, message=counted("Saved {n} RACI letter{s}."))


def training_tab(con, ws: dict, cat) -> None:
    """Coverage per role and topic, sessions, attendance."""
    ws_id = int(ws["id"])
    role_df = roles.roles(con, ws_id)
    sess = training.sessions(con, ws_id)
    st.subheader("Coverage by role")
    st.caption("Everyone holding a role in a session's audience needs its topic. A person counts as trained when "
               "they completed a session on that topic; attended without completing, absent or only invited does "
               "not count. Evidence for 7.2 (competence) and 7.3 (awareness).")
    cov = training.coverage(con, ws_id)
    if cov.empty:
        st.info("No training recorded yet. Add a session below and record who completed it.", icon=":material/info:")
    else:
        shown = pd.DataFrame({"Topic": cov["topic"], "Kind": cov["kind"].map(training.KIND_LABELS),
                              "Role": cov["role"], "Coverage": cov["pct"], "In words": cov["label"]})
        st.dataframe(shown, hide_index=True, key="gov_training_coverage", column_config={
            "Topic": st.column_config.TextColumn(width="medium"),
            "Kind": st.column_config.TextColumn(width=130),
            "Coverage": st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100, width="small"),
            "In words": st.column_config.TextColumn(width="large")}, placeholder="")

    st.subheader("Sessions")
    if not sess.empty:
        st.dataframe(pd.DataFrame({
            "ID": sess["id"], "Date": sess["held_on"], "Topic": sess["topic"], "Kind": sess["kind"].map(training.KIND_LABELS),
            "Trainer": sess["trainer"],
            "Attendance": [" · ".join(f"{n} {st_}" for st_, n in zip(training.ATTENDANCE, counts) if n) or "none recorded"
                           for counts in zip(*(sess[c] for c in training.ATTENDANCE))],
            "Audience": sess["audience_names"]}),
            hide_index=True, key="gov_training_sessions", column_config={
                "ID": st.column_config.TextColumn(width="small"),
                "Date": st.column_config.DateColumn(format="YYYY-MM-DD", width=105),
                "Topic": st.column_config.TextColumn(width="medium"),
                "Attendance": st.column_config.TextColumn(width="medium"),
                "Audience": st.column_config.TextColumn(width="large")}, placeholder="")
    role_names = dict(zip(role_df["id"], role_df["name"]))
    if chrome.may_edit():
        with st.expander("Add a session", icon=":material/add:", expanded=sess.empty and not role_df.empty):
            if role_df.empty:
                st.caption("Add roles on the Roles and RACI tab first: a session is aimed at roles.")
            else:
                fv = chrome.form_version("gov_session_add")
                with st.form(f"gov_session_add_{fv}"):
                    c = st.columns([3, 1.4, 1.2])
                    topic = c[0].text_input("Topic *", max_chars=200, key=f"gov_session_topic_{fv}",
                                            placeholder="e.g. Bias and fairness testing")
                    kind = c[1].selectbox("Kind", training.KINDS, format_func=training.KIND_LABELS.get, key=f"gov_session_kind_{fv}")
                    held_on = c[2].date_input("Date", None, format="YYYY-MM-DD", key=f"gov_session_date_{fv}")
                    c = st.columns([3, 2])
                    audience = c[0].multiselect("Audience (roles) *", list(role_names), format_func=role_names.get,
                                                key=f"gov_session_audience_{fv}")
                    trainer = c[1].selectbox("Trainer", chrome.owner_options(con, ws_id)[1:], index=None, accept_new_options=True,
                                             placeholder="Pick or type a name", key=f"gov_session_trainer_{fv}")
                    notes = st.text_input("Notes", max_chars=5000, key=f"gov_session_notes_{fv}")
                    if st.form_submit_button("Add session", type="primary"):
                        session = {"topic": topic, "kind": kind, "held_on": held_on, "audience": audience,
                                   "trainer": trainer or "", "notes": notes}
                        try_write(lambda: chrome.with_owners(con, ws_id, [trainer],
                                                             lambda tx: training.add_session(tx, ws_id, session)),
                                  f"Added the session {topic.strip()}.", form="gov_session_add")

    if not sess.empty:
        st.subheader("Attendance")
        labels = {r.id: f"{r.id} · {r.held_on or 'no date'} · {r.topic}" for r in sess.itertuples()}
        sid = st.selectbox("Session", list(labels), format_func=labels.get, key="gov_attendance_session")
        row = sess.set_index("id").loc[sid]
        future = row["held_on"] is None or row["held_on"] > date.today()
        st.caption(f"Audience: {chrome.plain(row['audience_names'])}. People holding an audience role are listed first."
                   + (" The session has not taken place yet: only 'invited' can be recorded." if future else ""))
        sheet = training.attendance(con, ws_id, sid)
        aframe = pd.DataFrame({"ID": sheet["person_id"], "Person": sheet["person"], "Roles": sheet["roles"],
                               "Expected": sheet["expected"], "Status": sheet["status"]})
        apending = f"gov_att_pending_{ws_id}_{sid}"
        acols = {"Status": "status"}
        editing.pending_editor(aframe, apending, acols, key=f"gov_att_{ws_id}_{sid}", column_config={
            "ID": None, "Person": st.column_config.TextColumn(width="medium"),
            "Roles": st.column_config.TextColumn(width="large"),
            "Expected": st.column_config.CheckboxColumn(width=95, help="Holds a role in the session's audience"),
            "Status": st.column_config.SelectboxColumn(options=list(training.ATTENDANCE), width=125,
                                                       help="Only 'completed' counts as trained")},
            disabled=["ID", "Person", "Roles", "Expected"], height=min(460, 38 + 35 * len(aframe)))

        def save_attendance(changes: dict, base: dict) -> int:
            return training.save_attendance(con, ws_id, sid, {p: (c.get("status") or "") for p, c in changes.items()},
                                            base={p: (c.get("status") or "") for p, c in base.items()})
        editing.save_bar(apending, save_attendance, "gov_att", aframe, acols,
                         message=counted("Saved {n} attendance record{s}."))

        if chrome.may_edit():
            with st.expander(f"Edit or delete session {sid}", icon=":material/edit:"):
                form = f"gov_session_edit_{sid}"
                k, shown = conflicts.opened(form, {"topic": row["topic"], "kind": row["kind"], "held_on": row["held_on"],
                                                   "audience": [a for a in row["audience"] if a in role_names],
                                                   "trainer": row["trainer"], "notes": row["notes"]})
                with st.form(k):
                    c = st.columns([3, 1.4, 1.2])
                    e_topic = c[0].text_input("Topic *", shown["topic"], max_chars=200, key=f"{k}_topic")
                    e_kind = c[1].selectbox("Kind", training.KINDS, index=training.KINDS.index(shown["kind"]),
                                            format_func=training.KIND_LABELS.get, key=f"{k}_kind")
                    e_date = c[2].date_input("Date", shown["held_on"], format="YYYY-MM-DD", key=f"{k}_date")
                    c = st.columns([3, 2])
                    e_aud = c[0].multiselect("Audience (roles) *", list(role_names), default=shown["audience"],
                                             format_func=role_names.get, key=f"{k}_aud")
                    e_trainer = c[1].text_input("Trainer", shown["trainer"], max_chars=200, key=f"{k}_trainer")
                    e_notes = st.text_input("Notes", shown["notes"], max_chars=5000, key=f"{k}_notes")
                    submitted = st.form_submit_button("Save session", type="primary")
                conflicts.submit(form, sid, {"topic": e_topic, "kind": e_kind, "held_on": e_date, "audience": e_aud,
                                             "trainer": e_trainer, "notes": e_notes} if submitted else None, shown,
                                 lambda data, base: training.update_session(con, ws_id, sid, data, base=base),
                                 lambda n: chrome.fields_saved(n, f"session {sid}"))
                if st.button(f"Delete session {sid} and its attendance", key=f"gov_session_delete_{sid}"):
                    try_write(lambda: training.delete_session(con, ws_id, sid), f"Deleted session {sid}.")



def overview_section(con, ws: dict, cat) -> None:
    """The compact governance panel of the overview: policy status, required documents approved and
    records available (from the register), training coverage and the RACI check, with links."""
    st.subheader("Governance records")
    gov = chrome.cached(governance.snapshot, con, ws["id"], cat)
    pol, s1, tr = gov["policy"], gov["stage1"], gov["training"]
    if pol["approved_version"]:
        pol_help = (f"Endorsed by {chrome.plain(pol['endorsed_by'])} on {pol['approved_on']}; next review {pol['next_review']}"
                    + (" (overdue)." if pol["review_overdue"] else "."))
    else:
        pol_help = "No approved AI policy yet."
    if pol["working_version"]:
        pol_help += f" Version {pol['working_version']} is {pol['working_status']}."
    g = st.columns(4)
    g[0].metric("AI policy", pol["label"] + (" (review overdue)" if pol["review_overdue"] else ""), border=True,
                help=pol_help)
    g[1].metric("Documents and records in place", chrome.pct(s1["pct"]), border=True,
                help=f"{s1['in_place']} of {s1['required']} in place: {s1['approved']} of {s1['documents']} required "
                     f"documents approved ({s1['draft']} draft), {s1['available']} of {s1['records']} required records "
                     f"available ({s1['partial']} partial); {s1['missing']} missing.")
    g[2].metric("Training coverage", chrome.pct(tr["pct"]), border=True,
                help=f"{tr['completed']} of {tr['required']} trainings people need through their roles are completed.")
    g[3].metric("RACI check", "–" if gov["raci_problems"] is None else
                ("consistent" if not gov["raci_problems"] else f"{gov['raci_problems']} to fix"), border=True,
                help="Every activity needs exactly one accountable role and a responsible role.")
    links = st.columns([1, 1, 3])
    links[0].page_link("pages/governance.py", label="Policy, roles and training", icon=":material/arrow_forward:",
                       query_params={"ws": str(ws["id"])})
    links[1].page_link("pages/documents.py", label="Document register", icon=":material/arrow_forward:",
                       query_params={"ws": str(ws["id"])})
