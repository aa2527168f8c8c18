"""Validation results as flat records: one per problem, easy to show, store and assert on."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from epn.i18n import t
from epn.locale import day, normalize_language, number


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
        params = {
            "sheet": self.sheet,
            "column": column_shown(self.column, lang),
            "value": self.value,
        }
        if self.cell is not None:  # some messages name the cell (a guard's refusal)
            params["cell"] = self.cell
        params.update({k: _shown_param(k, v, lang) for k, v in self.params})
        return t(self.code, lang, **params)

    def to_dict(self, lang: str | None = None) -> dict:
        record = asdict(self)
        record.pop("params")
        record["value"] = plain(self.value)
        record["message"] = self.message(lang)
        if self.code == SIMILAR:  # how many problems the record stands for
            record["count"] = dict(self.params)["count"]
        return record


def column_shown(key: str | None, lang: str | None) -> str | None:
    """A column as the uploader's header reads it, then its key: Heures par semaine
    (weekly_hours); the key alone when the catalogue has no header for it."""
    if key is None:
        return None
    label = t(f"header.{key}", lang)
    return key if label in (f"header.{key}", key) else f"{label} ({key})"


def _shown(value: object, lang: str | None) -> object:
    """A parameter as the reader writes it: dates in the reader's format."""
    if isinstance(value, dt.date):
        return day(value, normalize_language(lang))
    return value


def _shown_param(name: str, value: object, lang: str | None) -> object:
    if name in ("count", "max_rows") and isinstance(value, int):  # 93 196: grouped digits
        return number(value, 0, normalize_language(lang))
    if name == "rows" and isinstance(value, tuple):  # the rows one cause touches
        return ", ".join(map(str, value)) or t("parsing.no_rows", lang)
    return _shown(value, lang)


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


SIMILAR = "similar_problems"  # stands for the problems of a group beyond its first examples
EXAMPLES_PER_GROUP = 10
MOST_RECORDS = 400  # per file: a rejection stays readable, and small whatever the file


def similar(sheet, column, code: str, rows: list[int], count: int | None = None) -> Problem:
    """The record standing for ``count`` (default: one per row of ``rows``) more problems
    ``code`` in ``column``; ``rows`` are theirs, in sheet order (the first and last are named)."""
    return problem(
        SIMILAR,
        sheet,
        None,
        column,
        None,
        same_as=code,
        count=len(rows) if count is None else count,
        first_row=rows[0] if rows else None,
        last_row=rows[-1] if rows else None,
    )


def summarised(problems: list[Problem]) -> list[Problem]:
    """Every problem, grouped by sheet, code and column: the first examples of each group as
    they are, the rest counted in one ``similar_problems`` record placed after them.

    A file where every cell is wrong thus answers with a few hundred records rather than a
    million, and still names every kind of problem and where it starts and ends.
    """
    groups: dict[tuple, list[Problem]] = {}
    for found in problems:
        groups.setdefault(_group(found), []).append(found)
    if all(len(members) <= EXAMPLES_PER_GROUP for members in groups.values()):
        return problems
    keep = max(1, min(EXAMPLES_PER_GROUP, MOST_RECORDS // len(groups) - 1))
    summary: dict[tuple, Problem] = {}
    kept: set[int] = set()
    for key, members in groups.items():
        examples = [p for p in members if p.code != SIMILAR][:keep]
        kept.update(id(p) for p in examples)
        rest = [p for p in members if id(p) not in kept]
        if rest:
            summary[key] = _merged(key, rest)
    result, pending = [], dict(summary)
    last_example = {_group(p): i for i, p in enumerate(problems) if id(p) in kept}
    for index, found in enumerate(problems):
        if id(found) in kept:
            result.append(found)
        key = _group(found)
        if key in pending and last_example.get(key, index) <= index:
            result.append(pending.pop(key))
    return result + list(pending.values())


def _group(found: Problem) -> tuple:
    code = dict(found.params).get("same_as") if found.code == SIMILAR else found.code
    return found.sheet, code, found.column


def _merged(key: tuple, rest: list[Problem]) -> Problem:
    sheet, code, column = key
    count, firsts, lasts = 0, [], []
    for found in rest:
        params = dict(found.params)
        if found.code == SIMILAR:
            count += params["count"]
            firsts.append(params["first_row"])
            lasts.append(params["last_row"])
        else:
            count += 1
            firsts.append(found.row)
            lasts.append(found.row)
    firsts = [r for r in firsts if r is not None]
    lasts = [r for r in lasts if r is not None]
    rows = [min(firsts), max(lasts)] if firsts else []
    return similar(sheet, column, code, rows, count)
