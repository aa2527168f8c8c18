"""Input kind: opening and attendance statistics (standard §3), from CSV or xlsx."""

from __future__ import annotations

import pandas as pd

from epn.parsed import Parsed, iso_years
from epn.records import Problem, in_sheet_order, problem
from epn.standard import STATISTICS
from epn.tables import RawSheet, from_grid
from validation.schema_checks import problems_from
from validation.statistics import statistics_schema, week_span_params
from validation.typing import missing_columns, type_sheet

STATISTICS_SHEET_NAMES = ("weekly", "statistics")


def statistics_grid_problems(
    grids: dict[str, pd.DataFrame],
) -> tuple[str | None, pd.DataFrame] | list[Problem]:
    """(name, grid) of the statistics sheet: the only sheet, or else the one sheet named
    ``weekly`` or ``statistics``; otherwise the problems saying why none can be chosen (two
    candidates, such as ``weekly`` and ``Weekly``, would otherwise lose one's rows)."""
    if len(grids) == 1:
        return next(iter(grids.items()))
    named = [name for name in grids if name.strip().casefold() in STATISTICS_SHEET_NAMES]
    if not named:
        return [problem("statistics_sheet_ambiguous")]
    if len(named) > 1:
        shown = ", ".join(f"« {name} »" for name in named)
        return [problem("statistics_sheet_repeated", sheets=shown)]
    return named[0], grids[named[0]]


def parse_statistics(raw: RawSheet, known_epn_ids: set[str]) -> Parsed:
    parsed = Parsed(kind="statistics")
    parsed.problems = missing_columns(raw, STATISTICS)
    if parsed.problems:
        return parsed
    if not raw.rows:
        parsed.problems = [problem("no_data_rows", raw.name, raw.header_row + 1)]
        return parsed
    typed, parsed.problems = type_sheet(raw, STATISTICS)
    schema = statistics_schema(known_epn_ids)
    parsed.problems = in_sheet_order(
        parsed.problems + problems_from(schema, typed, raw.name, raw.letters, **week_span_params())
    )
    # the registry's EPNs the file names (an unknown id is a problem at its row, not an EPN)
    named = set(typed["epn_id"].dropna().unique().tolist())
    parsed.epn_ids = sorted(named & known_epn_ids)
    years = iso_years(typed["week_start"])
    parsed.year = years[0] if len(years) == 1 else None
    parsed.tables = {"weekly": typed}
    return parsed


def statistics_from_grid(
    name: str | None, grid: pd.DataFrame, known: set[str], max_rows: int | None = None
) -> Parsed:
    return parse_statistics(from_grid(name, grid, STATISTICS.keys, max_rows), known)
