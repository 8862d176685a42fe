"""Browser tier: the test owns its server (free port, subprocess, health poll, the server's
output in any failure, always terminated) and drives Debian's chromium through Playwright."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("AIMS_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message + "; browser tests are required here")
        pytest.skip(message)
    return CHROMIUM


@contextlib.contextmanager
def serve(tmp: Path, user: str | None = "browser"):
    """A `streamlit run app.py` on a free port with its own database in `tmp`; yields the base URL.
    `user` is AIMS_USER for the server (None: not set, as on a laptop started from the README)."""
    port = _free_port()
    log_path = tmp / "server.log"
    env = dict(os.environ, AIMS_DB=str(tmp / "e2e.duckdb"), AIMS_USER=user or "")
    if user is None:
        env.pop("AIMS_USER")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--global.developmentMode", "false",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail("the app exited during start-up:\n" + log_path.read_text())
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail("the app did not answer within 60 s:\n" + log_path.read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if os.environ.get("AIMS_E2E_LOG"):
            print(log_path.read_text())


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path):
    """The server most browser tests share."""
    with serve(tmp_path_factory.mktemp("e2e")) as url:
        yield url


@pytest.fixture
def fresh_server(tmp_path, chromium_path):
    """A server of the test's own that no session has visited yet."""
    with serve(tmp_path) as url:
        yield url


@pytest.fixture
def laptop_server(tmp_path, chromium_path):
    """A server of the test's own started as the README starts it on a laptop: no AIMS_USER."""
    with serve(tmp_path, user=None) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30000)
    yield pg
    context.close()
