"""`epn publish`: the open data package of a frozen year, validated by frictionless-py.

The warehouse holds what a real year holds (the standard's example registry, an annual
report naming its submitter and staff, weekly statistics, an account); the package must
carry the public directory and aggregates only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest
from test_app_fixtures import copy_warehouse

from registry.directory import COLUMNS as DIRECTORY_COLUMNS
from registry.open_data import package_files, package_zip
from reporting.standard import examples
from validation.charter.terms import terms_for
from warehouse.db import connect

YEAR = examples.EXAMPLE_YEAR
FILES = {
    "datapackage.json",
    "data/communes.geojson",
    *(f"data/{name}.{suffix}" for name in ("directory", "indicators_communes",
      "indicators_region") for suffix in ("csv", "parquet")),
}  # fmt: skip
# What the warehouse holds that must never be published.
PRIVATE = [
    examples.IDENTITY["contact_email"],
    examples.IDENTITY["submitted_by"],
    examples.STAFF[0][3],  # a staff member's qualification
    examples.ACTIVITIES[0][1],  # an activity's title
    examples.NARRATIVE["difficulties"],
    "alice.coord",  # an account
    "EPN-0213",  # an applicant: not in the public directory
    "annual-report.xlsx",  # an uploaded file's name
    "2025-07-21",  # a week of the weekly statistics
]


def epn(*args: object) -> int:
    from cli import main

    return main([str(arg) for arg in args])


@pytest.fixture(scope="module")
def year_in_warehouse(tmp_path_factory) -> Path:
    """A warehouse holding the example year, an account, and no published figure yet."""
    folder = tmp_path_factory.mktemp("year")
    db = folder / "epn.duckdb"
    for name, data in examples.example_files().items():
        (folder / Path(name).name).write_bytes(data)
    assert epn("registry", "import", folder / "registry.csv", "--db", db) == 0
    assert epn("ingest", folder / "annual-report.xlsx", folder / "statistics.csv", "--db", db) == 0
    account = ["alice.coord", "--role", "coordinator", "--email", "alice@example.org"]
    assert epn("users", "add", *account, "--password", "a long enough passphrase", "--db", db) == 0
    return db


@pytest.fixture(scope="module")
def frozen(year_in_warehouse, tmp_path_factory) -> Path:
    db = copy_warehouse(year_in_warehouse, tmp_path_factory.mktemp("frozen") / "epn.duckdb")
    assert epn("indicators", "--year", YEAR, "--freeze", "--db", db) == 0
    return db


@pytest.fixture
def run(capsys):
    """``epn ARGS`` in-process: (exit status, stdout, stderr)."""

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = epn(*args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_year_never_frozen_is_refused_and_nothing_is_written(run, year_in_warehouse):
    target = year_in_warehouse.parent / "open"
    code, out, err = run("publish", "--year", YEAR, "-o", target, "--db", year_in_warehouse)
    assert code == 1
    assert f"epn indicators --year {YEAR} --freeze" in err
    assert not target.exists()
    code, _, err = run("publish", "--year", YEAR, "-o", target, "--lang", "nl",
                       "--db", year_in_warehouse)  # fmt: skip
    assert "Leg het jaar eerst vast" in err


def test_the_package_is_valid_and_describes_itself(run, frozen, tmp_path):
    target = tmp_path / "open"
    code, out, err = run("publish", "--year", YEAR, "-o", target, "--json", "--db", frozen)
    assert code == 0, err
    assert set(json.loads(out)["files"]) == FILES
    report = frictionless.validate(target / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    assert len(report.tasks) == 7  # three tables, in CSV and in Parquet, and the GeoJSON
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["charter_version"] == terms_for(YEAR).name
    assert descriptor["created"].startswith(dt.date.today().isoformat())
    assert {"fr", "nl", "en"} == set(descriptor["titles"])
    assert any("Statbel" in source["title"] for source in descriptor["sources"])
    directory = frictionless.Resource(str(target / "data/directory.csv")).read_rows()
    assert [row["epn_id"] for row in directory] == ["EPN-0042", "EPN-0107"]
    assert directory[0]["labelled_since"] == dt.date(2021, 3, 15)
    region = pq.read_table(target / "data/indicators_region.parquet").to_pylist()
    assert region[0]["labelled_epns"] == 2 and region[0]["users_total"] == 410
    geojson = json.loads((target / "data/communes.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == 19


def test_only_aggregates_and_the_public_directory(frozen):
    with connect(frozen) as con:
        files = package_files(con, YEAR, dt.datetime.now(dt.UTC))
    assert set(files) == FILES
    published_text = "\n".join(
        json.dumps(pq.read_table(io.BytesIO(data)).to_pylist(), default=str)
        if path.endswith(".parquet")
        else data.decode("utf-8")
        for path, data in files.items()
    )
    for private in PRIVATE:
        assert private not in published_text, private
    # epn_id, the only per-EPN key, appears in the directory alone; no weekly column at all.
    for name in ("indicators_communes", "indicators_region"):
        columns = pq.read_table(io.BytesIO(files[f"data/{name}.parquet"])).column_names
        assert "epn_id" not in columns and "week_start" not in columns
    directory = pq.read_table(io.BytesIO(files["data/directory.parquet"]))
    assert tuple(directory.column_names) == DIRECTORY_COLUMNS
    with zipfile.ZipFile(io.BytesIO(package_zip(files))) as archive:
        assert set(archive.namelist()) == FILES
        assert archive.read("datapackage.json") == files["datapackage.json"]
