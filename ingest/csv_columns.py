"""A CSV file read by Arrow into columns of text, where that reading is the csv module's own.

``readers.csv_sheet`` streams the csv module's records and picks their known cells one
record at a time: about 15 µs a row in Python. Arrow's parser reads the whole file into
columns in C, twenty times faster, and gives the very same records as long as nothing in
the file is off the well-trodden path: no lone carriage return (the csv module ends a
record there, or fails), no record of another width (Arrow refuses it), no cell longer
than the csv module allows. Such a file yields ``None`` here and is read by the stream,
which also names the line of whatever is wrong; ``tests/test_columnar.py`` holds the two
readings equal on generated files. The only difference Arrow makes, an empty line read as
a record of empty cells rather than no cell at all, is none for a sheet: both are blank.

The sheet keeps the stream's shape (``RawSheet``): its header found among the first
non-blank records, known columns only, blank records dropped and not counted against the
row cap, each row numbered as the record it is. Its cells are Arrow text arrays, blanks
included as written (``validation.column_typing`` types them).
"""

from __future__ import annotations

import csv
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from epn.tables import (
    HEADER_SEARCH_ROWS,
    RawSheet,
    check_row_count,
    fold,
    header_aliases,
    match_headers,
)

UTF8_BOM = b"\xef\xbb\xbf"
MOST_COLUMNS = 16_384  # Excel's widest sheet; a wider file is read by the stream


def arrow_sheet(
    data: bytes, delimiter: str, allowed, max_rows: int | None, max_cell_chars: int
) -> RawSheet | None:
    """The sheet ``csv_sheet`` reads from ``data`` (valid UTF-8), or None when Arrow's reading
    could differ from the csv module's (see above)."""
    body = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
        return None  # a lone carriage return
    if b"\0" in body:
        return None
    columns = _arrow_columns(body, delimiter)
    if columns is None or not columns:
        return None
    longest = max(pc.max(pc.utf8_length(column)).as_py() or 0 for column in columns)
    if longest > min(max_cell_chars, csv.field_size_limit()):
        return None  # the stream says which line holds it
    return _sheet(columns, allowed, max_rows)


def _arrow_columns(body: bytes, delimiter: str) -> list[pa.StringArray] | None:
    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=_all_text(),
        )
    except (pa.ArrowInvalid, pa.ArrowException):  # another width, or anything unusual
        return None
    if any(column.type != pa.string() for column in table.columns):
        return None  # wider than MOST_COLUMNS
    return [column.combine_chunks() for column in table.columns]


@cache
def _all_text() -> pcsv.ConvertOptions:
    return pcsv.ConvertOptions(
        column_types={f"f{i}": pa.string() for i in range(MOST_COLUMNS)},
        null_values=[],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def blank_mask(column: pa.StringArray) -> np.ndarray:
    """Where a cell is blank: empty or only whitespace (Arrow's whitespace is Python's)."""
    lengths = pc.utf8_length(pc.utf8_trim_whitespace(column))
    return pc.equal(lengths, 0).to_numpy(zero_copy_only=False)


def _sheet(columns: list[pa.StringArray], allowed, max_rows: int | None) -> RawSheet:
    blanks = [blank_mask(column) for column in columns]
    non_blank = ~np.logical_and.reduce(blanks)
    head = np.flatnonzero(non_blank)[:HEADER_SEARCH_ROWS]
    if not len(head):
        return RawSheet(None, {key: [] for key in allowed}, [])
    aliases = header_aliases()

    def record(at: int) -> list:
        cells = zip(columns, blanks, strict=True)
        return [None if blank[at] else column[at].as_py() for column, blank in cells]

    def known(cells: list) -> int:
        return sum(1 for c in cells if c is not None and aliases.get(fold(c)) in allowed)

    records = [record(int(at)) for at in head]
    best = max(range(len(head)), key=lambda i: (known(records[i]), -i))
    header_at = int(head[best])
    check_row_count(int(non_blank[header_at + 1 :].sum()), max_rows, None)
    match = match_headers(records[best], allowed)
    kept = np.zeros(len(non_blank), dtype=bool)
    for position in match.positions.values():
        kept |= ~blanks[position]
    kept[: header_at + 1] = False
    chosen = pa.array(kept)
    cells = {key: columns[p].filter(chosen) for key, p in match.positions.items()}
    rows = (np.flatnonzero(kept) + 1).tolist()  # each record's number, from 1
    return RawSheet(None, cells, rows, match.headers, match.letters, header_at + 1, match.repeated)
