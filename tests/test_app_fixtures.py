"""Shared builders for the app tests: a small real warehouse (registry + statistics files).

Not a test module of its own; it lives here because the app's helper owns only
``tests/test_app_*.py``, ``tests/test_queries.py`` and ``tests/test_charts.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ingest.pipeline import Upload, ingest_uploads
from registry.importer import import_registry
from warehouse.db import connect, transaction

YEAR = 2024
RECEIVED = dt.date(2025, 1, 10)
REGISTRY_CSV = """epn_id,name,commune_nis,address,postcode,authority_name,authority_type,\
labelled_on,workstations
EPN-0001,Espace numérique d'Anderlecht,21001,Rue Wayez 1,1070,Commune d'Anderlecht,commune,\
2023-01-02,8
EPN-0002,EPN du CPAS d'Ixelles,21009,Rue Mercelis 2,1050,CPAS d'Ixelles,cpas,2023-01-02,10
EPN-0003,Lien numérique Schaerbeek,21015,,,ASBL Lien,non_market,2024-03-01,6
EPN-0004,Candidat d'Uccle,21016,,,ASBL Uccle,non_market,,4
"""
HEADER = (
    "epn_id,week_start,status,closure_reason,public_hours,facilitated_hours,"
    "visits,unique_users,new_users"
)


def weeks_of(year: int, start: dt.date | None = None) -> list[dt.date]:
    first = dt.date.fromisocalendar(year, 1, 1)
    last = dt.date.fromisocalendar(year + 1, 1, 1)
    days = range(0, (last - first).days, 7)
    return [d for d in (first + dt.timedelta(n) for n in days) if start is None or d >= start]


def weekly_lines(
    epn_id: str,
    year: int,
    *,
    visits: int,
    public_hours: float = 20,
    short_weeks: int = 0,
    start: dt.date | None = None,
) -> list[str]:
    """One open week per line; the first ``short_weeks`` weeks have only 10 public hours."""
    lines = []
    for n, week in enumerate(weeks_of(year, start)):
        hours = 10 if n < short_weeks else public_hours
        lines.append(f"{epn_id},{week},open,,{hours},{hours},{visits},{visits // 2},{visits // 5}")
    return lines


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def statistics_files() -> dict[str, bytes]:
    """Two files: EPN-0001 alone, and EPN-0002 with EPN-0003 (three short weeks for 0002)."""
    return {
        "stats-0001.csv": csv_bytes(weekly_lines("EPN-0001", YEAR, visits=100)),
        "stats-0002-0003.csv": csv_bytes(
            weekly_lines("EPN-0002", YEAR, visits=40, short_weeks=3)
            + weekly_lines("EPN-0003", YEAR, visits=10, start=dt.date(2024, 2, 26))
        ),
    }


def rejected_csv() -> bytes:
    """A statistics file with an unknown EPN and a week that does not start on a Monday."""
    return csv_bytes(
        [
            "EPN-9999,2024-01-01,open,,20,20,5,5,1",
            "EPN-0001,2024-01-03,open,,20,20,5,5,1",
        ]
    )


def build_warehouse(path: Path) -> Path:
    """A warehouse with the registry above and the two statistics files accepted."""
    with connect(path) as con, transaction(con):
        import_registry(con, REGISTRY_CSV.encode(), user="coordinator")
    uploads = [
        Upload(name, data, RECEIVED, "coordinator") for name, data in statistics_files().items()
    ]
    results = ingest_uploads(uploads, db=path)
    assert [r["status"] for r in results] == ["accepted", "accepted"], results
    return path


def copy_warehouse(source: Path, target: Path) -> Path:
    """A private copy of a built warehouse (closed files only), quicker than building anew."""
    for suffix in ("", ".wal"):
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copyfile(origin, target.with_name(target.name + suffix))
    return target
