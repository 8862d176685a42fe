"""The demo workspace and the command line (exit statuses and messages)."""
import subprocess
import sys
from pathlib import Path

from aims import cli
from aims.ai_systems import inventory
from aims.assessment import requirements as assessments
from aims.assessment import scoring
from aims.demo import client as demo
from aims.store import db, workspaces

ROOT = Path(__file__).resolve().parent.parent


def test_demo_is_created_once_on_an_empty_database(con, cat):
    ws = demo.ensure(con, cat)
    assert ws is not None and demo.ensure(con, cat) is None
    summary = scoring.summary(scoring.with_status(assessments.table(con, ws, cat, 3)))
    assert 0 < summary["assessed"] < summary["applicable"]          # a plausible partial gap analysis
    assert summary["excluded"] == 1
    assert len(inventory.list_systems(con, ws)) >= 4


def test_recreating_the_demo_replaces_it(con, cat):
    first = demo.create(con, cat)
    assessments.save(con, first, cat, {"4.1": {"maturity": 5}})
    second = demo.create(con, cat, replace=True)
    names = list(workspaces.list_all(con)["name"])
    assert names.count(demo.DEMO_NAME) == 1 and second != first


def run(*args, env_db=None):
    return subprocess.run([sys.executable, "-m", "aims", *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)


def test_cli_demo_check_and_backup(tmp_path):
    path = str(tmp_path / "cli.duckdb")
    r = run("--db", path, "demo")
    assert r.returncode == 0 and "Demo workspace recreated" in r.stdout
    r = run("check")
    assert r.returncode == 0 and "32 clause requirements, 38 Annex A controls" in r.stdout
    out = tmp_path / "copy.duckdb"
    r = run("--db", path, "backup", "--out", str(out))
    assert r.returncode == 0 and out.exists()
    con = db.open_database(out)
    assert demo.DEMO_NAME in set(workspaces.list_all(con)["name"])
    con.close()


def test_cli_failures_exit_non_zero_with_a_message(tmp_path):
    r = run("--db", str(tmp_path / "missing.duckdb"), "backup")
    assert r.returncode == 1 and "no database file" in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2


def test_cli_main_returns_status_codes(tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "backup"]) == 1
    assert "error:" in capsys.readouterr().err


def test_the_benchmark_runs_on_the_tiny_size(tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, "-m", "aims", "bench", "--size", "tiny", "--repeat", "1", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    import json
    report = json.loads(out.read_text())
    assert "pages/overview.py" in report["pages"] and "error" not in report["pages"]["pages/overview.py"]
    assert not [p for p, m in report["pages"].items() if "error" in m]
    assert set(report["interactions"]) >= {"risk register: open a risk", "inventory: open a system"}
    assert all("median_ms" in m for m in report["interactions"].values()), report["interactions"]
    assert report["workbook"]["export"]["median_ms"] > 0 and report["peak_rss_mb"] > 0
    assert "empty page" in r.stdout
