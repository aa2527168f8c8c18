"""An A4 page in the label's look, shared by the label's documents and the annual report.

The PDF core font Helvetica is used, encoded as Windows-1252: no font file ships with
fpdf2, and that encoding covers French and Dutch plus ``Œ ’ € « » „ …``. Any other
character is simplified (``ĳ`` → ``ij``, ``ő`` → ``o``, else ``?``), never fatal.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time

from fpdf import FPDF

ENCODING = "windows-1252"
FONT = "Helvetica"
Rgb = tuple[int, int, int]


class A4Page(FPDF):
    """A4, the core font and its encoding, and bytes that only change with the inputs and the
    day. Subclasses set their footer, then add the first page."""

    ink: Rgb = (0, 0, 0)  # the text colour when a style names none

    def __init__(
        self, title: str, lang: str, today: date, margins: tuple[float, float, float], bottom: float
    ) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.set_margins(*margins)
        self.set_auto_page_break(True, margin=bottom)
        self.set_lang(lang)
        self.set_title(title)
        # A fixed creation date keeps the bytes reproducible for the same inputs and day.
        self.set_creation_date(datetime.combine(today, time(), tzinfo=UTC))

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(to_encoding(text))

    def style(
        self, size: float, bold: bool = False, italic: bool = False, color: Rgb | None = None
    ) -> None:
        self.set_font(FONT, ("B" if bold else "") + ("I" if italic else ""), size)
        self.set_text_color(*(color or self.ink))


def to_encoding(text: str) -> str:
    """``text`` with every character the core fonts cannot show simplified or replaced."""
    return text if _encodable(text) else "".join(_simplify(char) for char in text)


def _simplify(char: str) -> str:
    if _encodable(char):
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(part for part in decomposed if not unicodedata.combining(part))
    return plain if plain and _encodable(plain) else "?"


def _encodable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True
