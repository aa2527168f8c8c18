"""Python's cyclic garbage collector paused while the charter builds its findings.

An evaluation creates tens of thousands of small acyclic objects (findings, their evidence)
that all survive it; each few hundred of them start a collection, and the oldest generation's,
which walks every object of the process (pandas, Ibis and DuckDB's modules included), ran
several times per national evaluation: a third of the COPIL's what-if. Paused meanwhile, the
collector runs as usual afterwards; nothing built here holds a reference cycle.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """No cyclic collection within the block (reference counting still frees what it drops);
    left as it was found, so nested or concurrent blocks in one thread stay harmless."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
