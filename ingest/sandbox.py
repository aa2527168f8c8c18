"""Run a parser on untrusted bytes in a child process with a memory cap and a deadline.

A parser that segfaults, aborts, runs out of memory or loops forever takes down only its
child; the caller gets an ``UploadRejected`` (``parser_crashed`` or ``parser_timeout``)
with a message the uploader can act on.

A ``Worker`` is such a child kept for several tasks, one at a time, each under its own
memory budget and deadline: forking costs the parent a copy of its page tables, and the
child a copy of every page it then touches, as much again as a report's parsing. A worker
that fails in any way (an exception, a crash, a deadline) is never reused.

On Linux the child is forked: it starts with the parent's modules already imported, which
costs milliseconds where a spawned interpreter re-imports pandas for seconds. Forking a
threaded parent (the web app) has one known risk, a lock held by another thread staying
held in the child; the child only runs the parser, and one stuck anyway is killed at the
deadline. Elsewhere the child is spawned, and ``func`` and its arguments must then be
picklable (top-level functions, plain values).
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from contextlib import suppress
from multiprocessing.connection import Connection, wait

from epn.errors import EpnError
from ingest.guard import UploadRejected
from ingest.sandbox_child import worker_main

START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
REAP_SECONDS = 5.0  # how long a child that is done may take to exit before it is killed
TIMED_OUT = ("timeout",)


def run_isolated(func, *args, timeout: float, memory_bytes: int):
    """``func(*args)`` run in a child limited to ``memory_bytes`` more memory and ``timeout`` s.

    Returns what ``func`` returns; re-raises an ``EpnError`` it raised (same class, code and
    parameters) and any other exception it raised; raises ``UploadRejected`` when the child
    dies (``parser_crashed``) or overruns the deadline (``parser_timeout``).
    """
    worker = Worker(func, args, memory_bytes=memory_bytes)
    try:
        worker.start((), timeout)
        return worker.result()
    finally:
        worker.stop()


class Worker:
    """A child running ``func(*common, *task)`` for each task it is given (see above).

    ``common`` reaches the child once, when it is created (inherited when forked); each
    task's arguments are sent to it. The deadline of a task counts from its ``start``.
    """

    def __init__(self, func, common: tuple = (), *, memory_bytes: int) -> None:
        context = multiprocessing.get_context(START_METHOD)
        self._connection, child_end = context.Pipe(duplex=True)
        self._process = context.Process(
            target=worker_main, args=(child_end, memory_bytes, func, common), daemon=True
        )
        self._process.start()
        child_end.close()  # so the parent sees end-of-file as soon as the child dies
        self.tasks = 0
        self.busy = False
        self.failed = False

    def start(self, task: tuple, timeout: float) -> None:
        self._connection.send(task)
        self._timeout, self._deadline = timeout, time.monotonic() + timeout
        self.busy, self.tasks = True, self.tasks + 1

    def result(self):
        """The task's result, or its exception (see ``run_isolated``)."""
        try:
            outcome = _await_outcome(self._connection, max(0.0, self._deadline - time.monotonic()))
        except BaseException:  # the parent itself is interrupted
            self.stop(grace=0.0)
            raise
        self.busy = False
        if outcome is None or outcome[0] != "ok":
            self.failed = True
            self.stop(grace=0.0 if outcome == TIMED_OUT else REAP_SECONDS)
        return _unwrap(outcome, self._timeout, self._process.exitcode)

    def stop(self, grace: float = REAP_SECONDS) -> None:
        """Ends the child: it leaves on its own when told, or is killed."""
        with suppress(OSError, ValueError):  # told already, or gone
            self._connection.send(None)
        self._connection.close()
        _stop(self._process, grace)


def _await_outcome(connection: Connection, timeout: float) -> tuple | None:
    """The child's message, ``TIMED_OUT``, or ``None`` when it died without a word."""
    if not wait([connection], timeout):
        return TIMED_OUT
    try:
        return connection.recv()
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
