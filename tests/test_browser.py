"""The `make demo` app in a real browser: Debian's chromium driven by Playwright (no browser
download). Logs in as each role, opens every page of its navigation, finds no error and
saves a screenshot per page under test-output/screenshots/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from epn.i18n import t

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
ROLES = ("coordinator", "copil", "region", "admin", "epn_user")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the app did not start")


@contextmanager
def served(
    module_args: list[str], env: dict[str, str], cwd: Path = ROOT, port: int | None = None
) -> Iterator[str]:
    """``python -m MODULE_ARGS --server.port PORT`` started with ``env`` added, until it
    answers; its URL (on ``port``, else a free one)."""
    port = port or free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", *module_args, "--server.port", str(port)],
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def serving(db: Path, script: str = "dashboards/app.py", port: int | None = None):
    """The app of ``script`` served on ``port`` over the warehouse ``db``; its URL."""
    command = ["streamlit", "run", script, "--server.headless", "true"]
    return served(command, {"EPN_DB": str(db)}, port=port)


@pytest.fixture(scope="module")
def app_url(demo_warehouse):
    with serving(demo_warehouse["db"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def settle(page) -> None:
    """Waits until Streamlit has finished running the page's script."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )
    page.wait_for_timeout(500)  # charts draw after the script ends


def assert_no_error(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, where
    assert "Traceback" not in page.inner_text("body"), where


def log_in(page, url: str, username: str, password_text: str) -> None:
    page.goto(url)
    settle(page)
    # exact labels: the administrator's page has a "Mot de passe initial" of its own
    password = page.get_by_label(t("app.login.password", "fr"), exact=True)
    page.get_by_label(t("app.login.username", "fr"), exact=True).fill(username)
    password.fill(password_text)
    page.get_by_role("button", name=t("app.login.submit", "fr")).click()
    password.wait_for(state="detached", timeout=60_000)
    settle(page)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_renders(app_url, browser, demo_warehouse, role):
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == role)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    log_in(page, app_url, account["username"], account["password"])
    links = page.locator('[data-testid="stSidebarNav"] a')
    # with a single page (the administrator's) Streamlit shows no navigation at all
    titles = [links.nth(i).inner_text().strip() for i in range(links.count())] or ["home"]
    folder = SHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    for number, title in enumerate(titles, start=1):
        if links.count():
            links.nth(number - 1).click()
            settle(page)
        assert_no_error(page, f"{role}: {title}")
        page.screenshot(
            path=str(folder / f"{number:02d}-{page.url.rsplit('/', 1)[-1] or 'home'}.png"),
            full_page=True,
        )
    page.close()
