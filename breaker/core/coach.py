"""Which movement to offer next: rotation, self-check steering, variety and the wall-drill progression.

Pure and deterministic: the same catalogue, state, answers and ``day`` (a date ordinal the caller passes;
the core never reads a clock) always give the same choice. The state is an immutable JSON-ready value.

Choice rule: every offered exercise scores the breaks since it was last offered, plus ``NEED_WEIGHT``
times the outstanding *need* of its targets (self-check answers raise needs the article's way: chest or
hips stopped short -> hamstrings and glutes; a rounding back -> hip flexors; "tight" -> that stretch).
The last one offered is never offered again straight away, so a skipped, dismissed or ignored prompt is
followed by another movement (a snooze is not recorded, so it keeps the same one). Once a day has had a
prompt, each stretch not yet offered that day comes first. A movement that hurt rests ``REST_DAYS``, and
one with an ``alternative`` (kneeling -> standing) is replaced by it from then on.

Progression is earned: the level goes up only after ``EASY_SETS`` full sets (all reps, every question
answered) rated easy with nothing else flagged; it goes down on a rounding back, "hard" or "it hurt", and
one step after ``DECAY_DAYS`` without the drill. The level recorded is the one actually done.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from breaker.core.coach_memory import SKIPS, CoachState, Draft, evolve
from breaker.core.coach_reason import CAUSES, SOME_CHECK, reason
from breaker.core.exercise import Catalogue, Exercise

NEED_STEP, NEED_MAX, NEED_WEIGHT = 2, 6, 2
EASY_SETS = 2  # easy full sets at a level before it steps up
DECAY_DAYS = 14  # this long without the drill steps it back one level
REST_DAYS = 3  # a movement that hurt is not offered for this many days


class Pick(NamedTuple):
    """The coach's choice: an exercise id, its progression level (1 = first level) and why, in one line."""

    exercise_id: str
    level: int
    reason: str = ""


class Coach:
    """Chooses exercises from a catalogue. Holds no state of its own: pass a ``CoachState`` in."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._rotation: dict[tuple[str, ...], tuple[Exercise, ...]] = {}  # ``offered`` by ``swapped``
        self._plans: dict[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]] = {}  # ``_targets``
        self._stretches = frozenset(e.id for e in catalogue.exercises.values() if e.kind == "stretch")
        self._counts = {eid: ex.level_count() for eid, ex in catalogue.exercises.items()}  # for ``level``
        self._bonus: tuple[Mapping[str, int], tuple[str, ...], tuple[tuple[str, int, bool], ...]] | None = None
        self._unique: tuple[str, ...] = ()  # the last ``day_seen`` known to hold no id twice (``passed``)

    def level(self, state: CoachState | Draft, exercise_id: str, day: int | None = None) -> int:
        """The level to do next (1-based): the stored one, one lower after ``DECAY_DAYS`` without it."""
        count = self._counts.get(exercise_id, 1)
        level = state.levels.get(exercise_id, 1) if state.levels else 1
        if day is not None and state.done_day:
            last_done = state.done_day.get(exercise_id)
            if last_done is not None and day - last_done >= DECAY_DAYS:
                level -= 1
        return 1 if level < 1 else count if level > count else level

    def offered(self, state: CoachState) -> list[Exercise]:
        """The exercises in rotation: enabled ones, each that hurt replaced by its alternative."""
        return list(self._offered(tuple(state.swapped)))

    def _offered(self, swapped: tuple[str, ...]) -> tuple[Exercise, ...]:
        """``offered``, worked out once per ``swapped`` (the catalogue does not change)."""
        rotation = self._rotation.get(swapped)
        if rotation is None:
            out: list[Exercise] = []
            for ex in self.catalogue.enabled():
                alt = self.catalogue.exercises.get(ex.alternative or "")
                out.append(alt if alt is not None and ex.id in swapped else ex)
            rotation = self._rotation[swapped] = tuple(out)
        return rotation

    def scores(self, state: CoachState | Draft) -> dict[str, int]:
        """Each offered exercise's score for the next pick (higher is more likely), in catalogue order."""
        breaks, seen, needs = state.breaks, state.seen, state.needs
        result: dict[str, int] = {}
        for eid, targets in self._targets(tuple(state.swapped)):
            since = breaks - seen[eid] if eid in seen else breaks + 1
            if needs:
                since += NEED_WEIGHT * sum([needs.get(t, 0) for t in targets])
            result[eid] = since
        return result

    def _targets(self, swapped: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(id, targets) of each offered exercise (they run for every prompt of a replay)."""
        plan = self._plans.get(swapped)
        if plan is None:
            plan = self._plans[swapped] = tuple((ex.id, tuple(ex.targets)) for ex in self._offered(swapped))
        return plan

    def pick(self, state: CoachState | Draft, avoid: Collection[str] = (), day: int | None = None,
             explain: bool = True) -> Pick:
        """The exercise for the next prompt. ``avoid`` lists ids not to offer now (when others exist).
        ``explain=False`` leaves the reason empty (the choice is the same; the reason costs its making)."""
        day = state.day if day is None else day
        quick = None if avoid or (state.rest_until and day is not None) else self._quick(state, day)
        if quick is not None:
            best, quota = quick
            return Pick(best, self.level(state, best, day), self._reason(state, best, quota) if explain else "")
        scores = self.scores(state)
        last, rest_until = state.last, state.rest_until
        if rest_until or avoid:
            resting = {eid for eid, until in rest_until.items() if day is not None and day < until}
            allowed = [e for e in scores if e != last and e not in avoid and e not in resting]
        else:
            allowed = [e for e in scores if e != last]
        if not allowed:
            allowed = [e for e in scores if e != last] or list(scores)
        today = state.day_seen if day is not None and day == state.day else ()
        missing = [e for e in allowed if e in self._stretches and e not in today] if today else []
        best = max(missing or allowed, key=scores.__getitem__)  # max keeps the first of equals: catalogue order
        return Pick(best, self.level(state, best, day), self._reason(state, best, bool(missing)) if explain else "")

    def choose(self, state: CoachState | Draft, day: int | None = None) -> tuple[str, int]:
        """``pick(state, day=day, explain=False)`` as (id, level), without a ``Pick`` (a replay's every prompt)."""
        if day is None:
            day = state.day
        quick = None if state.rest_until and day is not None else self._quick(state, day)
        if quick is None:
            pick = self.pick(state, day=day, explain=False)
            return pick.exercise_id, pick.level
        return quick[0], self.level(state, quick[0], day)

    def _quick(self, state: CoachState | Draft, day: int | None) -> tuple[str, bool] | None:
        """``pick`` in one pass when nothing is avoided or resting: (the choice, whether a stretch not yet
        offered today won); None when every exercise is excluded (``pick`` then falls back)."""
        seen, last = state.seen, state.last
        today = state.day_seen if day is not None and day == state.day else ()
        best, best_score, quota, quota_score = None, 0, None, 0
        # each score less ``breaks`` (the same for all): the need bonus less the break it was last seen at
        for eid, bonus, stretch in self._bonuses(state):
            if eid == last:
                continue
            score = bonus - seen[eid] if eid in seen else bonus + 1
            if best is None or score > best_score:  # the first of equals: catalogue order, as max() keeps
                best, best_score = eid, score
            if today and stretch and eid not in today and (quota is None or score > quota_score):
                quota, quota_score = eid, score
        if best is None:
            return None
        return (best, False) if quota is None else (quota, True)

    def _bonuses(self, state: CoachState | Draft) -> tuple[tuple[str, int, bool], ...]:
        """(id, ``NEED_WEIGHT`` times its targets' needs, is a stretch) of each offered exercise: kept while
        the state's ``needs`` and ``swapped`` are the same objects (a prompt passed on keeps both)."""
        needs, swapped = state.needs, state.swapped
        known = self._bonus
        if known is not None and known[0] is needs and known[1] is swapped:
            return known[2]
        plan = tuple((eid, NEED_WEIGHT * sum([needs[t] for t in targets if t in needs]) if needs else 0,
                      eid in self._stretches) for eid, targets in self._targets(tuple(swapped)))
        self._bonus = (needs, swapped, plan)  # holds both: their ids cannot be reused while cached
        return plan

    def _reason(self, state: CoachState, eid: str, quota: bool) -> str:
        """Why ``eid`` comes next, in one sentence with the exercise's name as it is written."""
        return reason(self.catalogue, state, eid, quota)

    def passed(self, state: CoachState, exercise_id: str, result: str, day: int | None = None) -> CoachState:
        """``record`` of a prompt passed on ("skipped", "dismissed", "ignored"): only the rotation moves
        (the last one offered, when, and the day's round), so the rest of the state is shared."""
        draft = Draft(state)
        self.pass_draft(draft, exercise_id, result, day)
        return draft.freeze()

    def pass_draft(self, draft: Draft, exercise_id: str, result: str, day: int | None = None) -> None:
        """``passed``, changing ``draft`` in place: ``Draft(state)`` after ``pass_draft`` freezes to what
        ``passed(state, ...)`` returns (a replay's prompts passed on, without a new state each)."""
        if day is None:
            day = draft.day
        breaks = draft.breaks
        draft.seen[exercise_id] = breaks
        draft.breaks, draft.last, draft.last_result = breaks + 1, exercise_id, result
        if day is None:
            draft.day_seen = ()
        else:
            today = draft.day_seen if day == draft.day else ()
            if today and today is not self._unique and len(set(today)) != len(today):
                today = tuple(dict.fromkeys(today))  # a stored state may name an id twice: once, as before
            draft.day_seen = self._unique = today if exercise_id in today else (*today, exercise_id)
        draft.day = day

    def record(self, state: CoachState, exercise_id: str, result: str, answers: Mapping[str, str] | None = None,
               level: int | None = None, day: int | None = None) -> CoachState:
        """The state after a prompt or break of ``exercise_id`` ended with ``result`` ("completed",
        "abandoned", "skipped", ...), these self-check ``answers`` ({check id: answer}) and the ``level``
        actually done. Unknown ids and answers are ignored, so old histories never break."""
        base = self.passed(state, exercise_id, result, day)
        if result in SKIPS:
            return base
        day = base.day
        exercise = self.catalogue.exercises.get(exercise_id)
        if exercise is None:
            return base
        needs, causes = dict(state.needs), dict(state.causes)
        if result == "completed":
            for target in exercise.targets:
                needs[target] = needs.get(target, 0) - 1
        step, flagged, easy, hurt = 0, False, False, False
        for check_id, answer in (answers or {}).items():
            check = self.catalogue.checks.get(check_id)
            if check is None or answer not in check.answers:
                continue
            for target in check.steer.get(answer, ()):
                for t in exercise.targets if target == "self" else (target,):
                    needs[t] = min(NEED_MAX, max(0, needs.get(t, 0)) + NEED_STEP)
                    causes[t] = CAUSES.get(check_id, SOME_CHECK)
                flagged = True
            step = min(step, check.level.get(answer, 0))
            easy = easy or check.level.get(answer, 0) > 0
            hurt = hurt or answer in check.hurt
        done = min(exercise.level_count(), max(1, level or self.level(state, exercise_id, day)))
        earned = (result == "completed" and easy and not flagged and step == 0 and _full_set(exercise, answers)
                  and all(c in (answers or {}) for c in exercise.checks))
        sets = state.easy.get(exercise_id, 0) + 1 if earned else 0
        new_level = max(1, done + step) if step else done + (sets >= EASY_SETS)
        new_level = min(exercise.level_count(), new_level)
        changes: dict[str, Any] = {"needs": {k: v for k, v in needs.items() if v > 0}, "causes": causes}
        if exercise.levels:
            changes["levels"] = {**state.levels, exercise_id: new_level}
            changes["easy"] = {**state.easy, exercise_id: 0 if new_level != done else sets}
        if result == "completed":
            changes["done_day"] = {**state.done_day, exercise_id: day} if day is not None else state.done_day
        if hurt:
            changes["rest_until"] = {**state.rest_until, exercise_id: (day or 0) + REST_DAYS}
            if exercise.alternative:
                changes["swapped"] = tuple(dict.fromkeys((*state.swapped, exercise_id)))
        return evolve(base, **changes)


def _full_set(exercise: Exercise, answers: Mapping[str, str] | None) -> bool:
    """Whether the reps reported (``answers["reps"]``) reach every counted step's least number."""
    least = sum(step.reps or 0 for step in exercise.steps)
    try:
        return least == 0 or int((answers or {}).get("reps", "0")) >= least
    except ValueError:
        return False
