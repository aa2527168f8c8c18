"""The public page in a real browser, signed out: map, directory and the open data package
download; every other page of the app asks for a login. Reuses test_browser's server and
browser fixtures on a copy of the demo warehouse whose last year is published (frozen)."""

from __future__ import annotations

import json
import zipfile

import frictionless
import pytest

from dashboards.navigation import PAGES
from epn.i18n import t
from tests import test_browser as shared
from tests.test_app_fixtures import copy_warehouse
from tests.test_browser import CHROMIUM, SHOTS, assert_no_error, settle
from warehouse import snapshots
from warehouse.db import connect, transaction

# test_browser's fixtures, found by pytest by their names here: its server runs on the
# demo_warehouse fixture, which this module overrides below.
app_url, browser = shared.app_url, shared.browser
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs chromium")


@pytest.fixture(scope="module")
def demo_warehouse(demo_warehouse, tmp_path_factory):
    """The session's demo warehouse, copied, with its last reporting year frozen."""
    db = copy_warehouse(demo_warehouse["db"], tmp_path_factory.mktemp("public") / "demo.duckdb")
    with connect(db) as con, transaction(con):
        (year,) = con.execute("SELECT max(year) FROM hist_report").fetchone()
        snapshots.freeze(con, year, "coordinator")
    return {**demo_warehouse, "db": db, "year": year}


def test_a_signed_out_citizen_finds_map_directory_and_download(
    app_url, browser, demo_warehouse, tmp_path
):
    year = demo_warehouse["year"]
    page = browser.new_page(viewport={"width": 1400, "height": 2300}, accept_downloads=True)
    page.goto(f"{app_url}/public")
    button = page.get_by_role("button", name=t("app.public.download", "fr", year=year))
    button.wait_for(timeout=120_000)  # the page's last element: the whole page has run
    settle(page)
    assert_no_error(page, "public")
    assert page.get_by_text(t("app.public.title", "fr")).is_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # the map
    assert page.locator('[data-testid="stDataFrame"]').count() == 2  # directory, communes
    assert page.get_by_text(t("app.public.indicators_title", "fr", year=year)).is_visible()
    folder = SHOTS / "public"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "01-public-fr.png"))
    with page.expect_download() as download:
        button.click()
    archive = tmp_path / "open-data.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as package:
        package.extractall(tmp_path / "open")
    descriptor = json.loads((tmp_path / "open/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["year"] == year and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert frictionless.validate(tmp_path / "open/datapackage.json").valid
    page.get_by_text("NL", exact=True).click()  # the language switch
    page.get_by_text(t("app.public.title", "nl")).wait_for(timeout=120_000)
    settle(page)
    assert_no_error(page, "public (nl)")
    communes = page.locator('[data-testid="stSelectbox"] input')
    assert communes.input_value() == t("app.public.all_communes", "nl")  # the filter too
    page.screenshot(path=str(folder / "02-public-nl.png"))
    page.close()


def test_every_other_page_asks_for_a_login(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for path in ("", *(spec.url_path for spec in PAGES)):
        page.goto(f"{app_url}/{path}")
        settle(page)
        assert_no_error(page, path)
        password = page.get_by_label(t("app.login.password", "fr"), exact=True)
        password.wait_for(state="visible", timeout=60_000)  # the login form, nothing else
        assert page.get_by_role("heading", name=t("app.login.title", "fr")).count() == 1, path
        assert page.locator('[data-testid="stDataFrame"]').count() == 0, path
        assert page.locator('[data-testid="stMetric"]').count() == 0, path
    page.close()
