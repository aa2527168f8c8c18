"""Which statistics files each EPN sends, when they arrive, and the incidents on the way.

A sender is one EPN, or a group of EPNs of one authority that reports them together. Until
2025 it sends one file per quarter or per year, some weeks after the period ends. A few
uploads tell a story: a typo corrected by a later file, weeks forgotten and sent later, a
file refused then sent again, the same file sent twice.

From 2026 (``catalogue.MONTHLY_FROM``) the weeks come every month: the export of the
Region's monthly form for most EPNs, the sender's own file for a few, each a few days after
the month ends; the current month's weeks so far arrive the day before the demo runs. A
file that would only arrive after that day is not there yet.
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
FORM_EXPORT = "releve_mensuel_epn_{year}-{month:02d}.csv"  # the monthly form, all its EPNs
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


def filename(sender: list[Entry], year: int, quarter: int, month: int = 0) -> str:
    site, epn_id = sender[0].site, sender[0].epn_id
    if site.group:
        group = c.GROUP_NAMES[site.group]
        period = f"{year}-{month:02d}" if month else f"{year}"
        return f"{group} - statistiques EPN {period}.{extension(site.file_format)}"
    period = f"{year}_T{quarter}" if quarter else f"{year}_{month:02d}" if month else f"{year}"
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
    entries: list[Entry], weeks: dict[str, list[dict]], rng: random.Random, today: dt.date
) -> list[PlannedFile]:
    """Every statistics file received by ``today``: the years before, then the months."""
    files = yearly_files(entries, weeks, rng) + monthly_files(entries, weeks, rng, today)
    return [f for f in files if f.received_on <= today]


def monthly_regime(week: dt.date) -> bool:
    """Whether a week is sent month by month (ISO years from ``MONTHLY_FROM``)."""
    return week.isocalendar()[0] >= c.MONTHLY_FROM


def yearly_files(
    entries: list[Entry], weeks: dict[str, list[dict]], rng: random.Random
) -> list[PlannedFile]:
    """Until 2025: one file per sender and quarter or year, with the incidents."""
    files = []
    for sender in senders(entries):
        site = sender[0].site
        rows = sorted(
            (r for e in sender for r in weeks[e.epn_id] if not monthly_regime(r["week_start"])),
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


def month_of(week: dt.date) -> tuple[int, int]:
    """(year, month) of an ISO week: the month of its Thursday."""
    thursday = week + dt.timedelta(days=3)
    return thursday.year, thursday.month


def monthly_senders(entries: list[Entry]) -> tuple[list[Entry], list[list[Entry]]]:
    """The EPNs on the Region's monthly form, and the senders still sending their own file."""
    form, own = [], {}
    for entry in entries:
        if not entry.site.sends_statistics:
            continue
        if entry.site.monthly == c.OWN_FILE:
            own.setdefault(entry.site.group or entry.site.key, []).append(entry)
        else:
            form.append(entry)
    return form, list(own.values())


def by_month(rows: list[dict]) -> list[tuple[tuple[int, int], list[dict]]]:
    """The rows of the monthly regime, month by month."""
    rows = sorted(
        (r for r in rows if monthly_regime(r["week_start"])),
        key=lambda r: (month_of(r["week_start"]), r["epn_id"], r["week_start"]),
    )
    return [(m, list(g)) for m, g in groupby(rows, key=lambda r: month_of(r["week_start"]))]


def month_received_on(rows: list[dict], today: dt.date, rng: random.Random) -> dt.date:
    """A few days after the month's last week; the current month's weeks so far, yesterday."""
    last_sunday = max(r["week_start"] for r in rows) + dt.timedelta(days=6)
    planned = last_sunday + dt.timedelta(days=rng.randint(2, 9))
    yesterday = today - dt.timedelta(days=1)
    holds_last_week = last_sunday >= today - dt.timedelta(days=today.weekday() + 1)
    return yesterday if holds_last_week else min(planned, yesterday)


def monthly_files(
    entries: list[Entry], weeks: dict[str, list[dict]], rng: random.Random, today: dt.date
) -> list[PlannedFile]:
    """From 2026: each month's weeks, in the form's export or in the sender's own file.

    Each sender draws from a stream of its own, so that one more month at one sender
    changes nothing in the files of the others.
    """
    form, own = monthly_senders(entries)
    base = rng.random()
    files = []
    form_rng = random.Random(f"{base}:form")
    for (year, month), rows in by_month([r for e in form for r in weeks[e.epn_id]]):
        on = month_received_on(rows, today, form_rng)
        name = FORM_EXPORT.format(year=year, month=month)
        files.append(PlannedFile(FOLDER, name, write_statistics(rows, c.CSV_KEYS, on), on))
    for sender in own:
        site = sender[0].site
        sender_rng = random.Random(f"{base}:{site.group or site.key}")
        for (year, month), month_rows in by_month([r for e in sender for r in weeks[e.epn_id]]):
            on = month_received_on(month_rows, today, sender_rng)
            name = filename(sender, year, 0, month)
            files.append(_file(site, name, month_rows, on, sender_rng))
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
