"""Plotly figures of the coordinator's and the COPIL's dashboards: pure functions of frames.

Same palette, fonts and separators as dashboards/charts.py, through its ``styled``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import PALETTE, compliance_share_chart, percent, styled
from epn.i18n import t
from validation.charter.rules import ALL_CODES

REPORT_COLORS = {
    "on_time": PALETTE[2],
    "late": PALETTE[1],
    "awaited": PALETTE[8],
    "missing": PALETTE[3],
}
FLOW_COLORS = {
    "applications": PALETTE[8],
    "labels": PALETTE[2],
    "rejections": PALETTE[1],
    "withdrawals": PALETTE[3],
}
HEAT = [[0, "#FFFFFF"], [0.001, "#FBE3DC"], [1, PALETTE[3]]]  # white only for zero
TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"}


def reports_by_commune_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars per commune: annual reports on time, late, awaited, missing."""
    fig = go.Figure()
    for status, color in REPORT_COLORS.items():
        if frame[status].sum() == 0:
            continue
        fig.add_trace(
            go.Bar(
                y=frame["commune"],
                x=frame[status],
                orientation="h",
                name=t(f"app.coordinator.report_status.{status}", lang),
                marker_color=color,
                hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>",
            )
        )
    fig = styled(fig, lang, x_title=t("app.coordinator.chart.reports", lang))
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(showgrid=True, dtick=_dtick(frame["expected_reports"].max()))
    fig.update_layout(
        barmode="stack",
        hovermode="closest",
        height=90 + 26 * len(frame),
        legend=TOP_LEGEND,
        margin={"t": 36},
    )
    return fig


def heatmap(frame: pd.DataFrame, x: str, y: str, z: str, lang: str, **axes) -> go.Figure:
    """A counts heatmap (zero cells white, the count written in every other cell)."""
    table = frame.pivot_table(index=y, columns=x, values=z, aggfunc="sum", sort=False).fillna(0)
    table = table.reindex(
        index=axes.get("rows", table.index), columns=axes.get("cols", table.columns)
    )
    values = table.fillna(0).astype(int)
    fig = go.Figure(
        go.Heatmap(
            z=values.values,
            x=[str(c) for c in values.columns],
            y=list(values.index),
            text=values.map(lambda v: str(v) if v else "").values,
            texttemplate="%{text}",
            colorscale=HEAT,
            zmin=0,
            zmax=max(1, axes.get("zmax") or int(values.values.max())),
            xgap=2,
            ygap=2,
            showscale=False,
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
        )
    )
    fig = styled(fig, lang)
    long_labels = max(len(str(c)) for c in values.columns) > 8  # rule names, not years
    fig.update_xaxes(side="top", type="category", tickangle=-30 if long_labels else 0)
    fig.update_yaxes(autorange="reversed", rangemode="normal", type="category")
    fig.update_layout(hovermode="closest", height=120 + 28 * len(values.index), margin={"t": 8})
    return fig


def breach_matrix_chart(frame: pd.DataFrame, lang: str, years: int) -> go.Figure:
    """EPN x rule: in how many of the ``years`` the rule fired (epn_id, name, code, years)."""
    rows = frame.assign(
        epn=frame["epn_id"] + " · " + frame["name"].fillna("").map(_short),
        rule=frame["code"].map(lambda c: t(f"app.rule.{c}", lang)),
    )
    rules = [t(f"app.rule.{c}", lang) for c in ALL_CODES if c in set(frame["code"])]
    epns = list(dict.fromkeys(rows["epn"]))  # the query's order: most years in default first
    return heatmap(rows, "rule", "epn", "years", lang, rows=epns, cols=rules, zmax=years)


def breaches_by_rule_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Rule x year: how many EPNs breached the rule that year (year, code, epns)."""
    rows = frame.assign(rule=frame["code"].map(lambda c: t(f"app.rule.{c}", lang)))
    return heatmap(rows, "year", "rule", "epns", lang, cols=sorted(rows["year"].unique()))


def outlier_chart(series: pd.DataFrame, week, median: float, lang: str, label: str) -> go.Figure:
    """The EPN's weekly values, its usual level (the history's median) and the week flagged."""
    shown = series[series["status"] == "open"]
    fig = go.Figure(
        go.Scatter(
            x=shown["week_start"],
            y=shown["value"],
            mode="lines+markers",
            name=label,
            line={"color": PALETTE[0], "width": 1.5},
            marker={"size": 4},
            hovertemplate="%{x|%d/%m/%Y}: %{y:,.4~f}<extra></extra>",
        )
    )
    fig.add_hline(y=median, line={"color": PALETTE[6], "dash": "dash", "width": 1})
    flagged = shown[shown["week_start"] == pd.Timestamp(week)]
    fig.add_trace(
        go.Scatter(
            x=flagged["week_start"],
            y=flagged["value"],
            mode="markers",
            name=t("app.coordinator.chart.week", lang),
            marker={"color": PALETTE[3], "size": 13, "line": {"color": "white", "width": 2}},
            hovertemplate="%{x|%d/%m/%Y}: %{y:,.4~f}<extra></extra>",
        )
    )
    fig.add_trace(  # a legend entry for the dashed median line
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=t("app.coordinator.chart.usual", lang),
            line={"color": PALETTE[6], "dash": "dash", "width": 1},
        )
    )
    fig = styled(fig, lang, y_title=label)
    fig.update_xaxes(tickformat="%m/%Y")  # Plotly would name the months in English
    fig.update_layout(hovermode="closest", height=320, legend=TOP_LEGEND, margin={"t": 36})
    return fig


def compliance_years_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """charts.py's compliance bars, readable over ten years: labels at full size."""
    fig = compliance_share_chart(frame, lang)
    fig.update_traces(constraintext="none", cliponaxis=False, textfont_size=11)
    fig.update_layout(bargap=0.35, uniformtext={"mode": False})
    if len(frame) > 5:  # ten labels side by side would overlap: the share alone, the rest on hover
        full = list(fig.data[0].text)
        fig.update_traces(
            text=[percent(share, lang) for share in frame["share"]],
            customdata=full,
            hovertemplate="%{customdata}<extra></extra>",
        )
    return fig


def network_stock_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Bars: labelled EPNs at 31 December of each year (year, labelled)."""
    fig = go.Figure(
        go.Bar(
            x=frame["year"].astype(str),
            y=frame["labelled"],
            text=frame["labelled"],
            textposition="outside",
            marker_color=PALETTE[0],
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig = styled(fig, lang)
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, max(1, frame["labelled"].max()) * 1.15])
    fig.update_layout(hovermode="closest", showlegend=False, height=320, bargap=0.45)
    return fig


def network_flows_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Grouped bars per year: applications, labels, rejections, withdrawals."""
    fig = go.Figure()
    for flow, color in FLOW_COLORS.items():
        fig.add_trace(
            go.Bar(
                x=frame["year"].astype(str),
                y=frame[flow],
                name=t(f"app.copil_dashboard.flow.{flow}", lang),
                marker_color=color,
            )
        )
    fig = styled(fig, lang)
    fig.update_xaxes(type="category")
    fig.update_yaxes(dtick=_dtick(frame[list(FLOW_COLORS)].to_numpy().max()))
    fig.update_layout(barmode="group", height=320, legend=TOP_LEGEND, margin={"t": 36})
    return fig


def _short(name: str, size: int = 30) -> str:
    return name if len(name) <= size else name[: size - 1].rstrip() + "…"


def _dtick(top) -> int:
    """Whole-number ticks, about six of them."""
    return max(1, -(-int(top or 1) // 6))
