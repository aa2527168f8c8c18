"""A batch's files parsed ahead of their turn, side by side, while earlier files are stored.

The parent stores the files one by one, in order; meanwhile one worker per core (see
``sandbox.Worker``) runs the next files' untrusted path: guard, formula check, parsing.
A worker takes one file at a time under its own budget and deadline, is replaced when it
fails, and retires after ``TASKS_PER_WORKER`` files so that no file's leftovers weigh on many
others. A file already accepted (a duplicate in the making) is not parsed ahead; a file sent
twice in the batch is parsed once. Anything else (a refused name) is parsed in its turn by
``parse_untrusted``, as a single upload would be. Whatever happens to one file's parse, its
outcome is that file's (``refused``, ``failed``): the batch goes on.

The first file's worker is forked at once (``begin``), before the parent has loaded what a
parse loads (``warm_up``): it loads what its own file needs while the parent loads what
storing needs, and then, while it waits, what later workers will inherit (the web app's next
uploads too); every later worker is forked warm.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from epn.errors import EpnError
from epn.parsed import Parsed
from epn.settings import Settings
from ingest.sandbox import REAP_SECONDS, Worker
from validation.untrusted import failed, guarded_upload, parse_untrusted, refused, warm_up

TASKS_PER_WORKER = 50
# Whether the parent, idle while its first worker parses, loads meanwhile what a parse loads,
# so that later workers (the web app's next uploads) are forked warm; see ``one_shot``.
_warm_while_waiting = True


@contextmanager
def one_shot() -> Iterator[None]:
    """Within: the batch is the last this process parses (a command that ends with it), so
    its parent does not spend the first worker's parse warming up for later uploads (the two
    cores of a small server then go to the worker and to what storing and the findings load).
    """
    global _warm_while_waiting
    before, _warm_while_waiting = _warm_while_waiting, False
    try:
        yield
    finally:
        _warm_while_waiting = before


def worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ParsesAhead:
    def __init__(self, uploads: list, known: frozenset[str], settings: Settings, accepted: set):
        self._uploads, self._known, self._settings = uploads, known, settings
        self._most = worker_count()
        self._workers: list[Worker] = []
        self._running: dict[int, Worker] = {}  # upload index -> its worker
        self._uses = Counter(_key(u) for u in uploads)
        self._kept: dict[tuple, Parsed] = {}  # parses of files the batch holds again
        self._queue = _worth_parsing_ahead(uploads, accepted)

    def begin(self) -> None:
        """Starts the first file's worker now, cold (see above)."""
        self._start(0, cold=True)

    def parsed(self, index: int) -> Parsed:
        """The parse of upload ``index``; uploads are asked for in increasing order."""
        upload, key = self._uploads[index], _key(self._uploads[index])
        self._uses[key] -= 1
        if key in self._kept:
            return self._kept[key] if self._uses[key] else self._kept.pop(key)
        self._start(index)
        worker = self._running.pop(index, None)
        if worker is None:
            parsed = parse_untrusted(upload.data, upload.filename, self._known, self._settings)
        else:
            if _warm_while_waiting:
                warm_up()  # the parent is idle until the worker is done: later forks inherit it
            parsed = self._result(worker, upload.filename)
        self._start(index + 1)  # a free worker is given the next file while this one is stored
        if self._uses[key]:
            self._kept[key] = parsed
        return parsed

    def skipped(self, index: int) -> None:
        """Upload ``index`` needs no parse (a duplicate): forget what was kept for it."""
        key = _key(self._uploads[index])
        self._uses[key] -= 1
        if not self._uses[key]:
            self._kept.pop(key, None)

    def close(self) -> None:
        """Ends the workers (when the batch ends, early or not)."""
        for worker in self._workers:
            worker.stop(grace=0.0 if worker.busy else REAP_SECONDS)
        self._workers.clear()
        self._running.clear()

    def _result(self, worker: Worker, filename: str) -> Parsed:
        try:
            return worker.result()
        except EpnError as error:
            return refused(filename, error)
        except Exception as error:  # the parser's own failure: this file's, not the batch's
            return failed(filename, error)
        finally:
            if worker.failed or worker.tasks >= TASKS_PER_WORKER:
                self._workers.remove(worker)
                worker.stop()

    def _start(self, index: int, cold: bool = False) -> None:
        """Gives the next workbooks from ``index`` on to idle workers, one per core at most;
        ``cold``: only one, forked before the parent's ``warm_up``."""
        for passed in [i for i in self._running if i < index]:  # skipped: a duplicate after all
            self._workers.remove(worker := self._running.pop(passed))
            worker.stop(grace=0.0)
        while self._queue and len(self._running) < self._most:
            next_index = self._queue.pop()
            if next_index >= index:
                upload = self._uploads[next_index]
                worker = self._idle_worker(cold)
                worker.start((upload.data, upload.filename), self._settings.parse_timeout_seconds)
                self._running[next_index] = worker
                if cold:
                    return

    def _idle_worker(self, cold: bool = False) -> Worker:
        idle = [w for w in self._workers if not w.busy]
        if idle:
            return idle[0]
        if not cold:
            warm_up()  # before the fork, so that the worker inherits it
        worker = Worker(
            guarded_upload,
            (self._known, self._settings),
            memory_bytes=self._settings.parse_memory_bytes,
        )
        self._workers.append(worker)
        return worker


def _worth_parsing_ahead(uploads: list, accepted: set) -> list[int]:
    """Files not known to be duplicates, last first (the queue is popped from its end)."""
    seen, queue = set(accepted), []
    for index, upload in enumerate(uploads):
        if upload.filename.lower().endswith((".xlsx", ".csv")) and upload.sha256 not in seen:
            queue.append(index)
        seen.add(upload.sha256)
    return queue[::-1]


def _key(upload) -> tuple[str, str]:
    # the guard reads the name too (its extension), so equal bytes are not enough
    return upload.sha256, upload.filename
