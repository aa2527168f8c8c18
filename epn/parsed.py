"""What parsing a file yields: its kind, the EPNs and years it covers, typed tables, problems."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from epn.records import Problem


@dataclass
class Parsed:
    kind: str | None  # annual_report | statistics | None when unreadable
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    epn_ids: list[str] = field(default_factory=list)
    year: int | None = None

    @property
    def accepted(self) -> bool:
        return not self.problems


def iso_years(weeks: pd.Series) -> list[int]:
    # each distinct week once: a file holds a few dozen weeks over many rows
    return sorted({d.isocalendar()[0] for d in pd.unique(weeks.dropna().to_numpy())})
