"""The sitting state machine: input, away time and bouts.

Input runs from an ``active`` observation until ``idle``, ``lock`` or ``suspend``. Every stretch without
input is away time, split into segments by cause (suspend over lock over idle). A bout starts at the first
input after away time of at least ``natural_break`` (or the first input ever) and ends at the last input
before such away time. The tracker only learns that a gap was long enough once ``natural_break`` has
passed, so ``deadline()`` tells the engine when to call ``close_if_due``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from breaker.core.models import AwayCause, AwayClosed, BoutClosed, BoutOpened, Effect


class SittingTracker:
    """Turns input/lock/suspend observations into bouts and away segments. Not thread-safe."""

    def __init__(self, natural_break: timedelta) -> None:
        self.natural_break = natural_break
        self.input_on = False
        self.locked = False
        self.suspended = False
        self.last_input: datetime | None = None  # when input last stopped (meaningful while input is off)
        self.bout_start: datetime | None = None
        self.returned = True  # False after a lock/suspend until the next input: the user is not back yet
        self.in_break = False  # a guided break is running: input does not start a bout
        self._away_start: datetime | None = None
        self._away_cause: AwayCause | None = None

    # ---- observations ---------------------------------------------------------------------------

    def active(self, at: datetime) -> list[Effect]:
        """Input starts (an implicit unlock/resume if the desktop forgot to tell us)."""
        self.locked = self.suspended = False
        self.returned = True
        if self.input_on:
            return []
        self.input_on = True
        # _close_away, written out: this runs for every other observation
        start, cause = self._away_start, self._away_cause
        self._away_start = self._away_cause = None
        effects: list[Effect] = [] if start is None or cause is None or at <= start else [AwayClosed(start, at, cause)]
        if self.bout_start is None and not self.in_break:
            self.bout_start = at
            effects.append(BoutOpened(at))
        return effects

    def idle(self, at: datetime) -> list[Effect]:
        """Input stops (the last input happened at ``at``)."""
        return self._stop_input(at)

    def lock(self, at: datetime) -> list[Effect]:
        effects = self._stop_input(at)
        self.locked = True
        self.returned = False
        return effects + self._recause(at)

    def unlock(self, at: datetime) -> list[Effect]:
        self.locked = False
        return self._recause(at)

    def suspend(self, at: datetime) -> list[Effect]:
        effects = self._stop_input(at)
        self.suspended = True
        self.returned = False
        return effects + self._recause(at)

    def resume(self, at: datetime) -> list[Effect]:
        self.suspended = False
        return self._recause(at)

    # ---- bouts ----------------------------------------------------------------------------------

    def deadline(self) -> datetime | None:
        """When the current pause becomes a natural break that ends the bout, if a bout is open."""
        if self.bout_start is None or self.input_on or self.last_input is None:
            return None
        return self.last_input + self.natural_break

    def close_if_due(self, now: datetime) -> list[Effect]:
        """End the bout at its last input once the pause has lasted ``natural_break``."""
        due = self.deadline()
        if due is None or now < due:
            return []
        return self._close_bout(self.last_input or now)

    def cut(self, at: datetime) -> list[Effect]:
        """End the bout now because a guided break starts; input does not count until it ends."""
        self.in_break = True
        return self._close_bout(at)

    def break_over(self, at: datetime) -> list[Effect]:
        """The guided break ended: input from now on starts a new bout."""
        self.in_break = False
        if self.input_on and self.bout_start is None:
            self.bout_start = at
            return [BoutOpened(at)]
        return []

    def restore(self, bout_start: datetime, last_input: datetime) -> list[Effect]:
        """Continue a bout recorded before a restart: no input since ``last_input``."""
        self.bout_start, self.last_input = bout_start, last_input
        self.input_on = False
        self._away_start, self._away_cause = last_input, AwayCause.IDLE
        return [BoutOpened(bout_start)]

    def finish(self, at: datetime) -> list[Effect]:
        """The observer stops: close input, the away segment and the bout."""
        effects = self._stop_input(at)
        effects += self._close_away(at)
        if self.bout_start is not None:
            effects += self._close_bout(self.last_input or at)
        return effects

    def sitting(self, now: datetime) -> timedelta:
        """Length of the open bout so far (short pauses included), zero without one."""
        if self.bout_start is None:
            return timedelta(0)
        return max(now - self.bout_start, timedelta(0))

    # ---- internals ------------------------------------------------------------------------------

    def _stop_input(self, at: datetime) -> list[Effect]:
        if not self.input_on:
            return []
        self.input_on = False
        self.last_input = self._away_start = at
        self._away_cause = AwayCause.SUSPEND if self.suspended else AwayCause.LOCK if self.locked else AwayCause.IDLE
        return []

    def _cause(self) -> AwayCause:
        if self.suspended:
            return AwayCause.SUSPEND
        return AwayCause.LOCK if self.locked else AwayCause.IDLE

    def _recause(self, at: datetime) -> list[Effect]:
        """Start a new away segment when the reason for being away changes."""
        if self.input_on or self._away_start is None or self._cause() == self._away_cause:
            return []
        effects = self._close_away(at)
        self._away_start, self._away_cause = at, self._cause()
        return effects

    def _close_away(self, at: datetime) -> list[Effect]:
        start, cause = self._away_start, self._away_cause
        self._away_start = self._away_cause = None
        if start is None or cause is None or at <= start:
            return []
        return [AwayClosed(start, at, cause)]

    def _close_bout(self, end: datetime) -> list[Effect]:
        start, self.bout_start = self.bout_start, None
        if start is None or end <= start:
            return []
        return [BoutClosed(start, end)]
