"""The look of the printable reports: A4 pages, headings, key-figure tiles and tables.

Core font Helvetica in Windows-1252 as the label's other documents
(:mod:`registry.documents`): French and Dutch print as typed, anything else is simplified.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from reporting.pdf_page import A4Page

ACCENT = (31, 90, 166)  # the app's primary blue
INK = (49, 51, 63)
MUTED = (105, 108, 120)
TILE = (238, 243, 250)
RISE, FALL = (27, 122, 62), (178, 52, 40)
TOTAL = FontFace(emphasis="BOLD", fill_color=TILE)
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class ReportPdf(A4Page):
    """An A4 report with a running footer: its short title, the issue date and the page."""

    ink = INK

    def __init__(self, title: str, footer: str, lang: str, today: date) -> None:
        super().__init__(title, lang, today, margins=(16, 14, 16), bottom=16)
        self.footer_text = footer
        self.page_label = "Page"
        self.add_page()

    def footer(self) -> None:
        self.set_y(-11)
        self.style(7.5, color=MUTED)
        self.cell(self.epw * 0.8, 4, self.footer_text)
        self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="R")

    def title_block(self, over: str, title: str, subtitle: str, status: str) -> None:
        self.style(8.5, bold=True, color=ACCENT)
        self.cell(0, 5, over.upper(), **NEXT_LINE)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.7)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.style(20, bold=True, color=ACCENT)
        self.multi_cell(0, 9, title, **NEXT_LINE)
        self.style(11, color=INK)
        self.multi_cell(0, 5.5, subtitle, **NEXT_LINE)
        self.ln(1)
        self.style(9, italic=True, color=MUTED)
        self.multi_cell(0, 4.5, status, **NEXT_LINE)
        self.ln(3)

    def heading(self, text: str, room: float = 40) -> None:
        if self.will_page_break(room):
            self.add_page()  # a heading never stays alone at the foot of a page
        self.ln(3)
        self.style(12.5, bold=True, color=ACCENT)
        self.cell(0, 7, text, **NEXT_LINE)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2.5)

    def note(self, text: str, size: float = 8.5) -> None:
        self.style(size, color=MUTED)
        self.multi_cell(0, 4.2, text, **NEXT_LINE)
        self.ln(1)

    def tiles(self, items: Sequence[tuple[str, str, str | None, int]], per_row: int = 4) -> None:
        """Key figures: (label, value, change or None, direction -1/0/1) in a grid of tiles."""
        gap, height = 3.0, 23.0
        width = (self.epw - gap * (per_row - 1)) / per_row
        top = self.get_y()
        for n, (label, value, change, direction) in enumerate(items):
            x = self.l_margin + (n % per_row) * (width + gap)
            y = top + (n // per_row) * (height + gap)
            self.set_fill_color(*TILE)
            self.rect(x, y, width, height, style="F")
            self.set_xy(x + 3, y + 2.5)
            self.style(7.5, color=MUTED)
            self.multi_cell(width - 6, 3.4, label, align="L")
            self.set_xy(x + 3, y + 10)
            self.style(15, bold=True, color=INK)
            self.cell(width - 6, 7, value)
            if change:
                self.set_xy(x + 3, y + 17)
                self.style(
                    7.5,
                    bold=True,
                    color=RISE if direction > 0 else FALL if direction < 0 else MUTED,
                )
                self.cell(width - 6, 4, change)
        rows = (len(items) + per_row - 1) // per_row
        self.set_xy(self.l_margin, top + rows * (height + gap))

    def grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        bold_last: bool = False,
        size: float = 8,
        text_columns: int = 1,
    ) -> None:
        """A table: text columns left-aligned, numbers right-aligned, zebra rows."""
        self.style(size)
        heading = FontFace(
            emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT, size_pt=size - 0.5
        )
        align = ["LEFT"] * text_columns + ["RIGHT"] * (len(headers) - text_columns)
        self.set_fill_color(255, 255, 255)  # fpdf2 paints the unshaded rows in this colour
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=heading,
            line_height=4.6,
            cell_fill_color=(246, 248, 252),
            cell_fill_mode="ROWS",
            borders_layout="NONE",
            width=sum(widths),
            align="LEFT",
            padding=(0.8, 1.2),
        ) as table:
            table.row(list(headers))
            for n, cells in enumerate(rows):
                total = bold_last and n == len(rows) - 1
                table.row(list(cells), style=TOTAL if total else None)
        self.ln(2)
