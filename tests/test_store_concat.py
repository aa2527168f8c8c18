"""A group's tables stacked column by column (``store.concatenated``): exactly what
``pd.concat(frames, ignore_index=True)`` gives, dtypes and all, or pd.concat itself."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from warehouse.store import concatenated


def table(rows: int, offset: int = 0) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "_row": np.arange(2, rows + 2, dtype=np.int64),
            "ref": pd.array([f"R{offset + i}" for i in range(rows)], dtype=object),
            "users": pd.array([i if i % 3 else None for i in range(rows)], dtype="Int64"),
            "hours": pd.array([i / 2 for i in range(rows)], dtype="Float64"),
            "qualified": pd.array([None if i % 4 == 0 else i % 2 == 0 for i in range(rows)]),
            "week": pd.array([dt.date(2024, 1, 1) + dt.timedelta(weeks=i) for i in range(rows)]),
            "epn_id": pd.array(["EPN-0001"] * rows, dtype="str"),
        }
    )
    frame.index = pd.RangeIndex(rows) + offset  # as a narrative's positions: dropped
    return frame


def same(frames: list[pd.DataFrame]) -> None:
    expected = pd.concat(frames, ignore_index=True)
    got = concatenated(frames)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got.columns.equals(expected.columns) and got.index.equals(expected.index)


def test_frames_of_one_shape_are_stacked_as_pd_concat_stacks_them():
    same([table(3), table(0), table(5, offset=7), table(1)])


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.assign(users=f["users"].astype("float64")),  # one dtype differs
        lambda f: f[["ref", "_row", "users", "hours", "qualified", "week", "epn_id"]],  # order
        lambda f: f.drop(columns="hours"),  # a column fewer
    ],
)
def test_frames_that_differ_are_left_to_pd_concat(change):
    same([table(3), change(table(2, offset=3)), table(4)])


def test_the_stack_shares_no_data_with_its_frames():
    frames = [table(3), table(2)]
    stacked = concatenated(frames)
    stacked.loc[0, "ref"] = "changed"
    assert frames[0].loc[0, "ref"] == "R0"
