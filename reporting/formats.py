"""Indicator values as readers write them, in French, Dutch or English (``epn.locale``).

PDFs use the plain no-break space, which their core fonts can show.
"""

from __future__ import annotations

from epn.i18n import t
from epn.locale import number

SHARES = ("priority_share", "share_without_breach")
DECIMALS = {"epns_per_100k": 2, "weekly_public_hours": 1}
MINUS = "-"  # ASCII: st.metric reads it as a fall, and PDF core fonts lack U+2212


def measure_value(measure: str, value: float | None, lang: str, *, narrow: bool = True) -> str:
    """A measure's value: ``12,5 %`` for a share, ``1 234`` for a count; "—" when missing."""
    if value is None or value != value:  # NaN
        return "—"
    if measure in SHARES:
        space = ("\u202f" if narrow else "\u00a0") if lang == "fr" else ""
        return f"{number(value * 100, 1, lang, narrow=narrow)}{space}%"
    return number(value, DECIMALS.get(measure, 0), lang, narrow=narrow)


def measure_change(
    measure: str, current: float | None, previous: float | None, lang: str, *, narrow: bool = True
) -> str | None:
    """The signed change since the previous year (points for a share); None if unknown."""
    if current is None or previous is None or current != current or previous != previous:
        return None
    change = current - previous
    if measure in SHARES:
        change *= 100
        unit = f" {t('app.region.points', lang)}"
    else:
        unit = ""
    text = number(
        abs(change), 1 if measure in SHARES else DECIMALS.get(measure, 0), lang, narrow=narrow
    )
    sign = "+" if change > 0 else (MINUS if change < 0 else "±")
    return f"{sign}{text}{unit}"


def domain_name(lang: str):
    """Activity domains as the reporting template names them, capitalised for labels."""

    def name(code: str) -> str:
        text = t(f"template.code.{code}", lang)
        return text[:1].upper() + text[1:]

    return name
