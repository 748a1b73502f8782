"""The daemon's time when the wall clock steps back (an NTP correction, a user fixing the date).

The engine never lets its time go back, so a wall clock that stepped back an hour would freeze it for an
hour; APScheduler, which waits for wall-clock run dates, would sleep that hour too. ``SteadyClock`` goes on
from the last time it gave at 90 % of the monotonic pace until the wall clock has caught up (as NTP slews):
time never stands still and never goes back, durations shrink by a tenth meanwhile (no sitting invented),
and timestamps rejoin the wall clock after ten times the step. ``SteadyScheduler`` never sleeps longer than
``max_wait`` (unless None: the daemon is told when the clock is set, ``breaker.adapters.clockwatch``, and
wakes it) and reports a step back, so the daemon can plan its next tick again.
A step forward needs nothing here: the daemon's gap check treats it as a suspend nobody announced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

STEP_S = 1.0  # a wall clock this far behind the monotonic pace has stepped back; less is ordinary drift
SLEW = 0.9  # the pace of the daemon's time while it is ahead of a stepped-back wall clock


def wall_clock() -> datetime:
    return datetime.now(UTC)


class SteadyClock:
    """The wall clock, except that a step back is bridged at ``SLEW`` times the monotonic pace."""

    def __init__(self, wall: Callable[[], datetime] = wall_clock, mono: Callable[[], float] = time.monotonic) -> None:
        self.wall, self.mono = wall, mono
        self._last: tuple[datetime, float] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            now, mono = self.wall(), self.mono()
            if self._last is not None:
                last, last_mono = self._last
                ran = max(0.0, mono - last_mono)
                if now < last + timedelta(seconds=ran - STEP_S):  # stepped back: slew towards the wall clock
                    now = max(now, last + timedelta(seconds=ran * SLEW))
                else:
                    now = max(now, last)  # drift or a small correction: never go back
            self._last = (now, mono)
            return now


class SteadyScheduler(BackgroundScheduler):  # type: ignore[misc]
    """A BackgroundScheduler that wakes at least every ``max_wait`` s (None: only for jobs and ``wakeup``)
    and calls ``on_step_back``."""

    def __init__(self, *, max_wait: float | None, on_step_back: Callable[[], None], **options: Any) -> None:
        super().__init__(**options)
        self.max_wait, self.on_step_back = max_wait, on_step_back
        self._seen: tuple[float, float] | None = None

    def _process_jobs(self) -> float | None:
        try:
            wait = super()._process_jobs()
        except JobLookupError:
            # A job of this round of due jobs was removed by one that ran before it (the daemon re-plans its
            # tick); APScheduler ran it anyway, then failed to remove it, which would end this thread: no
            # tick ever again. The rest of the round runs at once.
            wait = 0.0
        wall, mono = time.time(), time.monotonic()
        stepped = self._seen is not None and wall - self._seen[0] < mono - self._seen[1] - STEP_S
        self._seen = (wall, mono)
        if stepped:
            self.on_step_back()
        if self.max_wait is None:
            return wait
        return self.max_wait if wait is None else min(wait, self.max_wait)
