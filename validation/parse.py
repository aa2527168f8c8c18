"""From bytes to a Parsed upload: container -> input kind -> typed, validated tables.

This is what runs in the isolated worker for every untrusted file, CSV or workbook, so it
takes and returns only plain, picklable values. ``max_rows`` caps the data rows of a file
(or of each sheet), whatever its format; ``None`` means no cap.
"""

from __future__ import annotations

from epn.parsed import Parsed
from epn.records import summarised
from epn.standard import STATISTICS
from ingest.readers import csv_sheet, workbook_grids
from validation.kinds import kind_of_workbook
from validation.statistics_kind import (
    parse_statistics,
    statistics_from_grid,
    statistics_grid_problems,
)


def parse_upload(
    data: bytes, container: str, known_epn_ids: frozenset[str], max_rows: int | None = None
) -> Parsed:
    """The file parsed, its problems grouped (``summarised``): a few hundred records at most."""
    parsed = _parse(data, container, set(known_epn_ids), max_rows)
    parsed.problems = summarised(parsed.problems)
    return parsed


def _parse(data: bytes, container: str, known: set[str], max_rows: int | None) -> Parsed:
    if container == "csv":
        return parse_statistics(csv_sheet(data, STATISTICS.keys, max_rows), known)
    grids = workbook_grids(data)
    kind = kind_of_workbook(grids)
    if kind.name != "statistics":
        return kind.parse(grids, known, max_rows)
    found = statistics_grid_problems(grids)
    if isinstance(found, list):
        return Parsed("statistics", found)
    name, grid = found
    return statistics_from_grid(name, grid, known, max_rows)
