# ruff: noqa: F811  (the browser fixture is imported from test_browser, then requested)
"""Staying signed in, in a real browser (Debian's chromium, the demo app served as `make demo`
serves it, through dashboards/server.py): a reload, a new tab and a bookmark keep each role
signed in; a logout, and a disabled account, end the session at the next click."""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_browser import (
    CHROMIUM,
    ROLES,
    ROOT,
    SHOTS,
    assert_no_error,
    browser,  # noqa: F401  (a fixture)
    log_in,
    serving,
    settle,
)

from epn.i18n import t

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs chromium")
FOLDER = SHOTS / "session"


@pytest.fixture(scope="module")
def served_url(demo_warehouse):
    """The demo app as `make demo` runs it: the ASGI entry with the session-cookie routes."""
    with serving(demo_warehouse["db"], "dashboards/server.py") as url:
        yield url


def account(demo_warehouse, role: str) -> dict:
    return next(a for a in demo_warehouse["accounts"] if a["role"] == role)


def signed_in(page) -> bool:
    """Whether the page shows the app (the sidebar's logout) rather than the login form."""
    either = page.get_by_role("button", name=t("app.logout", "fr")).or_(
        page.get_by_role("button", name=t("app.login.submit", "fr"))
    )
    either.first.wait_for(timeout=30_000)  # buttons draw a moment after the script ends
    return page.get_by_role("button", name=t("app.logout", "fr")).count() == 1


def session_cookie(page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == "epn_session")


def wait_for_cookie(page) -> dict:
    for _ in range(40):
        if any(c["name"] == "epn_session" for c in page.context.cookies()):
            return session_cookie(page)
        page.wait_for_timeout(250)
    raise AssertionError("the login set no session cookie")


def signed_in_page(browser, url: str, demo_warehouse, role: str):
    """(its own browser context, its page, the session cookie) once ``role``'s demo account
    has signed in."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    user = account(demo_warehouse, role)
    log_in(page, url, user["username"], user["password"])
    return context, page, wait_for_cookie(page)


def test_a_reload_keeps_each_role_signed_in(served_url, browser, demo_warehouse):
    """One browser context per role, as each person has their own browser."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        context, page, cookie = signed_in_page(browser, served_url, demo_warehouse, role)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict", role
        assert page.evaluate("document.cookie").find("epn_session") == -1  # scripts cannot
        page.reload()
        settle(page)
        assert signed_in(page), role
        assert_no_error(page, role)
        page.screenshot(path=str(FOLDER / f"{role}-after-reload.png"), full_page=True)
        context.close()


def test_a_new_tab_and_a_bookmark_keep_the_session_until_the_logout(
    served_url, browser, demo_warehouse
):
    context, page, _ = signed_in_page(browser, served_url, demo_warehouse, "coordinator")
    other = context.new_page()  # a new tab on the same address
    other.goto(page.url)
    settle(other)
    FOLDER.mkdir(parents=True, exist_ok=True)
    other.screenshot(path=str(FOLDER / "coordinator-new-tab.png"), full_page=True)
    assert signed_in(other)
    other.close()
    bookmark = context.new_page()  # a bookmark of another page of the app
    bookmark.goto(f"{served_url}/coordination")
    settle(bookmark)
    assert signed_in(bookmark)
    assert t("app.not_allowed.title", "fr") not in bookmark.inner_text("body")
    bookmark.close()
    page.get_by_role("button", name=t("app.logout", "fr")).click()
    settle(page)
    page.reload()
    settle(page)
    assert not signed_in(page), "a reload after the logout signs nobody in"
    assert not any(c["name"] == "epn_session" for c in context.cookies())
    context.close()


def test_a_page_the_role_may_not_open_says_so(served_url, browser, demo_warehouse):
    context, page, _ = signed_in_page(browser, served_url, demo_warehouse, "epn_user")
    page.goto(f"{served_url}/coordination")
    settle(page)
    assert t("app.not_allowed.title", "fr") in page.inner_text("body")
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / "epn_user-coordination.png"), full_page=True)
    page.get_by_text(t("app.page.my_epn", "fr"), exact=False).last.click()
    settle(page)
    assert t("app.not_allowed.title", "fr") not in page.inner_text("body")
    # the home page by its own address (served at « / »): Streamlit said « Page not found »
    page.goto(f"{served_url}/my-epn")
    settle(page)
    body = page.inner_text("body")
    assert "Page not found" not in body and t("app.page.my_epn", "fr") in body
    context.close()


def test_a_disabled_account_is_out_at_its_next_click(served_url, browser, demo_warehouse):
    context, page, _ = signed_in_page(browser, served_url, demo_warehouse, "epn_user")
    username = account(demo_warehouse, "epn_user")["username"]
    epn = [sys.executable, "-m", "cli", "users"]
    db = ["--db", str(demo_warehouse["db"])]
    subprocess.run([*epn, "disable", username, *db], cwd=ROOT, check=True)
    try:
        page.locator('[data-testid="stSidebarNav"] a').nth(1).click()
        settle(page)
        assert not signed_in(page)
        assert t("app.login.ended", "fr") in page.inner_text("body")
        page.screenshot(path=str(FOLDER / "disabled-next-click.png"), full_page=True)
        page.reload()  # and the cookie brings nobody back
        settle(page)
        assert not signed_in(page)
    finally:
        subprocess.run([*epn, "enable", username, *db], cwd=ROOT, check=True)
    context.close()
