"""Charts drawn straight into the PDF with fpdf2: horizontal bars and the communes' map.

Vector drawing keeps the report self-contained and sharp in print, with no image
rendering engine (Plotly's static export would need a browser).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import cache

from fpdf import FPDF

from reporting.pdf_base import ACCENT, INK, MUTED
from warehouse.migrate import REFERENCE_DIR

GEOJSON = REFERENCE_DIR / "brussels_communes.geojson"

PALE = (238, 243, 250)
NO_VALUE = (217, 217, 217)
Bar = tuple[str, Sequence[float], str]  # label, stacked values, text after the bar


@cache
def communes_geojson() -> dict:
    """The 19 communes' boundaries (WGS84), ``properties.nis_code`` naming each."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def hbars(
    pdf: FPDF,
    rows: Sequence[Bar],
    colors: Sequence[tuple[int, int, int]],
    *,
    width: float,
    label_width: float = 42,
    bar_height: float = 3.6,
    gap: float = 1.4,
) -> None:
    """Horizontal (stacked) bars from the current position, longest scaled to fit."""
    x0, y = pdf.get_x(), pdf.get_y()
    top = max((sum(values) for _, values, _ in rows), default=0) or 1
    room = width - label_width - 18  # the value's text after the longest bar
    for label, values, text in rows:
        pdf.set_xy(x0, y)
        pdf.style(7.5, color=INK)
        pdf.cell(label_width - 2, bar_height, _fit(pdf, label, label_width - 2), align="R")
        x = x0 + label_width
        for value, color in zip(values, colors, strict=False):
            length = room * value / top
            if length > 0:
                pdf.set_fill_color(*color)
                pdf.rect(x, y + 0.3, length, bar_height - 0.6, style="F")
                x += length
        pdf.set_xy(x + 1.2, y)
        pdf.style(7.5, color=MUTED)
        pdf.cell(18, bar_height, text)
        y += bar_height + gap
    pdf.set_xy(pdf.l_margin, y + 1)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    while text and pdf.get_string_width(text) > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def choropleth(
    pdf: FPDF,
    values: dict[int, float | None],
    fmt: Callable[[float], str],
    *,
    size: float,
    legend_no_value: str,
) -> None:
    """The 19 communes coloured by ``values`` (NIS → value; None: grey), with a legend."""
    features = communes_geojson()["features"]
    rings = {f["properties"]["nis_code"]: _outer_rings(f["geometry"]) for f in features}
    points = [p for shapes in rings.values() for ring in shapes for p in ring]
    lat0 = math.radians(sum(p[1] for p in points) / len(points))
    xs = [p[0] * math.cos(lat0) for p in points]
    ys = [p[1] for p in points]
    scale = size / max(max(xs) - min(xs), max(ys) - min(ys))
    x0, y0 = pdf.get_x(), pdf.get_y()
    known = [v for v in values.values() if v is not None]
    high = max(known, default=0) or 1
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.35)
    for nis, shapes in rings.items():
        value = values.get(nis)
        pdf.set_fill_color(*(NO_VALUE if value is None else _shade(value / high)))
        for ring in shapes:
            pdf.polygon(
                [
                    (x0 + (lon * math.cos(lat0) - min(xs)) * scale, y0 + (max(ys) - lat) * scale)
                    for lon, lat in ring
                ],
                style="DF",
            )
    _legend(pdf, x0, y0 + size + 3, size, fmt(0), fmt(high), legend_no_value)


def _outer_rings(geometry: dict) -> list[list[tuple[float, float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [[tuple(p) for p in polygon[0]] for polygon in polygons]


def _shade(share: float) -> tuple[int, int, int]:
    share = min(max(share, 0.0), 1.0)
    return tuple(round(a + (b - a) * share) for a, b in zip(PALE, ACCENT, strict=True))


def _legend(pdf: FPDF, x: float, y: float, width: float, low: str, high: str, none: str) -> None:
    steps = 20
    bar = width * 0.55
    for n in range(steps):
        pdf.set_fill_color(*_shade(n / (steps - 1)))
        pdf.rect(x + bar * n / steps, y, bar / steps + 0.05, 3, style="F")
    pdf.style(7, color=MUTED)
    pdf.set_xy(x, y + 3.4)
    pdf.cell(bar / 2, 3.5, low)
    pdf.cell(bar / 2, 3.5, high, align="R")
    pdf.set_fill_color(*NO_VALUE)
    pdf.rect(x + bar + 5, y, 5, 3, style="F")
    pdf.set_xy(x + bar + 11, y - 0.2)
    pdf.cell(width - bar - 11, 3.5, none)
    pdf.set_xy(pdf.l_margin, y + 8)
