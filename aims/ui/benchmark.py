"""`python -m aims bench`: measure every screen and the workbook at consultancy scale.

It is part of the Streamlit layer because it drives the app through Streamlit's AppTest; the
data it measures on comes from aims/demo/bench.py.

Builds a seeded synthetic database (bench_data) in a temporary folder, then measures, as
medians with the spread (min-max) over repeated runs:
- the script run of every page on the largest workspace through AppTest (the app's own entry
  point, as a browser session runs it), warm (reruns with no data change, the common case) and
  cold (the first run after a change, made by writing a change-log row), and an empty page as the floor;
- interactions that only change a filter or select a row;
- opening the app on an existing database (migrations applied, catalogue loaded);
- the full workbook export, a bare openpyxl write of the same cells (the floor), an import
  dry run and the import apply of that workbook;
- the client report PDF and the one-page summary (data gathered and laid out);
- taking a baseline (the whole assessment frozen and stored), its stored size, and comparing it
  with now;
- peak memory of the process.
Prints a table and writes JSON, so two commits can be compared.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]   # the project: app.py and pages/


def timed(fn: Callable[[], object], repeat: int) -> dict:
    """Run fn `repeat` times; median and spread in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
            "max_ms": round(max(samples), 1), "runs": repeat}


def pages() -> list[str]:
    """Every screen's script, as the navigation lists them."""
    from aims.ui import chrome
    return sorted(script for items in chrome.SECTIONS.values() for script, *_ in items)


# (page, what, how, opened): interactions that only change a filter or select a row. how(at, ids)
# changes the widget; ids holds the first risk and AI system of the workspace; opened(at, ids),
# when given, checks that the record was really opened.
def _subheader_with(key: str) -> Callable:
    return lambda at, ids: any(ids[key] in h.value for h in at.subheader)


INTERACTIONS: list[tuple[str, str, Callable, Callable | None]] = [
    ("pages/gap-analysis.py", "gap analysis: gaps only",
     lambda at, ids: at.toggle(key="gap_gaps_only").set_value(True), None),
    ("pages/gap-analysis.py", "gap analysis: search", lambda at, ids: at.text_input(key="gap_search").input("risk"), None),
    ("pages/ai-systems.py", "inventory: search", lambda at, ids: at.text_input(key="inv_search").input("system 01"), None),
    ("pages/soa.py", "SoA: excluded only",
     lambda at, ids: at.selectbox(key="soa_show").select("Not implemented"), None),
    # a row selected in a register puts its ID in the URL, and the page opens that record below
    ("pages/risks.py", "risk register: open a risk",
     lambda at, ids: at.query_params.__setitem__("risk", ids["risk"]), _subheader_with("risk")),
    ("pages/ai-systems.py", "inventory: open a system",
     lambda at, ids: at.query_params.__setitem__("system", ids["system"]), _subheader_with("system")),
]


def _first_ids(con, ws_id: int) -> dict:
    from aims.store import db

    with db.reading(con) as cur:
        risk = cur.execute("SELECT min(id) FROM risk WHERE workspace_id = ?", [ws_id]).fetchone()[0]
        system = cur.execute("SELECT min(id) FROM ai_system WHERE workspace_id = ?", [ws_id]).fetchone()[0]
    return {"risk": risk or "", "system": system or ""}


# The floor: the entry point's frame (database, workspace picker, navigation) around an empty page.
FLOOR_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
st.set_page_config(page_title="AIMS Workbench", layout="wide")
from aims.ui import chrome
con = chrome.connection()
st.session_state["workspace"] = chrome.pick_workspace(con)
st.navigation([st.Page(lambda: None, title="Empty", url_path="empty")]).run()
"""


def measure_pages(path: str, ws_id: int, repeat: int) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["AIMS_DB"] = path
    out = {}
    sys.path.insert(0, str(ROOT))
    from aims.ui import chrome
    chrome.serve_like_a_running_server()

    def fresh():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["ws"] = str(ws_id)
        at.run()
        return at

    at = fresh()
    floor = AppTest.from_string(FLOOR_SCRIPT.format(root=str(ROOT)), default_timeout=60)
    floor.query_params["ws"] = str(ws_id)
    floor.run()                                         # warm-up
    out["empty page"] = timed(lambda: floor.run(), repeat)

    def cold(page):
        # A change, as any save makes one: a change-log row bumps the data version, so every read
        # and figure the app caches per version is computed again.
        from aims.store import db
        with db.writing(chrome._open(path, True)) as cur:
            db.log_change(cur, None, "benchmark", "cold run", "marker", None, None, "benchmark")
        at.switch_page(page).run()

    for page in pages():
        at.switch_page(page).run()                    # warm-up
        if at.exception:
            out[page] = {"error": str(at.exception[0].value)[:300]}
            continue
        out[page] = timed(lambda: at.switch_page(page).run(), repeat)
        out[page]["cold"] = timed(lambda: cold(page), repeat)
    interactions = {}
    ids = _first_ids(chrome._open(path, True), ws_id)
    for page, what, how, opened in INTERACTIONS:
        if not (ROOT / page).exists():
            continue
        samples = []
        for _ in range(repeat):
            at = fresh()
            at.switch_page(page).run()
            try:
                how(at, ids)
            except (KeyError, ValueError) as exc:
                interactions[what] = {"error": f"widget not found: {exc}"}
                break
            t0 = time.perf_counter()
            at.run()
            samples.append((time.perf_counter() - t0) * 1000)
            if opened and not opened(at, ids):
                interactions[what] = {"error": "the record did not open"}
                samples = []
                break
        if samples:
            interactions[what] = {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
                                  "max_ms": round(max(samples), 1), "runs": len(samples)}
    return {"pages": out, "interactions": interactions}


def measure_open(path: str, repeat: int) -> dict:
    from aims.catalog import standard as catalog
    from aims.demo import client as demo
    from aims.store import db

    def open_once():
        catalog.load.cache_clear()
        con = db.open_database(path)
        demo.ensure(con, catalog.load())
        con.close()

    return timed(open_once, repeat)


def measure_workbook(path: str, ws_id: int, repeat: int) -> dict:
    try:
        from aims.workbook import export, importer
    except ImportError:
        return {"skipped": "the workbook package is not available"}
    import openpyxl

    from aims.catalog import standard as catalog
    from aims.store import db
    con = db.open_database(path)
    cat = catalog.load()
    result: dict = {}
    data = export.build(con, ws_id, cat)
    result["export"] = timed(lambda: export.build(con, ws_id, cat), repeat)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()

    def bare():
        wb = openpyxl.Workbook(write_only=True)
        for title, rows in cells.items():
            sheet = wb.create_sheet(title)
            for r in rows:
                sheet.append(r)
        wb.save(io.BytesIO())

    result["bare openpyxl floor"] = timed(bare, repeat)
    result["export / floor"] = round(result["export"]["median_ms"] / result["bare openpyxl floor"]["median_ms"], 2)
    result["cells"] = sum(len(r) for rows in cells.values() for r in rows)
    result["bytes"] = len(data)
    dry = getattr(importer, "dry_run", None)
    apply = getattr(importer, "apply", None)
    if dry and apply:
        result["import dry run"] = timed(lambda: dry(con, ws_id, data, cat), repeat)
        result["import apply"] = timed(lambda: apply(con, ws_id, data, cat, backup=False), max(1, repeat // 2))
    con.close()
    return result


def measure_report(path: str, ws_id: int, repeat: int) -> dict:
    """The client report PDF and the one-page summary of the workspace: data gathered and laid out."""
    from aims.catalog import standard as catalog
    from aims.reports import client_report, report_data, summary_pdf
    from aims.store import db
    con = db.open_database(path)
    cat = catalog.load()
    pdf = client_report.build(report_data.gather(con, ws_id, cat))
    result: dict = {"full report": timed(lambda: client_report.build(report_data.gather(con, ws_id, cat)), repeat),
                    "one-page summary": timed(lambda: summary_pdf.build(report_data.gather(con, ws_id, cat)), repeat),
                    "pages": len(re.findall(rb"/Type\s*/Page[^s]", pdf)), "bytes": len(pdf)}
    con.close()
    return result


def measure_baselines(path: str, ws_id: int, repeat: int) -> dict:
    """Taking a baseline of the workspace (frozen in one transaction and stored), its stored size,
    and comparing the first baseline with the workspace now."""
    from aims.catalog import standard as catalog
    from aims.progress import baselines, compare
    from aims.store import db
    con = db.open_database(path)
    cat = catalog.load()
    taken: list[str] = []

    def take():
        taken.append(baselines.take(con, ws_id, baselines.free_name(con, ws_id, "Benchmark"), cat, 3))

    result: dict = {"take a baseline": timed(take, repeat)}
    result["compare with now"] = timed(lambda: compare.between(con, ws_id, cat, 3, taken[0]), repeat)
    result["stored bytes"] = int(baselines.listing(con, ws_id)["size_bytes"].iloc[-1])
    for bid in taken:
        baselines.delete(con, ws_id, bid)
    con.close()
    return result


def run(size: str, repeat: int, out: str | None, keep: str | None = None) -> dict:
    from aims.demo import bench as bench_data

    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="aims-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = str(folder / f"bench-{size}.duckdb")
    if Path(path).exists():
        Path(path).unlink()
    t0 = time.perf_counter()
    ws_id = bench_data.build(path, size)
    report = {"size": size, "repeat": repeat, "build_s": round(time.perf_counter() - t0, 1),
              "python": sys.version.split()[0], "cpus": os.cpu_count()}
    report["open app"] = measure_open(path, repeat)
    report["workbook"] = measure_workbook(path, ws_id, repeat)
    report["client report"] = measure_report(path, ws_id, repeat)
    report["baselines"] = measure_baselines(path, ws_id, repeat)
    report.update(measure_pages(path, ws_id, repeat))
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(report, indent=2))
    return report


def print_report(r: dict) -> None:
    floor = r["pages"].get("empty page", {}).get("median_ms") or 1
    print(f"\nAIMS Workbench benchmark, size {r['size']}, {r['repeat']} runs each (median, min-max), "
          f"data built in {r['build_s']} s")
    print(f"{'what':44} {'median ms':>10} {'min-max ms':>16} {'x floor':>8} {'cold ms':>9}")
    for name, m in r["pages"].items():
        if "error" in m:
            print(f"{name:44} ERROR {m['error']}")
            continue
        cold = f"{m['cold']['median_ms']:>9}" if "cold" in m else ""
        print(f"{name:44} {m['median_ms']:>10} {m['min_ms']:>7}-{m['max_ms']:<8} {m['median_ms'] / floor:>8.1f} {cold}")
    for name, m in r["interactions"].items():
        print(f"{'interaction: ' + name:44} " + (f"{m['median_ms']:>10} {m['min_ms']:>7}-{m['max_ms']:<8}"
                                                   if "error" not in m else f"ERROR {m['error']}"))
    o = r["open app"]
    print(f"{'open the app on an existing database':44} {o['median_ms']:>10} {o['min_ms']:>7}-{o['max_ms']:<8}")
    for name, m in r["workbook"].items():
        if isinstance(m, dict):
            print(f"{'workbook: ' + name:44} {m['median_ms']:>10} {m['min_ms']:>7}-{m['max_ms']:<8}")
        else:
            print(f"{'workbook: ' + name:44} {m:>10}")
    for name, m in r.get("client report", {}).items():
        if isinstance(m, dict):
            print(f"{'client report: ' + name:44} {m['median_ms']:>10} {m['min_ms']:>7}-{m['max_ms']:<8}")
        else:
            print(f"{'client report: ' + name:44} {m:>10}")
    for name, m in r.get("baselines", {}).items():
        if isinstance(m, dict):
            print(f"{'baselines: ' + name:44} {m['median_ms']:>10} {m['min_ms']:>7}-{m['max_ms']:<8}")
        else:
            print(f"{'baselines: ' + name:44} {m:>10}")
    print(f"{'peak memory (MB, resident)':44} {r['peak_rss_mb']:>10}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m aims bench", description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=("tiny", "full"), default="full")
    ap.add_argument("--repeat", type=int, help="runs per measurement (default 5, tiny 2)")
    ap.add_argument("--out", help="JSON file to write (default bench-results/bench-<size>-<time>.json)")
    ap.add_argument("--keep", help="folder to keep the generated database in")
    args = ap.parse_args(argv)
    repeat = args.repeat or (2 if args.size == "tiny" else 5)
    out = args.out or str(Path("bench-results") / f"bench-{args.size}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    report = run(args.size, repeat, out, args.keep)
    print_report(report)
    print(f"\nJSON written to {out}")
    errors = [k for k, v in report["pages"].items() if "error" in v]
    return 1 if errors else 0
