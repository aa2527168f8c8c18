"""An annual report entered in the browser -> the workbook of the standard (§2), in memory.

The layout is the template's (``reporting/template/``) without its help: sheets named by the
standard's keys, a header row of keys, one row per record; ``epn`` and ``narrative`` as
``key``/``value`` rows. Codes stay codes and yes/no is written ``yes``/``no``, so the file
reads the same whatever the language of the person who filled the form.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from epn.standard import AUDIENCE_CATEGORIES, REPORT_IDENTITY, report_sheet

TABLES = ("staff", "activities", "cooperation")
NARRATIVE_KEYS = ("highlights", "difficulties", "outlook")


def report_workbook(content: dict, epn_id: str, year: int) -> bytes:
    """The .xlsx bytes of the report the form holds (``content``: see ``empty_content``)."""
    book = Workbook()
    identity = book.active
    identity.title = "epn"
    values = {**content.get("epn", {}), "epn_id": epn_id, "year": year}
    identity.append(["key", "value"])
    for key in REPORT_IDENTITY.keys:
        identity.append([key, cell_value(values.get(key))])
    for name in TABLES:
        sheet = book.create_sheet(name)
        keys = report_sheet(name).keys
        sheet.append(keys)
        for record in content.get(name, []):
            sheet.append([cell_value(record.get(key), date=key == "date") for key in keys])
    audience = book.create_sheet("audience")
    audience.append(report_sheet("audience").keys)
    for dimension, categories in AUDIENCE_CATEGORIES.items():
        counts = content.get("audience", {}).get(dimension, {})
        for category in categories:
            audience.append([dimension, category, cell_value(counts.get(category))])
    narrative = book.create_sheet("narrative")
    narrative.append(["key", "value"])
    for key in NARRATIVE_KEYS:
        text = (content.get("narrative", {}).get(key) or "").strip()
        if text:
            narrative.append([key, text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def empty_content() -> dict:
    """What a new draft holds: every step, nothing entered."""
    return {
        "epn": {},
        "staff": [],
        "activities": [],
        "audience": {dimension: {} for dimension in AUDIENCE_CATEGORIES},
        "cooperation": [],
        "narrative": {},
    }


def cell_value(value: object, *, date: bool = False) -> object:
    """A form value as a cell: booleans as yes/no, ISO dates as dates, blanks empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # the check names it, as it would in a workbook
    return value


def report_filename(epn_id: str, year: int) -> str:
    return f"saisie-web-rapport-{epn_id}-{year}.xlsx"
