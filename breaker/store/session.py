"""Performs the core's effects on storage: the one place that turns engine output into database rows.

Both the daemon and ``breaker simulate`` drive an ``Engine`` through a ``Session``, so a replayed trace
writes exactly what the daemon would have written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from breaker.core.engine import Engine
from breaker.core.models import (
    AwayClosed,
    BoutClosed,
    BoutOpened,
    BreakFinished,
    BreakResult,
    BreakStarted,
    Effect,
    PromptClosed,
    PromptShown,
)
from breaker.store.storage import Storage


class ExerciseChooser(Protocol):
    """Chooses the movement for each prompt and learns from finished breaks (the coach, persisted)."""

    def choose(self) -> tuple[str, int | None]: ...

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None: ...


class RowWriter(Protocol):
    """Where a session's rows go: ``Storage`` itself (the daemon), or a replay's ``BulkRows``."""

    def add_bout(self, start: datetime, end: datetime, sit_limit_s: float | None = None) -> int: ...

    def add_away(self, start: datetime, end: datetime, cause: str) -> int: ...

    def add_prompt(self, at: datetime, bout_start: datetime, exercise: str, level: int | None) -> int: ...

    def answer_prompt(self, prompt_id: int, answered_at: datetime) -> None: ...

    def close_prompt(self, prompt_id: int, outcome: str, answered_at: datetime | None, at: datetime) -> None: ...

    def add_break(self, prompt_id: int | None, exercise: str, level: int | None, started: datetime) -> int: ...

    def finish_break(self, break_id: int, ended: datetime, result: str, answers: str | None) -> None: ...


@dataclass
class Shown:
    """What the outside world needs to show a prompt: the effect plus the stored row and exercise."""

    effect: PromptShown
    prompt_id: int
    exercise: str
    level: int | None


@dataclass
class Session:
    """An engine bound to a database and an exercise chooser."""

    engine: Engine
    storage: Storage
    chooser: ExerciseChooser
    on_effect: Callable[[Effect | Shown], None] | None = None
    _prompts: dict[int, Shown] = field(default_factory=dict)
    _break: tuple[int, str, int | None] | None = None  # (row id, exercise, level) of the running break
    answers: dict[str, Any] | None = None  # self-check answers of the running break, set by the caller
    next_exercise: tuple[str, int | None] | None = None  # the user's own choice for the next unprompted break
    rows: InitVar[RowWriter | None] = None  # where rows go (None: ``storage``, written as they happen)
    writer: RowWriter = field(init=False)

    def __post_init__(self, rows: RowWriter | None) -> None:
        self.writer = self.storage if rows is None else rows

    def run(self, step: Callable[[Engine], list[Effect]]) -> list[Effect]:
        """Apply one engine call and record its effects in one transaction."""
        with self.storage.transaction():
            effects = step(self.engine)
            for effect in effects:
                self._record(effect)
        return effects

    def record(self, effects: list[Effect]) -> None:
        """Record what an engine call returned, with no unit of its own: a replay's units are its commits
        (a step that fails stops the replay, and nothing after the last commit is kept)."""
        for effect in effects:
            self._record(effect)

    def prompt(self, number: int) -> Shown | None:
        """The stored prompt behind an open engine prompt number."""
        return self._prompts.get(number)

    def _record(self, effect: Effect) -> None:
        store = self.writer
        shown: Effect | Shown = effect
        # type(...) is: the effects are final classes, and this runs for every event of a replay
        if type(effect) is BoutOpened:
            pass  # nothing to write (the bout's row is written when it closes)
        elif type(effect) is AwayClosed:
            store.add_away(effect.start, effect.end, effect.cause._value_)  # _value_: no enum property lookup
        elif type(effect) is BoutClosed:
            store.add_bout(effect.start, effect.end, self.engine.rules.sit_limit.total_seconds())
        elif type(effect) is PromptShown:
            exercise, level = self.chooser.choose()
            row = store.add_prompt(effect.at, effect.bout_start, exercise, level)
            shown = self._prompts[effect.number] = Shown(effect, row, exercise, level)
        elif type(effect) is PromptClosed:
            closed = self._prompts.pop(effect.number, None)
            if closed is not None:
                outcome = effect.outcome._value_
                store.close_prompt(closed.prompt_id, outcome, effect.answered_at, effect.at)
                if outcome in ("skipped", "dismissed", "ignored"):  # the coach offers another next
                    self.chooser.learn(closed.exercise, closed.level, outcome, None)
        elif type(effect) is BreakStarted:
            self._start_break(effect)
        elif type(effect) is BreakFinished:
            self._finish_break(effect.at, effect.result)
        if self.on_effect is not None:
            self.on_effect(shown)

    def _start_break(self, effect: BreakStarted) -> None:
        source = self._prompts.get(effect.prompt) if effect.prompt is not None else None
        if source is not None:
            exercise, level, prompt_id = source.exercise, source.level, source.prompt_id
            self.writer.answer_prompt(prompt_id, effect.at)
        else:
            (exercise, level), prompt_id = self.next_exercise or self.chooser.choose(), None
            self.next_exercise = None
        row = self.writer.add_break(prompt_id, exercise, level, effect.at)
        self._break = (row, exercise, level)
        self.answers = None

    def _finish_break(self, at: datetime, result: BreakResult) -> None:
        if self._break is None:
            return
        row, exercise, level = self._break
        self._break = None
        answers = json.dumps(self.answers, sort_keys=True) if self.answers else None
        self.writer.finish_break(row, at, result.value, answers)
        self.chooser.learn(exercise, level, result.value, self.answers)
        self.answers = None

    @property
    def running_break(self) -> tuple[str, int | None] | None:
        """(exercise, level) of the guided break in progress."""
        return None if self._break is None else self._break[1:]
