"""The labelling procedure as the coordinator and the COPIL follow it.

Applications in progress by stage with their waiting time and next step, the look-alikes
of a new application before it is recorded, and the withdrawal candidates of a year.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.warehouse import read_frame
from epn.locale import commune_name_column
from epn.principal import Principal
from epn.settings import warehouse_path
from registry import duplicates, withdrawal
from services.access import require, scope_for
from warehouse.db import connect, transaction

STAGES = ("applied", "recommended", "ratified")
# What each stage waits for, as the step name of the catalogue (step.<event>).
NEXT_STEP = {"applied": "recommended", "recommended": "ratified", "ratified": "signed"}
BOARD_COLUMNS = (
    "epn_id",
    "name",
    "commune",
    "status",
    "received_on",
    "status_since",
    "days_waiting",
    "next_step",
    "favourable",
    "recommendation_note",
    "recommended_on",
    "visited_on",
    "documents",
)


def board(principal: Principal, lang: str, today: dt.date | None = None) -> pd.DataFrame:
    """One row per EPN in procedure (applied, recommended, ratified), oldest application first.

    ``days_waiting`` counts from the day the application reached the Region.
    """
    require(principal, "registry.read")
    where, params = scope_for(principal, per_epn=True).where("r.epn_id")
    frame = read_frame(
        f"""
        WITH recommendation AS (
            SELECT epn_id, CAST(data ->> 'favourable' AS BOOLEAN) AS favourable,
                   note AS recommendation_note, occurred_on AS recommended_on
            FROM registry_event WHERE event = 'recommended'
            QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY event_id DESC) = 1
        ), visit AS (
            SELECT epn_id, max(occurred_on) AS visited_on
            FROM registry_event WHERE event = 'visited' GROUP BY epn_id
        ), document AS (
            SELECT epn_id, count(*)::INTEGER AS documents FROM registry_document GROUP BY epn_id
        )
        SELECT r.epn_id, r.name, c.{commune_name_column(lang)} AS commune, r.status,
               r.received_on, r.status_since, rec.favourable, rec.recommendation_note,
               rec.recommended_on, v.visited_on, coalesce(d.documents, 0) AS documents
        FROM registry_current r
        LEFT JOIN commune c USING (commune_nis)
        LEFT JOIN recommendation rec USING (epn_id)
        LEFT JOIN visit v USING (epn_id)
        LEFT JOIN document d USING (epn_id)
        WHERE list_contains(?::VARCHAR[], r.status) AND {where}
        ORDER BY r.received_on, r.epn_id
        """,
        [list(STAGES), *params],
    )
    today = pd.Timestamp(today or dt.date.today())
    frame["days_waiting"] = (today - pd.to_datetime(frame["received_on"])).dt.days.astype("Int64")
    frame["next_step"] = frame["status"].map(NEXT_STEP)
    return frame.loc[:, list(BOARD_COLUMNS)]


def awaiting_ratification(principal: Principal, lang: str) -> pd.DataFrame:
    """The applications the coordinator has recommended: the COPIL's agenda."""
    frame = board(principal, lang)
    return frame[frame["status"] == "recommended"].reset_index(drop=True)


def communes(lang: str) -> pd.DataFrame:
    """commune_nis, commune: the Region's 19 communes (reference data), by name."""
    return read_frame(
        f"SELECT commune_nis, {commune_name_column(lang)} AS commune FROM commune ORDER BY 2"
    )


def suggested_epn_id(principal: Principal) -> str:
    """The next free id in the registry's EPN-NNNN series, to prefill a new application."""
    require(principal, "registry.read")
    frame = read_frame(
        "SELECT max(TRY_CAST(substr(epn_id, 5) AS INTEGER)) AS last FROM registry_event"
        " WHERE epn_id LIKE 'EPN-%'"
    )
    last = frame["last"].iloc[0]
    return f"EPN-{(0 if pd.isna(last) else int(last)) + 1:04d}"


def look_alikes(principal: Principal, identity: dict) -> list[dict]:
    """EPNs of the registry that look like ``identity``: [{epn_id, name, score, reason}].

    Read only: the same check the application keeps as a warning once recorded.
    """
    require(principal, "registry.read")
    with connect(warehouse_path()) as con:
        return duplicates.possible_duplicates(con, identity)


def withdrawal_candidates(principal: Principal, year: int, lang: str) -> pd.DataFrame:
    """Labelled EPNs with a repeated breach in ``year``: epn_id, name, labelled_on,
    repeated_codes (list), findings (list of {code, year, message, repeated_code})."""
    require(principal, "registry.read")
    scope = scope_for(principal, per_epn=True)
    # read from the findings mart (refreshed first when a new day has made it stale)
    with connect(warehouse_path()) as con, transaction(con):
        found = withdrawal.withdrawal_candidates(con, year, dt.date.today(), lang, readable=True)
    rows = [c for c in found if scope.keeps(c["epn_id"])]
    columns = ["epn_id", "name", "commune_nis", "labelled_on", "repeated_codes", "findings"]
    return pd.DataFrame(rows, columns=columns)


SET_ASIDE_COLUMNS = ["epn_id", "name", "repeated_code", "year", "reason"]


def set_aside_repeats(principal: Principal, year: int, lang: str) -> pd.DataFrame:
    """epn_id, name, repeated_code, year, reason: the repeated breaches of ``year`` left out
    of the candidates because the coordination justified a finding of either year."""
    require(principal, "registry.read")
    return set_aside_in(scope_for(principal, per_epn=True), year, lang)


def set_aside_in(scope, year: int, lang: str) -> pd.DataFrame:
    """``set_aside_repeats`` for the EPNs ``scope`` keeps (the caller checked the right)."""
    with connect(warehouse_path()) as con, transaction(con):  # a stale mart is refreshed
        found = withdrawal.withdrawal_review(con, year, dt.date.today(), lang)[1]
    rows = [row for row in found if scope.keeps(row["epn_id"])]
    return pd.DataFrame(rows, columns=SET_ASIDE_COLUMNS)
