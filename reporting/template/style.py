"""The look of the report template: colours, header cells, widths, print setup."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

NAVY = "1F4E79"  # required columns, required sheets
SKY = "BDD7EE"  # optional columns, optional sheets
KEY_GREY = "F2F2F2"  # prefilled cells the EPN must not change
ORANGE = "C55A11"  # the instructions tab

DATE_FORMAT = "yyyy-mm-dd"
_THIN = Side(style="thin", color="8EA9C1")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def style_header_cell(cell, required: bool) -> None:
    """Dark header for a required column, light for an optional one (the legend says so)."""
    cell.font = Font(bold=True, color="FFFFFF" if required else NAVY)
    cell.fill = PatternFill("solid", fgColor=NAVY if required else SKY)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.border = _BOX


def style_fixed_cell(cell, bold: bool = False) -> None:
    """A prefilled cell that identifies a row: greyed so that it reads as given."""
    cell.fill = PatternFill("solid", fgColor=KEY_GREY)
    cell.font = Font(color="404040", bold=bold)
    cell.border = _BOX


def style_note_cell(cell) -> None:
    cell.font = Font(italic=True, color="595959")
    cell.alignment = WRAP_TOP


def finish_sheet(sheet: Worksheet, title: str, required: bool, widths: list[float]) -> None:
    """Frozen header, widths, tab colour and a printed title: what makes it feel finished."""
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32
    sheet.sheet_properties.tabColor = NAVY if required else SKY
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = title
    sheet.oddFooter.right.text = "&P / &N"


def column_width(header: str, kind: str) -> float:
    """Wide enough for the header, wider for free text that people type sentences into."""
    base = {"text": 24, "date": 14, "code": 20, "yesno": 12}.get(kind, 14)
    return float(min(max(base, len(header) * 0.9 + 4), 44))
