"""Command line: python -m aims <command> [options].

  demo     recreate the demo workspace
  backup   copy the database file to a dated backup (while no app holds it)
  check    validate the catalogue files and report the counts
  export   write the Excel engagement workbook of a workspace (--workspace NAME --out FILE.xlsx)
  import   import an edited workbook (FILE --workspace NAME [--dry-run] [--yes-delete] [--map-other-workspace])
  evidence-pack   write the auditor's evidence pack, a ZIP of evidence files with an index workbook
           (--workspace NAME --out FILE.zip [--requirements 5.2,A.6.2.4 | --audit AU-001])
  report   write the client report PDF of a workspace (--workspace NAME --out FILE.pdf [--baseline NAME]
           [--summary] [--assessor NAME] [--version V])
  baseline list the baselines of a workspace, take one, or write a comparison workbook
           (--workspace NAME [--take NAME [--note TEXT]] [--compare FROM [--to NAME] --out FILE.xlsx])
  minutes  write the minutes of a workshop as PDF or Excel (--workspace NAME --workshop WS-001 --out FILE.pdf|.xlsx)
  bench    build a synthetic consultancy-scale database and time every screen (--size tiny|full)

Every command takes --db PATH (default: AIMS_DB, else data/aims.duckdb) and --as EMAIL: act as
that person, with their workspaces and roles (see aims.access). When sign-in is configured for
the installation (an [auth] section in .streamlit/secrets.toml) --as is required, and backup is
for administrators only. Exit status is 0 on success, 1 on a user-facing error (message on
stderr), 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import sys

from aims.access import identity, members, settings
from aims.catalog import standard as catalog
from aims.demo import client as demo
from aims.store import db
from aims.store.backup import backup_file
from aims.store.files import FileProblem


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # the benchmark has its own options and never touches --db
        from aims.ui import benchmark  # it drives the app through Streamlit's AppTest
        return benchmark.main(argv[1:])
    ap = argparse.ArgumentParser(prog="python -m aims", description="AIMS Workbench command line")
    ap.add_argument("--db", help="database file (default: AIMS_DB or data/aims.duckdb)")
    ap.add_argument("--as", dest="as_email", metavar="EMAIL",
                    help="act as this person: only their workspaces, only what their role allows (required when "
                         "sign-in is configured)")
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="recreate the demo workspace")
    b = sub.add_parser("backup", help="copy the database file to data/backups/ (or --out)")
    b.add_argument("--out", help="backup file to write")
    sub.add_parser("check", help="validate the catalogue and print its counts")
    sub.add_parser("bench", help="time every screen on a synthetic large database (see --help of bench)")
    _workbook_parsers(sub)
    _evidence_parser(sub)
    _report_parser(sub)
    _baseline_parser(sub)
    _minutes_parser(sub)
    args = ap.parse_args(argv)
    path = args.db or db.database_path()
    try:
        actor = _actor(args)
    except (ValueError, OSError) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 1
    with identity.acting(actor):
        return _run(args, path, actor)


def _actor(args) -> identity.Actor:
    """Who the command acts as: --as, else the local user; refused without --as when sign-in is
    configured (the command line then respects the same workspaces and roles as the app)."""
    team = settings.load()
    if args.as_email:
        actor = team.person(args.as_email)
        if not members.EMAIL.match(actor.email):
            raise ValueError(f"--as needs the email address a person signs in with, not {args.as_email!r}")
        return actor
    if team.sign_in:
        raise ValueError("sign-in is configured for this installation: say who you are with --as EMAIL "
                         "(your workspaces and role apply)")
    return identity.LOCAL


def _run(args, path: str, actor: identity.Actor) -> int:
    if args.command in ("export", "import"):
        return _workbook_command(args, path)
    if args.command == "evidence-pack":
        return _evidence_pack_command(args, path)
    if args.command == "report":
        return _report_command(args, path, actor)
    if args.command == "baseline":
        return _baseline_command(args, path)
    if args.command == "minutes":
        return _minutes_command(args, path)
    try:
        if args.command == "check":
            cat = catalog.load()
            kinds = [r.kind for r in cat.requirements.values()]
            print(f"{cat.name} content {cat.version}: {kinds.count('clause')} clause requirements, "
                  f"{kinds.count('control')} Annex A controls, {len(cat.objectives)} Annex C objectives, "
                  f"{len(cat.risk_sources)} risk sources")
            from aims.ai_systems import classification, impact
            from aims.governance import content as governance_catalog
            from aims.risk import library as risk_library
            from aims.roadmap import phases as roadmap_phases
            print(f"EU AI Act rules: {len(classification.rules().questions)} questions, "
                  f"{len(classification.rules().obligations)} obligations; impact questionnaire: "
                  f"{len(impact.questions())} questions; risk library: {len(risk_library.library())} risks; "
                  f"roadmap phases: {len(roadmap_phases.template().phases)}; governance: "
                  f"{len(governance_catalog.load().roles)} standard roles")
        elif args.command == "demo":
            con = db.open_database(path)
            ws_id = demo.create(con, catalog.load(), replace=True)
            con.close()
            print(f"Demo workspace recreated (id {ws_id}) in {path}")
        elif args.command == "backup":
            members.require_admin("back up the database, which holds every workspace", actor)
            out = backup_file(path, args.out)
            print(f"Backup written: {out}")
    except (db.DatabaseLockedError, FileProblem, catalog.CatalogError, OSError, ValueError) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 1
    return 0


def _said(exc: Exception) -> str:
    """One line for an error: an operating-system error ("[Errno 21] ...") as its file and reason."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot use {exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return " ".join(str(exc).split())


def _workbook_parsers(sub) -> None:
    """The Excel workbook commands (issue 7): export and import."""
    e = sub.add_parser("export", help="write the engagement workbook (.xlsx) of a workspace")
    e.add_argument("--workspace", required=True, help="workspace name")
    e.add_argument("--out", required=True, help="the .xlsx file to write")
    e.add_argument("--soa-only", action="store_true", help="only the Statement of Applicability")
    i = sub.add_parser("import", help="import an edited workbook into a workspace (backs the database up first)")
    i.add_argument("file", help="the edited .xlsx workbook")
    i.add_argument("--workspace", required=True, help="workspace name")
    i.add_argument("--dry-run", action="store_true", help="validate and show the changes; write nothing")
    i.add_argument("--yes-delete", action="store_true", help="also delete the records whose rows were deleted in Excel")
    i.add_argument("--map-other-workspace", action="store_true",
                   help="apply a workbook exported from another workspace to this one (its rows land on the "
                        "records with the same IDs)")


def _workbook_command(args, path: str) -> int:
    """Run export or import; 0 on success, 1 with every problem on stderr."""
    from pathlib import Path

    from aims.common.validate import ValidationError
    from aims.workbook import export, importer, soa

    con = None
    try:
        if args.command == "import" and not Path(args.file).is_file():
            raise ValidationError(f"There is no file {args.file}.")
        if not Path(path).exists():
            raise ValidationError(f"There is no database file at {path}; give --db or set AIMS_DB.")
        con = db.open_database(path)
        ws_id = _workspace_id(con, args.workspace)
        if args.command == "export":
            out = Path(args.out)
            if out.suffix.lower() != ".xlsx":
                raise ValidationError(f"--out must name an .xlsx file, not {out.name!r}.")
            _check_writable_target(out)
            import time
            started = time.perf_counter()
            data = (soa.standalone(export.context(con, ws_id)) if args.soa_only else export.build(con, ws_id))
            _write_whole(out, data)
            print(f"Workbook written: {out} ({len(data) / 1024:.0f} KB in {time.perf_counter() - started:.1f} s)")
            return 0
        data = Path(args.file).read_bytes()
        plan = importer.plan(con, ws_id, data, allow_other_workspace=args.map_other_workspace)
        for line in importer.describe(plan):
            print(line)
        counts = plan.counts()
        if args.dry_run:
            print(f"Dry run: nothing written ({counts['added']} to add, {counts['changed']} to change, "
                  f"{counts['deleted']} deleted in Excel).")
            return 0
        result = importer.apply(con, ws_id, data, delete=args.yes_delete, db_path=path,
                                allow_other_workspace=args.map_other_workspace)
        print(f"Imported: {result['added']} added, {result['changed']} changed ({result['fields']} fields), "
              f"{result['deleted']} deleted." + (f" Backup: {result['backup']}" if result["backup"] else "")
              + (f" Baseline {result['baseline']} keeps the state before the import." if result["baseline"] else ""))
        if result["deletions_blocked"]:
            print(f"{result['deletions_blocked']} record(s) could not be deleted (see the warnings above).")
        if result["deletions_skipped"]:
            print(f"{result['deletions_skipped']} record(s) deleted in Excel were kept; "
                  "run again with --yes-delete to delete them.")
        return 0
    except ValidationError as exc:
        from aims.workbook import problems
        print("error: nothing was " + ("written" if args.command == "export" else "imported") + ":", file=sys.stderr)
        for problem in problems.first(exc.problems):
            print(f"  - {problem}", file=sys.stderr)
        if isinstance(exc, importer.OtherWorkspace):
            print("  (to map it onto this workspace anyway, run again with --map-other-workspace)", file=sys.stderr)
        return 1
    except (db.DatabaseLockedError, FileProblem, OSError) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 1
    finally:
        if con is not None:
            con.close()


def _workspace_id(con, name: str) -> int:
    """The ID of the workspace named `name` (case-insensitive) among those the actor may open;
    ValidationError naming the ones there are."""
    from aims.common.validate import ValidationError
    from aims.store import workspaces

    found = workspaces.list_all(con, include_archived=True)
    mine = members.visible_ids(con)
    if mine is not None:            # a person sees only the workspaces they are a member of
        found = found[found["id"].astype(int).isin(mine)]
    hit = found[found["name"].str.casefold() == name.strip().casefold()]
    if hit.empty:
        raise ValidationError(f"There is no workspace named {name!r}. Workspaces: "
                              + (", ".join(repr(n) for n in found["name"]) or "none"))
    return int(hit.iloc[0]["id"])


def _evidence_parser(sub) -> None:
    """The evidence pack command (issue 16)."""
    e = sub.add_parser("evidence-pack", help="write the auditor's evidence pack (.zip) of a workspace")
    e.add_argument("--workspace", required=True, help="workspace name")
    e.add_argument("--out", required=True, help="the .zip file to write")
    scope = e.add_mutually_exclusive_group()
    scope.add_argument("--requirements", metavar="IDS", help="only these requirements, e.g. 5.2,A.6.2.4 "
                       "(default: every applicable requirement)")
    scope.add_argument("--audit", metavar="AUDIT_ID", help="the scope of one audit, e.g. AU-001")


def _evidence_pack_command(args, path: str) -> int:
    """Write the evidence pack; 0 on success (files missing on disk are listed on stderr and in
    the index), 1 with the problems on stderr."""
    from pathlib import Path

    from aims.audit import evidence_pack
    from aims.common.validate import ValidationError
    from aims.store import blobs

    def body(opened: _Opened) -> int:
        out = Path(args.out)
        if out.suffix.lower() != ".zip":
            raise ValidationError(f"--out must name a .zip file, not {out.name!r}.")
        _check_writable_target(out)
        con = opened.open()
        ws_id = _workspace_id(con, args.workspace)
        evidence_pack.plan(con, ws_id, requirements=args.requirements, audit_id=args.audit)   # refuse before writing
        try:
            pack = blobs.write_whole(out, lambda f: evidence_pack.write(con, ws_id, f, requirements=args.requirements,
                                                                        audit_id=args.audit))
        except OSError as exc:
            raise ValidationError(f"Cannot write {out}: {exc.strerror or exc}. Give --out a file in a folder this "
                                  "user can write to, with room for the pack.") from exc
        print(f"Evidence pack written: {out} ({len(pack.included)} files for {len(pack.requirements)} requirements; "
              f"scope: {pack.scope})")
        if pack.missing:
            print(f"warning: {len(pack.missing)} file(s) missing from the evidence folder, listed in the index and "
                  f"left out of the pack: {', '.join(pack.missing)}", file=sys.stderr)
        return 0
    return _reported(path, "no evidence pack was written", body)


def _report_parser(sub) -> None:
    """The client report command (issue 17)."""
    r = sub.add_parser("report", help="write the client report (.pdf) of a workspace")
    r.add_argument("--workspace", required=True, help="workspace name")
    r.add_argument("--out", required=True, help="the .pdf file to write")
    r.add_argument("--baseline", metavar="NAME", help="add the progress since this baseline (its name or ID)")
    r.add_argument("--summary", action="store_true", help="the one-page management summary instead of the full report")
    r.add_argument("--assessor", help="the assessor named on the cover (default: who runs the command)")
    r.add_argument("--version", default="1.0", help="the report version on the cover (default 1.0)")


def _report_command(args, path: str, actor) -> int:
    """Write the report; 0 on success, 1 with the problem on stderr (nothing written)."""
    import time
    from pathlib import Path

    from aims.common.validate import ValidationError
    from aims.progress import baselines
    from aims.reports import client_report, report_data, summary_pdf

    def body(opened: _Opened) -> int:
        out = Path(args.out)
        if out.suffix.lower() != ".pdf":
            raise ValidationError(f"--out must name a .pdf file, not {out.name!r}.")
        _check_writable_target(out)
        con = opened.open()
        ws_id = _workspace_id(con, args.workspace)
        baseline_id = None
        if args.baseline:
            baseline_id = baselines.find(con, ws_id, args.baseline)
            if baseline_id is None:
                names = baselines.listing(con, ws_id)["name"]
                raise ValidationError(f"There is no baseline named {args.baseline!r} in {args.workspace!r}. "
                                      "Baselines: " + (", ".join(repr(n) for n in names) or "none"))
        started = time.perf_counter()
        assessor = args.assessor if args.assessor is not None else (actor.name or actor.email or db.local_user(con) or "")
        data = report_data.gather(con, ws_id, catalog.load(), assessor=assessor, version=args.version,
                                  baseline_id=baseline_id)
        pdf = summary_pdf.build(data) if args.summary else client_report.build(data)
        _write_whole(out, pdf)
        print(f"{'Management summary' if args.summary else 'Report'} written: {out} "
              f"({len(pdf) / 1024:.0f} KB in {time.perf_counter() - started:.1f} s)")
        return 0
    return _reported(path, "no report was written", body)


def _minutes_parser(sub) -> None:
    """The workshop minutes command (issue 19)."""
    m = sub.add_parser("minutes", help="write the minutes of a workshop (.pdf or .xlsx)")
    m.add_argument("--workspace", required=True, help="workspace name")
    m.add_argument("--workshop", required=True, metavar="ID", help="the workshop's ID, e.g. WS-001")
    m.add_argument("--out", required=True, help="the .pdf or .xlsx file to write")


def _minutes_command(args, path: str) -> int:
    """Write a workshop's minutes; 0 on success, 1 with the problem on stderr (nothing written)."""
    from pathlib import Path

    from aims.common.validate import ValidationError
    from aims.reports import minutes_pdf
    from aims.store import workspaces
    from aims.workbook import minutes as minutes_book
    from aims.workshop import minutes as workshop_minutes

    def body(opened: _Opened) -> int:
        out = Path(args.out)
        kind = out.suffix.lower()
        if kind not in (".pdf", ".xlsx"):
            raise ValidationError(f"--out must name a .pdf or .xlsx file, not {out.name!r}.")
        _check_writable_target(out)
        con = opened.open()
        ws_id = _workspace_id(con, args.workspace)
        ws = workspaces.get(con, ws_id)
        m = workshop_minutes.minutes(con, ws_id, catalog.load(), args.workshop.strip().upper())
        data = (minutes_pdf.build(m, ws, workspaces.brand(con, ws_id)) if kind == ".pdf"
                else minutes_book.build(m, ws["name"]))
        _write_whole(out, data)
        s = m["summary"]
        print(f"Minutes written: {out} ({m['workshop']['id']} {m['workshop']['title']!r}, {m['workshop']['status']}; "
              f"{s['covered']} of {s['items']} items covered, {s['actions']} actions, {s['parked']} parked questions)")
        return 0
    return _reported(path, "no minutes were written", body)


class _Opened:
    """The database a command opens (at most one), closed by _reported when the command ends."""

    def __init__(self, path: str):
        self.path, self.con = path, None

    def open(self):
        from pathlib import Path

        from aims.common.validate import ValidationError
        from aims.store import postgres
        if not postgres.is_url(self.path) and not Path(self.path).exists():
            raise ValidationError(f"There is no database file at {self.path}; give --db or set AIMS_DB.")
        self.con = db.open_database(self.path)
        return self.con


def _reported(path: str, failed: str, body) -> int:
    """Run a command's `body(opened)`: its exit status, or 1 with the problems on stderr under
    'error: <failed>:' (a ValidationError: nothing was written) or in one line (a locked or
    unreadable database, a file that cannot be written). The database it opened is closed."""
    from aims.common.validate import ValidationError
    opened = _Opened(path)
    try:
        return body(opened)
    except ValidationError as exc:
        print(f"error: {failed}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except (db.DatabaseLockedError, FileProblem, OSError) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 1
    finally:
        if opened.con is not None:
            opened.con.close()


def _check_writable_target(out) -> None:
    """Raise ValidationError, before the work starts, when no file can be written at `out`."""
    from aims.common.validate import ValidationError

    blocker = next((a for a in [out, *out.parents] if a.exists()), None)
    if blocker == out and not out.is_file():
        raise ValidationError(f"Cannot write {out}: it is a folder or a device, not a file. Give --out a file name.")
    if blocker is not None and blocker != out and not blocker.is_dir():
        raise ValidationError(f"Cannot write {out}: {blocker} is a file, not a folder. Give --out a path in a folder.")


def _write_whole(out, data: bytes) -> None:
    """Write `data` under a temporary name beside `out`, then rename: `out` is complete or untouched."""
    import os

    from aims.common.validate import ValidationError

    partial = out.with_name(f".{out.name}.{os.getpid()}.incomplete")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, out)
    except OSError as exc:
        raise ValidationError(f"Cannot write {out}: {exc.strerror or exc}. Give --out a file in a folder this user "
                              "can write to, with room for the workbook.") from exc
    finally:
        partial.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())


def _baseline_parser(sub) -> None:
    b = sub.add_parser("baseline", help="list, take or compare the baselines of a workspace")
    b.add_argument("--workspace", required=True, help="workspace name")
    b.add_argument("--take", metavar="NAME", help="take a baseline of the workspace now, named NAME")
    b.add_argument("--note", default="", help="a note kept with the baseline taken")
    b.add_argument("--compare", metavar="FROM", help="compare this baseline (name or ID) with --to, or with now")
    b.add_argument("--to", metavar="NAME", help="the later baseline to compare with (default: the workspace now)")
    b.add_argument("--out", help="the .xlsx file the comparison is written to (with --compare)")


def _baseline_command(args, path: str) -> int:
    """List, take or compare baselines; 0 on success, 1 with the problem on stderr."""
    from pathlib import Path

    from aims.common.validate import ValidationError
    from aims.progress import baselines, compare
    from aims.store import workspaces
    from aims.workbook import comparison

    def body(opened: _Opened) -> int:
        if args.compare and not args.out:
            raise ValidationError("--compare needs --out FILE.xlsx.")
        if args.out and Path(args.out).suffix.lower() != ".xlsx":
            raise ValidationError(f"--out must name a .xlsx file, not {Path(args.out).name!r}.")
        con = opened.open()
        ws_id = _workspace_id(con, args.workspace)
        ws = workspaces.get(con, ws_id)
        cat = catalog.load()

        def known(name: str) -> str:
            bid = baselines.find(con, ws_id, name)
            if bid is None:
                names = baselines.listing(con, ws_id)["name"]
                raise ValidationError(f"There is no baseline named {name!r} in {args.workspace!r}. "
                                      "Baselines: " + (", ".join(repr(n) for n in names) or "none"))
            return bid

        if args.compare:        # names checked before anything is taken or written
            before, after = known(args.compare), known(args.to) if args.to else None
            _check_writable_target(Path(args.out))
        if args.take:
            bid = baselines.take(con, ws_id, args.take, cat, int(ws["default_target"]), args.note)
            print(f"Baseline {bid} {args.take.strip()} taken.")
        if args.compare:
            c = compare.between(con, ws_id, cat, int(ws["default_target"]), before, after)
            out = Path(args.out)
            _write_whole(out, comparison.build(c, ws["name"]))
            fig = c["figures"].set_index("metric")
            print(f"Comparison written: {out} (readiness {fig.loc['readiness_pct', 'before']} % -> "
                  f"{fig.loc['readiness_pct', 'after']} %; {c['counts']['requirements']} requirements changed)")
        if not args.take and not args.compare:
            listed = baselines.listing(con, ws_id)
            if listed.empty:
                print(f"No baselines in {args.workspace!r} yet.")
            for r in listed.to_dict("records"):
                print(f"{r['id']}  {r['taken_at']:%Y-%m-%d %H:%M}  {r['name']}  (readiness "
                      f"{'-' if r['readiness_pct'] != r['readiness_pct'] else r['readiness_pct']} %, {r['kind']})")
        return 0
    return _reported(path, "nothing was written", body)
