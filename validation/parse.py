"""From bytes to a Parsed upload: container -> input kind -> typed, validated tables.

This is what runs in the isolated worker for untrusted workbooks, so it takes and returns
only plain, picklable values.
"""

from __future__ import annotations

from epn.parsed import Parsed
from epn.records import problem
from ingest.readers import csv_grid, workbook_grids
from validation.kinds import kind_of_workbook
from validation.statistics_kind import pick_statistics_grid, statistics_from_grid


def parse_upload(data: bytes, container: str, known_epn_ids: frozenset[str]) -> Parsed:
    known = set(known_epn_ids)
    if container == "csv":
        return statistics_from_grid(None, csv_grid(data), known)
    grids = workbook_grids(data)
    kind = kind_of_workbook(grids)
    if kind.name != "statistics":
        return kind.parse(grids, known)
    name, grid = pick_statistics_grid(grids)
    if grid is None:
        return Parsed("statistics", [problem("statistics_sheet_ambiguous")])
    return statistics_from_grid(name, grid, known)
