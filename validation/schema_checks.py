"""Rules of a sheet run as Pandera checks, and their failures as flat problem records.

Every check is named ``code:column`` so that a failure maps back to a stable error code,
the column to point at and, through the frame's ``_row``, the spreadsheet row. Checks that
share a name share a problem: a column's bounds are one ``out_of_range`` check.

A sheet's rules (``Rules``) are first asked of the frame themselves, in one pass
(``all_hold``); Pandera runs them, and so is imported at all, only when one fails and the
failing rows must be listed (``problems_from``): a file every rule accepts, the common case,
costs no Pandera at all (its import is a fifth of a second of a parser's fresh process).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from epn.records import EXAMPLES_PER_GROUP, Problem, problem, similar
from epn.standard import Sheet
from epn.tables import ROW

INTEGER_LIMIT = 2**31 - 1  # the warehouse stores integers as INTEGER


class RowCheck:
    """A check over whole rows named ``code:column``: ``holds(frame)`` is a boolean Series,
    True where fine, or True alone when every row is (see ``rule``)."""

    def __init__(self, name: str, holds) -> None:
        self.name, self.holds = name, holds

    def pandera(self):
        """The same rule as a Pandera check. ``ignore_na`` is off because it only spares rows
        that are empty in every column, and ours never are (``_row`` is always set): it would
        cost a pass over the frame for nothing."""
        import pandera.pandas as pa

        holds = self.holds
        return pa.Check(lambda frame: _verdict(holds(frame)), name=self.name, ignore_na=False)


def row_check(code: str, column: str, holds) -> RowCheck:
    return RowCheck(f"{code}:{column}", holds)


class Rules:
    """A sheet's row checks; as a Pandera schema (``schema``) once one of them fails."""

    def __init__(self, checks: Iterable[RowCheck]) -> None:
        self.checks = list(checks)
        self._schema = None

    def schema(self):
        if self._schema is None:
            import pandera.pandas as pa

            self._schema = pa.DataFrameSchema(checks=[c.pandera() for c in self.checks])
        return self._schema

    def validate(self, frame: pd.DataFrame, **options) -> pd.DataFrame:
        return self.schema().validate(frame, **options)


def all_hold(schema, frame: pd.DataFrame) -> bool:
    """Whether every rule of ``schema`` (``Rules``) holds on every row, asked of the rules
    themselves: one pass, without Pandera's machinery around each check, which costs more
    than the rules on a small sheet. False for a Pandera schema, or when a rule fails:
    Pandera then runs the schema and says which rows fail (``problems_from``)."""
    if not isinstance(schema, Rules):
        return False
    columns = Columns(frame)
    try:
        verdicts = (check.holds(columns) for check in schema.checks)
        return all(verdict is True or _verdict(verdict).all() for verdict in verdicts)
    except Exception:  # a rule that fails to run: Pandera reports it as it always has
        return False


class Columns:
    """A frame as its rules read it, each column taken from the frame once (and each read as
    numbers once): taking a column of a DataFrame costs about 10 µs, and the rules of a
    report's small sheets take some forty, more than the rules' own work. Read-only: the
    arrays it hands out refuse writes (a rule that tried would fail, and Pandera would run)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame, self.index = frame, frame.index
        self._columns: dict[str, pd.Series] = {}
        self._numbers: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> pd.Series:
        column = self._columns.get(key)
        if column is None:
            column = self._columns[key] = self.frame[key]
        return column

    def numbers(self, key: str) -> np.ndarray:
        values = self._numbers.get(key)
        if values is None:
            values = self._numbers[key] = _as_numbers(self[key])
            values.flags.writeable = False
        return values

    def __len__(self) -> int:
        return len(self.frame)

    def __getattr__(self, name: str):
        return getattr(self.frame, name)  # anything else a rule asks of its frame


def _verdict(holds: pd.Series | bool) -> pd.Series | bool:
    if holds is True or holds.dtype == bool:  # plain booleans: nothing undecided
        return holds
    return holds.fillna(True).astype(bool)  # undecided (a missing value) is fine


def numbers(frame: pd.DataFrame, key: str) -> np.ndarray:
    """A numeric column as floats, NaN where empty: every comparison with NaN is False, so
    a rule written as "fails when ..." lets an empty cell pass, as the standard wants."""
    if isinstance(frame, Columns):
        return frame.numbers(key)
    return _as_numbers(frame[key])


def _as_numbers(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=float, na_value=np.nan)


def rule(frame: pd.DataFrame, fails: np.ndarray) -> pd.Series | bool:
    """The verdict of a rule written as where it fails: True where the row is fine.

    Just True when no row fails: Pandera takes a check's single boolean as its verdict, and
    so skips gathering failure cases from a Series that holds none.
    """
    if not fails.any():
        return True
    return pd.Series(~fails, index=frame.index)


def range_checks(
    spec: Sheet, *, storable: bool = False, above: dict[str, float] | None = None
) -> list[RowCheck]:
    """One ``out_of_range`` check per bounded column: its minimum and maximum, the
    warehouse's integer limit when ``storable``, and the strict lower bounds ``above``
    (``{column: bound}``). An empty cell is never out of range."""
    above = above or {}
    checks = []
    for column in spec.columns:
        low, high = column.minimum, column.maximum
        if storable and column.type == "integer":
            high = INTEGER_LIMIT if high is None else min(high, INTEGER_LIMIT)
        floor = above.get(column.key)
        if low is None and high is None and floor is None:
            continue

        def outside(frame, key=column.key, low=low, high=high, floor=floor):
            values = numbers(frame, key)
            fails = np.zeros(len(values), dtype=bool)
            if low is not None:
                fails |= values < low
            if high is not None:
                fails |= values > high
            if floor is not None:
                fails |= values <= floor
            return rule(frame, fails)

        checks.append(row_check("out_of_range", column.key, outside))
    return checks


def duplicate_check(keys: tuple[str, ...], column: str) -> RowCheck:
    """Rows whose keys are all filled and equal to another such row's."""

    def unique(frame):
        cells = [frame[key].to_numpy(dtype=object) for key in keys]
        return rule(frame, repeated_keys(cells))

    return row_check("duplicate_key", column, unique)


SMALL = 512  # rows; below, a plain loop costs less than numbering distinct values


def repeated_keys(cells: list[np.ndarray]) -> np.ndarray:
    """Where a row's keys (one array of objects per key) are all filled and equal, key by
    key, to another such row's: each key column numbered by its distinct values
    (``pd.factorize``: a missing value is -1), the numbers combined into one per row."""
    if len(cells[0]) < SMALL:
        present = np.logical_and.reduce([pd.notna(values) for values in cells])
        counts = Counter(zip(*cells, strict=True))
        repeated = np.array([counts[k] > 1 for k in zip(*cells, strict=True)], dtype=bool)
        return repeated & present
    combined = np.zeros(len(cells[0]) if cells else 0, dtype=np.int64)
    present = np.ones(len(combined), dtype=bool)
    for values in cells:
        codes, distinct = pd.factorize(values)
        present &= codes >= 0
        combined = combined * (len(distinct) + 1) + codes + 1
    _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    return present & (counts[inverse] > 1)


def per_distinct(values: np.ndarray, fails, missing: bool = False) -> np.ndarray:
    """``fails(value)`` for each value of an array of objects, computed once per distinct
    value (weeks and EPNs repeat down a column); ``missing`` where a value is missing."""
    if len(values) < SMALL:
        return np.array([missing if _absent(v) else bool(fails(v)) for v in values], dtype=bool)
    codes, distinct = pd.factorize(values)
    verdicts = np.array([bool(fails(value)) for value in distinct] + [missing], dtype=bool)
    return verdicts[codes]  # a missing value's code, -1, takes the last verdict


def _absent(value: object) -> bool:
    """Missing as ``pd.factorize`` sees it in these columns: None or NaN."""
    return value is None or (isinstance(value, float) and value != value)


def problems_from(
    schema,
    frame: pd.DataFrame,
    sheet: str | None,
    letters: dict[str, str] | None = None,
    **params,
) -> list[Problem]:
    """Runs ``schema`` (``Rules``, or a Pandera schema) lazily; one problem per failing row
    and check.

    An empty frame cannot fail a row check, so it is not validated at all, nor is a frame
    every rule holds on (``all_hold``), the common case; nor is the frame copied
    (``inplace``), since no check changes it.
    """
    if frame.empty or all_hold(schema, frame):
        return []
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        failing: dict[str, list[int]] = {}  # check -> its failing rows' indexes, each once
        checks = cases["check"].astype(str).to_numpy(dtype=object)  # not Arrow, item by item
        for check, index in zip(checks, cases["index"].to_numpy(), strict=True):
            failing.setdefault(str(check), []).append(int(index))
        found = []
        for check, indexes in failing.items():
            code, _, column = check.partition(":")
            indexes = sorted(set(indexes))
            examples, rest = indexes[:EXAMPLES_PER_GROUP], indexes[EXAMPLES_PER_GROUP:]
            for index in examples:
                row = int(frame.at[index, ROW])
                value = frame.at[index, column] if column in frame else None
                cell = f"{letters[column]}{row}" if letters and column in letters else None
                found.append(problem(code, sheet, row, column, value, cell=cell, **params))
            if rest:  # the rest counted in one record (see ``epn.records.summarised``)
                rows = [int(frame.at[rest[0], ROW]), int(frame.at[rest[-1], ROW])]
                found.append(similar(sheet, column, code, rows, len(rest)))
        return sorted(found, key=lambda p: (p.row or 0, p.column or ""))
    return []
