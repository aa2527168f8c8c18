"""``frame_of`` builds frames through pandas' private constructor for ready arrays: these tests
hold it to what the public constructor makes, so that a pandas upgrade that changes either
fails here first, with a clear diff, rather than somewhere in the ingest."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pandas.arrays import BooleanArray, FloatingArray, IntegerArray

from epn.frames import frame_of


def public(columns: dict) -> pd.DataFrame:
    """What ``pd.DataFrame`` makes of the same columns (lists stay objects, as frame_of says)."""
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if isinstance(v, list) else v for k, v in columns.items()}
    )


def test_typed_columns_keep_their_dtypes_and_values():
    columns = {
        "_row": np.array([2, 3, 5], dtype="int64"),
        "visits": IntegerArray(np.array([10, 0, 7]), np.array([False, True, False])),
        "hours": FloatingArray(np.array([20.5, 0.0, 15.0]), np.array([False, False, True])),
        "open": BooleanArray(np.array([True, False, True]), np.array([False, False, False])),
        "week_start": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 15)],
        "status": ["open", "closed", None],
    }
    built = frame_of(columns)
    pd.testing.assert_frame_equal(built, public(columns))
    assert built["status"].dtype == object and built["status"].tolist() == ["open", "closed", None]
    assert isinstance(built.index, pd.RangeIndex) and built.columns.tolist() == list(columns)


def test_frames_share_their_column_index_but_not_their_data():
    first = frame_of({"key": ["a"], "value": [1]})
    second = frame_of({"key": ["b"], "value": [2]})
    assert first.columns is second.columns
    second.loc[0, "key"] = "changed"
    assert first.loc[0, "key"] == "a"


def test_no_column_is_an_empty_frame():
    assert frame_of({}).shape == (0, 0)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=5)), st.one_of(st.none(), st.integers(-9, 9))
        ),
        max_size=20,
    )
)
def test_any_rows_round_trip_as_the_public_constructor_builds_them(rows):
    texts = [t for t, _ in rows]
    numbers = [n for _, n in rows]
    masked = IntegerArray(
        np.array([0 if n is None else n for n in numbers], dtype="int64"),
        np.array([n is None for n in numbers], dtype=bool),
    )
    columns = {"text": texts, "number": masked}
    pd.testing.assert_frame_equal(frame_of(columns), public(columns))


@pytest.mark.parametrize("length", [0, 1, 100])
def test_lengths(length):
    built = frame_of({"x": list(range(length))})
    assert len(built) == length and built["x"].tolist() == list(range(length))
