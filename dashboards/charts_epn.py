"""Plotly figures of the EPN's own space: its figures beside the regional median.

Pure functions from the frames of :mod:`dashboards.queries.my_epn` to figures, styled
like every other chart of the app.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.charts import PALETTE, SEPARATORS, month_ticks, percent, styled
from epn.i18n import t

OWN_COLOR = PALETTE[0]
MEDIAN_COLOR = PALETTE[1]
MUTED = "#6B6F7B"
ROW_HEIGHT = 78


def comparison_chart(
    frame: pd.DataFrame, lang: str, epn_label: str, minimum_hours: float = 15
) -> go.Figure:
    """A bullet chart per measure: the EPN's bar, the median's tick (measure, own, median).

    ``minimum_hours`` is the charter's weekly minimum, named by the share of long weeks.
    """
    fig = make_subplots(rows=len(frame), cols=1, vertical_spacing=0.3 / max(len(frame), 1))
    for row, item in enumerate(frame.itertuples(index=False), start=1):
        own = None if pd.isna(item.own) else float(item.own)
        median = None if pd.isna(item.median) else float(item.median)
        # The median's value under the measure's name: readers see both numbers at once.
        name = t(f"app.measure.{item.measure}", lang, minimum=_number(minimum_hours, lang))
        if median is not None:
            value = t("app.chart.median_value", lang, value=shown_value(item.measure, median, lang))
            name += f"<br><span style='color:{MUTED};font-size:12px'>{value}</span>"
        _bullet(fig, row, name, item.measure, own, median, lang, epn_label)
    fig = styled(fig, lang)
    fig.update_yaxes(ticklabelstandoff=10, rangemode="normal")
    fig.update_layout(
        hovermode="closest",
        height=70 + ROW_HEIGHT * len(frame),
        margin={"t": 36},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    return fig


def _bullet(fig, row, name, measure, own, median, lang, epn_label) -> None:
    own_text = "—" if own is None else shown_value(measure, own, lang)
    fig.add_trace(
        go.Bar(
            x=[own or 0],
            y=[name],
            orientation="h",
            width=0.55,
            marker_color=OWN_COLOR,
            text=[own_text],
            textposition="outside",
            cliponaxis=False,
            name=epn_label,
            legendgroup="own",
            showlegend=row == 1,
            hovertemplate=f"{epn_label}: {own_text}<extra></extra>",
        ),
        row=row,
        col=1,
    )
    if median is not None:
        label = t("app.chart.regional_median", lang)
        fig.add_trace(
            go.Scatter(
                x=[median],
                y=[name],
                mode="markers",
                marker={
                    "symbol": "line-ns",
                    "size": 30,
                    "line": {"width": 4, "color": MEDIAN_COLOR},
                },
                name=label,
                legendgroup="median",
                showlegend=row == 1,
                hovertemplate=f"{label}: {shown_value(measure, median, lang)}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    share = measure == "long_weeks_share"
    top = 1.0 if share else max(own or 0, median or 0, 1) * 1.25
    fig.update_xaxes(
        range=[0, top * 1.12 if share else top],
        tickformat=".0%" if share else ",~r",
        tickvals=[0, 0.25, 0.5, 0.75, 1] if share else None,
        row=row,
        col=1,
    )


def shown_value(measure: str, value: float, lang: str) -> str:
    """A measure's value as the bars write it, with the reader's decimal mark."""
    if measure == "long_weeks_share":
        return percent(value, lang)
    if measure.endswith("_hours"):
        return f"{_number(round(value, 1), lang)} h"
    return _number(round(value), lang)


def _number(value: float, lang: str) -> str:
    text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
    decimal, thousands = SEPARATORS.get(lang, ".,")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def weekly_visits_chart(frame: pd.DataFrame, lang: str, epn_label: str) -> go.Figure:
    """The EPN's weekly visits and the labelled EPNs' median (week_start, visits, median_visits)."""
    fig = go.Figure(
        [
            go.Scatter(
                x=frame["week_start"],
                y=frame["visits"],
                name=epn_label,
                mode="lines+markers",
                marker={"size": 5},
                line={"color": OWN_COLOR, "width": 2.5},
                hovertemplate="%{y:,.0f}",
            ),
            go.Scatter(
                x=frame["week_start"],
                y=frame["median_visits"],
                name=t("app.chart.regional_median", lang),
                mode="lines",
                line={"color": MEDIAN_COLOR, "width": 2, "dash": "dash"},
                hovertemplate="%{y:,.1f}",
            ),
        ]
    )
    fig = styled(fig, lang, y_title=t("app.chart.visits", lang))
    months = pd.to_datetime(frame["week_start"]).map(lambda day: day.replace(day=1))
    fig.update_xaxes(**month_ticks(months, lang), hoverformat="%d/%m/%Y")
    fig.update_yaxes(ticklabelstandoff=8)
    return fig
