"""The wall-clock gap check: the backstop for a suspend the OS never announced, on every platform.

Pure: both clocks are arguments, nothing here reads a clock, sleeps or logs. Not thread-safe; the
daemon calls ``check`` from its poll job only.

``time.monotonic`` stops while the machine sleeps (CLOCK_MONOTONIC on Linux, mach time on macOS), the
wall clock does not: when the wall clock advanced more than the monotonic clock between two checks, the
difference is time the machine was asleep (or an NTP step forward, which looks the same). A wall clock
that advanced *less* than the monotonic clock was stepped backwards; that is reported, never counted as
away time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple


class ClockGap(NamedTuple):
    """A stretch the wall clock jumped over: (start, end) wall times. ``end < start`` for a backward step."""

    start: datetime
    end: datetime

    @property
    def backwards(self) -> bool:
        return self.end < self.start

    @property
    def seconds(self) -> float:
        """Length of the jump (negative for a backward step)."""
        return (self.end - self.start).total_seconds()

    def describe(self) -> str:
        """One line for the log."""
        if self.backwards:
            return f"wall clock stepped back {-self.seconds:.0f} s (from {self.start.isoformat()} to {self.end.isoformat()})"
        return f"unannounced gap of {self.seconds:.0f} s from {self.start.isoformat()} to {self.end.isoformat()}"


class ClockGapCheck:
    """Compares successive (wall, monotonic) readings and reports jumps larger than ``threshold_s``."""

    def __init__(self, threshold_s: float = 30.0) -> None:
        if threshold_s <= 0:
            raise ValueError("threshold_s must be positive")
        self.threshold_s = threshold_s
        self._last: tuple[datetime, float] | None = None

    def reset(self, wall: datetime, mono: float) -> None:
        """Start over from this reading (after an announced resume, say, whose gap is already known)."""
        self._last = (wall, mono)

    def check(self, wall: datetime, mono: float) -> ClockGap | None:
        """The jump since the previous call, if larger than the threshold; ``None`` otherwise.

        A forward gap is placed right after the previous reading (the earliest the sleep can have begun),
        so its start is the last moment the machine was known to be awake: ``(previous wall,
        previous wall + gap)``. A backward step is ``(the wall time expected now, the wall time read)``.
        The first call only records the reading. ``wall`` must be timezone-aware or consistently naive.
        """
        last, self._last = self._last, (wall, mono)
        if last is None:
            return None
        last_wall, last_mono = last
        elapsed_mono = mono - last_mono
        if elapsed_mono < 0:  # a monotonic clock never goes back; treat as a fresh start
            return None
        drift = (wall - last_wall).total_seconds() - elapsed_mono
        if drift > self.threshold_s:
            return ClockGap(last_wall, last_wall + timedelta(seconds=drift))
        if drift < -self.threshold_s:
            return ClockGap(last_wall + timedelta(seconds=elapsed_mono), wall)
        return None
