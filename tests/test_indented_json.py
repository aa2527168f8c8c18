"""``epn compliance --json`` writes its findings with ``cli.indented_json``: byte for byte the
text of ``json.dumps(..., ensure_ascii=False, indent=2, default=str)``, the published
contract's form, on any JSON value and on what the standard library leaves to ``default``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from collections import OrderedDict, deque

from hypothesis import given, settings
from hypothesis import strategies as st

from cli.indented_json import indented_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()  # left to ``default``: written as its text
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


class Text(str):
    pass


class Level(enum.IntEnum):
    HIGH = 3


class Weeks(list):
    pass


def standard(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_library(value):
    assert indented_json(value) == standard(value)


def test_findings_as_the_command_writes_them():
    findings = [
        {
            "epn_id": "EPN-0001",
            "year": 2024,
            "code": "facilitator_presence",
            "message": "Semaine(s) … d'animateur « qualifié » : 2024-01-08 \u202f",
            "evidence": {
                "weeks": [{"week_start": "2024-01-08", "facilitated_hours": 12.5}],
                "minimum_hours": 15.0,
                "tolerance_weeks": 3,
            },
            "charter_version": None,
            "review": None,
        },
        {"evidence": {}, "weeks": [], "ratio": math.inf, "nothing": -math.inf, "odd": math.nan},
        {True: 1, 2: dt.date(2025, 3, 31), 1.5: "x", None: [[]]},
        # subclasses take json.encoder's general checks, as there
        [Text("a"), Level.HIGH, OrderedDict(b=[True, False, None]), Weeks(["x"]), (1, "y")],
        {"text": Text("é"), "level": Level.HIGH, "deque": deque([1])},
    ]
    assert indented_json(findings) == standard(findings)
    assert indented_json([]) == "[]"
