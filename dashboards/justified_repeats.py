"""Under a list of withdrawal candidates: the repeated breaches the coordination justified,
so that the COPIL knows why an EPN it expected is not on the list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.ui import label, plain_text, tr


def show_set_aside(frame: pd.DataFrame, lang: str) -> None:
    if frame.empty:
        return
    lines = [
        tr(
            "app.review.set_aside_line",
            epn=f"{row.epn_id} — {row.name}",
            rule=label("app.rule", row.repeated_code, lang),
            year=int(row.year),
            reason=row.reason,
        )
        for row in frame.itertuples()
    ]
    # each line escaped on its own: the names and reasons are free text
    body = "\n".join(f"- {plain_text(line)}" for line in lines)
    st.info(f"{plain_text(tr('app.review.set_aside'))}\n\n{body}", icon=":material/fact_check:")
