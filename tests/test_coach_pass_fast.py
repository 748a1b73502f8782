"""The coach's fast paths give what the full rules give: ``passed`` and a replay's ``Draft`` (prompts
skipped, dismissed or ignored) against ``record`` as it was written before, and ``choose`` against ``pick``,
on random states and on long random runs through one coach (its caches are keyed on the objects a state
shares)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from breaker.catalogue import load_catalogue
from breaker.core.coach import Coach, CoachState
from breaker.core.coach_memory import Draft
from breaker.store.coach_state import STATE_KEY, StoredCoach
from breaker.store.storage import Storage
from tests.test_coach_pick_fast import reference

CATALOGUE = load_catalogue()
COACH = Coach(CATALOGUE)
IDS = sorted(CATALOGUE.exercises)
TARGETS = sorted({t for ex in CATALOGUE.exercises.values() for t in ex.targets})
PASSES = ("skipped", "dismissed", "ignored")


def record_before(state: CoachState, exercise_id: str, result: str, day: int | None) -> CoachState:
    """``record`` of a skip as it was written before ``passed`` (coach.py, 2026-11-30)."""
    day = state.day if day is None else day
    today = state.day_seen if day is not None and day == state.day else ()
    seen = dict(state.seen)
    seen[exercise_id] = state.breaks
    fields: dict[str, Any] = dict(state.__dict__)
    fields.update(breaks=state.breaks + 1, last=exercise_id, seen=seen, day=day, last_result=result,
                  day_seen=tuple(dict.fromkeys((*today, exercise_id))) if day is not None else ())
    return CoachState(**fields)


STATES = st.builds(
    CoachState,
    breaks=st.integers(0, 30),
    last=st.one_of(st.none(), st.sampled_from(IDS)),
    seen=st.dictionaries(st.sampled_from(IDS), st.integers(0, 30)),
    needs=st.dictionaries(st.sampled_from(TARGETS), st.integers(-2, 6)),
    levels=st.dictionaries(st.sampled_from(IDS), st.integers(0, 6)),
    done_day=st.dictionaries(st.sampled_from(IDS), st.integers(80, 102)),
    rest_until=st.one_of(st.just({}), st.dictionaries(st.sampled_from(IDS), st.integers(99, 104))),
    swapped=st.lists(st.sampled_from(IDS), max_size=2).map(tuple),
    day=st.one_of(st.none(), st.integers(100, 102)),
    day_seen=st.lists(st.sampled_from(IDS), max_size=5).map(tuple),  # twice the same id: a stored state may
    last_result=st.sampled_from(["", "completed", "skipped", "ignored"]),
)
DAYS = st.one_of(st.none(), st.integers(100, 102))


@settings(max_examples=500, deadline=None)
@given(state=STATES, exercise=st.sampled_from([*IDS, "not-in-the-catalogue"]), result=st.sampled_from(PASSES),
       day=DAYS)
def test_passed_is_record_as_it_was(state: CoachState, exercise: str, result: str, day: int | None) -> None:
    expected = record_before(state, exercise, result, day)
    assert COACH.passed(state, exercise, result, day) == expected
    again = COACH.record(state, exercise, result, {"chest": "no"}, 3, day)  # answers and level: not read
    assert again == expected and again.to_dict() == expected.to_dict()


@settings(max_examples=500, deadline=None)
@given(state=STATES, day=DAYS)
def test_choose_is_pick(state: CoachState, day: int | None) -> None:
    pick = COACH.pick(state, day=day)
    assert COACH.choose(state, day) == (pick.exercise_id, pick.level)
    if not state.rest_until or (day if day is not None else state.day) is None:
        assert pick.exercise_id == reference(state, day)[0]


@settings(max_examples=200, deadline=None)
@given(state=STATES, steps=st.lists(st.tuples(st.sampled_from((*PASSES, "completed", "new day")),
                                              st.sampled_from(["", "chest", "back"])), max_size=40))
def test_a_run_through_one_coach_is_the_full_rule_each_time(state: CoachState, steps: list[tuple[str, str]]) -> None:
    """Prompts passed on in a row share the state's mappings (the coach's caches hold them); a completed
    break changes them; each choice is checked against the rule before the one-pass pick."""
    coach, day = Coach(CATALOGUE), state.day if state.day is not None else 100
    slow = state
    for result, check in steps:
        if result == "new day":
            day += 1
            continue
        chosen = coach.choose(state, day)
        full = COACH.pick(slow, day=day)
        assert chosen == (full.exercise_id, full.level)
        assert coach.pick(state, day=day) == full
        if not slow.rest_until:
            assert chosen[0] == reference(slow, day)[0]
        if result == "completed":
            answers = {check: "no"} if check else None
            state = coach.record(state, chosen[0], result, answers, chosen[1], day)
            slow = COACH.record(slow, chosen[0], result, answers, chosen[1], day)
        else:
            state = coach.passed(state, chosen[0], result, day)
            slow = record_before(slow, chosen[0], result, day)
        assert state == slow and state.to_dict() == slow.to_dict()


@settings(max_examples=200, deadline=None)
@given(state=STATES, steps=st.lists(st.tuples(st.sampled_from(PASSES), st.one_of(st.none(), st.integers(100, 103))),
                                    max_size=30))
def test_a_draft_passed_on_in_place_freezes_to_the_states_passed_one_by_one(
        state: CoachState, steps: list[tuple[str, int | None]]) -> None:
    """A replay's draft: choices read from it, prompts passed on change it in place, and at any point it
    freezes to the state ``record`` (as written before) would have made prompt by prompt."""
    coach = Coach(CATALOGUE)
    draft, slow = Draft(state), state
    for result, day in steps:
        chosen = coach.choose(draft, day)
        pick = COACH.pick(slow, day=day)
        assert chosen == (pick.exercise_id, pick.level)
        coach.pass_draft(draft, chosen[0], result, day)
        slow = record_before(slow, chosen[0], result, day)
    frozen = draft.freeze()
    assert frozen == slow and frozen.to_dict() == slow.to_dict()
    assert Draft(state).freeze() == state  # a draft of a state is that state


def test_a_held_replay_chooses_and_stores_what_one_without_holding_does(tmp_path: Path) -> None:
    """StoredCoach while a replay holds its changes (a draft between commits) against the daemon's way
    (a state written per change): the same choices, and the same state once written."""
    days = iter(range(1000))
    today = [date(2026, 11, 30)]

    def run(holding: bool, name: str) -> tuple[list[tuple[str, int | None]], str | None]:
        storage = Storage.open(tmp_path / name)
        coach = StoredCoach(Coach(CATALOGUE), storage, lambda: today[0])
        coach.holding = holding
        chosen = []
        for step in range(300):
            if step % 37 == 0:
                today[0] = date(2026, 11, 30) + timedelta(days=next(days) % 3)
            exercise, level = coach.choose()
            chosen.append((exercise, level))
            result = "completed" if step % 11 == 0 else PASSES[step % 3]
            coach.learn(exercise, level, result, {"chest": "no"} if step % 22 == 0 else None)
            if holding and step % 50 == 0:
                coach.write_held()
            if step % 60 == 0:
                assert coach.pick().exercise_id == coach.choose()[0]  # a state read mid-way
        coach.holding = False
        coach.write_held()
        written = storage.get_state(STATE_KEY)
        storage.close()
        return chosen, written

    days, today[0] = iter(range(1000)), date(2026, 11, 30)
    held = run(True, "held.db")
    days, today[0] = iter(range(1000)), date(2026, 11, 30)
    assert held == run(False, "each.db")
    assert held[1] is not None and json.loads(held[1])["breaks"] == 300
