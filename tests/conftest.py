"""Shared fixtures: a real DuckDB file per test, a registry, and writers of real input files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from epn.settings import get_settings
from registry.importer import import_registry
from warehouse.db import connect, transaction

REGISTRY_HEADER = [
    "epn_id",
    "name",
    "commune_nis",
    "authority_name",
    "authority_type",
    "labelled_on",
]
STATS_HEADER = [
    "epn_id",
    "week_start",
    "status",
    "closure_reason",
    "public_hours",
    "facilitated_hours",
    "visits",
    "unique_users",
    "new_users",
]


def use_warehouse(path: Path, monkeypatch):
    """Points the settings (EPN_DB) at ``path`` for one test; for fixtures to ``yield from``."""
    monkeypatch.setenv("EPN_DB", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The app tests' warehouse (registry, accounts, files), built once per test module."""
    from test_app_fixtures import build_warehouse  # AppTest's helpers: for app tests only

    return build_warehouse(tmp_path_factory.mktemp("wh") / "epn.duckdb")


@pytest.fixture
def warehouse(template, tmp_path, monkeypatch) -> Path:
    """A private copy of ``template`` for one test: pages write (logins, audit rows)."""
    from test_app_fixtures import copy_warehouse

    yield from use_warehouse(copy_warehouse(template, tmp_path / "epn.duckdb"), monkeypatch)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A fresh warehouse file, also the default for code that reads EPN_DB."""
    yield from use_warehouse(tmp_path / "epn.duckdb", monkeypatch)


def csv_bytes(header: list[str], rows: list[list], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def load_registry(db: Path, rows: list[list]) -> dict:
    with connect(db) as con, transaction(con):
        return import_registry(con, csv_bytes(REGISTRY_HEADER, rows))


@pytest.fixture
def registry(db) -> Path:
    """Three EPNs: two labelled (one since mid-2024), one applicant."""
    load_registry(
        db,
        [
            ["EPN-0001", "EPN Anderlecht", 21001, "Commune d'Anderlecht", "commune", "2020-01-15"],
            ["EPN-0002", "EPN Ixelles", 21009, "CPAS d'Ixelles", "cpas", "2024-07-03"],
            ["EPN-0003", "EPN Jette", 21010, "Asbl Jette", "non_market", ""],
        ],
    )
    return db


def week_rows(
    epn_id: str, year: int, hours: float = 20.0, skip: tuple[int, ...] = ()
) -> list[list]:
    """One open row per ISO week of ``year`` (weeks in ``skip`` left out)."""
    first = dt.date.fromisocalendar(year, 1, 1)
    weeks = dt.date(year, 12, 28).isocalendar()[1]
    return [
        [epn_id, (first + dt.timedelta(weeks=w)).isoformat(), "open", "", hours, hours, 100, 60, 10]
        for w in range(weeks)
        if w + 1 not in skip
    ]


def stats_file(tmp_path: Path, name: str, rows: list[list], delimiter: str = ",") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(STATS_HEADER, rows, delimiter))
    return path


CHECKOUT = Path(__file__).resolve().parents[1]


def epn_process(*args: object, env: dict | None = None) -> subprocess.CompletedProcess:
    """``epn ARGS`` as its own process (``python -m cli`` from the checkout), as a user runs
    it: its text output, its status, its start-up."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli(capsys, db):
    """Runs ``epn`` in-process against the test warehouse: (exit status, stdout, stderr)."""
    from cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*map(str, args), "--db", str(db)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


GOLDEN = Path(__file__).parent / "golden" / "scenario"
GOLDEN_EXPECTED = json.loads((GOLDEN / "expected_findings.json").read_text(encoding="utf-8"))


@pytest.fixture
def golden_scenario(cli, db) -> Path:
    """The test warehouse holding the golden scenario (tests/golden/scenario): its registry,
    its files received on their dates through `epn ingest`, its withdrawals."""
    assert cli("registry", "import", GOLDEN / "registry.csv")[0] == 0
    with (GOLDEN / "manifest.csv").open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle):
            code, out, err = cli(
                "ingest", GOLDEN / entry["file"], "--received-on", entry["received_on"], "--json"
            )
            assert code == 0, (entry["file"], out, err)
    for epn_id, day, reason in GOLDEN_EXPECTED["withdrawals"]:
        assert cli("registry", "withdraw", epn_id, "--on", day, "--reason", reason)[0] == 0
    return db


def demo_copy_in(demo_warehouse: dict, folder: Path) -> Path:
    """A private copy of the demo warehouse (with its write-ahead log, if any) in ``folder``,
    for tests that write to it."""
    for suffix in ("", ".wal"):
        source = Path(str(demo_warehouse["db"]) + suffix)
        if source.exists():
            shutil.copyfile(source, folder / ("demo.duckdb" + suffix))
    return folder / "demo.duckdb"


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> dict:
    """One `epn demo` warehouse for the whole run (it takes a while to build): its path,
    the demo's JSON summary and the demo accounts."""
    import json
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.duckdb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "demo",
            "--db",
            str(db),
            "--files-dir",
            str(folder / "files"),
            "--json",
        ],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    return {"db": db, "summary": summary, "accounts": summary["accounts"]}
