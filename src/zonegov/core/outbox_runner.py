"""The long-running outbox runner (``manage.py outbox_drain --loop``).

It runs drain passes until stopped. A pass that raises — the database went away
(OperationalError, InterfaceError, any DatabaseError) or anything else — does not end the
runner: the error is logged with its traceback, the process's database connections are
closed (the next pass opens fresh ones), and the runner waits with exponential back-off
(5 s, 10 s, 20 s, 40 s, then 60 s; back to 5 s after a good pass) before trying again.
Messages are never at risk meanwhile: they stay pending in the database with their leases,
which expire on their own.

Kept small on purpose: the task library chosen for background jobs will run the same
pass (``outbox_drain``) and give it the same treatment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

#: Back-off after a failed pass: BACKOFF_START × 2^(failures−1), at most BACKOFF_CAP.
BACKOFF_START_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 60.0
#: How often a wait checks whether the runner was asked to stop (SIGTERM).
STOP_CHECK_SECONDS = 0.25

Sleeper = Callable[[float, Callable[[], bool]], None]


def interruptible_sleep(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep ``seconds``, returning early (within STOP_CHECK_SECONDS) once ``stopping()``."""
    deadline = time.monotonic() + seconds
    while not stopping():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(STOP_CHECK_SECONDS, left))


def failure_backoff(failures: int) -> float:
    """Seconds to wait after ``failures`` failed passes in a row (1, 2, ...)."""
    return min(BACKOFF_CAP_SECONDS, BACKOFF_START_SECONDS * 2 ** max(0, min(failures - 1, 16)))


class DrainLoop:
    """Run ``drain_pass`` until ``stop()`` is called (it is a valid signal handler).

    ``drain_pass`` returns the pass's report (anything with ``claimed``); when it claimed
    fewer than ``limit`` messages the outbox is caught up and the loop waits ``interval``
    seconds, otherwise it goes on at once. ``sleep(seconds, stopping)`` does the waiting
    (tests pass one that records the waits instead of sleeping)."""

    def __init__(
        self,
        *,
        drain_pass: Callable[[], Any],
        limit: int,
        interval: float,
        sleep: Sleeper | None = None,
    ) -> None:
        self.drain_pass = drain_pass
        self.limit = limit
        self.interval = interval
        self.sleep = sleep or interruptible_sleep
        self.stopping = False
        self.failures = 0  # failed passes in a row

    def stop(self, *_signal: Any) -> None:
        self.stopping = True

    def _is_stopping(self) -> bool:
        return self.stopping

    def run_once(self) -> None:
        """One pass and the wait after it."""
        close_old_connections()
        try:
            report = self.drain_pass()
        except Exception:
            self.failures += 1
            delay = failure_backoff(self.failures)
            logger.exception(
                "outbox drain pass failed (%d in a row); retrying in %.0f s", self.failures, delay
            )
            # A broken connection must not be reused: the next pass connects afresh.
            connections.close_all()
            self.sleep(delay, self._is_stopping)
            return
        if self.failures:
            logger.info("outbox drain pass succeeded after %d failed passes", self.failures)
        self.failures = 0
        if report.claimed < self.limit:  # caught up: wait; otherwise go on at once
            self.sleep(self.interval, self._is_stopping)

    def run(self) -> None:
        while not self.stopping:
            self.run_once()
