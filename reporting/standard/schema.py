"""Frictionless Table Schemas (Data Package v2) of the standard's tables.

Every field is derived from a :class:`epn.standard.Column`: its type, whether it is
required, its code list and range. Titles and descriptions are the catalogue's headers and
help texts: ``title``/``description`` in French (the default language), and all three
languages under ``titles``/``descriptions`` (Table Schema allows extra properties).

A key/value sheet (``epn``, ``narrative``) is a table of two columns, ``key`` and
``value``; the schema of each key's value is given under ``keys`` in the same shape as a
field, so that a reader (and our tests) can check a value as the code does.

The schemas describe the canonical form of a file: keys as headers, ``.`` as the decimal
mark, ISO dates. The readers are more lenient (localized headers, decimal comma, Excel
dates, yes/no in three languages): a file valid against the schema is always readable.
Rules between fields (a closure reason when closed, facilitated hours at most the public
hours...) are the validator's; the documentation names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from epn.i18n import t
from epn.locale import LANGUAGES
from epn.standard import (
    AUDIENCE_CATEGORIES,
    REGISTRY,
    REPORT_SHEETS,
    STATISTICS,
    Column,
    Sheet,
)
from validation.cells import NO, YES

VERSION = "1"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
FIELD_TYPES = {
    "text": "string",
    "code": "string",
    "integer": "integer",
    "decimal": "number",
    "date": "date",
    "yesno": "boolean",
}
# Stricter than the declared range: the validator wants activities' hours above 0.
EXCLUSIVE_MINIMUM = {("activities", "hours"): 0}


@dataclass(frozen=True)
class Table:
    """One table of the standard: its sheet declaration and where it is published."""

    name: str  # file stem: registry, statistics, report-staff...
    sheet: Sheet
    part: str  # registry | report | statistics

    @property
    def schema_path(self) -> str:
        return f"schemas/{self.name}.json"


TABLES = (
    Table("registry", REGISTRY, "registry"),
    *(Table(f"report-{sheet.name}", sheet, "report") for sheet in REPORT_SHEETS),
    Table("statistics", STATISTICS, "statistics"),
)


def in_languages(code: str) -> dict[str, str]:
    return {lang: t(code, lang) for lang in LANGUAGES}


def category_codes() -> tuple[str, ...]:
    """Every audience category once, in the declaration's order."""
    return tuple(dict.fromkeys(c for codes in AUDIENCE_CATEGORIES.values() for c in codes))


def allowed_codes(column: Column) -> tuple[str, ...]:
    """The closed list of a column: its codes, or the audience categories."""
    return category_codes() if column.key == "category" else column.codes


def field(column: Column, sheet: str) -> dict:
    """The Table Schema field of one column of the standard."""
    titles = in_languages(f"header.{column.key}")
    descriptions = in_languages(f"template.help.{column.key}")
    descriptor: dict = {
        "name": column.key,
        "type": FIELD_TYPES[column.type],
        "title": titles["fr"],
        "description": descriptions["fr"],
        "titles": titles,
        "descriptions": descriptions,
    }
    if column.type == "yesno":
        descriptor["trueValues"] = sorted(YES)
        descriptor["falseValues"] = sorted(NO)
    codes = allowed_codes(column)
    if column.type == "code":
        descriptor["enumLabels"] = {
            lang: {code: t(f"template.code.{code}", lang) for code in codes} for lang in LANGUAGES
        }
    descriptor["constraints"] = constraints(column, sheet, codes)
    return descriptor


def constraints(column: Column, sheet: str, codes: tuple[str, ...]) -> dict:
    found: dict = {"required": column.required}
    if codes:
        found["enum"] = list(codes)
    if column.minimum is not None:
        found["minimum"] = bound(column, column.minimum)
    if column.maximum is not None:
        found["maximum"] = bound(column, column.maximum)
    if (sheet, column.key) in EXCLUSIVE_MINIMUM:
        found["exclusiveMinimum"] = EXCLUSIVE_MINIMUM[sheet, column.key]
    return found


def bound(column: Column, value: float) -> int | float:
    return int(value) if column.type == "integer" or float(value).is_integer() else value


def table_schema(table: Table) -> dict:
    """The Table Schema of ``table``, ready to be written as JSON."""
    sheet = table.sheet
    titles = in_languages(f"sheet.{sheet.name}")
    descriptions = in_languages(f"template.about.{sheet.name}")
    head = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": table.name,
        "title": titles["fr"],
        "description": descriptions["fr"],
        "titles": titles,
        "descriptions": descriptions,
        "version": VERSION,
    }
    if sheet.key_value:
        return {**head, **key_value_layout(sheet)}
    body: dict = {"fields": [field(c, sheet.name) for c in sheet.columns]}
    if sheet.unique_keys:
        body["primaryKey"] = list(sheet.unique_keys)
    return {**head, **body}


def key_value_layout(sheet: Sheet) -> dict:
    """Two fields, ``key`` (one of the sheet's keys, once) and ``value``; each key's own
    schema under ``keys``."""
    key = {
        "name": "key",
        "type": "string",
        "constraints": {"required": True, "unique": True, "enum": sheet.keys},
    }
    value = {"name": "value", "type": "any"}
    return {
        "fields": [key, value],
        "primaryKey": ["key"],
        "keys": [field(c, sheet.name) for c in sheet.columns],
    }


def described_fields(schema: dict) -> list[dict]:
    """The fields that carry the standard's columns: the table's, or a key/value's keys."""
    return schema.get("keys") or schema["fields"]
