"""Command line: python -m aims <command> [options].

  demo     recreate the demo workspace
  backup   copy the database file to a dated backup (while no app holds it)
  check    validate the catalogue files and report the counts

Every command takes --db PATH (default: AIMS_DB, else data/aims.duckdb). Exit status is 0 on
success, 1 on a user-facing error (message on stderr), 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import sys

from . import catalog, db, demo
from .backup import backup_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m aims", description="AIMS Workbench command line")
    ap.add_argument("--db", help="database file (default: AIMS_DB or data/aims.duckdb)")
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="recreate the demo workspace")
    b = sub.add_parser("backup", help="copy the database file to data/backups/ (or --out)")
    b.add_argument("--out", help="backup file to write")
    sub.add_parser("check", help="validate the catalogue and print its counts")
    args = ap.parse_args(argv)
    path = args.db or db.database_path()
    try:
        if args.command == "check":
            cat = catalog.load()
            kinds = [r.kind for r in cat.requirements.values()]
            print(f"{cat.name} content {cat.version}: {kinds.count('clause')} clause requirements, "
                  f"{kinds.count('control')} Annex A controls, {len(cat.objectives)} Annex C objectives, "
                  f"{len(cat.risk_sources)} risk sources")
        elif args.command == "demo":
            con = db.open_database(path)
            ws_id = demo.create(con, catalog.load(), replace=True)
            con.close()
            print(f"Demo workspace recreated (id {ws_id}) in {path}")
        elif args.command == "backup":
            out = backup_file(path, args.out)
            print(f"Backup written: {out}")
    except (db.DatabaseLockedError, catalog.CatalogError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
