"""The engine's observation methods (``active``, ``idle``, ``lock``, ...), each made once from the tracker's
step: catch up to the observation's time, apply it, let the policy react."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from breaker.core.models import AwayClosed, Effect
from breaker.core.policy import BreakPolicy
from breaker.core.tracker import SittingTracker


class Observed(Protocol):
    """What an observation method uses of the engine."""

    tracker: SittingTracker
    policy: BreakPolicy
    now: datetime | None
    _told: datetime | None

    def advance(self, now: datetime, *, prompts_at_now: bool = True) -> list[Effect]: ...

    def _apply(self, tracker_effects: list[Effect], at: datetime) -> list[Effect]: ...


def observer(step: Callable[[SittingTracker, datetime], list[Effect]]) -> Callable[[Observed, datetime], list[Effect]]:
    """An observation method: catch up to ``at``, then the tracker's ``step`` and the policy's reaction.
    Made once per kind (not one method calling another with the step: this runs for every trace line)."""

    def observe(self: Observed, at: datetime) -> list[Effect]:
        effects = self.advance(at)
        at = self._told = self.now or at
        tracked = step(self.tracker, at)
        if tracked:
            # away time alone (half of all observations) changes nothing for the policy while a bout runs
            if len(tracked) > 1 or type(tracked[0]) is not AwayClosed or (
                    self.tracker.bout_start is None and self.policy.prompt is not None):
                tracked = self._apply(tracked, at)
        elif self.policy.prompt is not None and self.tracker.bout_start is None:
            tracked = self._apply(tracked, at)
        if effects:
            effects += tracked
            return effects
        return tracked

    observe.__name__, observe.__qualname__ = step.__name__, f"Engine.{step.__name__}"
    observe.__doc__ = step.__doc__
    return observe
