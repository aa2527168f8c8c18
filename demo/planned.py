"""A file the demo writes and then uploads, with the day it reached the Region."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedFile:
    folder: str  # sub-folder of the files directory
    filename: str
    data: bytes
    received_on: dt.date


def stream(seed: int, purpose: str) -> random.Random:
    """An independent random stream per purpose, so adding one never shifts the others."""
    return random.Random(f"{seed}:{purpose}")
