"""Cell parsers for the standard's types. Each returns (value, error code or None).

Lenient where the standard is (yes/oui/ja, decimal comma, Excel dates), strict elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from epn.i18n import t
from epn.locale import LANGUAGES
from epn.tables import fold, is_blank

YES = {"yes", "oui", "ja", "true", "1", "vrai", "waar"}
NO = {"no", "non", "nee", "false", "0", "faux", "onwaar"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The standard's numbers: ASCII digits, one decimal separator (``,`` or ``.``), a sign.
# Nothing else: no ``_`` (Python reads ``1_5`` as 15), no exponent (``1e3``), no infinity or
# NaN, no other script's digits (``１２``), which ``float`` would all take.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)", re.ASCII)
_FORMULA_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!)$")


def parse_text(raw):
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw)), None
    return str(raw).strip(), None


def parse_decimal(raw):
    if isinstance(raw, bool):
        return None, "not_a_number"
    if isinstance(raw, int | float):
        return float(raw), None
    # spaces group thousands (1 000, with a no-break space as French typing inserts)
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not _NUMBER.fullmatch(text):
        return None, "not_a_number"
    value = float(text.replace(",", "."))
    return (value, None) if abs(value) != float("inf") else (None, "not_a_number")


INTEGER_LIMIT = 2**31 - 1  # the warehouse stores counts as 32-bit integers


def parse_integer(raw):
    value, error = parse_decimal(raw)
    if error or not float(value).is_integer():
        return None, "not_an_integer"
    if abs(value) > INTEGER_LIMIT:
        return None, "out_of_range"
    return int(value), None


def parse_date(raw):
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    text = str(raw).strip()
    if len(text) >= 10 and _ISO_DATE.match(text[:10]) and text[10:].strip(" T0:") == "":
        try:
            return dt.date.fromisoformat(text[:10]), None
        except ValueError:
            return None, "not_a_date"
    return None, "not_a_date"


def parse_yesno(raw):
    if isinstance(raw, bool):
        return raw, None
    key = fold(parse_text(raw)[0])
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, "not_yes_no"


def parse_code(raw, codes: tuple[str, ...]):
    """The code, given as itself or as its label in French, Dutch or English (« fermé »,
    « gesloten », « closed »): an extension of the standard, whose files keep working."""
    code = code_words(codes).get(fold(parse_text(raw)[0]))
    return (code, None) if code else (None, "not_a_code")


@cache
def code_words(codes: tuple[str, ...]) -> dict[str, str]:
    """Folded code or label -> code, for one column's codes (labels: ``code_label``)."""
    words = {}
    for code in codes:
        for lang in LANGUAGES:
            words.setdefault(fold(code_label(code, lang)), code)
    words.update({fold(code): code for code in codes})  # a code always means itself
    return words


def code_label(code: str, lang: str) -> str:
    """A code's label in ``lang``: one catalogue for the template, the readers and the pages."""
    return t(f"template.code.{code}", lang)


PARSERS = {
    "text": parse_text,
    "decimal": parse_decimal,
    "integer": parse_integer,
    "date": parse_date,
    "yesno": parse_yesno,
}


def parse_cell(column, raw):
    """(value, error) for one cell of ``column``; (None, None) for an empty optional cell."""
    if is_blank(raw):
        return None, ("required" if column.required else None)
    if isinstance(raw, str) and _FORMULA_ERROR.match(raw.strip()):
        return None, "formula_error"
    if column.type == "code":
        return parse_code(raw, column.codes)
    return PARSERS[column.type](raw)


def parse_column(column, cells: list) -> tuple[list, list[tuple[int, str]]]:
    """``parse_cell`` over a column: (values, [(position, error code)]).

    Texts repeat down a column (codes, dates, figures of a CSV), so each distinct text is
    parsed once; numbers read from a workbook take a shortcut with the very same result.
    """
    memo: dict[str, tuple] = {}
    number = _NUMBER_SHORTCUTS.get(column.type)
    values, errors = [], []
    for position, cell in enumerate(cells):
        if type(cell) is str:
            outcome = memo.get(cell)
            if outcome is None:
                outcome = memo[cell] = parse_cell(column, cell)
        else:
            outcome = (number and number(cell)) or parse_cell(column, cell)
        values.append(outcome[0])
        if outcome[1]:
            errors.append((position, outcome[1]))
    return values, errors


def _decimal_shortcut(cell):
    if type(cell) in (int, float) and cell == cell:  # not bool, not NaN (a blank)
        return float(cell), None
    return None


def _integer_shortcut(cell):
    if type(cell) is int and abs(cell) <= INTEGER_LIMIT:
        return cell, None
    if type(cell) is float and cell.is_integer() and abs(cell) <= INTEGER_LIMIT:
        return int(cell), None
    return None


_NUMBER_SHORTCUTS = {"decimal": _decimal_shortcut, "integer": _integer_shortcut}
