"""What pages share: translated text, error handling, pickers, tables and empty states."""

from __future__ import annotations

import datetime as dt
import logging
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from dashboards.exports import download_buttons
from dashboards.session import current_lang
from epn import locale
from epn.errors import EpnError
from epn.i18n import catalogue, t
from epn.settings import get_settings
from services.access import AccessDenied

log = logging.getLogger(__name__)
# CommonMark lets a backslash escape any ASCII punctuation: escaping all of it is simplest.
MARKDOWN_SPECIAL = re.compile(f"[{re.escape(string.punctuation)}]")
AUTOLINK = re.compile(r"(?i)://|www\.|@")
ZERO_WIDTH_SPACE = "\u200b"


def tr(code: str, **params: object) -> str:
    """The catalogue text ``code`` in the session's language."""
    return t(code, current_lang(), **params)


def label(prefix: str, code: object, lang: str | None = None) -> str:
    """``prefix.code`` from the catalogue when it exists, else the code itself."""
    key = f"{prefix}.{code}"
    return t(key, lang or current_lang()) if key in catalogue() else str(code)


@contextmanager
def guarded() -> Iterator[None]:
    """Turns whatever a page hits into a message in the user's language, never a traceback.

    Streamlit's own stop/rerun signals are BaseExceptions and pass through untouched.
    """
    try:
        yield
    except AccessDenied as error:
        st.warning(error.message(current_lang()), icon=":material/lock:")
    except EpnError as error:
        st.error(error.message(current_lang()))
    except Exception as error:
        log.exception("page failed")
        st.error(tr("internal_error", detail=f"{type(error).__name__}: {error}"))


def empty_state(code: str, **params: object) -> None:
    st.info(tr(code, **params), icon=":material/info:")


def number(value: float, lang: str | None = None) -> str:
    """An integer with the thousands separator readers expect (12 345 · 12.345 · 12,345)."""
    return locale.number(int(value), 0, lang or current_lang())


def day(value: dt.date, lang: str | None = None) -> str:
    """A date in the reader's conventions (``epn.locale.day``)."""
    return locale.day(value, lang or current_lang())


def table(
    frame: pd.DataFrame,
    columns: list[str],
    widths: dict[str, str | int] | None = None,
    export: str | None = None,
) -> None:
    """A read-only table of ``columns`` with translated headers (``app.col.<column>``).

    ``widths`` maps a column to ``small``, ``medium``, ``large`` or pixels; ``export`` names
    the CSV and Excel files of the table's own download buttons (a table worth keeping).
    """
    headers = {c: label("app.col", c) for c in columns}
    shown = frame.loc[:, columns].rename(columns=headers)
    config = {
        headers[c]: st.column_config.Column(headers[c], width=w) for c, w in (widths or {}).items()
    }
    st.dataframe(
        shown,
        hide_index=True,
        column_config={**config, **_date_columns(shown)},
        placeholder="—",
    )
    if export:
        download_buttons(shown, export, current_lang())


def wrapped_table(frame: pd.DataFrame, columns: list[str], export: str | None = None) -> None:
    """A static table whose long texts wrap; every cell is escaped, since st.table reads
    Markdown and the cells may hold what an uploaded file contained (links, images...).
    ``export`` as for :func:`table`."""
    shown = frame.loc[:, columns].rename(columns={c: label("app.col", c) for c in columns})
    st.table(shown.map(plain_text), hide_index=True)
    if export:
        download_buttons(shown, export, current_lang())


def plain_text(value: object) -> str:
    """``value`` as Markdown that renders as exactly its text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    text = str(value).replace("\n", " ")
    # GFM turns bare URLs into links even when escaped: an invisible break prevents it.
    text = AUTOLINK.sub(lambda m: m.group(0)[:-1] + ZERO_WIDTH_SPACE + m.group(0)[-1], text)
    return MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


def chart(fig, key: str) -> None:
    """A Plotly figure as charts.py styled it (Streamlit's theme would override the palette)."""
    st.plotly_chart(fig, theme=None, key=key, config={"displaylogo": False})


def _date_columns(frame: pd.DataFrame) -> dict:
    """Dates as dates (DuckDB hands DATE columns over as midnight timestamps)."""
    config = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            midnight = (values.dropna().dt.normalize() == values.dropna()).all()
            config[name] = (
                st.column_config.DateColumn(name, format="DD/MM/YYYY")
                if midnight
                else st.column_config.DatetimeColumn(name, format="DD/MM/YYYY HH:mm")
            )
    return config


def evidence_parts(evidence: dict, lang: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A finding's evidence as (item/value rows, week rows or None), in the reader's formats.

    The stored evidence (and ``epn compliance --json``) keeps ISO dates and plain numbers:
    they are turned into dd/mm/yyyy and decimal commas here, when shown.
    """
    weeks = evidence.get("weeks") or evidence.get("missing_weeks")
    week_rows = None
    if weeks:
        records = [w if isinstance(w, dict) else {"week_start": w} for w in weeks]
        week_rows = pd.DataFrame(
            [{key: shown_value(key, value, lang) for key, value in r.items()} for r in records]
        )
    items = [
        {"item": label("app.evidence", key, lang), "value": shown_value(key, value, lang)}
        for key, value in evidence.items()
        if key not in ("weeks", "missing_weeks")
    ]
    return pd.DataFrame(items, columns=["item", "value"]), week_rows


def shown_value(key: str, value: object, lang: str) -> str:
    """A stored value as a reader reads it: dates dd/mm/yyyy, the locale's decimal mark,
    ✓/✗ for yes/no, a rule's name for a rule code, « — » for nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int | float):
        return locale.decimal(value, lang, "g") if value != int(value) else str(int(value))
    if isinstance(value, dt.date):
        return day(value, lang)
    if (written := locale.readable_iso(value, lang)) is not None:
        return written
    if key == "repeated_code":
        return label("app.rule", value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(key, item, lang) for item in value)
    return str(value)


def show_evidence(evidence: dict) -> None:
    items, weeks = evidence_parts(evidence, current_lang())
    if not items.empty:
        table(items, ["item", "value"])
    if weeks is not None:
        table(weeks, list(weeks.columns))


MEGABYTE = 1024 * 1024
# Streamlit draws the file uploader's own words in English (« Upload », « 20MB per file •
# CSV »): they are drawn again in the reader's language by CSS, scoped to one uploader (its
# key is a class of its container), and said again in the widget's help.
_UPLOADER_CSS = """
.st-key-{key} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0}}
.st-key-{key} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]
p::after {{content: {button}; font-size: 0.875rem}}
.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"] span::after
{{content: {limit}; font-size: 0.875rem}}
"""


def file_picker(label_text: str, key: str, types: list[str] | None = None, multiple=False):
    """``st.file_uploader`` whose button, size limit and help read in the user's language."""
    size = max(1, get_settings().max_upload_bytes // MEGABYTE)
    kinds = ", ".join(kind.upper() for kind in types) if types else tr("app.widget.any_file")
    limit = tr("app.widget.upload_limit", size=size, types=kinds)
    css = _UPLOADER_CSS.format(
        key=re.sub(r"[^A-Za-z0-9_-]", "-", key),
        button=_css_text(tr("app.widget.upload_button")),
        limit=_css_text(limit),
    )
    st.html(f"<style>{css}</style>")
    return st.file_uploader(
        label_text,
        type=types,
        accept_multiple_files=multiple,
        # the widget's browser side counts megabytes of 10**6 bytes: rounded up, so that a
        # file at the product's cap (20 MiB) reaches the guard, which answers in words
        max_upload_size=-(-get_settings().max_upload_bytes // 1_000_000),
        help=tr("app.widget.upload_help", button=tr("app.widget.upload_button"), limit=limit),
        key=key,
    )


def _css_text(text: str) -> str:
    """``text`` as a CSS string (its quotes and backslashes escaped, no line break)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
