"""Valid example files of the standard: a registry, an annual report, statistics.

They tell one small, consistent story, so that they are accepted together: three EPNs in
the registry (two labelled, one applicant); EPN-0042's annual report for EXAMPLE_YEAR,
with every week of the year on its ``weekly`` sheet; statistics of both labelled EPNs for
the first weeks of that year, one of them closed. Every header is the standard's key, so
the files are also valid against the published Table Schemas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from epn.standard import REGISTRY, REPORT_SHEETS, STATISTICS

EXAMPLE_YEAR = 2025
EXAMPLE_EPN = "EPN-0042"

REGISTRY_ROWS = [
    {
        "epn_id": "EPN-0042",
        "name": "EPN de la Bibliothèque des Riches-Claires",
        "commune_nis": 21004,
        "address": "Rue des Riches Claires 24",
        "postcode": 1000,
        "authority_name": "Ville de Bruxelles",
        "authority_type": "local_body",
        "labelled_on": dt.date(2021, 3, 15),
        "workstations": 8,
    },
    {
        "epn_id": "EPN-0107",
        "name": "Cyber-espace du CPAS de Schaerbeek",
        "commune_nis": 21015,
        "address": "Boulevard Auguste Reyers 70",
        "postcode": 1030,
        "authority_name": "CPAS de Schaerbeek",
        "authority_type": "cpas",
        "labelled_on": dt.date(2023, 9, 4),
        "workstations": 12,
    },
    {
        "epn_id": "EPN-0213",
        "name": "Digitaal Huis Molenbeek",
        "commune_nis": 21012,
        "address": "Graaf van Vlaanderenstraat 20",
        "postcode": 1080,
        "authority_name": "vzw Digitaal Huis",
        "authority_type": "non_market",
        "labelled_on": None,  # an applicant
        "workstations": 6,
    },
]

IDENTITY = {
    "epn_id": EXAMPLE_EPN,
    "year": EXAMPLE_YEAR,
    "submitted_by": "Coordination de l'EPN",
    "contact_email": "epn@example.org",
    "workstations": 8,
    "users_total": 410,
    "nonprofit": "yes",
    "fees": "free",
    "label_sticker_displayed": "yes",
    "charter_displayed": "yes",
}
STAFF = [
    ["AM", "facilitator", "yes", "Certificat d'animateur multimédia", 38],
    ["JV", "facilitator", "yes", "Bachelier en informatique", 19],
    ["KB", "volunteer", "no", None, 4],
]
ACTIVITIES = [
    ["ACT-01", "Initiation à l'ordinateur", "collective", "training", "basic_skills",
     20, 40, 48, 35],
    ["ACT-02", "Aide aux démarches en ligne", "individual", "support", "e_administration",
     150, 150, 190, 120],
    ["ACT-03", "Atelier CV et recherche d'emploi", "collective", "training", "job_search",
     10, 25, 30, 22],
    ["ACT-04", "Accès libre accompagné", "individual", "free_access", "other",
     200, 600, 260, 90],
]  # fmt: skip
AUDIENCE = {  # each dimension adds up to users_total
    "age": {"0_17": 20, "18_25": 55, "26_44": 120, "45_64": 130, "65_plus": 80, "unknown": 5},
    "gender": {"female": 230, "male": 175, "other": 2, "unknown": 3},
    "status": {"student": 40, "job_seeker": 150, "employed": 70, "retired": 110,
               "other_inactive": 35, "unknown": 5},
}  # fmt: skip
COOPERATION = [
    ["EPN-0107", "EPN-0107", "Échange de formateurs pour les ateliers e-administration",
     dt.date(EXAMPLE_YEAR, 3, 12)],
    ["Maison de l'emploi", None, "Permanence commune de recherche d'emploi en ligne",
     dt.date(EXAMPLE_YEAR, 10, 2)],
]  # fmt: skip
NARRATIVE = {
    "highlights": "Une deuxième animatrice qualifiée a rejoint l'équipe.",
    "difficulties": "Deux semaines de fermeture pour travaux en août.",
    "outlook": "Ouvrir le samedi matin.",
}
CLOSED_WEEKS = (32, 33)  # works in August


def week_rows(epn_id: str | None, weeks: range, hours: float) -> list[dict]:
    """One row per ISO week of EXAMPLE_YEAR in ``weeks`` (closed in CLOSED_WEEKS)."""
    rows = []
    for week in weeks:
        closed = week in CLOSED_WEEKS
        row = {
            "week_start": dt.date.fromisocalendar(EXAMPLE_YEAR, week, 1),
            "status": "closed" if closed else "open",
            "closure_reason": "Travaux" if closed else None,
            "public_hours": 0 if closed else hours,
            "facilitated_hours": 0 if closed else hours - 2.5,
            "visits": 0 if closed else 70 + week % 9,
            "unique_users": 0 if closed else 40 + week % 5,
            "new_users": 0 if closed else 3 + week % 4,
        }
        rows.append(row if epn_id is None else {"epn_id": epn_id, **row})
    return rows


def year_weeks() -> range:
    return range(1, dt.date(EXAMPLE_YEAR, 12, 28).isocalendar()[1] + 1)


def registry_csv() -> bytes:
    return csv_file(REGISTRY.keys, REGISTRY_ROWS)


def statistics_rows() -> list[dict]:
    weeks = range(30, 35)  # summer: the closed weeks are among them
    return week_rows("EPN-0042", weeks, 24.0) + week_rows("EPN-0107", weeks, 31.5)


def statistics_csv() -> bytes:
    return csv_file(STATISTICS.keys, statistics_rows())


def csv_file(keys: list[str], rows: list[dict]) -> bytes:
    """UTF-8, ``,`` separated, a header of keys; ISO dates, ``.`` decimals, empty for none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([text(row.get(key)) for key in keys])
    return buffer.getvalue().encode("utf-8")


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def report_tables() -> dict[str, list[list]]:
    """Sheet name -> rows (header first) of the example annual report."""
    audience = [
        [dimension, category, users]
        for dimension, counts in AUDIENCE.items()
        for category, users in counts.items()
    ]
    weekly = [
        [row[key] for key in STATISTICS.keys[1:]] for row in week_rows(None, year_weeks(), 24.0)
    ]
    bodies = {
        "epn": [[key, value] for key, value in IDENTITY.items()],
        "staff": STAFF,
        "activities": ACTIVITIES,
        "audience": audience,
        "cooperation": COOPERATION,
        "weekly": weekly,
        "narrative": [[key, value] for key, value in NARRATIVE.items()],
    }
    return {
        sheet.name: [["key", "value"] if sheet.key_value else sheet.keys, *bodies[sheet.name]]
        for sheet in REPORT_SHEETS
    }


def annual_report_xlsx() -> bytes:
    """The workbook: one sheet per sheet of the standard, keys as headers, real dates."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in report_tables().items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "YYYY-MM-DD"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_xlsx() -> bytes:
    """The statistics file as a workbook: its only sheet holds the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "statistics"
    sheet.append(STATISTICS.keys)
    for row in statistics_rows():
        sheet.append([row.get(key) for key in STATISTICS.keys])
    for cell in sheet["B"][1:]:
        cell.number_format = "YYYY-MM-DD"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_files() -> dict[str, bytes]:
    """Relative path -> bytes of every example file."""
    return {
        "examples/registry.csv": registry_csv(),
        "examples/annual-report.xlsx": annual_report_xlsx(),
        "examples/statistics.csv": statistics_csv(),
        "examples/statistics.xlsx": statistics_xlsx(),
    }
