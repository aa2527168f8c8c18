"""Input kind: the annual activity report (standard §2), one .xlsx workbook per EPN and year.

Every sheet is read and checked even when another one is broken, so that a rejection lists
every problem at once. Problems name the sheet as the workbook titles it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from epn.frames import frame_of
from epn.i18n import t
from epn.locale import LANGUAGES
from epn.parsed import Parsed
from epn.records import Problem, problem
from epn.standard import REPORT_IDENTITY, REPORT_SHEETS, Sheet, report_sheet
from epn.tables import ROW, RawSheet, fold, from_grid, header_aliases
from validation.cells import parse_text
from validation.plausible import year_span
from validation.report import (
    KEY_VALUE,
    absent_columns,
    audience_total_problems,
    canonical_category,
    sheet_checks,
    type_identity,
    value_of,
)
from validation.schema_checks import Rules, duplicate_check, problems_from, repeated_keys
from validation.statistics import week_span_params
from validation.typing import typed_columns

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
    title: str, grid: pd.DataFrame, spec: Sheet, max_rows: int | None = None
) -> tuple[RawSheet, list[Problem]]:
    """Rows ``key``/``value`` with keys given as the key or its localized label: the sheet,
    keeping only its entries, each key as the standard names it.

    Keys the standard does not know are dropped from ``epn`` but kept as written in
    ``narrative``, whose free text the coordinator reads.
    """
    raw = from_grid(title, grid, KEY_VALUE.keys, max_rows)
    problems = absent_columns(raw, KEY_VALUE)
    if problems:
        return raw, problems
    aliases = header_aliases()
    raw.cells["key"] = [_key_of(k, spec, aliases) for k in raw.cells["key"]]
    raw.keep([key is not None for key in raw.cells["key"]])
    keys = np.empty(len(raw.cells["key"]), dtype=object)
    keys[:] = raw.cells["key"]
    if not repeated_keys([keys]).any():  # the common case: no frame, no rules to run
        return raw, problems
    entries = frame_of({"key": raw.cells["key"], ROW: np.array(raw.rows, dtype=np.int64)})
    schema = Rules([duplicate_check(("key",), "key")])
    return raw, problems_from(schema, entries, title, raw.letters)


def _key_of(cell: object, spec: Sheet, aliases: dict[str, str]) -> str | None:
    if cell is None or pd.isna(cell):
        return None
    key = aliases.get(fold(cell))
    if key in spec.keys:
        return key
    return str(cell).strip() if spec.name == "narrative" else None


def read_identity(
    found: Found, known: set[str], max_rows: int | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    if "epn" not in found:
        return None, []
    raw, problems = key_value_entries(*found["epn"], report_sheet("epn"), max_rows)
    if "key" not in raw.headers or "value" not in raw.headers:
        return None, problems
    typed, typing_problems = type_identity(raw, known)
    return typed, problems + typing_problems


def read_narrative(found: Found, max_rows: int | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    if "narrative" not in found:
        return no_narrative(), []
    raw, problems = key_value_entries(*found["narrative"], report_sheet("narrative"), max_rows)
    if problems or "value" not in raw.cells:
        return no_narrative(), problems
    given = np.array([not pd.isna(value) for value in raw.cells["value"]], dtype=bool)
    raw.keep(given)
    texts = [parse_text(value)[0] for value in raw.cells["value"]]
    narrative = frame_of(  # texts, as stored
        {
            "key": pd.array(raw.cells["key"], dtype="str"),
            "value": pd.array(texts, dtype="str"),
            ROW: np.array(raw.rows, dtype=np.int64),
        }
    )
    narrative.index = pd.RangeIndex(len(given))[given]  # each entry keeps its position
    return narrative, []


def no_narrative() -> pd.DataFrame:
    return pd.DataFrame({"key": [], "value": [], ROW: []}, dtype=object)


def read_table(
    name: str,
    found: Found,
    known: set[str],
    year: int | None,
    users_total: int | None,
    max_rows: int | None = None,
    span: dict | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``span``: ``week_span_params()``, which a report's sheets may share (it reads the
    charter's terms)."""
    spec = report_sheet(name)
    title, grid = found[name]
    raw = from_grid(title, grid, spec.keys, max_rows)
    if name == "weekly":
        without_unfilled_weeks(raw)
    if not spec.required and not raw.headers:
        return None, []  # a blank optional sheet is as good as none
    problems = absent_columns(raw, spec)
    if problems:
        return None, problems
    columns, problems = typed_columns(raw, spec)
    if name == "audience":
        pairs = zip(columns["dimension"], columns["category"], strict=True)
        columns["category"] = [canonical_category(d, c) for d, c in pairs]
    typed = frame_of(columns)
    schema = Rules(sheet_checks(name, known, year))
    span = week_span_params() if span is None else span
    problems += problems_from(schema, typed, title, raw.letters, year=year, **span)
    if name == "audience":
        problems += audience_total_problems(typed, users_total, title, raw.letters)
    return typed, problems


def without_unfilled_weeks(raw: RawSheet) -> None:
    """The template prefills every Monday: a row holding nothing but its date is blank."""
    filled = np.zeros(len(raw.rows), dtype=bool)
    for key in [k for k in raw.cells if k != "week_start"]:
        filled |= pd.notna(np.array(raw.cells[key], dtype=object))
    if not filled.all():
        raw.keep(filled)


def _identity_value(identity: pd.DataFrame | None, key: str) -> object:
    return None if identity is None else value_of(identity, key)


def _within_bounds(identity: pd.DataFrame | None, key: str) -> int | None:
    """The value of ``key`` when the cross-sheet rules can use it (else it already failed)."""
    value, column = _identity_value(identity, key), REPORT_IDENTITY.column(key)
    too_low = value is not None and value < column.minimum
    too_high = value is not None and column.maximum is not None and value > column.maximum
    if key == "year" and value is not None and not too_low and not too_high:
        first, last = year_span()  # an implausible year is its own problem: no week is in it
        too_low, too_high = value < first, value > last
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


def parse_report(
    grids: dict[str, pd.DataFrame], known_epn_ids: set[str], max_rows: int | None = None
) -> Parsed:
    found, problems = locate_sheets(grids)
    identity, identity_problems = read_identity(found, known_epn_ids, max_rows)
    problems += _in_order(identity_problems)
    year, users_total = _within_bounds(identity, "year"), _within_bounds(identity, "users_total")
    tables = {}
    span = week_span_params()  # once for every sheet
    for name in TABLE_SHEETS:
        if name in found:
            tables[name], sheet_problems = read_table(
                name, found, known_epn_ids, year, users_total, max_rows, span
            )
            problems += _in_order(sheet_problems)
    narrative, narrative_problems = read_narrative(found, max_rows)
    problems += _in_order(narrative_problems)
    epn_id = _identity_value(identity, "epn_id")
    parsed = Parsed("annual_report", problems, epn_ids=[epn_id] if epn_id else [], year=year)
    if parsed.accepted:
        parsed.tables = report_tables(identity, tables, narrative)
    return parsed
