"""Input kind: opening and attendance statistics (standard §3), from CSV or xlsx."""

from __future__ import annotations

import pandas as pd

from epn.parsed import Parsed, iso_years
from epn.records import in_sheet_order, problem
from epn.standard import STATISTICS
from epn.tables import RawSheet, from_grid
from validation.schema_checks import problems_from
from validation.statistics import statistics_schema, week_span_params
from validation.typing import missing_columns, type_sheet

STATISTICS_SHEET_NAMES = ("weekly", "statistics")


def pick_statistics_grid(grids: dict[str, pd.DataFrame]) -> tuple[str | None, pd.DataFrame | None]:
    """Its only sheet, or else the sheet named ``weekly`` or ``statistics``."""
    if len(grids) == 1:
        return next(iter(grids.items()))
    for name, grid in grids.items():
        if name.strip().casefold() in STATISTICS_SHEET_NAMES:
            return name, grid
    return None, None


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
    parsed.epn_ids = sorted(typed["epn_id"].dropna().unique().tolist())
    years = iso_years(typed["week_start"])
    parsed.year = years[0] if len(years) == 1 else None
    parsed.tables = {"weekly": typed}
    return parsed


def statistics_from_grid(name: str | None, grid: pd.DataFrame, known: set[str]) -> Parsed:
    return parse_statistics(from_grid(name, grid, STATISTICS.keys), known)
