"""The open data package of a year (``epn publish``, the public page's download).

A Frictionless Data Package (v2): the public directory of labelled EPNs (art. 5), the
year's published indicators per commune and for the Region, each in CSV and in Parquet,
and the communes' boundaries as GeoJSON; ``datapackage.json`` gives the licence (CC BY
4.0), the sources, the charter version the year was judged by and the date.

Only published figures leave the warehouse: a year that was never frozen is refused
(freeze it first with ``epn indicators --year YYYY --freeze``), so that open data never
moves under its readers when a late correction arrives. The package holds aggregates and
the public directory only, built from explicit column lists: never an uploaded file, a
person (account, submitter, contact, staff) or a per-EPN weekly figure.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from epn.errors import EpnError
from epn.i18n import t
from epn.locale import LANGUAGES
from registry.directory import COLUMNS as DIRECTORY_COLUMNS
from registry.directory import directory_csv, public_directory
from validation.charter.terms import terms_for
from warehouse import snapshots
from warehouse.indicators import MEASURES

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
BOUNDARIES = Path(__file__).parents[1] / "warehouse" / "reference" / "brussels_communes.geojson"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SOURCES = [
    {"title": "Registre du label EPN — Région de Bruxelles-Capitale"},
    {"title": "Rapports annuels et statistiques hebdomadaires des EPN labellisés"},
    {
        "title": "Statbel — population par commune au 1er janvier 2020",
        "path": "https://statbel.fgov.be",
    },
    {
        "title": "bmesuere/belgium-topojson (CC0) — limites des communes",
        "path": "https://github.com/bmesuere/belgium-topojson",
    },
]
COMMUNE_COLUMNS = ("commune_nis", "name_fr", "name_nl", "inhabitants", *MEASURES)
REGION_COLUMNS = ("year", "inhabitants", *MEASURES, "communes_without_epn")
# Frictionless types of every published column (CSV) and their Arrow types (Parquet).
TYPES = {
    "epn_id": "string", "name": "string", "address": "string", "postcode": "integer",
    "commune_nis": "integer", "commune_name_fr": "string", "commune_name_nl": "string",
    "authority_name": "string", "authority_type": "string", "labelled_since": "date",
    "name_fr": "string", "name_nl": "string", "inhabitants": "integer", "year": "integer",
    "labelled_epns": "integer", "epns_per_100k": "number", "weekly_public_hours": "number",
    "visits": "integer", "users_total": "integer", "priority_share": "number",
    "share_without_breach": "number", "communes_without_epn": "integer",
}  # fmt: skip
ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}
# Where a column's title lives in the catalogue.
TITLE_CODES = {
    "commune_name_fr": "publish.field.commune_name_fr",
    "commune_name_nl": "publish.field.commune_name_nl",
    "name_fr": "publish.field.commune_name_fr",
    "name_nl": "publish.field.commune_name_nl",
    "labelled_since": "publish.field.labelled_since",
    "inhabitants": "publish.field.inhabitants",
    "year": "header.year",
    **{m: f"app.region.measure.{m}" for m in (*MEASURES, "communes_without_epn")},
}


def package_files(con: duckdb.DuckDBPyConnection, year: int, now: dt.datetime) -> dict[str, bytes]:
    """Relative path -> bytes of the year's package; refuses a year never frozen."""
    snapshot = snapshots.published(con, year)
    if snapshot is None:
        raise EpnError("publish.not_frozen", year=year)
    tables = {
        "directory": (DIRECTORY_COLUMNS, public_directory(con)),
        "indicators_communes": (COMMUNE_COLUMNS, snapshot.document["communes"]),
        "indicators_region": (REGION_COLUMNS, [region_row(snapshot.document)]),
    }
    files: dict[str, bytes] = {}
    resources = []
    for name, (columns, rows) in tables.items():
        rows = [{column: row.get(column) for column in columns} for row in rows]
        files[f"data/{name}.csv"] = table_csv(name, columns, rows)
        files[f"data/{name}.parquet"] = table_parquet(columns, rows)
        resources += table_resources(name, columns)
    files["data/communes.geojson"] = BOUNDARIES.read_bytes()
    resources.append(boundaries_resource())
    descriptor = package_descriptor(year, now, snapshot, resources)
    files["datapackage.json"] = (
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    ).encode()
    return files


def region_row(document: dict) -> dict:
    region = document["region"]
    return {
        "year": document["year"],
        **{k: v for k, v in region.items() if k != "communes_without_epn"},
        "communes_without_epn": len(region.get("communes_without_epn", [])),
    }


def table_csv(name: str, columns: tuple[str, ...], rows: list[dict]) -> bytes:
    if name == "directory":  # one directory, defused against spreadsheet formulas
        return directory_csv(rows)
    buffer = io.StringIO()
    buffer.write(",".join(columns) + "\r\n")
    for row in rows:
        buffer.write(",".join(csv_cell(row[column]) for column in columns) + "\r\n")
    return buffer.getvalue().encode("utf-8")


def csv_cell(value: object) -> str:
    """Names of communes are the only texts here; quoted when they hold a comma or a quote."""
    if value is None:
        return ""
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def table_parquet(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    schema = pa.schema([(column, ARROW[TYPES[column]]) for column in columns])
    values = {column: [parquet_value(column, row[column]) for row in rows] for column in columns}
    buffer = io.BytesIO()
    pq.write_table(pa.table(values, schema=schema), buffer)
    return buffer.getvalue()


def parquet_value(column: str, value: object) -> object:
    if value is not None and TYPES[column] == "date":
        return dt.date.fromisoformat(str(value))
    return value


def table_schema(columns: tuple[str, ...]) -> dict:
    fields = []
    for column in columns:
        field = {"name": column, "type": TYPES[column]}
        code = TITLE_CODES.get(column, f"header.{column}")
        titles = {lang: t(code, lang) for lang in LANGUAGES}
        fields.append({**field, "title": titles["fr"], "titles": titles})
    return {"fields": fields}


def table_resources(name: str, columns: tuple[str, ...]) -> list[dict]:
    titles = {lang: t(f"publish.resource.{name}", lang) for lang in LANGUAGES}
    schema = table_schema(columns)
    common = {"title": titles["fr"], "titles": titles, "schema": schema}
    return [
        {"name": name, "path": f"data/{name}.csv", "format": "csv", "mediatype": "text/csv",
         "encoding": "utf-8", **common},
        {"name": f"{name}_parquet", "path": f"data/{name}.parquet", "format": "parquet",
         "mediatype": "application/vnd.apache.parquet", **common},
    ]  # fmt: skip


def boundaries_resource() -> dict:
    titles = {lang: t("publish.resource.communes", lang) for lang in LANGUAGES}
    return {
        "name": "communes",
        "type": "json",
        "path": "data/communes.geojson",
        "format": "geojson",
        "mediatype": "application/geo+json",
        "title": titles["fr"],
        "titles": titles,
        "sources": [SOURCES[-1]],
    }


def package_descriptor(year: int, now: dt.datetime, snapshot, resources: list[dict]) -> dict:
    return {
        "$schema": PROFILE,
        "name": f"epn-brussels-open-data-{year}",
        "title": t("publish.title", "fr", year=year),
        "titles": {lang: t("publish.title", lang, year=year) for lang in LANGUAGES},
        "description": t("publish.description", "fr", year=year),
        "version": f"{year}.{snapshot.snapshot_id}",
        "created": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "year": year,
        "charter_version": terms_for(year).name,
        "indicators_frozen_on": snapshot.frozen_at.date().isoformat(),
        "licenses": [LICENCE],
        "sources": SOURCES,
        "resources": resources,
    }


def package_zip(files: dict[str, bytes]) -> bytes:
    """The package as one zip, built in memory (the public page's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
    return buffer.getvalue()


def write_package(files: dict[str, bytes], directory: Path) -> list[Path]:
    written = []
    for relative, data in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
