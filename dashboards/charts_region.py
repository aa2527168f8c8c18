"""The Region page's figures: the 19 communes on a map, ranked, and activities by domain.

Pure functions from a DataFrame to a Plotly figure, styled like the rest of the app
(:func:`dashboards.charts.styled`). The map draws the communes' own boundaries
(``warehouse/reference/brussels_communes.geojson``), with no tiles: it needs no network.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboards.charts import FONT, INK, PALETTE, SEPARATORS, styled
from epn.i18n import t
from reporting.formats import DECIMALS, SHARES, domain_name
from reporting.pdf_charts import communes_geojson

SCALE = [[0, "#EEF3FA"], [0.5, "#7FA3D4"], [1, PALETTE[0]]]  # pale to the app's primary blue
NO_EPN = "#D9D9D9"


def value_format(measure: str) -> str:
    """The d3 format of a measure: percentages, decimals or whole numbers."""
    if measure in SHARES:
        return ".0%"
    return f",.{DECIMALS.get(measure, 0)}f"


def commune_map(frame: pd.DataFrame, measure: str, lang: str) -> go.Figure:
    """The communes coloured by ``measure`` (commune_nis, commune, labelled_epns, <measure>).

    Drawn as filled shapes on plain axes rather than with ``go.Choropleth``: a geo subplot
    downloads Plotly's world topojson from its CDN at render time, even without tiles, and
    stays blank offline; these shapes need nothing but the communes' own boundaries.
    """
    title = t(f"app.region.measure.{measure}", lang)
    fmt = value_format(measure)
    values = frame.set_index("commune_nis")
    known = values.loc[values["labelled_epns"] > 0, measure].dropna().astype(float)
    high = float(known.max()) if len(known) and known.max() > 0 else 1.0
    fig = go.Figure()
    for feature in communes_geojson()["features"]:
        nis = feature["properties"]["nis_code"]
        name = values.at[nis, "commune"] if nis in values.index else str(nis)
        value = known.get(nis)
        shown = (
            t("app.region.map_no_epn", lang) if value is None else f"{title}: %{{customdata:{fmt}}}"
        )
        for lon, lat in _rings(feature["geometry"]):
            fig.add_trace(
                go.Scatter(
                    x=lon,
                    y=lat,
                    fill="toself",
                    mode="lines",
                    line={"color": "white", "width": 1.2},
                    fillcolor=NO_EPN
                    if value is None
                    else sample_colorscale(SCALE, value / high)[0],
                    hoveron="fills",
                    customdata=[value] * len(lon),
                    hovertemplate=f"<b>{name}</b><br>{shown}<extra></extra>",
                    showlegend=False,
                )
            )
    fig.add_trace(_colorbar(high, fmt))
    fig.update_xaxes(visible=False, fixedrange=True)
    # Degrees of longitude are shorter than degrees of latitude at Brussels' latitude.
    fig.update_yaxes(visible=False, fixedrange=True, scaleanchor="x", scaleratio=1 / 0.63)
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": INK},
        separators=SEPARATORS.get(lang, ".,"),
        margin={"l": 0, "r": 0, "t": 8, "b": 0},
        height=460,
        hovermode="closest",
        plot_bgcolor="white",
    )
    return fig


def _rings(geometry: dict) -> list[tuple[list[float], list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [([p[0] for p in polygon[0]], [p[1] for p in polygon[0]]) for polygon in polygons]


def _colorbar(high: float, fmt: str) -> go.Scatter:
    """An invisible marker that only carries the colour scale's legend."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "color": [0, high],
            "cmin": 0,
            "cmax": high,
            "colorscale": SCALE,
            "showscale": True,
            "colorbar": {"tickformat": fmt, "thickness": 14, "len": 0.8, "outlinewidth": 0},
        },
        hoverinfo="skip",
        showlegend=False,
    )


def commune_ranking(frame: pd.DataFrame, measure: str, lang: str) -> go.Figure:
    """Horizontal bars of ``measure`` per commune, highest on top."""
    ranked = frame.assign(value=frame[measure].astype(float)).sort_values(
        ["value", "commune"], ascending=[False, True], na_position="last"
    )
    fmt = value_format(measure)
    fig = go.Figure(
        go.Bar(
            y=ranked["commune"],
            x=ranked["value"],
            orientation="h",
            marker_color=PALETTE[0],
            texttemplate=f"%{{x:{fmt}}}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{x:{fmt}}}<extra></extra>",
        )
    )
    fig = styled(fig, lang)
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(visible=False)  # each bar carries its value
    fig.update_layout(
        hovermode="closest", showlegend=False, height=460, bargap=0.3, margin={"r": 48}
    )
    return fig


def domains_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Participants per domain, split into the priority public and the others."""
    names = frame["domain"].map(domain_name(lang))
    others = frame["participants"] - frame["priority_participants"]
    fig = go.Figure()
    for values, name, color in (
        (frame["priority_participants"], t("app.region.priority_participants", lang), PALETTE[0]),
        (others, t("app.region.other_participants", lang), "#A9C1E3"),
    ):
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                name=name,
                orientation="h",
                marker_color=color,
                hovertemplate="%{y}: %{x:,.0f}<extra>" + name + "</extra>",
            )
        )
    fig = styled(fig, lang, x_title=t("app.region.participants", lang))
    fig.update_yaxes(autorange="reversed", rangemode="normal", ticklabelstandoff=6)
    fig.update_layout(
        barmode="stack",
        hovermode="closest",
        height=max(260, 90 + 38 * len(frame)),
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
        margin={"t": 36},
    )
    return fig
