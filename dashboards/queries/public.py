"""What the public page reads, for anyone, signed in or not: the public directory (art. 5),
the last published (frozen) year's indicators and that year's open data package.

Nothing here takes a principal: it is exactly what the Region publishes as open data, and
nothing more (no live figure, no finding, no per-EPN statistic).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from epn.locale import commune_name_column
from epn.settings import warehouse_path
from registry.directory import COLUMNS, public_directory
from registry.open_data import package_files, package_zip
from reporting.pdf_charts import communes_geojson
from warehouse import snapshots
from warehouse.db import connect
from warehouse.snapshots import Snapshot


def directory(lang: str) -> pd.DataFrame:
    """name, address, commune_nis, commune, labelled_since: every labelled EPN."""
    with connect(warehouse_path()) as con:
        records = public_directory(con)
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    frame["commune"] = frame[f"commune_{commune_name_column(lang)}"]
    frame["address"] = [address_line(record) for record in records]
    frame["labelled_since"] = pd.to_datetime(frame["labelled_since"])
    return frame.loc[:, ["name", "address", "commune_nis", "commune", "labelled_since"]]


def address_line(record: dict) -> str:
    """Street and postcode as one line; empty (never "None") when the registry has neither."""
    parts = (record.get("address"), record.get("postcode"))
    return ", ".join(str(part) for part in parts if part not in (None, ""))


def commune_counts(directory: pd.DataFrame, lang: str) -> pd.DataFrame:
    """commune_nis, commune, labelled_epns for the 19 communes (0 where there is none)."""
    name = commune_name_column(lang)
    communes = [feature["properties"] for feature in communes_geojson()["features"]]
    counts = directory.groupby("commune_nis").size()
    return pd.DataFrame(
        {
            "commune_nis": [c["nis_code"] for c in communes],
            "commune": [c[name] for c in communes],
            "labelled_epns": [int(counts.get(c["nis_code"], 0)) for c in communes],
        }
    )


def last_published() -> Snapshot | None:
    """The current snapshot of the latest year ever frozen, or None."""
    with connect(warehouse_path()) as con:
        (year,) = con.execute("SELECT max(year) FROM indicator_snapshot").fetchone()
        return None if year is None else snapshots.published(con, year)


def open_data_zip(year: int) -> bytes:
    """The year's open data package as a zip, built in memory."""
    with connect(warehouse_path()) as con:
        return package_zip(package_files(con, year, dt.datetime.now(dt.UTC)))
