"""Browser tier: the test owns its server (free port, subprocess, health poll, the server's
output in any failure, always terminated) and drives Debian's chromium through Playwright."""
import contextlib
import importlib.util
import os
import secrets
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


def _missing(message: str):
    """A tool the browser tests need is missing: skip on a laptop, fail where they are required."""
    if os.environ.get("AIMS_REQUIRE_BROWSER") or os.environ.get("CI"):
        pytest.fail(message + "; browser tests are required here")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        _missing("Debian's chromium is not installed (apt-get install -y chromium)")
    return CHROMIUM


def _wait_until_up(proc, url: str, log_path: Path, what: str) -> None:
    """Poll `url` until it answers 200; fail with the process's output when it exits or takes 60 s."""
    deadline = time.time() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited during start-up:\n" + log_path.read_text())
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            pytest.fail(f"{what} did not answer within 60 s:\n" + log_path.read_text())
        time.sleep(0.3)


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serve(tmp: Path, user: str | None = "browser", secrets_toml: str | None = None, extra_args: tuple = (),
          host: str = "127.0.0.1"):
    """A `streamlit run app.py` on a free port with its own database in `tmp`; yields the base URL.
    `user` is AIMS_USER for the server (None: not set, as on a laptop started from the README).
    `secrets_toml` becomes the server's only secrets file (in `tmp`, never the project's), so
    sign-in and the [aims] settings are the test's; `extra_args` go to `streamlit run`; `host`
    is the host of the URL the browser opens (the server listens on localhost by default)."""
    port = _free_port()
    log_path = tmp / "server.log"
    env = dict(os.environ, AIMS_DB=str(tmp / "e2e.duckdb"), AIMS_USER=user or "")
    if user is None:
        env.pop("AIMS_USER")
    secrets_path = tmp / "secrets.toml"
    secrets_path.write_text(secrets_toml or "", encoding="utf-8")      # never the project's own secrets
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--global.developmentMode", "false",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--secrets.files", str(secrets_path), *extra_args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(proc, f"http://127.0.0.1:{port}/_stcore/health", log_path, "the app")
        yield f"http://{host}:{port}"
    finally:
        _stop(proc)
        if os.environ.get("AIMS_E2E_LOG"):
            print(log_path.read_text())


def team_secrets(provider_url: str | None, admins=(), aims: dict | None = None) -> str:
    """A secrets file: Streamlit's [auth] section signing in through the OpenID provider at
    `provider_url` (None: no sign-in), and the [aims] section with `admins` and `aims`'s keys.
    The redirect URI names localhost and the server's own port ("{port}", filled in by Streamlit)."""
    lines = []
    if provider_url:
        lines += ["[auth]",
                  'redirect_uri = "http://localhost:{port}/oauth2callback"',
                  f'cookie_secret = "{secrets.token_hex(32)}"',
                  'client_id = "aims-workbench-e2e"',
                  f'client_secret = "{secrets.token_hex(16)}"',
                  f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"', ""]
    lines += ["[aims]", "admins = [" + ", ".join(f'"{a}"' for a in admins) + "]"]
    lines += [f"{k} = {str(v).lower() if isinstance(v, bool) else repr(v)}" for k, v in (aims or {}).items()]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def serve_team(tmp: Path, provider_url: str | None, admins=(), aims: dict | None = None, extra_args: tuple = ()):
    """A server configured for a team: sign-in through `provider_url` (see team_secrets), opened
    at http://localhost:PORT so that the sign-in cookie and the redirect URI share the host."""
    with serve(tmp, user=None, secrets_toml=team_secrets(provider_url, admins, aims), extra_args=extra_args,
               host="localhost") as url:
        yield url


NO_EMAIL_SUB = "person-without-email"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory, chromium_path):
    """A mock OpenID Connect provider (oidc-provider-mock) on a free loopback port; yields its base
    URL. Its authorize page signs in whoever's identity is typed (the 'sub', also the email),
    except NO_EMAIL_SUB, a person the provider knows without an email address."""
    if importlib.util.find_spec("oidc_provider_mock") is None:
        _missing("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    tmp = tmp_path_factory.mktemp("oidc")
    port = _free_port()
    log_path = tmp / "provider.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                                 "--user-claims", f'{{"sub": "{NO_EMAIL_SUB}", "name": "No Email"}}'],
                                cwd=tmp, env=dict(os.environ, NO_COLOR="1"), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url + "/.well-known/openid-configuration", log_path, "the OpenID provider")
        yield url
    finally:
        _stop(proc)
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
