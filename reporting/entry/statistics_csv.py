"""Weeks entered in the browser -> a statistics file of the standard (§3), as CSV bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

from epn.standard import STATISTICS


def statistics_csv(epn_id: str, weeks: list[dict]) -> bytes:
    """One row per week (``week_start`` a date, the other keys as the standard names them,
    codes not labels); UTF-8, ``,``-separated, a header of the standard's keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATISTICS.keys)
    for week in weeks:
        values = {**week, "epn_id": epn_id}
        writer.writerow([cell_text(values.get(key)) for key in STATISTICS.keys])
    return buffer.getvalue().encode("utf-8")


def cell_text(value: object) -> str:
    """A value as the standard reads it: ISO dates, ``.`` decimals, whole numbers bare."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def statistics_filename(epn_id: str, weeks: list[dict]) -> str:
    """``saisie-web-EPN-0001-2026-W48.csv``: the EPN and the last week entered."""
    last = max(week["week_start"] for week in weeks)
    year, number, _ = last.isocalendar()
    return f"saisie-web-{epn_id}-{year}-W{number:02d}.csv"
