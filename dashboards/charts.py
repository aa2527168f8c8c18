"""Plotly figures for the pages: pure functions from a DataFrame to a figure.

Colours come from one palette so that a commune or a severity keeps its colour on every
chart; every figure goes through :func:`styled` for the same fonts, margins and legend.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from epn.i18n import t

# Twenty distinct colours: the 19 Brussels communes each get their own, by NIS code.
PALETTE = (
    "#1F5AA6",  # the app theme's primary colour (.streamlit/config.toml)
    "#E4A11B",
    "#2A9D8F",
    "#C8553D",
    "#6C5B7B",
    "#7FB069",
    "#3D405B",
    "#F28482",
    "#5FA8D3",
    "#9C6644",
    "#8AB4F8",
    "#F6BD60",
    "#84C5B9",
    "#E59A8C",
    "#B8A9C9",
    "#B7D3A0",
    "#8E91AD",
    "#F7C1BB",
    "#A9D3EA",
    "#CFB29A",
)
SEVERITY_COLORS = {"breach": PALETTE[3], "warning": PALETTE[1]}
FIRST_NIS = 21001  # Anderlecht; the Region's NIS codes run 21001..21019
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
INK = "#31333F"  # Streamlit's text colour, so that charts read like the page around them
NARROW_NBSP = "\u202f"
SEPARATORS = {"fr": ",\u202f", "nl": ",.", "en": ".,"}  # Plotly: decimal mark, then thousands


def commune_color(commune_nis: int) -> str:
    return PALETTE[(int(commune_nis) - FIRST_NIS) % len(PALETTE)]


def styled(fig: go.Figure, lang: str, *, x_title: str = "", y_title: str = "") -> go.Figure:
    """The common layout: white background, palette, legend below, the reader's separators."""
    fig.update_layout(
        template="plotly_white",
        colorway=list(PALETTE),
        font={"family": FONT, "size": 13, "color": INK},
        separators=SEPARATORS.get(lang, ".,"),
        margin={"l": 8, "r": 8, "t": 16, "b": 8},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
        hovermode="x unified",
        height=400,
    )
    fig.update_xaxes(title=x_title or None, showgrid=False)
    fig.update_yaxes(title=y_title or None, rangemode="tozero")
    return fig


def percent(share: float, lang: str) -> str:
    """12 % in French (with a narrow no-break space), 12% in Dutch and English."""
    return f"{share * 100:.0f}{NARROW_NBSP if lang == 'fr' else ''}%"


def month_ticks(months: pd.Series, lang: str) -> dict:
    """Month names in the reader's language (Plotly would write them in English)."""
    names = t("app.months", lang).split(",")
    values = sorted(set(months))
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [names[pd.Timestamp(m).month - 1] for m in values],
    }


def visits_by_month_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked areas of monthly visits, one per commune (month, commune_nis, commune, visits)."""
    fig = go.Figure()
    for (nis, commune), rows in frame.groupby(["commune_nis", "commune"], sort=True):
        rows = rows.sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=rows["month"],
                y=rows["visits"],
                name=commune,
                stackgroup="visits",
                mode="lines",
                line={"width": 0.5, "color": commune_color(nis)},
                fillcolor=commune_color(nis),
                hovertemplate="%{y:,.0f}",
            )
        )
    fig = styled(fig, lang, y_title=t("app.chart.visits", lang))
    fig.update_xaxes(**month_ticks(frame["month"], lang), hoverformat="%m/%Y")
    fig.update_yaxes(ticklabelstandoff=8)  # keeps "0" clear of the first month's name
    # Legend on the right, room for all 19 communes, top entry = top layer of the stack.
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "traceorder": "reversed"},
        height=max(400, 40 + 21 * len(fig.data)),  # tall enough for the legend not to scroll
    )
    return fig


def compliance_share_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of the share of compliant labelled EPNs per year (year, labelled, compliant, share)."""
    text = [
        f"{percent(share, lang)} ({compliant}/{labelled})"
        for share, compliant, labelled in zip(
            frame["share"], frame["compliant"], frame["labelled"], strict=True
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["year"].astype(str),
            y=frame["share"],
            text=text,
            textposition="outside",
            marker_color=PALETTE[0],
            name=t("app.chart.compliant_share", lang),
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig = styled(fig, lang, y_title=t("app.chart.compliant_share", lang))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.15])
    fig.update_xaxes(type="category")
    fig.update_layout(hovermode="closest", showlegend=False, height=320, bargap=0.55)
    return fig


def rule_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """code, rule, severity, count: how many findings each rule produced, most first."""
    if findings.empty:
        return pd.DataFrame(columns=["code", "rule", "severity", "count"])
    counts = findings.groupby(["code", "rule", "severity"], as_index=False).size()
    counts = counts.rename(columns={"size": "count"})
    return counts.sort_values(["count", "code"], ascending=[False, True], ignore_index=True)


def findings_by_rule_chart(findings: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars: findings per rule, coloured by severity."""
    counts = rule_counts(findings)
    fig = go.Figure()
    for severity, rows in counts.groupby("severity", sort=True):
        fig.add_trace(
            go.Bar(
                y=rows["rule"],
                x=rows["count"],
                orientation="h",
                text=rows["count"],
                name=t(f"app.severity.{severity}", lang),
                marker_color=SEVERITY_COLORS.get(severity, PALETTE[6]),
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
        )
    fig = styled(fig, lang, x_title=t("app.chart.findings", lang))
    # Most frequent rule on top, whatever the severity trace it belongs to.
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(counts["rule"]),
        autorange="reversed",
        rangemode="normal",
    )
    # Counts are whole numbers: about six ticks, never a fractional one.
    top = int(counts["count"].max()) if len(counts) else 1
    fig.update_xaxes(tick0=0, dtick=max(1, math.ceil(top / 6)))
    fig.update_layout(
        barmode="stack",
        hovermode="closest",
        height=max(220, 80 + 34 * counts["rule"].nunique()),
        legend={
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        margin={"t": 36},
    )
    return fig
