"""Everything ``epn standard`` writes, as relative path -> bytes.

Besides the schemas, the pages and the examples, a ``datapackage.json`` describes the
example files as resources with their schemas: one ``frictionless validate`` checks them
all against the published standard.
"""

from __future__ import annotations

import json
from pathlib import Path

from reporting.standard.docs import EXAMPLE_OF, documentation_files
from reporting.standard.examples import example_files
from reporting.standard.schema import TABLES, VERSION, table_schema

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def schema_files() -> dict[str, bytes]:
    return {table.schema_path: to_json(table_schema(table)) for table in TABLES}


def examples_package() -> dict:
    """The example files as a Data Package: each table with its file and schema."""
    resources = []
    for table in TABLES:
        resource = {
            "name": table.name.replace("-", "_"),
            "path": EXAMPLE_OF[table.part],
            "schema": table.schema_path,
        }
        if resource["path"].endswith(".xlsx"):
            resource |= {"format": "xlsx", "dialect": {"excel": {"sheet": table.sheet.name}}}
        else:
            resource |= {"format": "csv", "encoding": "utf-8"}
        resources.append(resource)
    resources.append(
        {
            "name": "statistics_xlsx",
            "path": "examples/statistics.xlsx",
            "format": "xlsx",
            "schema": "schemas/statistics.json",
        }
    )
    return {
        "$schema": PACKAGE_PROFILE,
        "name": "epn-reporting-standard-examples",
        "title": "EPN reporting standard — examples",
        "version": VERSION,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def standard_files() -> dict[str, bytes]:
    return {
        **schema_files(),
        **documentation_files(),
        **example_files(),
        "datapackage.json": to_json(examples_package()),
    }


def write_standard(directory: Path) -> list[Path]:
    """Writes every file under ``directory`` (created if need be); returns their paths."""
    written = []
    for relative, data in standard_files().items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def to_json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
