"""Printable label documents: shared texts, font handling and page layout.

The charter (``registry.documents_charter.charter_pdf``) and the application form
(``registry.documents_application.application_form_pdf``) are built from the texts of
``charter_commitments.toml`` (fr, nl, en) with the layout primitives below.

The page itself (A4, the core font and its encoding) is ``reporting.pdf_page.A4Page``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path

from fpdf.enums import XPos, YPos

from reporting.pdf_page import A4Page, Rgb

TEXTS_PATH = Path(__file__).with_name("charter_commitments.toml")
COMMITMENT_CODES = (
    "opening_hours",
    "qualified_facilitator",
    "priority_public",
    "nonprofit",
    "cooperation",
    "signage",
    "annual_report",
)
LINE_H = 5.2
COLUMN_GAP = 8  # between side-by-side boxes
_ACCENT = (31, 58, 104)
_MUTED = (95, 95, 95)
_RULE = (150, 150, 150)
_MISSING = {"<NA>", "NaT"}  # pandas' missing markers, when a registry row is passed as is
_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


@cache
def _catalogue() -> dict[str, dict[str, dict[str, str]]]:
    with TEXTS_PATH.open("rb") as handle:
        return tomllib.load(handle)


def document_texts(lang: str, min_public_hours: float = 15) -> dict[str, dict[str, str]]:
    """Every document text in ``lang`` (a known language): section → code → text."""
    if not (math.isfinite(min_public_hours) and min_public_hours > 0):
        raise ValueError(f"min_public_hours must be a positive number, not {min_public_hours!r}")
    hours = format_hours(min_public_hours, lang)
    return {
        section: {
            code: versions[lang].replace("{min_public_hours}", hours)
            for code, versions in entries.items()
        }
        for section, entries in _catalogue().items()
    }


def format_hours(value: float, lang: str) -> str:
    """15 → "15"; 17.5 → "17,5" in French and Dutch (decimal comma), "17.5" in English."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def field_value(record: Mapping[str, object] | None, key: str) -> str:
    """A record's value as printable text; missing or empty gives "" (a blank line to fill in)."""
    value = (record or {}).get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # postcodes and counts often arrive as floats from pandas
    text = str(value).strip()
    return "" if text in _MISSING else text


def commune_line(epn: Mapping[str, object] | None) -> str:
    """Postcode and commune, whichever are known: "1060 Saint-Gilles"."""
    parts = (field_value(epn, "postcode"), field_value(epn, "commune_name"))
    return " ".join(part for part in parts if part)


def authority_type_label(epn: Mapping[str, object] | None, texts: dict) -> str:
    """The authority type's name in the document's language; an unknown code is shown as is."""
    code = field_value(epn, "authority_type")
    return texts["authority_types"].get(code, code)


class DocumentPdf(A4Page):
    """An A4 document with the label's look: title block, headings, lines to fill in, footer."""

    def __init__(
        self,
        texts: dict,
        lang: str,
        title: str,
        short_title: str,
        epn_id: str,
        today: date | None = None,
    ) -> None:
        """``texts`` from ``document_texts``; the footer names the document, EPN and day."""
        today = today or date.today()
        super().__init__(title, lang, today, margins=(20, 16, 20), bottom=18)
        self.labels = texts["labels"]
        issued = self.labels["issued"].replace("{date}", today.strftime(self.labels["date_format"]))
        self.footer_text = " – ".join(part for part in (short_title, epn_id, issued) if part)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.style(8, color=_MUTED)
        self.cell(self.epw * 0.8, 4, self.footer_text)
        self.cell(0, 4, f"{self.labels['page']} {self.page_no()}/{{nb}}", align="R")

    def title_block(self, header: str, title: str, subtitle: str = "") -> None:
        self.style(9, bold=True, color=_ACCENT)
        self.cell(0, 5, header.upper(), **_NEXT_LINE)
        self.rule(_ACCENT, 0.6)
        self.ln(5)
        self.style(16, bold=True, color=_ACCENT)
        self.multi_cell(0, 7.5, title, align="C", **_NEXT_LINE)
        if subtitle:
            self.ln(1.5)
            self.style(9.5, italic=True, color=_MUTED)
            self.multi_cell(0, 4.6, subtitle, align="C", **_NEXT_LINE)
        self.ln(3)

    def rule(self, color: Rgb = _RULE, width: float = 0.2) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    def heading(self, text: str) -> None:
        if self.will_page_break(24):
            self.add_page()  # never leave a heading alone at the foot of a page
        self.ln(3.5)
        self.style(11.5, bold=True, color=_ACCENT)
        self.cell(0, 6.5, text, **_NEXT_LINE)
        self.rule(_ACCENT, 0.3)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.style(size)
        self.multi_cell(0, LINE_H, text, align="J", **_NEXT_LINE)
        self.ln(1.5)

    def field(self, label: str, value: str, label_width: float = 52) -> None:
        """A label and its value on an underline, left blank when there is no value."""
        self.style(9, color=_MUTED)
        while self.font_size_pt > 7 and self.get_string_width(label) > label_width - 2:
            self.set_font_size(self.font_size_pt - 0.5)  # long labels (Dutch) shrink, never overlap
        self.cell(label_width, 7, label)
        self.style(10.5, bold=True)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        self.multi_cell(0, 7, value, border="B", align="L", **_NEXT_LINE)

    def numbered(self, items: list[str]) -> None:
        for number, text in enumerate(items, start=1):
            self.style(10, bold=True, color=_ACCENT)
            self.cell(8, LINE_H, f"{number}.")
            self.style(10)
            self.multi_cell(0, LINE_H, text, **_NEXT_LINE)
            self.ln(1.2)

    def checkbox(self, text: str, checked: bool = False) -> None:
        """A square to tick, with its text; a printed "X" when already ticked."""
        x, y = self.l_margin, self.get_y()
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.3)
        self.rect(x + 0.5, y + 0.8, 3.6, 3.6)
        if checked:
            self.style(9, bold=True)
            self.set_xy(x + 0.5, y + 0.8)
            self.cell(3.6, 3.6, "X", align="C")
        self.set_xy(x + 7, y)
        self.style(10)
        self.multi_cell(0, LINE_H, text, **_NEXT_LINE)
        self.ln(0.8)

    def blank_line(self, label: str, x: float, y: float, width: float) -> None:
        """``label`` followed by a line to write on, ``width`` long in all."""
        self.style(9, color=_MUTED)
        self.set_xy(x, y)
        label_width = self.get_string_width(label) + 1.5 if label else 0
        self.cell(label_width, 6, label)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        self.line(x + label_width, y + 5.5, x + width, y + 5.5)

    def signature_blocks(
        self, headings: list[str], height: float = 50, columns: int = 0
    ) -> tuple[float, float]:
        """Side-by-side boxes, one per signing party: name and position, place and date, signature.

        ``columns`` (default: one per heading) leaves free columns on the right for the
        caller; returns the boxes' top and width so it can draw there.
        """
        if self.will_page_break(height + 4):
            self.add_page()  # a signature block is never split across pages
        columns = columns or len(headings)
        top = self.get_y() + 2
        width = (self.epw - COLUMN_GAP * (columns - 1)) / columns
        for index, heading in enumerate(headings):
            x = self.l_margin + index * (width + COLUMN_GAP)
            self.box(x, top, width, height, heading)
            inner = width - 6
            self.blank_line(self.labels["signer"], x + 3, top + 10, inner)
            self.blank_line(self.labels["place"], x + 3, top + 18, inner * 0.58)
            self.blank_line(self.labels["date"], x + 3 + inner * 0.6, top + 18, inner * 0.4)
            self.set_xy(x + 3, top + 27)
            self.style(9, color=_MUTED)
            self.cell(inner, 6, self.labels["signature"])
        self.set_xy(self.l_margin, top + height + 2)
        return top, width

    def box(self, x: float, y: float, width: float, height: float, heading: str) -> None:
        self.set_draw_color(*_RULE)
        self.set_line_width(0.3)
        self.rect(x, y, width, height)
        self.set_xy(x + 3, y + 2.5)
        self.style(10, bold=True, color=_ACCENT)
        self.cell(width - 6, 5, heading)
