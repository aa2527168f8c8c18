"""The reporting cycle of the demo in a real browser (issue 13): an EPN user's upload page
has no receipt date to fill; Pilotage, COPIL and Coordination open on the same closed year
and agree on the withdrawal candidates; no page offers a year before the first reporting
year; the Region page says its running year is partial and compares it like for like.
One browser, one app, two sign-ins."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from test_browser import CHROMIUM, log_in, serving, settle

from epn.i18n import t
from validation.charter.terms import terms_for

PORT = 8611
FIRST_REPORTING_YEAR = 2023  # the demo's charter terms

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs chromium")


def closed_year() -> int:
    last = dt.date.today().year - 1
    return last if terms_for(last).report_deadline(last) < dt.date.today() else last - 1


def years_offered(page) -> tuple[list[int], int]:
    """The years of the page's year selector, and the one it shows."""
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=t("app.year", "fr"))
    picker.first.click()
    options = page.locator('[role="option"]')
    options.first.wait_for()
    years = [int(options.nth(i).inner_text()) for i in range(options.count())]
    chosen = int(page.locator('[role="option"][aria-selected="true"]').inner_text())
    page.keyboard.press("Escape")
    return years, chosen


TITLES = {
    "upload": "app.page.upload",
    "steering": "app.copil_dashboard.title",
    "copil": "app.page.copil",
    "coordination": "app.coordinator.title",
    "findings": "app.page.findings",
    "region": "app.page.region",
}


def open_page(page, url: str, path: str) -> str:
    """Follows the sidebar's link to ``path`` (a new URL would start a new session) and
    waits for that page's title, then for its script to end."""
    more = page.locator('[data-testid="stSidebarNavViewButton"]')  # a long list is folded
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
    if not link.count() and more.count():
        more.click()
    link.click()
    page.locator("h1").filter(has_text=t(TITLES[path], "fr")).wait_for(timeout=60_000)
    settle(page)
    return page.inner_text("body")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def test_the_reporting_cycle_the_coordinator_can_trust(demo_warehouse, browser):
    accounts = {a["role"]: a for a in demo_warehouse["accounts"]}
    year = closed_year()
    with serving(demo_warehouse["db"], port=PORT) as url:
        epn = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        log_in(epn, url, accounts["epn_user"]["username"], accounts["epn_user"]["password"])
        body = open_page(epn, url, "upload")
        assert "date du serveur" in body  # the receipt is the server's date ...
        assert epn.get_by_label(t("app.upload.received_on", "fr"), exact=True).count() == 0

        page = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
        coordinator = accounts["coordinator"]
        log_in(page, url, coordinator["username"], coordinator["password"])
        shown = {}
        for path in ("steering", "copil", "coordination"):
            body = open_page(page, url, path)
            assert "Traceback" not in body, path
            shown[path], chosen = years_offered(page)
            assert min(shown[path]) == FIRST_REPORTING_YEAR, path
            assert chosen == year, path  # opens on the last closed year
            if path == "steering":
                metric = page.locator('[data-testid="stMetric"]').filter(
                    has_text=t("app.copil_dashboard.candidates", "fr", year=year)
                )
                pilotage = int(metric.locator('[data-testid="stMetricValue"]').inner_text())
            if path == "copil":
                table = page.locator('[data-testid="stTable"]').filter(has_text="EPN-")
                copil = set(re.findall(r"EPN-\d{4}", table.last.inner_text()))
        assert pilotage == len(copil) and copil  # the same candidates, counted alike
        assert shown["steering"] == shown["copil"] == shown["coordination"]
        # the findings page offers no year before the first reporting year either
        open_page(page, url, "findings")
        assert min(years_offered(page)[0]) == FIRST_REPORTING_YEAR

        body = open_page(page, url, "region")
        current = dt.date.today().year
        assert f"{current} est en cours" in body
        assert f"mêmes semaines de {current - 1}" in body
