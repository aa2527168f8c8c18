"""Input kind: the annual activity report (standard §2), one .xlsx workbook per EPN and year.

Every sheet is read and checked even when another one is broken, so that a rejection lists
every problem at once. Problems name the sheet as the workbook titles it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from epn.i18n import LANGUAGES, t
from epn.standard import REPORT_IDENTITY, REPORT_SHEETS, Sheet, report_sheet
from ingest.parsed import Parsed
from ingest.tables import ROW, RawSheet, fold, from_grid, header_aliases
from validation.cells import parse_text
from validation.records import Problem, problem
from validation.report import (
    KEY_VALUE,
    absent_columns,
    audience_total_problems,
    canonical_category,
    sheet_checks,
    type_identity,
    value_of,
)
from validation.schema_checks import duplicate_check, problems_from
from validation.typing import type_sheet

TABLE_SHEETS = ("staff", "activities", "audience", "cooperation", "weekly")
Found = dict[str, tuple[str, pd.DataFrame]]  # standard name -> (title in the workbook, grid)


@cache
def sheet_aliases() -> dict[str, str]:
    """Folded sheet title -> standard sheet name, for the names and their localized titles."""
    aliases = {fold(spec.name): spec.name for spec in REPORT_SHEETS}
    for spec in REPORT_SHEETS:
        for lang in LANGUAGES:
            aliases.setdefault(fold(t(f"sheet.{spec.name}", lang)), spec.name)
    return aliases


def locate_sheets(grids: dict[str, pd.DataFrame]) -> tuple[Found, list[Problem]]:
    found: Found = {}
    problems = []
    for title, grid in grids.items():
        name = sheet_aliases().get(fold(title))
        if name in found:
            problems.append(problem("duplicate_sheet", title, value=title, first=found[name][0]))
        elif name is not None:
            found[name] = (title, grid)
    for spec in REPORT_SHEETS:
        if spec.required and spec.name not in found:
            # built directly: the message's {sheet} placeholder needs the name as a parameter
            problems.append(
                Problem("missing_sheet", spec.name, None, None, None, (("sheet", spec.name),))
            )
    return found, problems


def key_value_entries(
    title: str, grid: pd.DataFrame, spec: Sheet
) -> tuple[RawSheet, list[Problem]]:
    """Rows ``key``/``value`` with keys given as the key or its localized label.

    Keys the standard does not know are dropped from ``epn`` but kept as written in
    ``narrative``, whose free text the coordinator reads.
    """
    raw = from_grid(title, grid, KEY_VALUE.keys)
    problems = absent_columns(raw, KEY_VALUE)
    if problems:
        return raw, problems
    aliases = header_aliases()
    keys = [_key_of(k, spec, aliases) for k in raw.frame["key"]]
    kept = [at for at, key in enumerate(keys) if key is not None]
    raw.frame = pd.DataFrame(
        {
            "key": pd.Series([keys[at] for at in kept], dtype=object),
            "value": pd.Series(raw.frame["value"].to_numpy()[kept], dtype=object),
            ROW: pd.Series(raw.frame[ROW].to_numpy()[kept], dtype="int64"),
        }
    )
    schema = pa.DataFrameSchema(checks=[duplicate_check(("key",), "key")])
    return raw, problems_from(schema, raw.frame, title, raw.letters)


def _key_of(cell: object, spec: Sheet, aliases: dict[str, str]) -> str | None:
    if cell is None or pd.isna(cell):
        return None
    key = aliases.get(fold(cell))
    if key in spec.keys:
        return key
    return str(cell).strip() if spec.name == "narrative" else None


def read_identity(found: Found, known: set[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    if "epn" not in found:
        return None, []
    raw, problems = key_value_entries(*found["epn"], report_sheet("epn"))
    if "key" not in raw.headers or "value" not in raw.headers:
        return None, problems
    typed, typing_problems = type_identity(raw.frame, raw.name, raw.letters["value"], known)
    return typed, problems + typing_problems


def read_narrative(found: Found) -> tuple[pd.DataFrame, list[Problem]]:
    empty = pd.DataFrame({"key": [], "value": [], ROW: []}, dtype=object)
    if "narrative" not in found:
        return empty, []
    raw, problems = key_value_entries(*found["narrative"], report_sheet("narrative"))
    if problems or "value" not in raw.frame:
        return empty, problems
    frame = raw.frame.dropna(subset=["value"])
    values = [parse_text(v)[0] for v in frame["value"]]
    columns = {"key": frame["key"].tolist(), "value": values}
    narrative = pd.DataFrame(columns, index=frame.index, dtype="str")  # texts, as stored
    narrative[ROW] = frame[ROW]
    return narrative, []


def read_table(
    name: str, found: Found, known: set[str], year: int | None, users_total: int | None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    spec = report_sheet(name)
    title, grid = found[name]
    raw = from_grid(title, grid, spec.keys)
    if name == "weekly":
        raw.frame = without_unfilled_weeks(raw.frame)
    if not spec.required and not raw.headers:
        return None, []  # a blank optional sheet is as good as none
    problems = absent_columns(raw, spec)
    if problems:
        return None, problems
    typed, problems = type_sheet(raw, spec)
    if name == "audience":
        pairs = zip(typed["dimension"], typed["category"], strict=True)
        typed["category"] = pd.Series([canonical_category(d, c) for d, c in pairs], dtype=object)
    schema = pa.DataFrameSchema(checks=sheet_checks(name, known, year))
    problems += problems_from(schema, typed, title, raw.letters, year=year)
    if name == "audience":
        problems += audience_total_problems(typed, users_total, title, raw.letters)
    return typed, problems


def without_unfilled_weeks(frame: pd.DataFrame) -> pd.DataFrame:
    """The template prefills every Monday: a row holding nothing but its date is blank."""
    filled = np.zeros(len(frame), dtype=bool)
    for column in [c for c in frame.columns if c not in (ROW, "week_start")]:
        filled |= pd.notna(frame[column].to_numpy())
    return frame if filled.all() else frame[filled].reset_index(drop=True)


def _identity_value(identity: pd.DataFrame | None, key: str) -> object:
    return None if identity is None else value_of(identity, key)


def _within_bounds(identity: pd.DataFrame | None, key: str) -> int | None:
    """The value of ``key`` when the cross-sheet rules can use it (else it already failed)."""
    value, column = _identity_value(identity, key), REPORT_IDENTITY.column(key)
    too_low = value is not None and value < column.minimum
    too_high = value is not None and column.maximum is not None and value > column.maximum
    return None if value is None or too_low or too_high else int(value)


def report_tables(identity: pd.DataFrame, tables: dict, narrative: pd.DataFrame) -> dict:
    epn_id = value_of(identity, "epn_id")
    result = {"report": identity, **{k: v for k, v in tables.items() if v is not None}}
    result["narrative"] = narrative
    if "weekly" in result:  # stored exactly as a statistics file for this EPN
        result["weekly"] = result["weekly"].assign(epn_id=epn_id)
    return result


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0, p.column or ""))


def parse_report(grids: dict[str, pd.DataFrame], known_epn_ids: set[str]) -> Parsed:
    found, problems = locate_sheets(grids)
    identity, identity_problems = read_identity(found, known_epn_ids)
    problems += _in_order(identity_problems)
    year, users_total = _within_bounds(identity, "year"), _within_bounds(identity, "users_total")
    tables = {}
    for name in TABLE_SHEETS:
        if name in found:
            tables[name], sheet_problems = read_table(name, found, known_epn_ids, year, users_total)
            problems += _in_order(sheet_problems)
    narrative, narrative_problems = read_narrative(found)
    problems += _in_order(narrative_problems)
    epn_id = _identity_value(identity, "epn_id")
    parsed = Parsed("annual_report", problems, epn_ids=[epn_id] if epn_id else [], year=year)
    if parsed.accepted:
        parsed.tables = report_tables(identity, tables, narrative)
    return parsed
