"""The weekly statistics grid: its rows, the user's edits applied to them, what to send and
where each problem of the standard's check falls on the grid.

The grid's columns are the standard's keys (the page gives them their localized headers);
its status cells hold the labels of the user's language, turned back into codes here. A row
is sent when it is filled and differs from the week in force, so that reopening a week that
was already sent and leaving it alone sends nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from epn.i18n import t
from epn.locale import day
from epn.public_holidays import holidays_of_week
from epn.records import Problem
from reporting.entry.checks import statistics_problems

STATUSES = ("open", "closed")
NUMBERS = ("public_hours", "facilitated_hours", "visits", "unique_users", "new_users")
ENTERED = ("status", "closure_reason", *NUMBERS)  # what the user types
COLUMNS = ("week", "holiday", *ENTERED, "problems")


def status_label(code: str, lang: str) -> str:
    return t(f"template.code.{code}", lang).capitalize()


def status_code(value: object, lang: str) -> str | None:
    """The code of a status cell (its label in ``lang``, or already a code)."""
    if is_blank(value):
        return None
    for code in STATUSES:
        if value in (code, status_label(code, lang)):
            return code
    return str(value)  # the standard's check names it


def is_blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=n) for n in range(max(0, (last - first).days // 7 + 1))]


def week_label(monday: dt.date, lang: str) -> str:
    return t("app.entry.week_label", lang, number=monday.isocalendar().week, date=day(monday, lang))


def base_grid(weeks: list[dt.date], in_force: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per Monday: its label, its holidays and the values in force (else blank)."""
    stored = {row["week_start"]: row for row in in_force.to_dict("records")}
    rows = []
    for monday in weeks:
        values = stored.get(monday, {})
        status = values.get("status")
        rows.append(
            {
                "week": week_label(monday, lang),
                "holiday": holidays_of_week(monday, lang),
                "status": status_label(status, lang) if status else None,
                "closure_reason": values.get("closure_reason") or None,
                **{key: _number(values.get(key)) for key in NUMBERS},
                "problems": "",
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for key in NUMBERS:
        frame[key] = pd.to_numeric(frame[key]).astype("float64")
    # Text columns as strings even when empty: an all-empty column would change its type once
    # filled, and the editor, which keys its edits to the data's shape, would drop them.
    for key in ("week", "holiday", "status", "closure_reason", "problems"):
        frame[key] = frame[key].astype("string")
    return frame


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def with_edits(base: pd.DataFrame, edits: dict | None) -> pd.DataFrame:
    """``base`` with the editor's ``edited_rows`` ({position: {column: value}}) applied."""
    frame = base.copy()
    for position, changes in ((edits or {}).get("edited_rows") or {}).items():
        for column, value in changes.items():
            if column in ENTERED:
                frame.at[int(position), column] = value
    return frame


@dataclass
class GridCheck:
    """What the grid would send and what the standard's check says of it."""

    weeks: list[dict] = field(default_factory=list)  # the rows to send, codes not labels
    positions: list[int] = field(default_factory=list)  # each one's row in the grid
    problems: list[tuple[int | None, Problem]] = field(default_factory=list)  # (position, ...)

    @property
    def sendable(self) -> bool:
        return bool(self.weeks) and not self.problems


def week_values(row: pd.Series, monday: dt.date, lang: str) -> dict:
    values = {"week_start": monday, "status": status_code(row["status"], lang)}
    values["closure_reason"] = None if is_blank(row["closure_reason"]) else row["closure_reason"]
    for key in NUMBERS:
        values[key] = None if is_blank(row[key]) else float(row[key])
    return values


def is_filled(values: dict) -> bool:
    return any(values[key] is not None for key in ENTERED)


def check_grid(
    epn_id: str, weeks: list[dt.date], base: pd.DataFrame, current: pd.DataFrame, lang: str
) -> GridCheck:
    """The rows to send (filled, changed) and their problems, placed back on the grid."""
    result = GridCheck()
    for position, monday in enumerate(weeks):
        values = week_values(current.iloc[position], monday, lang)
        if is_filled(values) and values != week_values(base.iloc[position], monday, lang):
            result.weeks.append(values)
            result.positions.append(position)
    for found in statistics_problems(epn_id, result.weeks):
        # the CSV's row 2 is the first week sent
        at = found.row - 2 if found.row is not None and found.row >= 2 else None
        result.problems.append((result.positions[at] if at is not None else None, found))
    return result


def column_title(key: str | None, lang: str) -> str:
    return t(f"header.{key}", lang) if key else ""


def problem_text(found: Problem, lang: str) -> str:
    """« Heures avec animateur : <message> »: the column as the grid titles it."""
    title = column_title(found.column, lang)
    if not title:
        return found.message(lang)
    return t("app.entry.column_problem", lang, column=title, message=found.message(lang))


def with_problems(base: pd.DataFrame, check: GridCheck, lang: str) -> pd.DataFrame:
    """``base`` whose ``problems`` column says, row by row, what to fix. The editor draws
    the user's edits over ``base`` itself: handing it the edited values instead would make
    them its base, which it then compares the next edits to."""
    frame = base.copy()
    texts: dict[int, list[str]] = {}
    for position, found in check.problems:
        if position is not None:
            texts.setdefault(position, []).append(problem_text(found, lang))
    frame["problems"] = pd.array(
        [" · ".join(texts.get(p, [])) for p in range(len(frame))], dtype="string"
    )
    return frame
