"""The child's side of ``ingest.sandbox``: run each task under its budget, report how it went.

Outcomes sent to the parent: ``("ok", result)``, ``("epn", class, code, params)``,
``("memory",)`` or ``("raised", exception)``. After anything but ``ok`` the child leaves.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import traceback
from contextlib import suppress
from multiprocessing.connection import Connection

from epn.errors import EpnError


def worker_main(connection: Connection, memory_bytes: int, func, common: tuple) -> None:
    # The parent's objects are the child's too, shared copy-on-write: a garbage collection
    # walking them all would copy every page they sit on. Only what the child makes is
    # collected.
    gc.freeze()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a parser the size of RAM
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):  # the parent is gone
            break
        if task is None:  # the parent is done with this child
            break
        _limit_memory(memory_bytes)
        outcome = _run(func, (*common, *task))
        _send(connection, outcome)
        if outcome[0] != "ok":
            break
    connection.close()


def _run(func, args: tuple) -> tuple:
    try:
        return ("ok", func(*args))
    except EpnError as error:
        return ("epn", type(error), error.code, error.params)
    except MemoryError:
        return ("memory",)
    except Exception as error:
        return ("raised", _portable(error))


def _limit_memory(memory_bytes: int) -> None:
    # A forked child already maps what the parent mapped (libraries, arenas, thread stacks),
    # and a worker what its earlier tasks left: each task's budget comes on top of that.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_in_use() + memory_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_in_use() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _portable(error: Exception) -> Exception:
    """The exception itself if it survives pickling, else a RuntimeError that describes it."""
    details = "".join(traceback.format_exception(error))
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        error = RuntimeError(f"{type(error).__name__}: {error}")
    error.add_note(f"raised in the isolated parser:\n{details}")
    return error


def _send(connection: Connection, outcome: tuple) -> None:
    try:
        connection.send(outcome)
    except MemoryError:
        _send_quietly(connection, ("memory",))
    except Exception as error:  # an unpicklable result or parameter
        _send_quietly(connection, ("raised", RuntimeError(f"unsendable result: {error!r}")))


def _send_quietly(connection: Connection, outcome: tuple) -> None:
    with suppress(Exception):  # if even this fails, the parent sees end-of-file: a crash
        connection.send(outcome)
