"""Which statistics files each EPN sends, when they arrive, and the incidents on the way.

A sender is one EPN, or a group of EPNs of one authority that reports them together. It
sends one file per quarter or per year, some weeks after the period ends. A few uploads
tell a story: a typo corrected by a later file, weeks forgotten and sent later, a file
refused then sent again, the same file sent twice.
"""

from __future__ import annotations

import datetime as dt
import random
from itertools import groupby

from demo import catalogue as c
from demo.files import extension, write_statistics
from demo.planned import PlannedFile
from demo.registry_story import Entry

FOLDER = "statistiques"
NOTES = (
    "Atelier CV avec la mission locale",
    "Permanence e-administration (MyMinfin, Irisbox)",
    "Initiation smartphone pour seniors",
    "Un poste en panne",
    "Semaine du numérique",
    "Aide aux démarches de la CAPAC",
)


def period_of(week: dt.date, cadence: str) -> tuple[int, int]:
    """(ISO year, quarter) of a week; quarter 0 for a yearly file."""
    year, number, _ = week.isocalendar()
    return year, (min((number - 1) // 13, 3) + 1 if cadence == "quarter" else 0)


def period_end(year: int, quarter: int) -> dt.date:
    """The Sunday that ends a quarter (ISO weeks 13, 26, 39, last) or the ISO year."""
    if quarter in (1, 2, 3):
        return dt.date.fromisocalendar(year, 13 * quarter, 7)
    return dt.date.fromisocalendar(year + 1, 1, 1) - dt.timedelta(days=1)


def received_on(year: int, quarter: int, rng: random.Random) -> dt.date:
    if quarter:
        return period_end(year, quarter) + dt.timedelta(days=rng.randint(8, 45))
    return dt.date(year + 1, 1, 8) + dt.timedelta(days=rng.randint(0, 70))


def filename(sender: list[Entry], year: int, quarter: int) -> str:
    site, epn_id = sender[0].site, sender[0].epn_id
    if site.group:
        group = c.GROUP_NAMES[site.group]
        return f"{group} - statistiques EPN {year}.{extension(site.file_format)}"
    period = f"{year}_T{quarter}" if quarter else f"{year}"
    if site.file_format == c.XLSX_FR:
        return f"Statistiques {site.name} {period.replace('_', ' ')}.xlsx"
    if site.file_format == c.CSV_FR:
        return f"{epn_id}_statistiques_{period}.csv"
    return f"{epn_id}_stats_{period.replace('T', 'Q')}.{extension(site.file_format)}"


def senders(entries: list[Entry]) -> list[list[Entry]]:
    """EPNs sending statistics, grouped when one authority reports several together."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.site.sends_statistics and entry.site.cadence != c.IN_REPORT:
            groups.setdefault(entry.site.group or entry.site.key, []).append(entry)
    return list(groups.values())


def statistics_files(
    entries: list[Entry], weeks: dict[str, list[dict]], rng: random.Random
) -> list[PlannedFile]:
    files = []
    for sender in senders(entries):
        site = sender[0].site
        rows = sorted(
            (r for e in sender for r in weeks[e.epn_id]),
            key=lambda r: (period_of(r["week_start"], site.cadence), r["epn_id"], r["week_start"]),
        )
        for (year, quarter), period_rows in groupby(
            rows, key=lambda r: period_of(r["week_start"], site.cadence)
        ):
            period_rows = list(period_rows)
            name = filename(sender, year, quarter)
            on = received_on(year, quarter, rng)
            if sender[0].withdrawn_on:  # the last figures come with the withdrawal
                on = min(on, sender[0].withdrawn_on)
            files += sent_files(site, name, period_rows, year, quarter, on, rng)
    return files


def _notes(rows: list[dict], rng: random.Random) -> dict[int, str]:
    return {
        i: rng.choice(NOTES)
        for i, r in enumerate(rows)
        if r["status"] == "open" and rng.random() < 0.06
    }


def _file(site, name, rows, on, rng) -> PlannedFile:
    data = write_statistics(rows, site.file_format, on, _notes(rows, rng))
    return PlannedFile(FOLDER, name, data, on)


def sent_files(site, name, rows, year, quarter, on, rng) -> list[PlannedFile]:
    """The period's file, or the files an incident turns it into."""
    incident = site.incident
    if incident == c.TYPO_CORRECTED and year == 2024:
        return typo_then_correction(site, name, rows, on, rng)
    if incident == c.WEEKS_SENT_LATER and year == 2023:
        return weeks_sent_later(site, name, rows, on, rng)
    if incident == c.REJECTED_THEN_FIXED and year == 2025:
        return rejected_then_fixed(site, name, rows, on, rng)
    if incident == c.SENT_TWICE and year == 2024:
        first = _file(site, name, rows, on, rng)
        again = name.replace(".xlsx", " (2).xlsx")
        return [first, PlannedFile(FOLDER, again, first.data, on + dt.timedelta(days=9))]
    return [_file(site, name, rows, on, rng)]


def typo_then_correction(site, name, rows, on, rng) -> list[PlannedFile]:
    """A slipped comma (2,75 hours for 27,5): a breach until a correction replaces it."""
    index = next(
        i for i, r in enumerate(rows) if r["status"] == "open" and r["week_start"].month == 2
    )
    typed = [dict(r) for r in rows]
    typed[index]["public_hours"] = typed[index]["public_hours"] / 10
    typed[index]["facilitated_hours"] = typed[index]["facilitated_hours"] / 10
    correction = rows[max(0, index - 1) : index + 2]
    stem = name.rsplit(".", 1)[0]
    return [
        _file(site, name, typed, on, rng),
        _file(site, f"{stem} - correctif.xlsx", correction, on + dt.timedelta(days=16), rng),
    ]


def weeks_sent_later(site, name, rows, on, rng) -> list[PlannedFile]:
    """October forgotten in the yearly file; sent a month later on its own."""
    october = [r for r in rows if r["week_start"].month == 10]
    rest = [r for r in rows if r["week_start"].month != 10]
    stem, ext = name.rsplit(".", 1)
    return [
        _file(site, name, rest, on, rng),
        _file(site, f"{stem}_complement_octobre.{ext}", october, on + dt.timedelta(days=35), rng),
    ]


def rejected_then_fixed(site, name, rows, on, rng) -> list[PlannedFile]:
    """A Tuesday for a Monday, more unique users than visits, hours typed with 'h': refused."""
    broken = [dict(r) for r in rows]
    open_rows = [r for r in broken if r["status"] == "open"]
    open_rows[1]["week_start"] = open_rows[1]["week_start"] + dt.timedelta(days=1)
    open_rows[3]["unique_users"] = open_rows[3]["visits"] + 7
    open_rows[5]["public_hours"] = f"{open_rows[5]['public_hours']:g}h"
    stem, ext = name.rsplit(".", 1)
    return [
        _file(site, name, broken, on, rng),
        _file(site, f"{stem}_v2.{ext}", rows, on + dt.timedelta(days=3), rng),
    ]
