"""A batch's workbooks parsed ahead of their turn, side by side, while earlier files are stored.

The parent stores the files one by one, in order; meanwhile as many children as the machine
has cores parse the next workbooks. A file already accepted (a duplicate in the making) is
not parsed ahead, and a file sent twice in the batch is parsed once.
"""

from __future__ import annotations

import os
from collections import Counter

from epn.settings import Settings
from ingest.parsed import Parsed
from ingest.untrusted import PendingParse


def worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ParsesAhead:
    def __init__(
        self,
        uploads: list,
        known: frozenset[str],
        settings: Settings,
        already_accepted: set[str],
        workers: int | None = None,
    ) -> None:
        self._uploads, self._known, self._settings = uploads, known, settings
        self._workers = workers or worker_count()
        self._running: dict[int, PendingParse] = {}
        self._uses = Counter(_key(u) for u in uploads)
        self._kept: dict[tuple, Parsed] = {}  # parses of files the batch holds again
        seen = set(already_accepted)
        self._queue: list[int] = []  # workbooks worth parsing ahead, in order
        for index, upload in enumerate(uploads):
            if upload.filename.lower().endswith(".xlsx") and upload.sha256 not in seen:
                self._queue.append(index)
            seen.add(upload.sha256)
        self._queue.reverse()  # popped from the end

    def parsed(self, index: int) -> Parsed:
        """The parse of upload ``index``; uploads are asked for in increasing order."""
        upload = self._uploads[index]
        key = _key(upload)
        self._uses[key] -= 1
        if key in self._kept:
            return self._kept.pop(key) if not self._uses[key] else self._kept[key]
        self._start(index)
        pending = self._running.pop(index, None) or PendingParse(
            upload.data, upload.filename, self._known, self._settings
        )
        parsed = pending.parsed()
        self._start(index + 1)  # a free core while this one is stored
        if self._uses[key]:
            self._kept[key] = parsed
        return parsed

    def skipped(self, index: int) -> None:
        """Upload ``index`` needs no parse (a duplicate): forget what was kept for it."""
        key = _key(self._uploads[index])
        self._uses[key] -= 1
        if not self._uses[key]:
            self._kept.pop(key, None)

    def _start(self, index: int) -> None:
        """Children for the next workbooks from ``index`` on, up to one per core."""
        for passed in [i for i in self._running if i < index]:  # skipped: a duplicate after all
            self._running.pop(passed).cancel()
        while self._queue and len(self._running) < self._workers:
            next_index = self._queue.pop()
            if next_index >= index:
                upload = self._uploads[next_index]
                self._running[next_index] = PendingParse(
                    upload.data, upload.filename, self._known, self._settings
                )

    def close(self) -> None:
        """Stops the children still running (the batch ended early)."""
        for pending in self._running.values():
            pending.cancel()
        self._running.clear()


def _key(upload) -> tuple[str, str]:
    # the guard reads the name too (its extension), so equal bytes are not enough
    return upload.sha256, upload.filename
