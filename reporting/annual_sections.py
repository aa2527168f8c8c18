"""The annual review's sections after the key figures: communes, compliance, activities."""

from __future__ import annotations

from epn.i18n import t
from reporting.formats import domain_name, measure_change, measure_value
from reporting.pdf_base import ACCENT, NEXT_LINE, ReportPdf
from reporting.pdf_charts import choropleth, hbars
from warehouse.indicators import MEASURES
from warehouse.snapshots import Snapshot

LIGHT = (169, 193, 227)
COUNT = "visits"  # any whole-number measure: formats a count


def _name(lang: str) -> str:
    return "name_nl" if lang == "nl" else "name_fr"


def _fmt(lang: str, measure: str = COUNT):
    return lambda value: measure_value(measure, value, lang, narrow=False)


def _caption(pdf: ReportPdf, x: float, y: float, text: str) -> None:
    pdf.set_xy(x, y)
    pdf.style(8.5, bold=True, color=ACCENT)
    pdf.cell(0, 5, text)
    pdf.set_xy(x, y + 7)


def map_and_ranking(pdf: ReportPdf, current: Snapshot, lang: str) -> None:
    """EPNs per 100,000 inhabitants on the map; visits per commune ranked beside it."""
    communes, name = current.document["communes"], _name(lang)
    pdf.heading(t("app.region.report.map_title", lang), room=110)
    top, size = pdf.get_y(), 78.0
    _caption(pdf, pdf.l_margin, top, t("app.region.measure.epns_per_100k", lang))
    values = {
        c["commune_nis"]: c["epns_per_100k"] if c["labelled_epns"] else None for c in communes
    }
    no_epn = t("app.region.map_no_epn", lang)
    choropleth(pdf, values, _fmt(lang, "epns_per_100k"), size=size, legend_no_value=no_epn)
    bottom, left = pdf.get_y(), pdf.l_margin + size + 10
    _caption(pdf, left, top, t("app.region.measure.visits", lang))
    ranked = sorted(communes, key=lambda c: (-c["visits"], c[name]))
    rows = [(c[name], [c["visits"]], _fmt(lang)(c["visits"])) for c in ranked]
    hbars(pdf, rows, [ACCENT], width=pdf.w - pdf.r_margin - left, label_width=36)
    pdf.set_y(max(bottom, pdf.get_y()))


def commune_table(pdf: ReportPdf, current: Snapshot, lang: str) -> None:
    """Every commune's measures, the Region's in bold below, then the communes without EPN."""
    pdf.heading(t("app.region.report.communes_title", lang), room=120)
    name, document = _name(lang), current.document
    region = {name: t("app.region.whole_region", lang), **document["region"]}
    rows = [
        [row[name], *(measure_value(m, row.get(m), lang, narrow=False) for m in MEASURES)]
        for row in [*document["communes"], region]
    ]
    headers = [t("app.region.col.commune", lang)]
    headers += [t(f"app.region.short.{m}", lang) for m in MEASURES]
    widths = [36.0, *[(pdf.epw - 36.0) / len(MEASURES)] * len(MEASURES)]
    pdf.grid(headers, rows, widths, bold_last=True, size=7.5)
    names = {c["commune_nis"]: c[name] for c in document["communes"]}
    missing = ", ".join(names.get(n, str(n)) for n in region["communes_without_epn"])
    if missing:
        pdf.note(t("app.region.without_epn_list", lang, names=missing))
    else:
        pdf.note(t("app.region.without_epn_none", lang))


def compliance(pdf: ReportPdf, current: Snapshot, previous: Snapshot, lang: str) -> None:
    """The share of EPNs without breach (and its change), then the findings per rule."""
    pdf.heading(t("app.region.report.compliance_title", lang), room=60)
    share = current.document["region"].get("share_without_breach")
    before = previous.document["region"].get("share_without_breach")
    shown = _fmt(lang, "share_without_breach")(share)
    pdf.style(10)
    text = t("app.region.report.compliance_intro", lang, share=shown, year=current.year)
    pdf.multi_cell(0, 5, text, **NEXT_LINE)
    change = measure_change("share_without_breach", share, before, lang, narrow=False)
    if change:
        pdf.note(f"{change} {t('app.region.vs', lang, year=previous.year)}")
    rules = current.details.get("breaches_by_rule", [])
    if not rules:
        pdf.note(t("app.region.report.no_findings", lang))
        return
    columns = ("rule", "severity", "epns", "findings")
    headers = [t(f"app.region.report.rule_col.{c}", lang) for c in columns]
    rows = [
        [
            t(f"app.rule.{r['code']}", lang),
            t(f"app.severity.{r['severity']}", lang),
            _fmt(lang)(r["epns"]),
            _fmt(lang)(r["findings"]),
        ]
        for r in rules
    ]
    pdf.grid(headers, rows, [92.0, 34.0, 26.0, 26.0], text_columns=2)


def activities(pdf: ReportPdf, current: Snapshot, lang: str) -> None:
    """Participants per domain as stacked bars (priority public first), then the table."""
    pdf.heading(t("app.region.report.activities_title", lang), room=70)
    domains = current.details.get("activities", [])
    if not domains:
        pdf.note(t("app.region.domains_empty", lang, year=current.year))
        return
    count = _fmt(lang)
    label = {d["domain"]: domain_name(lang)(d["domain"]) for d in domains}
    bars = [
        (
            label[d["domain"]],
            [d["priority_participants"], d["participants"] - d["priority_participants"]],
            count(d["participants"]),
        )
        for d in domains
    ]
    hbars(pdf, bars, [ACCENT, LIGHT], width=pdf.epw, label_width=62)
    pdf.note(t("app.region.report.bars_legend", lang))
    columns = ("activities", "sessions", "hours", "participants", "priority_participants")
    headers = [t(f"app.region.col.{c}", lang) for c in ("domain", *columns)]
    hours = _fmt(lang, "weekly_public_hours")
    rows = [
        [label[d["domain"]], *((hours if c == "hours" else count)(d[c]) for c in columns)]
        for d in domains
    ]
    pdf.grid(headers, rows, [63.0, *[23.0] * len(columns)])
