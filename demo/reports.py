"""Annual reports: the Region's template (``ingest.template``), filled in with openpyxl.

Each EPN labelled during a year sends its report in February or March of the next one;
a few arrive after the 31 March deadline, one never does (nor do withdrawn EPNs for the
year they leave), and a few say what the charter does not want to read (no qualified
facilitator, no cooperation...). Until 2025, sites whose cadence is ``IN_REPORT`` put
their weeks in the report's ``weekly`` sheet instead of a file; from 2026 every week comes
in the monthly files (``catalogue.MONTHLY_FROM``). Only the reports received by the day
the demo runs are there: the current year's is due the next year.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from openpyxl import Workbook, load_workbook

from demo import catalogue as c
from demo import report_content as rc
from demo.files import stable_xlsx
from demo.planned import PlannedFile
from demo.registry_story import Entry
from demo.weeks import monday
from epn.i18n import t
from epn.standard import report_sheet
from epn.tables import fold
from reporting.template.workbook import write_template

FOLDER = "rapports"
FIRST_YEAR = 2023
LATE_PER_YEAR = 2

# (site, year) -> the commitment the report shows unmet, or an incident on the way.
NO_PRIORITY = "no_priority_public"
CHARTER_HIDDEN = "charter_not_displayed"
NO_QUALIFIED = "no_qualified_facilitator"
NO_COOPERATION = "no_cooperation"
PAID = "paid_fees"
AUDIENCE_OFF = "audience_off_then_fixed"  # rejected (breakdown does not add up), then fixed
REPORT_ISSUES = {
    ("ganshoren-commune", 2023): NO_PRIORITY,
    ("etterbeek-commune", 2023): CHARTER_HIDDEN,
    ("bruxelles-noh", 2024): NO_QUALIFIED,
    ("bruxelles-marolles", 2024): PAID,
    ("bruxelles-marolles", 2025): PAID,
    ("schaerbeek-sesame", 2024): AUDIENCE_OFF,
    ("wsl-cpas", 2025): NO_COOPERATION,
}


def labelled_during(entry: Entry, year: int) -> bool:
    first = dt.date.fromisocalendar(year, 1, 1)
    last = dt.date.fromisocalendar(year + 1, 1, 1) - dt.timedelta(days=1)
    withdrawn = entry.withdrawn_on and monday(entry.withdrawn_on) <= first
    return bool(entry.labelled_on and entry.labelled_on <= last and not withdrawn)


def sends_report(entry: Entry, year: int) -> bool:
    """Withdrawn EPNs send none for the year they leave; one EPN stops sending anything."""
    if entry.withdrawn_on and entry.withdrawn_on.year <= year:
        return False
    return not (entry.site.profile == c.STOPS_SENDING and year >= 2025)


def report_files(
    entries: list[Entry], weeks: dict[str, list[dict]], rng: random.Random, today: dt.date
) -> list[PlannedFile]:
    """The reports of each year before ``today``'s, those received by ``today``."""
    files, filler = [], TemplateFiller()
    for year in range(FIRST_YEAR, today.year):
        due = [e for e in entries if labelled_during(e, year) and sends_report(e, year)]
        plain = [e for e in due if (e.site.key, year) not in REPORT_ISSUES]
        late = {e.epn_id for e in rng.sample(plain, LATE_PER_YEAR)}
        for entry in due:
            rows = [
                r for r in weeks.get(entry.epn_id, []) if r["week_start"].isocalendar()[0] == year
            ]
            on = received_on(year, entry.epn_id in late, rng)
            files += report_uploads(entry, year, rows, due, on, filler, rng)
    return [f for f in files if f.received_on <= today]  # the others are not there yet


def received_on(year: int, late: bool, rng: random.Random) -> dt.date:
    if late:
        return dt.date(year + 1, 4, 8) + dt.timedelta(days=rng.randint(0, 60))
    return dt.date(year + 1, 2, 2) + dt.timedelta(days=rng.randint(0, 56))


def report_uploads(entry, year, rows, peers, on, filler, rng) -> list[PlannedFile]:
    issue = REPORT_ISSUES.get((entry.site.key, year))
    content = report_content(entry, year, rows, [p for p in peers if p is not entry], issue, rng)
    name, lang = report_filename(entry, year), entry.site.lang
    if issue != AUDIENCE_OFF:
        return [PlannedFile(FOLDER, name, filler.fill(content, year, lang, on), on)]
    wrong = dict(content["audience"])
    wrong[("gender", "female")] += 12  # counted twice: the gender breakdown no longer adds up
    stem = name.rsplit(".", 1)[0]
    return [
        PlannedFile(FOLDER, name, filler.fill({**content, "audience": wrong}, year, lang, on), on),
        PlannedFile(
            FOLDER,
            f"{stem} (corrigé).xlsx",
            filler.fill(content, year, lang, on + dt.timedelta(days=6)),
            on + dt.timedelta(days=6),
        ),
    ]


def report_filename(entry: Entry, year: int) -> str:
    title = "Jaarverslag" if entry.site.lang == "nl" else "Rapport annuel"
    return f"{title} {year} - {entry.site.name}.xlsx"


def report_content(
    entry: Entry,
    year: int,
    rows: list[dict],
    peers: list[Entry],
    issue: str | None,
    rng: random.Random,
) -> dict:
    site, lang = entry.site, entry.site.lang
    users = rc.users_total(rows)
    contact, _ = rc.person(rng)
    yes, no = t("template.yes", lang), t("template.no", lang)
    fees = (
        "paid" if issue == PAID else rng.choice(("free", "free", "free", "free_under_conditions"))
    )
    return {
        "epn": {
            "epn_id": entry.epn_id,
            "year": year,
            "workstations": site.workstations,
            "submitted_by": contact,
            "contact_email": contact_email(entry),
            "users_total": users,
            "nonprofit": yes,
            "fees": fees,
            "label_sticker_displayed": yes,
            "charter_displayed": no if issue == CHARTER_HIDDEN else yes,
        },
        "staff": rc.staff(lang, issue == NO_QUALIFIED, rng),
        "activities": rc.activities(rows, users, lang, issue == NO_PRIORITY, rng),
        "audience": rc.audience(users, rng),
        "cooperation": [] if issue == NO_COOPERATION else rc.cooperation(entry, year, peers, rng),
        "weekly": [{k: v for k, v in r.items() if k != "epn_id"} for r in rows]
        if site.cadence == c.IN_REPORT and year < c.MONTHLY_FROM
        else [],
        "narrative": rc.narrative(rng),
    }


def contact_email(entry: Entry) -> str:
    words = fold(entry.site.authority_name).split()
    slug = "-".join(w for w in words if w not in ("de", "du", "d", "la", "le", "asbl"))
    return f"epn@{slug[:40].strip('-')}.brussels"


class TemplateFiller:
    """Fills the Region's blank template of a year, loaded once and refilled for each EPN.

    Building the template costs a third of a second and loading it a twentieth, times
    ninety reports; every value is rewritten for each EPN, so nothing leaks from one to
    the next. The identity the Region would prefill (epn_id, workstations) is written here.
    """

    def __init__(self) -> None:
        self._books: dict[tuple[int, str], Workbook] = {}

    def book(self, year: int, lang: str) -> Workbook:
        if (year, lang) not in self._books:
            blank = write_template(None, year, lang)
            self._books[year, lang] = load_workbook(io.BytesIO(blank))
        return self._books[year, lang]

    def fill(self, content: dict, year: int, lang: str, saved_on: dt.date) -> bytes:
        book = self.book(year, lang)
        for name in ("epn", "narrative"):
            values = content[name]
            for key_cell, value_cell, *_ in book[name].iter_rows(min_row=2):
                value_cell.value = values.get(key_cell.value)
        for dimension, category, users, *_ in book["audience"].iter_rows(min_row=2):
            users.value = content["audience"][(dimension.value, category.value)]
        # The template lists the year's Mondays in ``weekly``; a row with a Monday and
        # nothing else reads as a week without a status, so an EPN reporting its weeks
        # elsewhere clears them.
        for name in ("staff", "activities", "cooperation", "weekly"):
            sheet = book[name]
            sheet.delete_rows(2, sheet.max_row)
            write_rows(sheet, report_sheet(name).keys, content[name])
        buffer = io.BytesIO()
        book.save(buffer)
        return stable_xlsx(buffer.getvalue(), saved_on)


def write_rows(sheet, keys: list[str], records: list[dict]) -> None:
    for row, record in enumerate(records, start=2):
        for column, key in enumerate(keys, start=1):
            cell = sheet.cell(row, column, record.get(key))
            if isinstance(record.get(key), dt.date):
                cell.number_format = "DD/MM/YYYY"
