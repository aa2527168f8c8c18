"""`epn standard`: the published standard agrees with the code that reads the files.

frictionless-py (an independent validator) checks the example files against the published
Table Schemas; `epn` accepts the same files; and every constraint a schema states (code
list, range, required field) is both declared by ``epn/standard.py`` and enforced by the
validator: an invalid value made from the schema is refused by frictionless and by `epn`.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest
from openpyxl import load_workbook

from epn.standard import AUDIENCE_CATEGORIES, REGISTRY, REPORT_SHEETS, STATISTICS
from reporting.standard.schema import FIELD_TYPES, TABLES, described_fields

ROOT = Path(__file__).resolve().parents[1]
SHEETS = {"registry": REGISTRY, "statistics": STATISTICS} | {
    f"report-{s.name}": s for s in REPORT_SHEETS
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The standard as `epn standard -o DIR` writes it (the installed command's contract)."""
    out = tmp_path_factory.mktemp("standard") / "standard"
    done = subprocess.run(
        [sys.executable, "-m", "cli", "standard", "-o", str(out), "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "20 files" in done.stdout
    return out


def schema(published: Path, name: str) -> dict:
    return json.loads((published / f"schemas/{name}.json").read_text(encoding="utf-8"))


def test_publishes_schemas_pages_and_examples(published):
    names = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    assert {f"schemas/{table.name}.json" for table in TABLES} <= names
    for lang in ("fr", "nl", "en"):
        assert {f"standard.{lang}.md", f"standard.{lang}.html"} <= names
    assert {"examples/registry.csv", "examples/annual-report.xlsx"} <= names
    french = (published / "standard.fr.md").read_text(encoding="utf-8")
    assert (
        "| `commune_nis` | Code INS de la commune | nombre entier | oui | de 21001 à 21019 |"
        in (french)
    )
    dutch = (published / "standard.nl.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in dutch and "<code>job_seeker</code>" in dutch
    assert "Openingsuren voor het publiek" in dutch
    fields = schema(published, "statistics")["fields"]
    hours = next(f for f in fields if f["name"] == "public_hours")
    assert hours["titles"] == {
        "fr": "Heures d'ouverture au public",
        "nl": "Openingsuren voor het publiek",
        "en": "Public hours",
    }
    assert set(hours["descriptions"]) == {"fr", "nl", "en"}


def test_frictionless_finds_the_examples_valid(published):
    report = frictionless.validate(published / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    assert len(report.tasks) == len(TABLES) + 1  # every table, and the statistics workbook


def test_frictionless_checks_each_key_of_a_key_value_sheet(published):
    """The `epn` sheet's values, laid out as one row, against the keys' own schemas."""
    keys = schema(published, "report-epn")["keys"]
    values = key_values(published / "examples/annual-report.xlsx", "epn")
    assert frictionless.validate(one_row(keys, values)).valid
    assert not frictionless.validate(one_row(keys, values | {"fees": "expensive"})).valid


def test_the_examples_are_accepted(published, cli):
    code, out, err = cli("registry", "import", published / "examples/registry.csv")
    assert code == 0, err
    files = [published / f"examples/{n}" for n in ("annual-report.xlsx", "statistics.csv",
                                                     "statistics.xlsx")]  # fmt: skip
    code, out, err = cli("ingest", *files, "--json")
    assert code == 0, out + err
    outcomes = json.loads(out)
    assert [(o["status"], o["kind"]) for o in outcomes] == [
        ("accepted", "annual_report"),
        ("accepted", "statistics"),
        ("accepted", "statistics"),
    ]
    assert outcomes[0]["epn_ids"] == ["EPN-0042"]


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_schema_states_what_the_code_declares(published, table):
    sheet, document = table.sheet, schema(published, table.name)
    fields = described_fields(document)
    assert [f["name"] for f in fields] == sheet.keys
    for field, column in zip(fields, sheet.columns, strict=True):
        limits = field["constraints"]
        assert field["type"] == FIELD_TYPES[column.type]
        assert limits["required"] is column.required
        assert limits.get("minimum") == column.minimum
        assert limits.get("maximum") == column.maximum
        if column.key == "category":
            assert set(limits["enum"]) == {c for cs in AUDIENCE_CATEGORIES.values() for c in cs}
        else:
            assert tuple(limits.get("enum", ())) == column.codes
    if not sheet.key_value:
        assert tuple(document.get("primaryKey", ())) == sheet.unique_keys


def invalid_cases(published: Path) -> list[tuple[str, str, object]]:
    """(table, field, invalid value): one per constraint a published schema states."""
    cases = []
    for table in TABLES:
        for field in described_fields(schema(published, table.name)):
            limits, name = field["constraints"], field["name"]
            if limits["required"]:
                cases.append((table.name, name, None))
            if "enum" in limits:
                cases.append((table.name, name, "not_a_code"))
            if "minimum" in limits:
                cases.append((table.name, name, limits["minimum"] - 1))
            if "maximum" in limits:
                cases.append((table.name, name, limits["maximum"] + 1))
            if "exclusiveMinimum" in limits:
                cases.append((table.name, name, limits["exclusiveMinimum"]))
    return cases


def test_an_invalid_value_is_refused_by_frictionless_and_by_epn(published, cli, tmp_path):
    """Made from the schema alone, each invalid value breaks both validators."""
    cases = invalid_cases(published)
    assert len(cases) > 40
    code, _, err = cli("registry", "import", published / "examples/registry.csv")
    assert code == 0, err
    files, registry_cases = [], []
    for number, (table, name, value) in enumerate(cases):
        if table == "registry":
            registry_cases.append((table, name, value))
            continue
        path = (
            tmp_path / f"case-{number}-{table}-{name}.{'csv' if table == 'statistics' else 'xlsx'}"
        )
        write_invalid(published, table, name, value, path)
        assert not frictionless_valid(published, table, path), (table, name, value)
        files.append((path, name))
    code, out, _ = cli("ingest", "--dry-run", "--json", *[path for path, _ in files])
    assert code == 1
    for outcome, (path, name) in zip(json.loads(out), files, strict=True):
        assert outcome["status"] == "rejected", path.name
        assert name in {error["column"] for error in outcome["errors"]}, (path.name, outcome)
    for table, name, value in registry_cases:
        path = tmp_path / f"registry-{name}-{value}.csv"
        write_invalid(published, table, name, value, path)
        assert not frictionless_valid(published, table, path), (name, value)
        code, out, err = cli("registry", "import", path)
        assert code == 1, (name, value, out, err)


# --- Making and checking the invalid files -------------------------------------------


def write_invalid(published: Path, table: str, name: str, value: object, path: Path) -> None:
    """The example file of ``table`` with ``value`` in its first row's field ``name``."""
    if table in ("registry", "statistics"):
        rows = list(csv.DictReader(io.StringIO((published / f"examples/{table}.csv").read_text())))
        rows[0][name] = "" if value is None else str(value)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return
    workbook = load_workbook(published / "examples/annual-report.xlsx")
    sheet = workbook[SHEETS[table].name]
    if SHEETS[table].key_value:
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == name)
        row[1].value = value
    else:
        column = [c.value for c in sheet[1]].index(name)
        sheet.cell(row=2, column=column + 1).value = value
    workbook.save(path)


def frictionless_valid(published: Path, table: str, path: Path) -> bool:
    document = schema(published, table)
    if SHEETS.get(table) and SHEETS[table].key_value:
        return frictionless.validate(
            one_row(document["keys"], key_values(path, SHEETS[table].name))
        ).valid
    options = {"schema": frictionless.Schema.from_descriptor(document)}
    if path.suffix == ".xlsx":
        options |= {
            "format": "xlsx",
            "control": frictionless.formats.ExcelControl(sheet=SHEETS[table].name),
        }
    return frictionless.validate(frictionless.Resource(path=str(path), **options)).valid


def key_values(path: Path, sheet: str) -> dict:
    rows = load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True)
    return {key: value for key, value, *_ in rows}


def one_row(fields: list[dict], values: dict) -> frictionless.Resource:
    """A key/value sheet laid out as a table of one row, with its keys as fields."""
    names = [f["name"] for f in fields]
    row = ["" if values.get(n) is None else str(values[n]) for n in names]
    return frictionless.Resource(
        data=[names, row],
        schema=frictionless.Schema.from_descriptor({"fields": fields}),
    )
