"""The coach bound to the database: its state lives in the ``state`` table between prompts and runs."""

from __future__ import annotations

import json
from typing import Any

from breaker.catalogue import load_catalogue
from breaker.config import Config
from breaker.core.coach import Coach, CoachState
from breaker.store.storage import Storage

STATE_KEY = "coach"


class StoredCoach:
    """Chooses each prompt's exercise with the coach and remembers what the user reported."""

    def __init__(self, coach: Coach, storage: Storage) -> None:
        self.coach = coach
        self.storage = storage
        self._read: tuple[str | None, CoachState] | None = None  # the last stored text and its state
        self._picked: tuple[CoachState, tuple[str, int | None]] | None = None

    def state(self) -> CoachState:
        raw = self.storage.get_state(STATE_KEY)
        if self._read is not None and self._read[0] == raw:
            return self._read[1]
        try:
            state = CoachState.from_dict(json.loads(raw)) if raw else CoachState()
        except json.JSONDecodeError:
            state = CoachState()
        self._read = (raw, state)
        return state

    def choose(self) -> tuple[str, int | None]:
        state = self.state()
        if self._picked is None or self._picked[0] is not state:  # the pick depends on the state only
            pick = self.coach.pick(state)
            self._picked = (state, (pick.exercise_id, pick.level))
        return self._picked[1]

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None:
        clean = {str(k): str(v) for k, v in (answers or {}).items()}
        state = self.coach.record(self.state(), exercise, result, clean)
        self.storage.set_state(STATE_KEY, json.dumps(state.to_dict(), sort_keys=True))


def chooser_for(storage: Storage, config: Config) -> StoredCoach:
    """The coach over the packaged catalogue plus the user's own exercises."""
    catalogue = load_catalogue(config.exercises, str(config.path or "config"))
    return StoredCoach(Coach(catalogue), storage)


class FixedChooser:
    """Always the same exercise: for tests of the engine's record that do not look at the coach."""

    def __init__(self, exercise: str = "wall-hinge", level: int | None = 1) -> None:
        self.exercise, self.level = exercise, level

    def choose(self) -> tuple[str, int | None]:
        return self.exercise, self.level

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None:
        pass
