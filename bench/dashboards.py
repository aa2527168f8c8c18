"""Every page's queries at national scale: 20,000 EPNs over ten years of weeks (~10M rows).

The warehouse is built set-wise (``bench.national``); then each page of the app is opened
as its role would (``bench.dashboard_pages``): every query it runs, timed as the median of
a few runs after a first one (the app keeps running; the operating system keeps the file in
its cache, DuckDB does not: each query opens the warehouse, as the app does). Streamlit's
caches are emptied before each run, so what is timed is a first view. A page's time is the
sum of its queries; the target is under 300 ms.

The baseline, measured in the same run on the same warehouse, is what a naive page would
do: read the year's weekly rows and the registry into pandas and aggregate them there.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import streamlit as st

from bench.dashboard_pages import BEFORE_PAGES, PAGE_VISITS, Visit, principal_for
from bench.measure import Measure
from bench.national import build
from bench.workload import Workload
from epn.settings import get_settings
from warehouse.db import held_open

# outside a running app, Streamlit's caches warn at every use that they hold in memory
logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)

TARGET_SECONDS = 0.3
RUNS = 5
SMALL = 1_000  # a warehouse of fewer EPNs is timed once: its times say little


def dashboards(workload: Workload) -> list[Measure]:
    if not workload.national_epns:
        return []
    db = workload.workdir / "national.duckdb"
    today = dt.date.today()
    started = time.perf_counter()
    counts = build(db, workload.national_epns, today)
    built = time.perf_counter() - started
    with warehouse(db):
        BEFORE_PAGES()
        epn_id = _first_labelled(db)
        pages = {
            page: time_page(role, queries, epn_id, today.year)
            for page, (role, queries) in PAGE_VISITS.items()
        }
    naive = naive_page(db, today.year)
    slowest = max(pages, key=lambda p: pages[p]["seconds"])
    measures = [
        Measure(
            "dashboards: slowest page",
            pages[slowest]["seconds"],
            "s",
            naive,
            {
                "page": slowest,
                "target_seconds": TARGET_SECONDS,
                "pages_over_target": [
                    p for p, m in pages.items() if m["seconds"] >= TARGET_SECONDS
                ],
                "rows": counts,
                "build_seconds": round(built, 1),
            },
        )
    ]
    for page, measured in pages.items():
        measures.append(
            Measure(page, measured["seconds"], "s", naive, {"queries": measured["queries"]}, True)
        )
    return measures


def one_page(page: str, national_epns: int, workdir: Path) -> list[Measure]:
    """One page of the menu, alone (``python -m bench.run --page NAME``), on the national
    warehouse; one built today for as many EPNs in ``workdir`` is reused (``--workdir``).

    The what-if page is printed beside its floor: the year judged once in plain SQL (the
    three statistics rules of ``bench.floors``), the least its proposed side can cost."""
    if page not in PAGE_VISITS:
        raise SystemExit(f"no page {page!r}; the pages: {', '.join(PAGE_VISITS)}")
    db = workdir / "national.duckdb"
    today = dt.date.today()
    built_for = workdir / "national.built"
    signature = f"{national_epns} {today.isoformat()}"
    if not db.exists() or not built_for.exists() or built_for.read_text() != signature:
        for stale in workdir.glob("national.duckdb*"):
            stale.unlink()
        build(db, national_epns, today)
        built_for.write_text(signature)
    role, queries = PAGE_VISITS[page]
    with warehouse(db):
        BEFORE_PAGES()
        measured = time_page(role, queries, _first_labelled(db), today.year)
        floor, floor_name = _page_floor(page, db, today)
    return [
        Measure(
            f"dashboards: {page}",
            measured["seconds"],
            "s",
            details={"queries": measured["queries"], "epns": national_epns},
            floor=floor,
            floor_name=floor_name,
        )
    ]


def _page_floor(page: str, db: Path, today: dt.date) -> tuple[float | None, str]:
    if page != "charter-what-if":
        return None, ""
    from bench.floors import compliance_sql_floor
    from dashboards.queries.charter_whatif import closed_years
    from epn.principal import COPIL, Principal

    year = closed_years(Principal("bench", COPIL))[0]  # the year the page opens on
    with duckdb.connect(str(db), read_only=True) as con:
        runs = [compliance_sql_floor(con, year, today)["seconds"] for _ in range(RUNS + 1)]
    return statistics.median(runs[1:]), "the year judged once: plain SQL of the 3 statistics rules"


@contextmanager
def warehouse(db: Path):
    """The app's queries read the warehouse named by the settings: this one, meanwhile."""
    before = os.environ.get("EPN_DB")
    os.environ["EPN_DB"] = str(db)
    get_settings.cache_clear()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("EPN_DB", None)
        else:
            os.environ["EPN_DB"] = before
        get_settings.cache_clear()


def time_page(role: str, queries: dict, epn_id: str, year: int, repeat: int = RUNS) -> dict:
    """The page's queries as one run of the page does them: on one connection, opened once
    (``held_open``); the page's time is the median of ``repeat`` runs after a first one."""
    visit = Visit(principal_for(role, epn_id), year, epn_id)
    runs = [run_page(queries, visit) for _ in range(repeat + 1)][1:]
    totals = [sum(run.values()) for run in runs]
    return {
        "seconds": statistics.median(totals),
        "queries": {name: statistics.median(run[name] for run in runs) for name in queries},
    }


def run_page(queries: dict, visit: Visit) -> dict[str, float]:
    """Seconds per query of one run; opening the warehouse is charged to the first."""
    st.cache_data.clear()
    timed = {}
    started = time.perf_counter()
    with held_open():
        for name, query in queries.items():
            query(visit)
            timed[name] = time.perf_counter() - started
            started = time.perf_counter()
    return timed


def naive_page(db: Path, year: int) -> float:
    """The year's weekly rows and the registry read into pandas, the page's figures (open
    hours, visits, users per commune) computed there."""
    started = time.perf_counter()
    with duckdb.connect(str(db), read_only=True) as con:
        weeks = con.execute("SELECT * FROM cur_weekly WHERE isoyear(week_start) = ?", [year]).df()
        epns = con.execute("SELECT * FROM registry_current").df()
    merged = weeks.merge(epns, on="epn_id")
    merged.groupby("commune_nis").agg(
        hours=("public_hours", "sum"), visits=("visits", "sum"), users=("unique_users", "sum")
    )
    return time.perf_counter() - started


def _first_labelled(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT min(epn_id) FROM registry_current WHERE status = 'labelled'"
        ).fetchone()[0]
