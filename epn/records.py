"""Validation results as flat records: one per problem, easy to show, store and assert on."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from epn.i18n import t
from epn.locale import day, normalize_language


@dataclass(frozen=True)
class Problem:
    code: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    params: tuple[tuple[str, object], ...] = ()
    cell: str | None = None  # e.g. "D7", where the spreadsheet shows it

    def message(self, lang: str | None = None) -> str:
        params = {"sheet": self.sheet, "column": self.column, "value": self.value}
        if self.cell is not None:  # some messages name the cell (a guard's refusal)
            params["cell"] = self.cell
        params.update({k: _shown(v, lang) for k, v in self.params})
        return t(self.code, lang, **params)

    def to_dict(self, lang: str | None = None) -> dict:
        record = asdict(self)
        record.pop("params")
        record["value"] = plain(self.value)
        record["message"] = self.message(lang)
        return record


def _shown(value: object, lang: str | None) -> object:
    """A parameter as the reader writes it: dates in the reader's format."""
    if isinstance(value, dt.date):
        return day(value, normalize_language(lang))
    return value


def problem(
    code: str, sheet=None, row=None, column=None, value=None, cell=None, **params
) -> Problem:
    return Problem(code, sheet, row, column, plain(value), tuple(sorted(params.items())), cell)


def plain(value: object) -> object:
    """A JSON-friendly form of a cell value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else (int(value) if value.is_integer() else value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def in_sheet_order(problems: list[Problem]) -> list[Problem]:
    """As a reader meets them: by sheet, row, then column."""
    return sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or "", p.code))
