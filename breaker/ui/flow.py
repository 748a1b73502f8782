"""The guided break as a state machine, without any window: the Tk view drives it and shows ``view()``.

Time comes in as an argument (seconds on any monotonic clock), so the flow is tested without a display.
Every method returns the report events (JSON-ready dicts) it produced, in order (``guide_text.sound_for``
names the cue each should sound). With ``auto`` the break runs itself: cues move on after reading time, reps
are counted at the exercise's pace, holds run on their clock; Space then only moves on early. Without it
(counting by hand) Space or a click counts a rep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from breaker.core.exercise import READY_S, SWITCH_S, Check, Exercise, Step, read_seconds
from breaker.core.i18n import _, pgettext

Event = dict[str, Any]
SIDES = ("left", "right")
DEFAULT_PACE_S = 3.0


class Stage(NamedTuple):
    """One screen of the break: a step (``step_no`` 1-based), and for per-side holds which side."""

    step_no: int
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

    def __init__(self, exercise: Exercise, level: int, checks: Sequence[Check], hold_s: float | None = None,
                 ready_s: float = READY_S, *, auto: bool = False, switch_s: float = SWITCH_S) -> None:
        self.exercise, self.level, self.checks = exercise, level, list(checks)
        self.hold_override, self.ready_s, self.switch_s, self.auto = hold_s, ready_s, switch_s, auto
        lv = exercise.levels[level - 1] if exercise.levels and 1 <= level <= len(exercise.levels) else None
        self.wall = "wall" in exercise.props and (lv is None or lv.wall)
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
                "level": self.level, "steps": len(self.exercise.steps), "auto": self.auto}
        return [head, *self._enter(0, now)]

    def press(self, now: float) -> list[Event]:
        """Space, Enter or a click. By hand: count a rep, end a hold early, or go on from a cue.
        Running by itself: move on now (a set of reps ends where it is)."""
        if self.phase != "step":
            return []
        if self.auto or self.stage.step.kind != "reps":
            return self.next(now)
        return self._count(now)

    def next(self, now: float) -> list[Event]:
        """Move on to the next screen now."""
        if self.phase != "step":
            return []
        if self.stage.step.kind == "hold":
            return [self._held(now, early=True), *self._next(now)]
        return self._next(now)

    def set_auto(self, auto: bool, now: float) -> None:
        """Switch between counting by itself and counting by hand (the current set goes on from here)."""
        self.auto = auto
        if self.phase == "step" and self.stage.step.kind == "reps":
            self.stage_at = now - self.lead_s() - self.reps * self.pace_s()

    def tick(self, now: float) -> list[Event]:
        """Time passes: a hold whose time is up ends; running by itself, reps count and cues move on."""
        if self.phase != "step":
            return []
        step = self.stage.step
        if step.kind == "hold" and self.hold_left(now) <= 0:
            return [self._held(now, early=False), *self._next(now)]
        if self.auto and step.kind == "cue" and now - self.stage_at >= read_seconds(self.cue_text(step)):
            return self._next(now)
        if self.auto and step.kind == "reps" and now - self.stage_at - self.lead_s() >= (self.reps + 1) * self.pace_s():
            return self._count(now)
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

    def cue_text(self, step: Step) -> str:
        return step.text(self.wall)

    def pace_s(self) -> float:
        return self.exercise.pace_s or DEFAULT_PACE_S

    def lead_s(self) -> float:
        """Seconds to read a set's cue before the first counted rep."""
        return max(3.0, read_seconds(self.cue_text(self.stage.step)) / 2)

    def hold_seconds(self, step: Step) -> float:
        return self.hold_override if self.hold_override is not None else step.hold_s or 0.0

    def _ready(self) -> float:
        return self.switch_s if self.stage.side == SIDES[1] else min(self.ready_s, self.hold_seconds(self.stage.step) / 3)

    def ready_left(self, now: float) -> float:
        """Seconds left to get into position (or change sides) before a hold's clock runs."""
        return max(0.0, self._ready() - (now - self.stage_at))

    def hold_left(self, now: float) -> float:
        return self.hold_seconds(self.stage.step) - max(0.0, now - self.stage_at - self._ready())

    def side_label(self) -> str:
        """ "Right knee down"-style words for the current side ({Side} and {side} in the catalogue's label)."""
        stage = self.stage
        left = stage.side == SIDES[0]
        if not stage.step.side_label:
            return _("Left side") if left else _("Right side") if stage.side else ""
        template = stage.step.side_label
        # Translators: {Side} and {side} in an exercise's side label ("{Side} knee down") become these words.
        big = pgettext("side", "Left") if left else pgettext("side", "Right")
        small = pgettext("side", "left") if left else pgettext("side", "right")
        return template.replace("{Side}", big if stage.side else "").replace("{side}", small if stage.side else "")

    def view(self, now: float) -> View:
        """The screen for ``now``."""
        progress = (self.index + (self.phase != "step")) / len(self.stages)
        title, steps = self.exercise.name, len(self.exercise.steps)
        if self.phase == "check":
            return View("check", title, 1.0, steps, steps, question=self.check.text(self.wall),
                        answers=self.check.answers, check_no=len(self.answers) + 1, checks=len(self.checks))
        if self.phase != "step":
            return View("done", title, 1.0, steps, steps)
        stage, step = self.stage, self.stage.step
        counter = detail = ""
        if step.kind == "reps":
            counter, detail = self._rep_counter(step, now)
        elif step.kind == "hold":
            label = self.side_label() if stage.side else step.timer_label
            if self.ready_left(now) > 0:
                verb = _("Switch sides") if stage.side == SIDES[1] else _("Get ready")
                counter, detail = f"{int(self.ready_left(now) + 0.999)}", f"{verb} · {label}"
            else:
                left = max(0, int(self.hold_left(now) + 0.999))
                counter, detail = f"{left // 60}:{left % 60:02d}", label
        return View("step", title, progress, stage.step_no, steps, self.cue_text(step), step.kind, counter, detail)

    def _rep_counter(self, step: Step, now: float) -> tuple[str, str]:
        least, most = step.reps or 0, step.reps_max or step.reps or 0
        if self.auto and self.reps == 0 and now - self.stage_at < self.lead_s():
            return f"{int(self.lead_s() - (now - self.stage_at) + 0.999)}", _("Get ready")
        target = f"{least}–{most}" if most > least else f"{least}"
        if self.reps >= least and most > least:
            # Translators: under the rep counter ("12 / 20"), once the least number of reps is done.
            return f"{self.reps} / {most}", _("reps · enough now, more if it feels good")
        # Translators: under the rep counter ("3 / 15–20").
        return f"{self.reps} / {target}", _("reps")

    # ---- internals ------------------------------------------------------------------------------
    def _count(self, now: float) -> list[Event]:
        step = self.stage.step
        self.reps += 1
        self.total_reps += 1
        most = step.reps_max or step.reps or 0
        events = [{"event": "rep", "step": self.stage.step_no, "count": self.reps, "of": step.reps, "most": most}]
        if self.reps >= most:
            events += self._next(now)
        return events

    def _enter(self, index: int, now: float) -> list[Event]:
        self.index, self.reps, self.stage_at = index, 0, now
        stage = self.stage
        event: Event = {"event": "step", "step": stage.step_no, "kind": stage.step.kind,
                        "tags": list(stage.step.tags)}
        if stage.step.kind == "reps":
            event["reps"] = stage.step.reps
            event["reps_max"] = stage.step.reps_max or stage.step.reps
        if stage.step.kind == "hold":
            event["hold_s"] = self.hold_seconds(stage.step)
        if stage.side:
            event["side"] = stage.side
            event["label"] = self.side_label()
        return [event]

    def _next(self, now: float) -> list[Event]:
        if self.index + 1 < len(self.stages):
            return self._enter(self.index + 1, now)
        if self.checks:
            self.phase = "check"
            return []
        return [self._finish("completed", now)]

    def _held(self, now: float, early: bool) -> Event:
        hold = self.hold_seconds(self.stage.step)
        held = round(max(0.0, min(hold, hold - self.hold_left(now))), 1)
        event: Event = {"event": "hold", "step": self.stage.step_no, "held_s": held, "early": early}
        if self.stage.side:
            event["side"] = self.stage.side
        return event

    def _finish(self, result: str, now: float, reason: str | None = None) -> Event:
        answers = dict(self.answers)
        if result == "completed" and any(step.reps for step in self.exercise.steps):
            answers["reps"] = str(self.total_reps)  # the coach counts only full sets toward a step up
        event: Event = {"event": result, "exercise": self.exercise.id, "level": self.level,
                        "reps": self.total_reps, "answers": answers, "elapsed_s": round(now - self.started_at, 1)}
        if result == "abandoned":
            event["step"] = self.stage.step_no if self.phase == "step" else None
            event["reason"] = reason
        self.phase = result
        return event
