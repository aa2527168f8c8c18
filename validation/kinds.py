"""The declarative registry of input kinds: how a workbook is recognised and parsed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from epn.parsed import Parsed


@dataclass(frozen=True)
class InputKind:
    name: str
    # recognises a workbook by its sheet names (lower-cased)
    recognises: Callable[[set[str]], bool]
    # (grids, known EPN ids, max data rows per sheet or None) -> Parsed
    parse: Callable[[dict[str, pd.DataFrame], set[str], int | None], Parsed] | None = None


def _report_parser(grids, known, max_rows):
    from validation.report_kind import parse_report  # the annual report kind, imported when needed

    return parse_report(grids, known, max_rows)


KINDS = (
    InputKind("annual_report", lambda sheets: "epn" in sheets, _report_parser),
    InputKind("statistics", lambda sheets: True),
)


def kind_of_workbook(grids: dict[str, pd.DataFrame]) -> InputKind:
    sheets = {name.strip().casefold() for name in grids}
    return next(kind for kind in KINDS if kind.recognises(sheets))
