"""The coach's one-pass pick (no avoid list, nothing resting) chooses what the full rule chooses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from breaker.catalogue import load_catalogue
from breaker.core.coach import Coach, CoachState

CATALOGUE = load_catalogue()
COACH = Coach(CATALOGUE)
IDS = sorted(CATALOGUE.exercises)
TARGETS = sorted({t for ex in CATALOGUE.exercises.values() for t in ex.targets})


def reference(state: CoachState, day: int | None) -> tuple[str, bool]:
    """The rule as it was written before the one-pass version (coach.py, 2026-11-29)."""
    day = state.day if day is None else day
    scores = COACH.scores(state)
    resting = {eid for eid, until in state.rest_until.items() if day is not None and day < until}
    allowed = [e for e in scores if e != state.last and e not in resting]
    if not allowed:
        allowed = [e for e in scores if e != state.last] or list(scores)
    today = state.day_seen if day is not None and day == state.day else ()
    missing = [e for e in allowed if CATALOGUE.exercises[e].kind == "stretch" and e not in today] if today else []
    return max(missing or allowed, key=scores.__getitem__), bool(missing)


STATES = st.builds(
    CoachState,
    breaks=st.integers(0, 30),
    last=st.one_of(st.none(), st.sampled_from(IDS)),
    seen=st.dictionaries(st.sampled_from(IDS), st.integers(0, 30)),
    needs=st.dictionaries(st.sampled_from(TARGETS), st.integers(-2, 6)),
    swapped=st.lists(st.sampled_from(IDS), max_size=2).map(tuple),
    day=st.one_of(st.none(), st.integers(100, 102)),
    day_seen=st.lists(st.sampled_from(IDS), max_size=4).map(tuple),
    last_result=st.sampled_from(["", "completed", "skipped", "ignored"]),
)


@settings(max_examples=500, deadline=None)
@given(state=STATES, day=st.one_of(st.none(), st.integers(100, 102)))
def test_one_pass_pick_is_the_rule(state: CoachState, day: int | None) -> None:
    full = COACH.pick(state, day=day)
    best, quota = reference(state, day)
    assert full.exercise_id == best
    assert full.reason == COACH._reason(state, best, quota)
    assert COACH.pick(state, day=day, explain=False) == full._replace(reason="")


def test_the_one_pass_pick_is_used() -> None:
    assert COACH._quick(CoachState(), None) == (CATALOGUE.enabled()[0].id, False)
