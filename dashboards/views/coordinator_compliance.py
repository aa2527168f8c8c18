"""Coordinator's dashboard, non-compliance tab: EPN x rule over the years, and the evidence."""

from __future__ import annotations

import streamlit as st

from dashboards import charts_coordinator as charts
from dashboards.finding_review_form import review_form, show_exchange, show_review
from dashboards.queries import coordinator_compliance as queries
from dashboards.queries import finding_reviews as review_queries
from dashboards.session import fixed_language
from dashboards.ui import chart, empty_state, label, show_evidence, tr
from warehouse.finding_review import FindingKey

TOP_CHOICES = (10, 25, 50)


def render(principal, lang: str, filters, years: list[int]) -> None:
    first_year, breaches_only, top = controls(filters.year, years)
    matrix = queries.breach_matrix(
        principal,
        filters.year,
        first_year=first_year,
        breaches_only=breaches_only,
        top=top,
        **filters.kwargs(),
    )
    if matrix.empty:
        empty_state("app.coordinator.compliance.none", first=first_year, last=filters.year)
        return
    st.subheader(tr("app.coordinator.compliance.matrix_title", first=first_year, last=filters.year))
    chart(
        charts.breach_matrix_chart(matrix, lang, filters.year - first_year + 1),
        key="coord_matrix_chart",
    )
    st.caption(
        tr(
            "app.coordinator.compliance.matrix_caption",
            shown=matrix["epn_id"].nunique(),
            total=int(matrix["epns"].iloc[0]),
        )
    )
    drill_down(principal, lang, matrix, filters.year, first_year, breaches_only)


def controls(year: int, years: list[int]) -> tuple[int, bool, int]:
    cells = st.columns([3, 2, 2], vertical_alignment="bottom")
    earlier = sorted(y for y in years if y <= year) or [year]
    first_year = year
    if len(earlier) > 1:
        first_year = cells[0].select_slider(
            tr("app.coordinator.compliance.years"),
            earlier,
            value=earlier[max(0, len(earlier) - 5)],
            format_func=lambda y: f"{y}–{year}",
            key="coord_first_year",
        )
    breaches_only = cells[1].toggle(
        tr("app.coordinator.compliance.breaches_only"),
        value=True,
        help=tr("app.coordinator.compliance.breaches_only_help"),
        key="coord_breaches_only",
    )
    top = cells[2].segmented_control(
        tr("app.coordinator.compliance.top"), TOP_CHOICES, default=25, key="coord_top"
    )
    return first_year, breaches_only, top or 25


def drill_down(principal, lang, matrix, year, first_year, breaches_only) -> None:
    st.subheader(tr("app.coordinator.compliance.drill_title"))
    names = dict(zip(matrix["epn_id"], matrix["name"], strict=False))
    cells = st.columns(2)
    epn_id = cells[0].selectbox(
        tr("app.filter.epn"),
        list(names),
        format_func=lambda e: f"{e} — {names[e]}",
        key="coord_drill_epn",
    )
    codes = matrix.loc[matrix["epn_id"] == epn_id, "code"].tolist()
    code = cells[1].selectbox(
        tr("app.filter.rule"),
        [None, *codes],
        format_func=fixed_language(
            lambda c: (
                tr("app.coordinator.compliance.all_rules") if c is None else label("app.rule", c)
            )
        ),
        key="coord_drill_rule",
    )
    details = queries.finding_details(
        principal,
        year,
        epn_id=epn_id,
        code=code,
        first_year=first_year,
        breaches_only=breaches_only,
        lang=lang,
    )
    reviews = review_queries.reviews(principal, epn_id, list(range(first_year, year + 1)))
    for row in details.itertuples():
        key = FindingKey(row.epn_id, int(row.year), row.code, row.evidence.get("repeated_code", ""))
        rule = label("app.rule", row.code)
        if key.repeated_code:  # which breach repeats
            rule += f" ({label('app.rule', key.repeated_code)})"
        title = f"{row.year} · {rule} · {label('app.severity', row.severity)}"
        review = reviews.get(key)
        if review:
            title += " · " + tr("review.status." + review["status"])
        with st.expander(title, expanded=len(details) == 1):
            st.write(row.message)
            show_evidence(row.evidence)
            show_review(review)
            show_exchange(principal, key)
            review_form(principal, key)
