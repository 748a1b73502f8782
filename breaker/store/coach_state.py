"""The coach bound to the database: its state lives in the ``state`` table between prompts and runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from breaker.catalogue import load_catalogue
from breaker.config import Config
from breaker.core.coach import EASY_SETS, SKIPS, Coach, CoachState, Pick
from breaker.core.coach_memory import Draft
from breaker.core.i18n import _
from breaker.store.storage import Storage
from breaker.store.writequeue import Later

STATE_KEY = "coach"
NOTICE_KEY = "safety-notice"  # set once the one-time safety notice has been shown

_encode = json.JSONEncoder(sort_keys=True).encode  # json.dumps(..., sort_keys=True), made once


class StoredCoach:
    """Chooses each prompt's exercise with the coach and remembers what the user reported."""

    def __init__(self, coach: Coach, storage: Storage, today: Callable[[], date] = date.today) -> None:
        self.coach = coach
        self.storage = storage
        self.today = today  # the local date: decay and rest days count calendar days
        self._read: tuple[str | Later | None, CoachState] | None = None  # the last stored value and its state
        # the pick depends on the state and day only: (state, day, exercise, level, reason or None: not made)
        self._picked: tuple[CoachState, int, str, int, str | None] | None = None
        self.holding = False  # a replay: changes wait here (``held``) until ``write_held``, before each commit
        self.held: CoachState | None = None  # the newest state, not yet handed to the storage
        self._draft: Draft | None = None  # while holding, prompts passed on change this (``held`` is its base)

    def write_held(self) -> None:
        """Hand the held state to the storage (a replay, before it commits): of the thousands of changes
        between two commits only the newest would be written anyway."""
        held = self._freeze()
        if held is not None:
            value = Later(lambda: _encode(held.to_dict()))
            self.storage.set_state(STATE_KEY, value)
            self._read = (value, held)  # what reading it back would give: nothing to parse
            self.held = None

    def _freeze(self) -> CoachState | None:
        """``held``, with the prompts passed on since it was set."""
        if self._draft is not None:
            self.held, self._draft = self._draft.freeze(), None
        return self.held

    def state(self) -> CoachState:
        if self.held is not None:
            return self._freeze() or self.held
        raw = self.storage.state_value(STATE_KEY)
        if self._read is not None and (self._read[0] is raw or self._read[0] == raw):
            return self._read[1]
        text = raw.text() if isinstance(raw, Later) else raw
        try:
            state = CoachState.from_dict(json.loads(text)) if text else CoachState()
        except json.JSONDecodeError:
            state = CoachState()
        self._read = (raw, state)
        return state

    def pick(self) -> Pick:
        """The coach's next choice, with its level and the reason in one line."""
        state, day = self.state(), self.today().toordinal()
        picked = self._picked
        if picked is None or picked[0] is not state or picked[1] != day or picked[4] is None:
            pick = self.coach.pick(state, day=day)
            self._picked = (state, day, pick.exercise_id, pick.level, pick.reason)
            return pick
        return Pick(picked[2], picked[3], picked[4])

    def choose(self) -> tuple[str, int | None]:
        """The next prompt's (exercise, level); its reason is made only if asked for (``reason``)."""
        if self._draft is not None:  # a replay's usual case (it changes in place: nothing to cache by)
            return self.coach.choose(self._draft, self.today().toordinal())
        state = self.held if self.held is not None else self.state()  # (held: a replay's usual case)
        day = self.today().toordinal()
        picked = self._picked
        if picked is None or picked[0] is not state or picked[1] != day:
            exercise, level = self.coach.choose(state, day)
            self._picked = picked = (state, day, exercise, level, None)
        return picked[2], picked[3]

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None:
        """Record how a prompt or break ended (skips too: the next prompt then offers another movement)."""
        if result in SKIPS and self.holding:  # a replay's prompt passed on: the draft changes in place
            draft = self._draft
            if draft is None:
                self.held = state = self.held if self.held is not None else self.state()
                draft = self._draft = Draft(state)
            self.coach.pass_draft(draft, exercise, result, self.today().toordinal())
            return
        state = self.state()
        if result in SKIPS:  # a prompt passed on: answers and level are not read
            state = self.coach.passed(state, exercise, result, self.today().toordinal())
        else:
            clean = {str(k): str(v) for k, v in answers.items()} if answers else {}
            state = self.coach.record(state, exercise, result, clean, level, self.today().toordinal())
        if self.holding:  # a replay: ``write_held`` hands the newest to the storage before each commit
            self.held = state
            return
        value = Later(lambda: _encode(state.to_dict()))
        self.storage.set_state(STATE_KEY, value)
        self._read = (value, state)  # what reading it back would give: nothing to parse

    def level(self, exercise: str) -> int:
        """The level the coach would give ``exercise`` now."""
        return self.coach.level(self.state(), exercise, self.today().toordinal())

    def reason(self, exercise: str) -> str:
        """Why the coach chose ``exercise`` (empty when it would not have)."""
        pick = self.pick()
        return pick.reason if pick.exercise_id == exercise else ""

    def progress(self, exercise: str, level: int, answers: dict[str, str]) -> str:
        """One line for the end screen: where these answers leave the progression (nothing is stored)."""
        ex = self.coach.catalogue.exercises.get(exercise)
        if ex is None:
            return ""
        today = self.today().toordinal()
        after = self.coach.record(self.state(), exercise, "completed", answers, level=level, day=today)
        rest = after.rest_until.get(exercise, 0) > today
        if rest:
            return _("It hurt: this movement rests for a few days, and the next one will be gentler.")
        if not ex.levels:
            return ""
        new = self.coach.level(after, exercise, today)
        if new > level:
            # Translators: the end screen of a guided break; {label} is a level's label as in the catalogue.
            return _("Next time, level {level}: {label}.").format(level=new, label=ex.levels[new - 1].label)
        if new < level:
            return _("Next time, level {level}: a little easier.").format(level=new)
        if new == ex.level_count():
            return _("You are on the last level: keep your back flat and your hips travelling back.")
        sets = after.easy.get(exercise, 0)
        return _("Easy sets with a flat back and hips at the wall: {sets} of {needed} toward level {level}.").format(
            sets=sets, needed=EASY_SETS, level=level + 1)

    def notice_due(self) -> bool:
        """Whether the one-time safety notice has yet to be shown; marks it shown."""
        if self.storage.get_state(NOTICE_KEY):
            return False
        with self.storage.transaction():
            self.storage.set_state(NOTICE_KEY, self.today().isoformat())
        if self.storage.pending and not self.storage.flush(wait_s=0):
            self.storage.discard_waiting()  # not recorded (a locked or full disk): show it next time instead
            return False
        return True


def chooser_for(storage: Storage, config: Config, today: Callable[[], date] = date.today) -> StoredCoach:
    """The coach over the packaged catalogue plus the user's own exercises; ``today`` gives the local date."""
    catalogue = load_catalogue(config.exercises, str(config.path or "config"))
    return StoredCoach(Coach(catalogue), storage, today)


class FixedChooser:
    """Always the same exercise: for tests of the engine's record that do not look at the coach."""

    def __init__(self, exercise: str = "wall-hinge", level: int | None = 1) -> None:
        self.exercise, self.level = exercise, level

    def choose(self) -> tuple[str, int | None]:
        return self.exercise, self.level

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None:
        pass
