"""Registry file import (standard §1): each row is loaded whole or rejected with its reasons."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from epn.records import Problem, plain, problem
from epn.standard import REGISTRY, REGISTRY_IDENTITY
from epn.tables import ROW, from_grid
from ingest.readers import csv_grid
from registry.events import append_event
from registry.queries import identity_of
from validation.schema_checks import Rules, duplicate_check, problems_from, range_checks
from validation.typing import missing_columns, type_sheet

IDENTITY_KEYS = REGISTRY_IDENTITY


def registry_rows(data: bytes) -> tuple[pd.DataFrame, list[Problem]]:
    raw = from_grid(None, csv_grid(data), REGISTRY.keys)
    problems = missing_columns(raw, REGISTRY)
    if problems:
        return pd.DataFrame(), problems
    typed, problems = type_sheet(raw, REGISTRY)
    schema = Rules([*range_checks(REGISTRY), duplicate_check(("epn_id",), "epn_id")])
    return typed, problems + problems_from(schema, typed, None, raw.letters)


def identity(row: pd.Series) -> dict:
    return {key: plain(row[key]) for key in IDENTITY_KEYS if not pd.isna(row[key])}


def import_registry(con: duckdb.DuckDBPyConnection, data: bytes, user: str | None = None) -> dict:
    """Loads valid new rows; unchanged rows already present are skipped; the rest rejected."""
    rows, problems = registry_rows(data)
    bad_rows = {p.row for p in problems}
    loaded, unchanged = [], []
    for _, row in rows.iterrows():
        if row[ROW] in bad_rows:
            continue
        existing = identity_of(con, row["epn_id"])
        if existing is not None:
            if {k: existing.get(k) for k in identity(row)} == identity(row):
                unchanged.append(row["epn_id"])
            else:
                problems.append(
                    problem(
                        "registry_already_registered", None, int(row[ROW]), "epn_id", row["epn_id"]
                    )
                )
            continue
        labelled_on = row["labelled_on"]
        append_event(
            con,
            row["epn_id"],
            "imported",
            labelled_on or dt.date.today(),
            data=identity(row),
            recorded_by=user,
            status_after="labelled" if labelled_on else "applied",
        )
        loaded.append(row["epn_id"])
    return {
        "loaded": loaded,
        "unchanged": unchanged,
        "rejected": sorted(problems, key=lambda p: (p.row or 0, p.column or "")),
    }
