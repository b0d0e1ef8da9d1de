"""Heartbeat (心跳) of a background job: a daemon thread calls ``beat()`` every few seconds while the job runs.

A job whose heartbeat is older than its ``STALE_AFTER`` is taken as dead (its worker was killed) and is rolled
back by whoever looks next (the job page, the next import, ``manage.py recover_jobs``). The beat must be cheap
and must not fail the job: errors are swallowed (a missed beat only makes the job look stale sooner).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType

from django.conf import settings
from django.db import connection, connections

#: seconds between two beats (a job is stale after several missed beats)
EVERY = 5.0


class Heartbeat:
    """``with Heartbeat(beat):`` — beats now, then every ``every`` seconds until the block ends."""

    def __init__(self, beat: Callable[[], None], every: float | None = None) -> None:
        self.beat = beat
        self.every = float(every if every is not None else getattr(settings, "JIANGXIN_JOB_HEARTBEAT_SECONDS", EVERY))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _safe_beat(self) -> None:
        try:
            self.beat()
        except Exception:  # a missed beat only makes the job look stale sooner
            pass

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.every):
                self._safe_beat()
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self) -> Heartbeat:
        # an in-memory test database cannot be shared with a second thread; the job beats at each batch anyway
        if self.every > 0 and not getattr(connection, "is_in_memory_db", lambda: False)():
            self._thread = threading.Thread(target=self._loop, name="job-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.every + 5)
