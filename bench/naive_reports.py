"""What one would write first to ingest an annual report: openpyxl's ``load_workbook``, a
Python loop of validation over every row of every sheet (types, ranges, codes, the
cross-field rules, duplicate keys, audience totals), and one ``INSERT`` per row into DuckDB,
one transaction per file."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
from openpyxl import load_workbook

from epn.standard import AUDIENCE_CATEGORIES, REPORT_IDENTITY, REPORT_SHEETS, Column

IDENTITY = REPORT_IDENTITY.columns
TABLES = ("staff", "activities", "audience", "cooperation", "weekly")
YES, NO = {"oui", "yes", "ja"}, {"non", "no", "nee"}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """One table per sheet, every column as the standard types it (text as VARCHAR)."""
    for spec in REPORT_SHEETS:
        columns = ", ".join(f'"{c.key}" {_sql_type(c)}' for c in spec.columns)
        if spec.key_value and spec.name != "epn":
            columns = '"key" VARCHAR, "value" VARCHAR'
        con.execute(f"CREATE OR REPLACE TABLE naive_{spec.name} (file VARCHAR, {columns})")


def _sql_type(column: Column) -> str:
    return {"integer": "BIGINT", "decimal": "DOUBLE", "date": "DATE", "yesno": "BOOLEAN"}.get(
        column.type, "VARCHAR"
    )


def naive_ingest(con: duckdb.DuckDBPyConnection, name: str, data: bytes, known: set[str]) -> list:
    book = load_workbook(io.BytesIO(data))
    errors: list[str] = []
    identity = {r[0]: r[1] for r in book["epn"].iter_rows(min_row=2, values_only=True) if r[0]}
    report = [
        _cell(c, identity.get(c.key), f"epn {c.key}", errors) for c in REPORT_IDENTITY.columns
    ]
    if identity.get("epn_id") not in known:
        errors.append("unknown EPN")
    tables = {name: _rows(book[name], name, errors) for name in TABLES}
    _rules(tables, report, known, errors)
    narrative = [r[:2] for r in book["narrative"].iter_rows(min_row=2, values_only=True) if r[1]]
    if errors:
        return errors
    con.execute("BEGIN TRANSACTION")
    _insert(con, "epn", name, [report])
    for table, rows in tables.items():
        _insert(con, table, name, rows)
    _insert(con, "narrative", name, narrative)
    con.execute("COMMIT")
    return errors


def _rows(sheet, name: str, errors: list[str]) -> list[list]:
    spec = next(s for s in REPORT_SHEETS if s.name == name)
    rows = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = list(row[: len(spec.columns)])
        if all(v is None for v in cells[1 if name == "weekly" else 0 :]):
            continue  # blank, or a prefilled week left empty
        where = f"{name} row {number}"
        rows.append(
            [
                _cell(c, v, f"{where} {c.key}", errors)
                for c, v in zip(spec.columns, cells, strict=False)
            ]
        )
    return rows


def _cell(column: Column, value, where: str, errors: list[str]):
    if value is None or value == "":
        if column.required:
            errors.append(f"{where}: required")
        return None
    try:
        typed = _typed(column, value)
    except (TypeError, ValueError):
        errors.append(f"{where}: not a {column.type}")
        return None
    low, high = column.minimum, column.maximum
    if (low is not None and typed < low) or (high is not None and typed > high):
        errors.append(f"{where}: out of range")
    return typed


def _typed(column: Column, value):
    if column.type == "integer":
        number = float(str(value).replace(",", "."))
        if not number.is_integer():
            raise ValueError(value)
        return int(number)
    if column.type == "decimal":
        return float(str(value).replace(",", "."))
    if column.type == "date":
        return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(value)
    if column.type == "yesno":
        text = str(value).strip().lower()
        if text not in YES | NO:
            raise ValueError(value)
        return text in YES
    if column.type == "code" and str(value).strip() not in column.codes:
        raise ValueError(value)
    return str(value).strip()


def _rules(tables: dict, report: list, known: set[str], errors: list[str]) -> None:
    for ref, _, qualified, qualification, _ in tables["staff"]:
        if qualified and not qualification:
            errors.append(f"staff {ref}: qualification required")
    refs = [row[0] for row in tables["activities"]]
    if len(refs) != len(set(refs)):
        errors.append("activities: duplicate reference")
    for row in tables["activities"]:
        if row[8] is not None and row[7] is not None and row[8] > row[7]:
            errors.append(f"activity {row[0]}: more priority participants than participants")
    users_total = report[5]
    for dimension, categories in AUDIENCE_CATEGORIES.items():
        rows = [r for r in tables["audience"] if r[0] == dimension]
        if any(r[1] not in categories for r in rows):
            errors.append(f"audience {dimension}: unknown category")
        if sum(r[2] or 0 for r in rows) != users_total:
            errors.append(f"audience {dimension}: users do not add up")
    for partner in (r[1] for r in tables["cooperation"] if r[1]):
        if partner not in known:
            errors.append(f"cooperation: unknown partner {partner}")
    _weekly_rules(tables["weekly"], report[1], errors)


def _weekly_rules(weeks: list, year: int, errors: list[str]) -> None:
    seen = set()
    for week, status, reason, public, facilitated, visits, unique, new in weeks:
        if week in seen or week.weekday() != 0 or week.isocalendar()[0] != year:
            errors.append(f"weekly {week}: duplicate, not a Monday or outside the year")
        seen.add(week)
        if status == "closed" and (not reason or public):
            errors.append(f"weekly {week}: closed needs a reason and no hours")
        if facilitated is not None and public is not None and facilitated > public:
            errors.append(f"weekly {week}: facilitated over public hours")
        if unique is not None and visits is not None and unique > visits:
            errors.append(f"weekly {week}: unique users over visits")
        if new is not None and unique is not None and new > unique:
            errors.append(f"weekly {week}: new users over unique users")


def _insert(con: duckdb.DuckDBPyConnection, table: str, name: str, rows: list) -> None:
    for row in rows:
        marks = ", ".join("?" * (len(row) + 1))
        con.execute(f"INSERT INTO naive_{table} VALUES ({marks})", [name, *row])
