"""Shared builders for the app tests: a small real warehouse (registry + statistics files).

Not a test module of its own; it lives here because the app's helper owns only
``tests/test_app_*.py``, ``tests/test_queries.py`` and ``tests/test_charts.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION
from epn.settings import get_settings
from registry.importer import import_registry
from services.uploads import Upload, ingest_uploads
from warehouse.accounts import add_user
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
# The accounts of the test warehouse: username -> (role, EPN); passwords from password_of.
ACCOUNTS = {
    "coord": (COORDINATOR, None),
    "copil": (COPIL, None),
    "analyst": (REGION, None),
    "root": (ADMIN, None),
    "anderlecht": (EPN_USER, "EPN-0001"),
    "ixelles": (EPN_USER, "EPN-0002"),
}
# Cheap argon2 parameters: a hash records its own, so the back end verifies these as it does
# real ones, in a millisecond instead of a second per login.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
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
    """A warehouse with the registry above, the two statistics files accepted and ACCOUNTS."""
    with connect(path) as con, transaction(con):
        import_registry(con, REGISTRY_CSV.encode(), user="coordinator")
    add_accounts(path, *ACCOUNTS)
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


def password_of(username: str) -> str:
    return f"secret-of-{username}"


def add_accounts(path: Path, *usernames: str) -> None:
    """Creates these ACCOUNTS (EPN users need the registry loaded first)."""
    with connect(path) as con, transaction(con):
        for username in usernames:
            role, epn_id = ACCOUNTS[username]
            add_user(con, username, role, epn_id, by="test")
            con.execute(
                "UPDATE app_user SET password_hash = ? WHERE username = ?",
                [FAST_HASHER.hash(password_of(username)), username],
            )


def log_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    """Signs in through the login form, as a user would; the app then shows its first page.

    Set ``at.session_state["lang"]`` before calling it to sign in in another language.
    """
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password or password_of(username))
    return at.button(key="login_submit").click().run()


APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


def private_copy(warehouse: Path, folder: Path, monkeypatch):
    """A copy of a built warehouse, the default (EPN_DB) for one test; for fixtures to
    ``yield from``."""
    path = copy_warehouse(warehouse, folder / "epn.duckdb")
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def open_page_as(page: str, username: str, lang: str = "fr", timeout: int = 90) -> AppTest:
    """The app signed in as ``username`` (through the login form), on ``page``."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["lang"] = lang
    log_in(at, username)
    return at.switch_page(page).run()
