"""Performs the core's effects on storage: the one place that turns engine output into database rows.

Both the daemon and ``breaker simulate`` drive an ``Engine`` through a ``Session``, so a replayed trace
writes exactly what the daemon would have written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from breaker.core.engine import Engine
from breaker.core.models import (
    AwayClosed,
    BoutClosed,
    BreakFinished,
    BreakResult,
    BreakStarted,
    Effect,
    PromptClosed,
    PromptShown,
    Rules,
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


class Shown(NamedTuple):
    """What the outside world needs to show a prompt: the effect plus the stored row and exercise (a named
    tuple: a replay makes one per prompt, through ``tuple.__new__``)."""

    effect: PromptShown
    prompt_id: int
    exercise: str
    level: int | None


_new_shown = tuple.__new__  # Shown's own __new__ is a Python function taking the fields one by one


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
    _limit: tuple[Rules | None, float] = field(default=(None, 0.0), init=False, repr=False)  # the rules and their sit_limit in seconds (bout rows)

    def __post_init__(self, rows: RowWriter | None) -> None:
        self.writer = self.storage if rows is None else rows

    def run(self, step: Callable[[Engine], list[Effect]]) -> list[Effect]:
        """Apply one engine call and record its effects in one transaction."""
        with self.storage.transaction():
            effects = step(self.engine)
            self.record(effects)
        return effects

    def record(self, effects: list[Effect]) -> None:
        """Record what an engine call returned, with no unit of its own (``run`` gives it one; a replay's
        units are its commits: a step that fails stops the replay, and nothing after the last commit is kept)."""
        store = self.writer
        for effect in effects:  # one pass, effects told apart by type() is: they are final classes
            shown: Effect | Shown = effect
            kind = type(effect)
            if kind is AwayClosed:
                store.add_away(effect.start, effect.end, effect.cause._value_)  # _value_: no enum property lookup
            elif kind is PromptShown:
                exercise, level = self.chooser.choose()
                row = store.add_prompt(effect.at, effect.bout_start, exercise, level)
                shown = self._prompts[effect.number] = _new_shown(Shown, (effect, row, exercise, level))
            elif kind is PromptClosed:
                closed = self._prompts.pop(effect.number, None)
                if closed is not None:
                    outcome = effect.outcome._value_
                    store.close_prompt(closed.prompt_id, outcome, effect.answered_at, effect.at)
                    if outcome in ("skipped", "dismissed", "ignored"):  # the coach offers another next
                        self.chooser.learn(closed.exercise, closed.level, outcome, None)
            elif kind is BoutClosed:
                rules = self.engine.rules
                if rules is not self._limit[0]:
                    self._limit = (rules, rules.sit_limit.total_seconds())
                store.add_bout(effect.start, effect.end, self._limit[1])
            elif kind is BreakStarted:
                self._start_break(effect)
            elif kind is BreakFinished:
                self._finish_break(effect.at, effect.result)
            if self.on_effect is not None:  # BoutOpened and Notice: nothing to write
                self.on_effect(shown)

    def prompt(self, number: int) -> Shown | None:
        """The stored prompt behind an open engine prompt number."""
        return self._prompts.get(number)

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
