"""Which movement to offer next: rotation, self-check steering and the wall-drill progression.

Pure and deterministic: the same catalogue, state and answers always give the same choice. The state is
an immutable value that converts to and from a JSON-ready dict (``to_dict`` / ``CoachState.from_dict``),
so the daemon and the simulator can store it and replays give identical picks.

Choice rule: every enabled exercise scores the number of breaks since it was last done (never done
counts as done just before the first break), plus ``NEED_WEIGHT`` times the outstanding *need* of each
of its targets. Self-check answers raise needs the article's way (chest would not come down or hips
would not sit back: hamstrings and glutes; a rounding back: hip flexors) as the catalogue's checks
declare; completing an exercise works one unit of each need it targets off. The exercise done last is
never picked again straight away (unless it is the only one); ties go to catalogue order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from breaker.core.exercise import Catalogue

STATE_VERSION = 1
NEED_STEP = 2  # how much one steering answer adds to a target's need
NEED_MAX = 6  # needs stop growing here, so one bad week does not crowd out everything else
NEED_WEIGHT = 2  # score per unit of need, against one point per break since last done


class Pick(NamedTuple):
    """The coach's choice: an exercise id and its progression level (1 = first level)."""

    exercise_id: str
    level: int


@dataclass(frozen=True)
class CoachState:
    """What the coach remembers between breaks. Treat the mappings as read-only."""

    breaks: int = 0
    last: str | None = None
    seen: Mapping[str, int] = field(default_factory=dict)
    needs: Mapping[str, int] = field(default_factory=dict)
    levels: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``json.dumps`` works on it as is)."""
        return {
            "version": STATE_VERSION,
            "breaks": self.breaks,
            "last": self.last,
            "seen": dict(sorted(self.seen.items())),
            "needs": dict(sorted(self.needs.items())),
            "levels": dict(sorted(self.levels.items())),
        }

    @classmethod
    def from_dict(cls, raw: object) -> CoachState:
        """Rebuild a state from ``to_dict`` output; anything malformed falls back to a fresh value."""
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return cls()

        def ints(key: str) -> dict[str, int]:
            value = raw.get(key)
            if not isinstance(value, dict):
                return {}
            return {str(k): v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}

        breaks = raw.get("breaks")
        last = raw.get("last")
        return cls(
            breaks=breaks if isinstance(breaks, int) and breaks >= 0 else 0,
            last=last if isinstance(last, str) else None,
            seen=ints("seen"),
            needs=ints("needs"),
            levels=ints("levels"),
        )


class Coach:
    """Chooses exercises from a catalogue. Holds no state of its own: pass a ``CoachState`` in."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def level(self, state: CoachState, exercise_id: str) -> int:
        """The current progression level of an exercise (1-based, within its levels)."""
        count = self.catalogue.exercises[exercise_id].level_count() if exercise_id in self.catalogue.exercises else 1
        return min(count, max(1, state.levels.get(exercise_id, 1)))

    def scores(self, state: CoachState) -> dict[str, int]:
        """Each enabled exercise's score for the next pick (higher is more likely), in catalogue order."""
        result: dict[str, int] = {}
        for ex in self.catalogue.enabled():
            since = state.breaks - state.seen[ex.id] if ex.id in state.seen else state.breaks + 1
            need = sum(state.needs.get(target, 0) for target in ex.targets)
            result[ex.id] = since + NEED_WEIGHT * need
        return result

    def pick(self, state: CoachState, avoid: Collection[str] = ()) -> Pick:
        """The exercise for the next prompt. ``avoid`` lists ids not to offer now (when others exist)."""
        scores = self.scores(state)
        allowed = [eid for eid in scores if eid != state.last and eid not in avoid]
        if not allowed:
            allowed = [eid for eid in scores if eid != state.last] or list(scores)
        best = max(allowed, key=lambda eid: (scores[eid], -allowed.index(eid)))
        return Pick(best, self.level(state, best))

    def record(
        self, state: CoachState, exercise_id: str, result: str, answers: Mapping[str, str] | None = None
    ) -> CoachState:
        """The state after a break of ``exercise_id`` ended with ``result`` ("completed", "abandoned",
        or any other outcome) and these self-check ``answers`` ({check id: answer}). Unknown ids and
        answers are ignored, so old histories never break."""
        needs = dict(state.needs)
        levels = dict(state.levels)
        exercise = self.catalogue.exercises.get(exercise_id)
        if exercise is not None and result == "completed":
            for target in exercise.targets:
                if needs.get(target, 0) > 0:
                    needs[target] -= 1
        for check_id, answer in (answers or {}).items():
            check = self.catalogue.checks.get(check_id)
            if check is None:
                continue
            for target in check.steer.get(answer, ()):
                needs[target] = min(NEED_MAX, needs.get(target, 0) + NEED_STEP)
            step = check.level.get(answer, 0)
            if step and exercise is not None and exercise.levels:
                levels[exercise_id] = min(exercise.level_count(), max(1, self.level(state, exercise_id) + step))
        seen = {**state.seen, exercise_id: state.breaks}
        return CoachState(
            breaks=state.breaks + 1,
            last=exercise_id,
            seen=seen,
            needs={k: v for k, v in needs.items() if v > 0},
            levels=levels,
        )
