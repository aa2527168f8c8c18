"""The charter findings of a batch of uploads: one refresh of the mart when the batch is stored.

Evaluating the charter costs the same for one EPN as for many, so rather than once per
accepted file, the mart is refreshed once for every EPN and year the batch touched. Each
accepted file's outcome lists the findings of its own EPNs and years, taken from that
refresh (so they reflect the whole batch).

Until then the mart lags behind the files already committed. Accepted files
therefore also remove, in their own transaction, the mart's "refreshed on" mark: should the
process die before the batch's refresh, the next reader finds the mart stale and refreshes it
in full. The refresh puts the mark back. They also leave a ``PENDING`` mark that the
batch's refresh removes: a batch that finds one left behind (its predecessor died between a
commit and its refresh, and a rerun of the same files is all duplicates, touching nothing)
refreshes the whole mart.
"""

from __future__ import annotations

import duckdb

from warehouse.finding_mart import MART, PENDING, refresh_all, refresh_epns


class BatchFindings:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._touched: list[tuple[dict, list[str], list[int]]] = []  # (outcome, EPNs, years)
        self._mark: tuple | None = None
        self._interrupted = interrupted(con)

    def unmark(self, con: duckdb.DuckDBPyConnection) -> None:
        """Called in the transaction of accepted files, before their findings are refreshed."""
        mark = con.execute(
            "DELETE FROM mart_refresh WHERE name = ? RETURNING refreshed_on, refreshed_at", [MART]
        ).fetchone()
        self._mark = self._mark or mark
        con.execute(
            "INSERT OR REPLACE INTO mart_refresh (name, refreshed_on) VALUES (?, current_date)",
            [PENDING],
        )

    def touched(self, outcome: dict, epn_ids: list[str], years: list[int]) -> None:
        """An accepted file, once written: its outcome awaits its findings."""
        self._touched.append((outcome, list(epn_ids), years))

    def refresh(self, con: duckdb.DuckDBPyConnection, lang: str) -> None:
        """Refreshes the mart and fills in each accepted outcome's ``findings``."""
        if self._interrupted:
            refresh_all(con)  # also what this batch touched; puts both marks right
            self._interrupted, self._mark = False, None
        by_years: dict[tuple[int, ...], set[str]] = {}
        for _, epn_ids, years in self._touched:
            by_years.setdefault(tuple(years), set()).update(epn_ids)
        found = {
            years: refresh_epns(con, sorted(ids), list(years)) for years, ids in by_years.items()
        }
        for outcome, epn_ids, years in self._touched:
            mine = set(epn_ids)
            outcome["findings"] = [f.to_dict(lang) for f in found[tuple(years)] if f.epn_id in mine]
        if self._mark is not None:
            con.execute(
                "INSERT INTO mart_refresh (name, refreshed_on, refreshed_at) SELECT ?, ?, ?"
                " WHERE NOT EXISTS (SELECT 1 FROM mart_refresh WHERE name = ?)",
                [MART, *self._mark, MART],
            )
        con.execute("DELETE FROM mart_refresh WHERE name = ?", [PENDING])


def interrupted(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether an earlier batch committed accepted files and died before their refresh."""
    return (
        con.execute("SELECT 1 FROM mart_refresh WHERE name = ?", [PENDING]).fetchone() is not None
    )
