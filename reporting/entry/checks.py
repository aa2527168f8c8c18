"""The checks of a file, run on what the browser holds: the very parser an upload meets
(``validation.parse.parse_upload``) reads the bytes the form would send, so the rules are
the standard's and nowhere else. (The upload guard is left out here: these bytes are ours;
the real submission still meets it.)"""

from __future__ import annotations

from epn.records import Problem
from reporting.entry.report_workbook import report_workbook
from reporting.entry.statistics_csv import statistics_csv
from validation.parse import parse_upload


def statistics_problems(epn_id: str, weeks: list[dict]) -> list[Problem]:
    """The problems the weeks would have as a statistics file; row 2 is ``weeks[0]``."""
    if not weeks:
        return []
    return parse_upload(statistics_csv(epn_id, weeks), "csv", frozenset({epn_id})).problems


def report_problems(content: dict, epn_id: str, year: int) -> list[Problem]:
    """The problems of the report the form holds, sheet by sheet as the workbook has them."""
    data = report_workbook(content, epn_id, year)
    return parse_upload(data, "xlsx", frozenset({epn_id})).problems
