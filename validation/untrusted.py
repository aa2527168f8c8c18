"""Untrusted bytes -> Parsed: the guard, then the parser in a child process, for every format.

A CSV is as untrusted as a workbook: both are parsed in a child under the memory cap and
the deadline, with the same cap on data rows. A refusal (by the guard, or a parser that
crashed, overran its deadline or failed in any other way) becomes the file's problem
(``refused``, ``failed``), never an exception: one file's failure never stops a batch. In a
batch, a file's whole untrusted path (guard, formula check, parsing) runs in a worker
(``guarded_upload``, see ``parse_ahead``).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache

from epn.errors import EpnError
from epn.parsed import Parsed
from epn.records import problem
from epn.settings import Settings
from ingest.guard import inspect_with_formulas
from ingest.sandbox import run_isolated

# One week of statistics: parsing it loads what any parse loads (see ``warm_up``).
WARM_UP_CSV = (
    b"epn_id,week_start,status,closure_reason,public_hours,facilitated_hours,visits,"
    b"unique_users,new_users\nEPN-0,2024-01-01,open,,20,20,10,5,1\n"
)


def parse_untrusted(
    data: bytes, filename: str, known: frozenset[str], settings: Settings
) -> Parsed:
    """One upload on its own: the guard here, then a workbook's parser in a child."""
    try:
        return guarded_parse(data, filename, known, settings)
    except EpnError as error:
        return refused(filename, error)
    except Exception as error:  # a parser's own bug: this file's rejection, not the batch's end
        return failed(filename, error)


def guarded_parse(data: bytes, filename: str, known: frozenset[str], settings: Settings):
    """The guard here, then the file parsed in a child."""
    from validation.parse import parse_upload

    container, formulas = inspect_with_formulas(data, filename, settings)
    warm_up()  # the child inherits what a first parse loads
    return _formula_problems(formulas) or run_isolated(
        parse_upload,
        data,
        container,
        known,
        settings.max_rows,
        timeout=settings.parse_timeout_seconds,
        memory_bytes=settings.parse_memory_bytes,
    )


def guarded_upload(known: frozenset[str], settings: Settings, data: bytes, filename: str):
    """What a batch's worker runs for a file: the steps of ``guarded_parse``, all in the
    worker (the guard too: it has its limits, and the parent has other files to store)."""
    from validation.parse import parse_upload  # Pandera: a worker forked cold loads it itself

    container, formulas = inspect_with_formulas(data, filename, settings)
    return _formula_problems(formulas) or parse_upload(data, container, known, settings.max_rows)


def _formula_problems(formulas: list[tuple[str, str]]) -> Parsed | None:
    if not formulas:
        return None
    # a blank would be taken for a missing value: say what to do instead
    return Parsed(
        None,
        [
            problem(
                "formula_without_value",
                sheet,
                int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                cell=cell,
            )
            for sheet, cell in formulas
        ],
    )


def refused(filename: str, error: EpnError) -> Parsed:
    # a CSV can only be statistics; a refused workbook's kind cannot be known
    kind = "statistics" if filename.lower().endswith(".csv") else None
    return Parsed(kind, [problem(error.code, **error.params)])


def failed(filename: str, error: Exception) -> Parsed:
    """A file whose parsing failed in a way no rule foresaw: rejected, with what failed."""
    kind = "statistics" if filename.lower().endswith(".csv") else None
    detail = f"{type(error).__name__}: {error}"[:200]
    return Parsed(kind, [problem("parser_failed", detail=detail)])


@cache
def warm_up() -> None:
    """Loads, once, what a first parse loads (the report kind, Pandera's backends, which
    import hypothesis...), so that each forked child inherits it rather than spending about
    0.3 s loading it again."""
    import validation.report_kind  # noqa: F401  the annual report kind, otherwise imported when needed
    from validation.parse import parse_upload

    _absent_geopandas_fails_at_once()
    parse_upload(WARM_UP_CSV, "csv", frozenset())


def _absent_geopandas_fails_at_once() -> None:
    """Pandera tries ``from geopandas.array import GeometryDtype`` on every validation; without
    geopandas, each try searches the whole import path again (about 0.15 ms, eight times a
    report). None in ``sys.modules`` is Python's documented way to fail such an import at once.
    """
    if "geopandas" not in sys.modules and importlib.util.find_spec("geopandas") is None:
        sys.modules["geopandas"] = None
