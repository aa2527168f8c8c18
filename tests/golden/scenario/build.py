"""Writes the golden input files of the two-year charter scenario (run once; files are kept).

    .venv/bin/python -m tests.golden.scenario.build

Five EPNs over 2023 and 2024, each breaking (or keeping) the charter in a known way; the
findings they must yield are written by hand in ``expected_findings.json``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
STATS_HEADER = ["epn_id", "week_start", "status", "closure_reason", "public_hours",
                "facilitated_hours", "visits", "unique_users", "new_users"]  # fmt: skip


def mondays(year: int) -> list[dt.date]:
    first = dt.date.fromisocalendar(year, 1, 1)
    count = dt.date(year, 12, 28).isocalendar()[1]
    return [first + dt.timedelta(weeks=n) for n in range(count)]


def statistics(name: str, epn_id: str, year: int, *, low=(), missing=(), until=None, since=None):
    """Open weeks of 20 h; weeks in ``low`` at 12 h; week 32 closed for the summer."""
    rows = []
    for number, monday in enumerate(mondays(year), start=1):
        if number in missing or (until and monday >= until) or (since and monday < since):
            continue
        if number == 32:
            rows.append([epn_id, monday, "closed", "Congés d'été", 0, 0, 0, 0, 0])
        else:
            hours = 12 if number in low else 20
            rows.append([epn_id, monday, "open", "", hours, hours, 120, 70, 8])
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(STATS_HEADER)
        writer.writerows(rows)


def report(
    name: str,
    epn_id: str,
    year: int,
    *,
    qualified="yes",
    priority=6,
    cooperation=True,
    nonprofit="yes",
    fees="free",
    sticker="yes",
    charter="yes",
):
    book = Workbook()
    identity = book.active
    identity.title = "epn"
    for row in (
        ["key", "value"],
        ["epn_id", epn_id],
        ["year", year],
        ["workstations", 6],
        ["users_total", 100],
        ["nonprofit", nonprofit],
        ["fees", fees],
        ["label_sticker_displayed", sticker],
        ["charter_displayed", charter],
    ):
        identity.append(row)
    staff = book.create_sheet("staff")
    staff.append(["staff_ref", "role", "qualified", "qualification", "weekly_hours"])
    staff.append(
        ["AB", "facilitator", qualified, "Animateur multimédia" if qualified == "yes" else None, 30]
    )
    activities = book.create_sheet("activities")
    activities.append(
        [
            "activity_ref",
            "title",
            "format",
            "kind",
            "domain",
            "sessions",
            "hours",
            "participants",
            "priority_participants",
        ]
    )
    activities.append(
        [
            "A1",
            "Initiation smartphone",
            "collective",
            "training",
            "basic_skills",
            8,
            16,
            10,
            priority,
        ]
    )
    audience = book.create_sheet("audience")
    audience.append(["dimension", "category", "users"])
    for dimension, category in (("age", "45_64"), ("gender", "female"), ("status", "retired")):
        audience.append([dimension, category, 100])
    partners = book.create_sheet("cooperation")
    partners.append(["partner", "partner_epn_id", "action", "date"])
    if cooperation:
        partners.append(["Bibliothèque voisine", None, "Atelier commun", dt.date(year, 5, 14)])
    book.save(HERE / name)


def build() -> None:
    (HERE / "registry.csv").write_text(
        "epn_id,name,commune_nis,authority_name,authority_type,labelled_on\n"
        "EPN-A,EPN Anderlecht,21001,Commune d'Anderlecht,commune,2020-01-15\n"
        "EPN-B,EPN Schaerbeek,21015,CPAS de Schaerbeek,cpas,2021-03-01\n"
        "EPN-C,EPN Ixelles,21009,Asbl Ixelles Numérique,non_market,2024-07-03\n"
        "EPN-D,EPN Jette,21010,Commune de Jette,commune,\n"
        "EPN-E,EPN Forest,21007,Bibliothèque de Forest,local_body,2019-05-06\n",
        encoding="utf-8",
    )
    statistics("stats-A-2023.csv", "EPN-A", 2023)
    statistics("stats-A-2024.csv", "EPN-A", 2024, low=(5, 6))
    statistics("stats-B-2023.csv", "EPN-B", 2023, missing=(10,))
    statistics("stats-B-2024.csv", "EPN-B", 2024)
    statistics("stats-C-2024.csv", "EPN-C", 2024, since=dt.date(2024, 7, 1))
    statistics("stats-E-2023.csv", "EPN-E", 2023)
    statistics("stats-E-2024.csv", "EPN-E", 2024, until=dt.date(2024, 3, 11))
    report("report-A-2023.xlsx", "EPN-A", 2023)
    report("report-A-2024.xlsx", "EPN-A", 2024, fees="paid")
    report("report-B-2023.xlsx", "EPN-B", 2023, qualified="no", cooperation=False)
    report("report-B-2024.xlsx", "EPN-B", 2024, qualified="no", cooperation=False, charter="no")
    report("report-E-2023.xlsx", "EPN-E", 2023, priority=0, nonprofit="no")


if __name__ == "__main__":
    build()
