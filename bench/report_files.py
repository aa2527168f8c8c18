"""Realistic annual reports, as an EPN fills the template: ten staff and ten activities, the
sixteen audience rows, a cooperation or two, the year's weeks and a few words of narrative.

The template is written once and filled again for each EPN (openpyxl keeps the workbook in
memory), with values drawn at random, so that every file is different.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from openpyxl import load_workbook

from epn.standard import ACTIVITY_KINDS, AUDIENCE_CATEGORIES, DOMAINS, FORMATS, ROLES
from reporting.template.workbook import write_template

STAFF, ACTIVITIES = 10, 10
SUMMER = range(29, 32)  # ISO weeks closed for the summer


def filled_reports(ids: list[str], year: int, rng: np.random.Generator) -> list[bytes]:
    """One filled template per EPN of ``ids``; partners are taken among ``ids``."""
    book = load_workbook(io.BytesIO(write_template(None, year, "fr")))
    files = []
    for epn_id in ids:
        partner = ids[int(rng.integers(len(ids)))]
        fill(book, epn_id, partner, year, rng)
        buffer = io.BytesIO()
        book.save(buffer)
        files.append(buffer.getvalue())
    return files


def fill(book, epn_id: str, partner: str, year: int, rng: np.random.Generator) -> None:
    users = int(rng.integers(80, 400))
    identity = {
        "epn_id": epn_id,
        "submitted_by": "A. Dupont",
        "contact_email": f"{epn_id.lower()}@example.be",
        "workstations": int(rng.integers(4, 16)),
        "users_total": users,
        "nonprofit": "oui",
        "fees": "free",
        "label_sticker_displayed": "oui",
        "charter_displayed": "oui",
    }
    for key, row in key_rows(book["epn"]).items():
        if key in identity:
            book["epn"].cell(row, 2, identity[key])
    rows_into(book["staff"], [staff_row(n, rng) for n in range(STAFF)])
    rows_into(book["activities"], [activity_row(n, rng) for n in range(ACTIVITIES)])
    fill_audience(book["audience"], users, rng)
    rows_into(
        book["cooperation"],
        [
            ["EPN voisin", partner, "Formation commune", dt.date(year, 5, 14)],
            ["Bibliothèque communale", None, "Atelier lecture numérique", dt.date(year, 10, 3)],
        ],
    )
    fill_weeks(book["weekly"], rng)
    narrative = key_rows(book["narrative"])
    book["narrative"].cell(narrative["highlights"], 2, f"Atelier seniors n°{rng.integers(99)}")


def staff_row(n: int, rng: np.random.Generator) -> list:
    qualified = n < 3 or rng.random() < 0.5
    role = ROLES[0] if n < 3 else ROLES[int(rng.integers(len(ROLES)))]
    qualification = "Bachelier en informatique" if qualified else None
    hours = float(rng.choice([4.5, 10, 19, 24, 30, 38]))
    return [f"P{n:02d}", role, "oui" if qualified else "non", qualification, hours]


def activity_row(n: int, rng: np.random.Generator) -> list:
    participants = int(rng.integers(3, 60))
    return [
        f"A{n:02d}",
        f"Atelier {n + 1}",
        FORMATS[n % len(FORMATS)],
        ACTIVITY_KINDS[n % len(ACTIVITY_KINDS)],
        DOMAINS[n % len(DOMAINS)],
        int(rng.integers(1, 30)),
        float(rng.choice([1.5, 2, 3, 12.5, 40])),
        participants,
        int(rng.integers(0, participants + 1)),
    ]


def fill_audience(sheet, users: int, rng: np.random.Generator) -> None:
    """Each dimension's categories share the EPN's users (they add up to users_total)."""
    shares = {d: _split(users, len(c), rng) for d, c in AUDIENCE_CATEGORIES.items()}
    for row in range(2, sheet.max_row + 1):
        dimension, category = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        sheet.cell(row, 3, int(shares[dimension][AUDIENCE_CATEGORIES[dimension].index(category)]))


def _split(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    cuts = np.sort(rng.integers(0, total + 1, parts - 1))
    return np.diff(np.concatenate(([0], cuts, [total])))


def fill_weeks(sheet, rng: np.random.Generator) -> None:
    """Open weeks of 18 to 32 hours, mostly with a facilitator; closed in the summer."""
    hours = float(rng.choice([18, 20, 22.5, 24, 28, 32]))
    for row in range(2, sheet.max_row + 1):
        week = sheet.cell(row, 1).value.isocalendar()[1]
        if week in SUMMER:
            values = ["closed", "Congés d'été", 0, 0, 0, 0, 0]
        else:
            visits = int(rng.integers(40, 160))
            unique = int(visits * rng.uniform(0.4, 0.8))
            values = ["open", None, hours, hours - 1, visits, unique, int(unique * 0.1)]
        for column, value in enumerate(values, start=2):
            sheet.cell(row, column, value)


def key_rows(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}


def rows_into(sheet, rows: list[list]) -> None:
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)
