"""The guided break as a state machine, without any window: the Tk view drives it and shows ``view()``.

Time comes in as an argument (seconds on any monotonic clock), so the flow is tested without a display.
Every method returns the report events (JSON-ready dicts) it produced, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from breaker.core.exercise import Check, Exercise, Step

Event = dict[str, Any]
SIDES = ("left", "right")


@dataclass(frozen=True)
class Stage:
    """One screen of the break: a step, and for per-side holds which side."""

    step_no: int  # 1-based
    step: Step
    side: str | None


@dataclass(frozen=True)
class View:
    """What the window shows right now."""

    phase: str  # "step", "check" or "done"
    title: str
    progress: float  # 0..1
    step_no: int = 0
    steps: int = 0
    cue: str = ""
    kind: str = ""
    counter: str = ""
    detail: str = ""
    question: str = ""
    answers: tuple[str, ...] = ()
    check_no: int = 0
    checks: int = 0


class Flow:
    """Walks one exercise: steps (reps counted, holds timed per side), then the self-check."""

    def __init__(self, exercise: Exercise, level: int, checks: Sequence[Check],
                 hold_s: float | None = None, ready_s: float = 3.0) -> None:
        self.exercise, self.level, self.checks = exercise, level, list(checks)
        self.hold_override, self.ready_s = hold_s, ready_s
        self.stages = [Stage(i + 1, step, side) for i, step in enumerate(exercise.steps)
                       for side in (SIDES if step.sides and step.kind == "hold" else (None,))]
        self.index, self.reps, self.total_reps = 0, 0, 0
        self.answers: dict[str, str] = {}
        self.phase = "new"
        self.started_at = self.stage_at = 0.0

    # ---- inputs ---------------------------------------------------------------------------------
    def start(self, now: float) -> list[Event]:
        """Begin: report ``started`` and the first step."""
        self.phase, self.started_at = "step", now
        head = {"event": "started", "exercise": self.exercise.id, "name": self.exercise.name,
                "level": self.level, "steps": len(self.exercise.steps)}
        return [head, *self._enter(0, now)]

    def press(self, now: float) -> list[Event]:
        """Space, Enter or a click: count a rep, end a hold early, or go on from a cue."""
        if self.phase != "step":
            return []
        stage = self.stage
        if stage.step.kind == "reps":
            self.reps += 1
            self.total_reps += 1
            events = [{"event": "rep", "step": stage.step_no, "count": self.reps, "of": stage.step.reps}]
            if self.reps >= (stage.step.reps or 0):
                events += self._next(now)
            return events
        if stage.step.kind == "hold":
            return [self._held(now, early=True), *self._next(now)]
        return self._next(now)

    def tick(self, now: float) -> list[Event]:
        """Time passes: a hold whose time is up ends by itself."""
        if self.phase == "step" and self.stage.step.kind == "hold" and self.hold_left(now) <= 0:
            return [self._held(now, early=False), *self._next(now)]
        return []

    def answer(self, choice: int, now: float) -> list[Event]:
        """The user picked answer number ``choice`` (0-based) of the current self-check question."""
        if self.phase != "check" or not 0 <= choice < len(self.check.answers):
            return []
        check = self.check
        self.answers[check.id] = check.answers[choice]
        events: list[Event] = [{"event": "check", "id": check.id, "answer": check.answers[choice]}]
        if len(self.answers) >= len(self.checks):
            events.append(self._finish("completed", now))
        return events

    def stop(self, now: float, reason: str) -> list[Event]:
        """Esc or a closed window. Esc during the self-check skips the questions (the movement is done)."""
        if self.phase == "check" and reason == "escape":
            return [self._finish("completed", now)]
        if self.phase in ("step", "check", "new"):
            return [self._finish("abandoned", now, reason=reason)]
        return []

    # ---- state ----------------------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return self.stages[self.index]

    @property
    def check(self) -> Check:
        return self.checks[len(self.answers)]

    def hold_seconds(self, step: Step) -> float:
        return self.hold_override if self.hold_override is not None else step.hold_s or 0.0

    def ready_left(self, now: float) -> float:
        """Seconds left to get into position before a hold's clock runs."""
        return max(0.0, min(self.ready_s, self.hold_seconds(self.stage.step) / 3) - (now - self.stage_at))

    def hold_left(self, now: float) -> float:
        ready = min(self.ready_s, self.hold_seconds(self.stage.step) / 3)
        return self.hold_seconds(self.stage.step) - max(0.0, now - self.stage_at - ready)

    def view(self, now: float) -> View:
        """The screen for ``now``."""
        done = self.index + (self.phase != "step")
        progress = done / len(self.stages)
        title, steps = self.exercise.name, len(self.exercise.steps)
        if self.phase == "check":
            return View("check", title, 1.0, steps, steps, question=self.check.question,
                        answers=self.check.answers, check_no=len(self.answers) + 1, checks=len(self.checks))
        if self.phase != "step":
            return View("done", title, 1.0, steps, steps)
        stage, step = self.stage, self.stage.step
        counter = detail = ""
        if step.kind == "reps":
            counter, detail = f"{self.reps} / {step.reps}", "reps"
        elif step.kind == "hold":
            side = f"{stage.side.capitalize()} side" if stage.side else "Hold"
            if self.ready_left(now) > 0:
                counter, detail = f"{int(self.ready_left(now) + 0.999)}", f"Get ready · {side}"
            else:
                left = max(0, int(self.hold_left(now) + 0.999))
                counter, detail = f"{left // 60}:{left % 60:02d}", side
        return View("step", title, progress, stage.step_no, steps, step.cue, step.kind, counter, detail)

    # ---- internals ------------------------------------------------------------------------------
    def _enter(self, index: int, now: float) -> list[Event]:
        self.index, self.reps, self.stage_at = index, 0, now
        stage = self.stage
        event: Event = {"event": "step", "step": stage.step_no, "kind": stage.step.kind,
                        "tags": list(stage.step.tags)}
        if stage.step.kind == "reps":
            event["reps"] = stage.step.reps
        if stage.step.kind == "hold":
            event["hold_s"] = self.hold_seconds(stage.step)
        if stage.side:
            event["side"] = stage.side
        return [event]

    def _next(self, now: float) -> list[Event]:
        if self.index + 1 < len(self.stages):
            return self._enter(self.index + 1, now)
        if self.checks:
            self.phase = "check"
            return []
        return [self._finish("completed", now)]

    def _held(self, now: float, early: bool) -> Event:
        held = max(0.0, min(self.hold_seconds(self.stage.step), self.hold_seconds(self.stage.step) - self.hold_left(now)))
        event: Event = {"event": "hold", "step": self.stage.step_no, "held_s": round(held, 1), "early": early}
        if self.stage.side:
            event["side"] = self.stage.side
        return event

    def _finish(self, result: str, now: float, reason: str | None = None) -> Event:
        event: Event = {"event": result, "exercise": self.exercise.id, "level": self.level,
                        "reps": self.total_reps, "answers": dict(self.answers),
                        "elapsed_s": round(now - self.started_at, 1)}
        if result == "abandoned":
            event["step"] = self.stage.step_no if self.phase == "step" else None
            event["reason"] = reason
        self.phase = result
        return event
