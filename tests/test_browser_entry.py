"""Entry in a real browser (Debian's chromium via Playwright, as tests/test_browser.py): an
EPN user enters four weeks in the grid, sees a mistake on its cell, corrects it, sends them
and finds them in its figures; then fills the annual report over two visits and sends it.

The app runs on a copy of the demo warehouse holding one more EPN, labelled three weeks
before last week, with an account of its own: its grid holds exactly four weeks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_app_fixtures import FAST_HASHER, copy_warehouse
from test_browser import (  # noqa: F401  (browser is a fixture)
    CHROMIUM,
    ROOT,
    SHOTS,
    assert_no_error,
    browser,
    log_in,
    serving,
    settle,
    wait_until_up,
)

from dashboards.queries.entry import monday_of
from dashboards.weekly_grid import status_label
from epn.i18n import t
from registry.importer import import_registry
from warehouse.accounts import add_user
from warehouse.db import connect, transaction

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs chromium")

TODAY = dt.date.today()
LAST_WEEK = monday_of(TODAY) - dt.timedelta(weeks=1)
WEEKS = [LAST_WEEK - dt.timedelta(weeks=n) for n in (3, 2, 1, 0)]
USER, PASSWORD = "senne", "secret-of-senne"
FOLDER = SHOTS / "entry"
# The grid's columns in pixels, as the page sets them (dashboards/views/weekly_entry.py)
COLUMN_X = {"week": 0, "holiday": 125, "status": 290, "closure_reason": 465}
NUMBER_X = {"public_hours": 615, "facilitated_hours": 710, "visits": 805}
NUMBER_X |= {"unique_users": 900, "new_users": 995}
ROW_HEIGHT, HEADER_HEIGHT = 35, 35


@pytest.fixture(scope="module")
def entry_url(demo_warehouse, tmp_path_factory):
    db = copy_warehouse(demo_warehouse["db"], tmp_path_factory.mktemp("entry") / "demo.duckdb")
    registry = (
        "epn_id,name,commune_nis,authority_name,authority_type,labelled_on,workstations\n"
        f"EPN-0901,EPN de la Senne,21004,ASBL La Senne,non_market,{WEEKS[0]},6\n"
    )
    with connect(db) as con, transaction(con):
        import_registry(con, registry.encode(), user="coordinator")
        add_user(con, USER, "epn_user", "EPN-0901", by="test")
        con.execute(
            "UPDATE app_user SET password_hash = ? WHERE username = ?",
            [FAST_HASHER.hash(PASSWORD), USER],
        )
    with serving(db) as url:
        yield url


def open_page(page, title_code: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=t(title_code, "fr")).click()
    page.get_by_role("heading", name=t(title_code, "fr")).wait_for(timeout=60_000)
    settle(page)


def shot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"{name}.png"), full_page=True)


def body(page) -> str:
    return page.inner_text("body")


def wait_for_text(page, text: str) -> None:
    try:
        # visible only: the grid keeps hidden copies of its cells' texts for screen readers
        page.get_by_text(text, exact=False).filter(visible=True).first.wait_for(timeout=60_000)
    except Exception:
        shot(page, "failed")  # what the page showed instead
        raise
    settle(page)


# ---- the grid -----------------------------------------------------------------------------


def cell(page, row: int, x: int) -> None:
    """Selects a cell of the grid (the editor draws on a canvas: cells are places)."""
    grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(grid["x"] + x + 40, grid["y"] + HEADER_HEIGHT + row * ROW_HEIGHT + 17)


GRID_COLUMNS = ["week", "holiday", "status", "closure_reason", *NUMBER_X]


def cell_text(page, row: int, column: str) -> str:
    """What a cell shows, from the copy the grid keeps of it for screen readers."""
    at = page.locator(f'[data-testid="glide-cell-{GRID_COLUMNS.index(column)}-{row}"]')
    return at.inner_text().strip() if at.count() else ""


def type_in(page, row: int, column: str, text: str) -> None:
    """Types into a cell, again if a keystroke got lost while the page redrew."""
    for _ in range(5):
        settle(page)
        type_once(page, row, column, text, replace=cell_text(page, row, column) != "")
        if cell_text(page, row, column) == text:
            return
    raise AssertionError(f"{column} of row {row} shows {cell_text(page, row, column)!r}")


def type_once(page, row: int, column: str, text: str, replace: bool = False) -> None:
    cell(page, row, (COLUMN_X | NUMBER_X)[column])
    if replace:  # what a lost attempt left: the editor opened on it, all of it selected
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(text, delay=100)
    else:
        page.keyboard.type(text[0])  # opens the cell's editor with it
        page.wait_for_timeout(600)  # keys typed before the editor is up would be lost
        page.keyboard.type(text[1:], delay=100)
    committed(page)


def committed(page) -> None:
    """Each edit reruns the page, which checks the grid again: a click while it redraws
    would be lost, so wait for the run to start and to end."""
    page.keyboard.press("Enter")
    page.wait_for_timeout(1200)
    settle(page)


def pick_status(page, row: int, code: str) -> None:
    for _ in range(5):
        settle(page)
        pick_once(page, row, code)
        if cell_text(page, row, "status") == status_label(code, "fr"):
            return
    raise AssertionError(f"status of row {row} shows {cell_text(page, row, 'status')!r}")


def pick_once(page, row: int, code: str) -> None:
    cell(page, row, COLUMN_X["status"])
    page.keyboard.press("Enter")  # opens the list: an empty choice, then open, closed
    choice = page.get_by_role("option", name=status_label(code, "fr"), exact=True)
    try:  # a click on the choice: arrow keys pressed while the list draws were lost
        choice.click(timeout=5_000)
    except PlaywrightTimeout:
        page.keyboard.press("Escape")  # the list never showed: the next attempt reopens it
    page.wait_for_timeout(1200)
    settle(page)


def week_label(monday: dt.date) -> str:
    return t(
        "app.entry.week_label", "fr", number=monday.isocalendar().week, date=f"{monday:%d/%m/%Y}"
    )


def enter_open_week(page, row: int, values: tuple) -> None:
    pick_status(page, row, "open")
    for column, value in zip(NUMBER_X, values, strict=True):
        type_in(page, row, column, str(value))


def test_an_epn_enters_four_weeks_fixes_a_mistake_and_sees_them(entry_url, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1700, "height": 1100})
    log_in(page, entry_url, USER, PASSWORD)
    open_page(page, "app.page.weekly_entry")
    span = t(
        "app.entry.span", "fr", first=f"{WEEKS[0]:%d/%m/%Y}", last=f"{WEEKS[-1]:%d/%m/%Y}", count=4
    )
    assert span in body(page)
    shot(page, "01-grid-empty")
    enter_open_week(page, 0, (20, 16, 30, 20, 5))
    pick_status(page, 1, "closed")
    type_in(page, 1, "closure_reason", "Travaux")
    enter_open_week(page, 2, (20, 16, 45, 60, 2))  # more distinct users than visits
    enter_open_week(page, 3, (24, 24, 38, 25, 0))
    # the mistake, on its week and column, in words; sending waits for it
    wait_for_text(page, f"{week_label(WEEKS[2])} — {t('header.unique_users', 'fr')}")
    listed = body(page)
    assert f"{week_label(WEEKS[2])} — {t('header.unique_users', 'fr')}" in listed
    assert "(60)" in listed
    send = page.get_by_role("button", name=t("app.entry.send_weeks", "fr", count=4))
    assert send.is_disabled()
    shot(page, "02-grid-mistake")
    type_in(page, 2, "unique_users", "30")
    wait_for_text(page, t("app.entry.weeks_ready", "fr", count=4))
    shot(page, "03-grid-ready")
    send.click()
    wait_for_text(page, "saisie-web-EPN-0901")  # the outcome names the file it made
    text = body(page)
    assert "saisie-web-EPN-0901" in text and "accepté" in text
    for monday in WEEKS:
        assert week_label(monday) in text  # the latest weeks, now in force
    assert "Travaux" in text and "45" in text
    assert_no_error(page, "weekly entry")
    shot(page, "04-grid-sent")
    # the figures of « Mon EPN » are made of them
    open_page(page, "app.page.my_epn")
    page.get_by_role("tab", name=t("app.my_epn.tab_figures", "fr")).click()
    wait_for_text(page, t("app.my_epn.figures_title", "fr", year=LAST_WEEK.isocalendar().year))
    assert_no_error(page, "my epn figures")
    shot(page, "05-my-epn-figures")
    page.close()


# ---- the annual report form -----------------------------------------------------------------


def radio(page, label: str, choice: str) -> None:
    group = page.locator('[data-testid="stRadio"]').filter(has_text=label)
    group.get_by_text(choice, exact=True).click()


def select(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(str(value))


def click(page, code: str, **params) -> None:
    page.get_by_role("button", name=t(code, "fr", **params)).click()
    page.wait_for_timeout(300)
    settle(page)


def header(key: str) -> str:
    return t(f"header.{key}", "fr")


def code(value: str) -> str:
    return t(f"template.code.{value}", "fr").capitalize()


def test_an_epn_fills_its_report_over_two_visits_and_sends_it(entry_url, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    log_in(page, entry_url, USER, PASSWORD)
    open_page(page, "app.page.report_entry")
    wait_for_text(page, header("users_total"))
    shot(page, "11-report-identity")
    yes = t("template.yes", "fr")
    fill(page, header("submitted_by"), "Awa Diallo")
    fill(page, header("users_total"), "12")
    radio(page, header("nonprofit"), yes)
    select(page, header("fees"), code("free"))
    radio(page, header("label_sticker_displayed"), yes)
    radio(page, header("charter_displayed"), yes)
    click(page, "app.report_form.save_next")
    wait_for_text(page, t("app.report_form.staff_intro", "fr"))
    fill(page, header("staff_ref"), "AD")
    select(page, header("role"), code("facilitator"))
    radio(page, header("qualified"), yes)
    fill(page, header("qualification"), "Bachelier en informatique")
    fill(page, header("weekly_hours"), "38")
    click(page, "app.report_form.add")
    wait_for_text(page, "Bachelier en informatique")
    shot(page, "12-report-staff")
    # log out, come back: the draft is where it was left
    page.get_by_role("button", name=t("app.logout", "fr")).click()
    settle(page)
    log_in(page, entry_url, USER, PASSWORD)
    open_page(page, "app.page.report_entry")
    wait_for_text(page, "Bachelier en informatique")
    assert t("app.report_form.staff_intro", "fr") in body(page)
    click(page, "app.report_form.next")
    wait_for_text(page, t("app.report_form.activities_intro", "fr"))
    fill(page, header("activity_ref"), "A1")
    fill(page, header("title"), "Smartphone pour débutants")
    select(page, header("format"), code("collective"))
    select(page, header("kind"), code("training"))
    select(page, header("domain"), code("basic_skills"))
    fill(page, header("sessions"), "6")
    fill(page, header("hours"), "12.5")
    fill(page, header("participants"), "8")
    fill(page, header("priority_participants"), "5")
    click(page, "app.report_form.add")
    wait_for_text(page, "Smartphone pour débutants")
    click(page, "app.report_form.next")
    wait_for_text(page, t("app.report_form.audience_intro", "fr", total=12)[:40])
    for dimension in ("age", "gender", "status"):
        fill(page, f"{code(dimension)} — {t('template.code.unknown', 'fr')}", "12")
    shot(page, "13-report-audience")
    click(page, "app.report_form.save_next")
    wait_for_text(page, t("app.report_form.cooperation_intro", "fr"))
    fill(page, header("partner"), "Bibliothèque de Forest")
    fill(page, header("action"), "Atelier commun")
    click(page, "app.report_form.add")
    wait_for_text(page, "Atelier commun")
    click(page, "app.report_form.next")
    fill(page, header("highlights"), "Un nouvel atelier pour les seniors.")
    click(page, "app.report_form.save_next")
    wait_for_text(page, t("app.report_form.submit", "fr"))
    shot(page, "14-report-ready")
    click(page, "app.report_form.submit")
    wait_for_text(page, "saisie-web-rapport-EPN-0901")
    assert "accepté" in body(page)
    assert_no_error(page, "report entry")
    shot(page, "15-report-sent")
    page.close()
