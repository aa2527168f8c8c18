"""The public directory of labelled EPNs (art. 5), as JSON records or as CSV.

Only EPNs whose current status is ``labelled`` appear. The CSV is UTF-8 (no BOM), comma
separated, with a header. It is meant to be opened in spreadsheets, so it is safe against
formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe ``'`` (the OWASP advice), which spreadsheets show as text
and never evaluate. Numbers (NIS code, postcode) are written as numbers, untouched.
"""

from __future__ import annotations

import duckdb

from epn.records import plain

COLUMNS = (
    "epn_id",
    "name",
    "address",
    "postcode",
    "commune_nis",
    "commune_name_fr",
    "commune_name_nl",
    "authority_name",
    "authority_type",
    "labelled_since",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def public_directory(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every labelled EPN, by commune then name."""
    cursor = con.execute(
        """
        SELECT r.epn_id, r.name, r.address, r.postcode, r.commune_nis,
               c.name_fr AS commune_name_fr, c.name_nl AS commune_name_nl,
               r.authority_name, r.authority_type, r.labelled_on AS labelled_since
        FROM registry_current r LEFT JOIN commune c USING (commune_nis)
        WHERE r.status = 'labelled'
        ORDER BY r.commune_nis, r.name, r.epn_id
        """
    )
    return [{k: plain(v) for k, v in zip(COLUMNS, row, strict=True)} for row in cursor.fetchall()]


def safe_cell(value: object) -> object:
    """A text a spreadsheet would run as a formula is defused; anything else is kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


# Quoted whatever the separator: a Belgian spreadsheet splits a comma file on ";" too.
_NEEDS_QUOTES = (",", ";", '"', "\n", "\r", "\t")


class Numeral(str):
    """A number already written in the reader's conventions (``-0,25``): never defused."""


def csv_field(value: object) -> str:
    """One CSV field (RFC 4180), formula-safe, quoted when it holds a separator (``,`` or
    ``;``), a quote, a tab or a line break, so that no spreadsheet splits it."""
    text = str(value) if isinstance(value, Numeral) else str(safe_cell(value))
    if any(mark in text for mark in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: list[object], separator: str = ",") -> str:
    return separator.join(csv_field(value) for value in values) + "\r\n"  # RFC 4180 ends


def directory_csv(records: list[dict]) -> bytes:
    lines = [csv_line(list(COLUMNS))]
    lines += [csv_line([record.get(column) for column in COLUMNS]) for record in records]
    return "".join(lines).encode("utf-8")
