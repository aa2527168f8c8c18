"""Statistics files as EPNs write them: CSV from a Belgian Excel, CSV by the book, xlsx.

Each writer takes rows keyed by the standard's keys (standard §3) and returns the file's
bytes; headers are the keys or their French labels, as the readers accept both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

from demo import catalogue as c
from epn.i18n import t
from epn.standard import STATISTICS

KEYS = STATISTICS.keys
HEADER_LANG = {c.CSV_FR: "fr", c.XLSX_FR: "fr"}
SHEET_TITLE = {c.XLSX_FR: "Statistiques", c.XLSX_KEYS: "statistics"}
# A remarks column some EPNs keep beside the figures; readers ignore unknown columns.
REMARKS = {"fr": "Remarques"}


def headers(file_format: str) -> list[str]:
    lang = HEADER_LANG.get(file_format)
    return [t(f"header.{key}", lang) if lang else key for key in KEYS]


def _number(value: object, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text.replace(".", ",") if decimal_comma else text


def _cell_text(key: str, value: object, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, decimal_comma)
    return str(value)


def write_csv(rows: list[dict], file_format: str) -> bytes:
    """``csv_fr``: ``;`` and decimal comma with a BOM, as Excel saves it here; else plain."""
    french = file_format == c.CSV_FR
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n"
    )
    writer.writerow(headers(file_format))
    for row in rows:
        writer.writerow([_cell_text(k, row.get(k), french) for k in KEYS])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if french else text.encode("utf-8")


def write_xlsx(
    rows: list[dict], file_format: str, saved_on: dt.date, notes: dict[int, str] | None = None
) -> bytes:
    """One sheet, bold header row, real Excel dates; optional remarks beside some rows."""
    lang = HEADER_LANG.get(file_format)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE[file_format]
    header = headers(file_format) + ([REMARKS[lang]] if lang in REMARKS and notes else [])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, row in enumerate(rows):
        values = [row.get(k) for k in KEYS]
        if notes and lang in REMARKS:
            values.append(notes.get(index))
        sheet.append(values)
    for cell in sheet["B"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJ", (14, 14, 10, 30, 14, 14, 10, 12, 12, 28), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return stable_xlsx(buffer.getvalue(), saved_on)


def write_statistics(
    rows: list[dict], file_format: str, saved_on: dt.date, notes: dict[int, str] | None = None
) -> bytes:
    if file_format.startswith("xlsx"):
        return write_xlsx(rows, file_format, saved_on, notes)
    return write_csv(rows, file_format)


_DOC_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def stable_xlsx(data: bytes, saved_on: dt.date) -> bytes:
    """Same content, same bytes: openpyxl stamps the clock into the zip and the properties.

    Both become the day the EPN saved the file, so a seed always gives the same files.
    """
    moment = (saved_on.year, saved_on.month, saved_on.day, 17, 0, 0)
    stamp = f"{saved_on.isoformat()}T17:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _DOC_DATES.sub(lambda m: m.group(1) + stamp, body)
            target.writestr(zipfile.ZipInfo(info.filename, moment), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def extension(file_format: str) -> str:
    return "xlsx" if file_format.startswith("xlsx") else "csv"
