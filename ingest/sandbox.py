"""Run a parser on untrusted bytes in a child process with a memory cap and a deadline.

A parser that segfaults, aborts, runs out of memory or loops forever takes down only its
child; the caller gets an ``UploadRejected`` (``parser_crashed`` or ``parser_timeout``)
with a message the uploader can act on.

On Linux the child is forked: it starts with the parent's modules already imported, which
costs milliseconds where a spawned interpreter re-imports pandas for seconds. Forking a
threaded parent (the web app) has one known risk, a lock held by another thread staying
held in the child; the child only runs the parser and exits, and one stuck anyway is killed
at the deadline. Elsewhere the child is spawned, and ``func`` and its arguments must then be
picklable (top-level functions, plain values).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import resource
import signal
import time
import traceback
from contextlib import suppress
from multiprocessing.connection import Connection, wait

from epn.errors import EpnError
from ingest.guard import UploadRejected

START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
REAP_SECONDS = 5.0  # how long a child that sent its result may take to exit before it is killed
TIMED_OUT = ("timeout",)


def run_isolated(func, *args, timeout: float, memory_bytes: int):
    """``func(*args)`` run in a child limited to ``memory_bytes`` more memory and ``timeout`` s.

    Returns what ``func`` returns; re-raises an ``EpnError`` it raised (same class, code and
    parameters) and any other exception it raised; raises ``UploadRejected`` when the child
    dies (``parser_crashed``) or overruns the deadline (``parser_timeout``).
    """
    return Isolated(func, args, timeout=timeout, memory_bytes=memory_bytes).result()


class Isolated:
    """``func(*args)`` started at once in its own child; ``result()`` waits for it (see
    ``run_isolated``). Several can run side by side, each with its own deadline, counted
    from its start."""

    def __init__(self, func, args: tuple, *, timeout: float, memory_bytes: int) -> None:
        context = multiprocessing.get_context(START_METHOD)
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(
            target=_child_main, args=(sender, memory_bytes, func, args), daemon=True
        )
        self._child.start()
        sender.close()  # so the parent sees end-of-file as soon as the child dies
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout

    def result(self):
        try:
            outcome = _await_outcome(self._receiver, max(0.0, self._deadline - time.monotonic()))
            _stop(self._child, grace=0.0 if outcome == TIMED_OUT else REAP_SECONDS)
        finally:
            self._receiver.close()
            _stop(self._child, grace=0.0)  # also when the parent itself is interrupted
        return _unwrap(outcome, self._timeout, self._child.exitcode)

    def cancel(self) -> None:
        """Stops the child, its result unwanted (the caller is giving up)."""
        self._receiver.close()
        _stop(self._child, grace=0.0)


def _await_outcome(receiver: Connection, timeout: float) -> tuple | None:
    """The child's message, ``TIMED_OUT``, or ``None`` when it died without a word."""
    if not wait([receiver], timeout):
        return TIMED_OUT
    try:
        return receiver.recv()
    except Exception:  # end of file: died before or while sending; or a result not rebuildable
        return None


def _stop(child, grace: float) -> None:
    if grace:
        child.join(grace)
    if child.exitcode is None:
        child.kill()
        child.join()


def _unwrap(outcome: tuple | None, timeout: float, exitcode: int | None):
    if outcome is None:
        raise UploadRejected("parser_crashed", reason=_death_reason(exitcode))
    kind, *payload = outcome
    if kind == "ok":
        return payload[0]
    if kind == "timeout":
        raise UploadRejected("parser_timeout", seconds=round(timeout, 1))
    if kind == "epn":
        raise _rebuild_epn_error(*payload)
    if kind == "memory":
        raise UploadRejected("parser_crashed", reason="MemoryError")
    raise payload[0]


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return signal.Signals(-exitcode).name
    return f"exit status {exitcode}"


def _rebuild_epn_error(error_class: type[EpnError], code: str, params: dict) -> EpnError:
    # EpnError pickles as its French text only; rebuild it from code and parameters instead.
    error = error_class.__new__(error_class)
    EpnError.__init__(error, code, **params)
    return error


# --- in the child ----------------------------------------------------------------------------


def _child_main(sender: Connection, memory_bytes: int, func, args: tuple) -> None:
    # The parent's objects are the child's too, shared copy-on-write: a garbage collection
    # walking them all would copy every page they sit on. Only what the child makes is
    # collected.
    gc.freeze()
    _limit_resources(memory_bytes)
    try:
        outcome = ("ok", func(*args))
    except EpnError as error:
        outcome = ("epn", type(error), error.code, error.params)
    except MemoryError:
        outcome = ("memory",)
    except Exception as error:
        outcome = ("raised", _portable(error))
    _send(sender, outcome)


def _limit_resources(memory_bytes: int) -> None:
    # A forked child already maps what the parent mapped (libraries, arenas, thread stacks):
    # the budget comes on top of that, or the child could not even start on a busy parent.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_in_use() + memory_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a parser the size of RAM


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


def _send(sender: Connection, outcome: tuple) -> None:
    try:
        sender.send(outcome)
    except MemoryError:
        _send_quietly(sender, ("memory",))
    except Exception as error:  # an unpicklable result or parameter
        _send_quietly(sender, ("raised", RuntimeError(f"unsendable result: {error!r}")))
    finally:
        sender.close()


def _send_quietly(sender: Connection, outcome: tuple) -> None:
    with suppress(Exception):  # if even this fails, the parent sees end-of-file: a crash
        sender.send(outcome)
