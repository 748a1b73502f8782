"""The guided-break flow without a window: time is an argument, events are plain dicts."""

from __future__ import annotations

from breaker.catalogue import load_catalogue
from breaker.ui.flow import Flow
from breaker.ui.guide_text import sound_for

CATALOGUE = load_catalogue()


def flow_for(eid: str, **kw: float) -> Flow:
    ex = CATALOGUE.get(eid)
    return Flow(ex, 1, [CATALOGUE.checks[c] for c in ex.checks], **kw)


def test_reps_advance_when_the_set_is_done() -> None:
    flow = flow_for("wall-hinge")
    events = flow.start(0.0) + flow.press(1) + flow.press(2)
    assert [e["event"] for e in events] == ["started", "step", "step", "step"]
    reps = [e for i in range(15) for e in flow.press(3 + i)]
    assert [e["count"] for e in reps if e["event"] == "rep"] == list(range(1, 16))
    assert flow.phase == "step" and flow.view(18).counter == "15 / 20"  # 15 is enough, 20 allowed
    reps = [e for i in range(5) for e in flow.press(18 + i)]
    assert [e["count"] for e in reps if e["event"] == "rep"] == list(range(16, 21))
    assert flow.phase == "check" and flow.view(20).question
    assert flow.answer(7, 21) == []  # no such answer
    events = flow.answer(0, 21) + flow.answer(1, 22) + flow.answer(2, 23)
    assert events[-1]["event"] == "completed"
    assert events[-1]["answers"] == {"sit_back": "yes", "back": "no", "level": "hard", "reps": "20"}


def test_holds_run_per_side_on_their_own_clock() -> None:
    flow = flow_for("hip-flexor", hold_s=6.0, ready_s=3.0)
    flow.start(0.0)
    assert flow.press(0.5)[0]["kind"] == "hold"
    assert flow.view(1.0).detail == "Get ready · Left knee down"
    assert flow.tick(0.5 + 2 + 5.9) == []  # shown at 0.5, 2 s to get ready, then 6 s: not yet
    ended = flow.tick(0.5 + 2 + 6.1)
    assert ended[0] == {"event": "hold", "step": 2, "held_s": 6.0, "early": False, "side": "left"}
    assert ended[1]["side"] == "right" and ended[1]["label"] == "Right knee down"
    switched = 8.6
    assert flow.view(switched + 7.9).detail == "Switch sides · Right knee down"  # at least 8 s to change
    assert flow.view(switched + 9).counter == "0:05"
    early = flow.press(switched + 9)
    assert early[0]["early"] is True and early[0]["side"] == "right"
    assert flow.phase == "check"


def test_stop_is_abandoned_but_escape_at_the_check_completes() -> None:
    flow = flow_for("hinge")
    flow.start(0)
    assert flow.stop(5, "escape")[0] | {} == {"event": "abandoned", "exercise": "hinge", "level": 1, "reps": 0,
                                             "answers": {}, "elapsed_s": 5, "step": 1, "reason": "escape"}
    assert flow.stop(6, "closed") == []  # only one ending
    flow = flow_for("glute", hold_s=1)
    flow.start(0)
    flow.press(0)
    flow.press(1)
    flow.press(2)
    assert flow.stop(3, "escape")[0]["event"] == "completed"


def test_exercise_without_checks_completes_after_the_last_step() -> None:
    flow = Flow(CATALOGUE.get("move"), 1, [], hold_s=1, ready_s=0)
    flow.start(0)
    flow.press(0)
    flow.tick(1.1)
    assert flow.tick(2.2)[-1]["event"] == "completed"


def run_auto(eid: str, level: int = 1) -> tuple[Flow, list[tuple[float, dict]]]:
    """Let a break run by itself, ticking every 50 ms, until the self-check or the end."""
    ex = CATALOGUE.get(eid)
    flow = Flow(ex, level, [CATALOGUE.checks[c] for c in ex.checks], auto=True)
    timeline = [(0.0, e) for e in flow.start(0.0)]
    now = 0.0
    while flow.phase == "step" and now < 900:
        now = round(now + 0.05, 2)
        timeline += [(now, e) for e in flow.tick(now)]
    return flow, timeline


def test_the_break_runs_itself_at_the_exercise_pace() -> None:
    flow, timeline = run_auto("wall-hinge")
    reps = [t for t, e in timeline if e["event"] == "rep"]
    assert len(reps) == 20 and flow.phase == "check"
    gaps = {round(b - a, 2) for a, b in zip(reps, reps[1:])}
    assert gaps <= {3.0, 3.05, 2.95}, gaps  # one rep every 3 s, the drill's pace
    assert [sound_for(e) for _, e in timeline if sound_for(e)] == ["rep"] * 20


def test_sides_switch_with_their_own_sound_and_the_end_sounds() -> None:
    flow, timeline = run_auto("hip-flexor")
    sounds = [(t, sound_for(e)) for t, e in timeline if sound_for(e)]
    assert [s for _, s in sounds] == ["switch", "hold-end"]
    assert sounds[1][0] - sounds[0][0] >= 8 + 30 - 0.1  # 8 s to switch, then the 30 s hold
    assert sound_for(flow.answer(0, 999)[-1]) == "end"


def test_planned_duration_matches_the_break_as_it_runs() -> None:
    for ex in CATALOGUE.exercises.values():
        _, timeline = run_auto(ex.id)
        ran = timeline[-1][0]
        assert abs(ran - ex.duration_s) <= 5, (ex.id, ran, ex.duration_s)


def test_the_last_level_has_no_wall_in_any_cue_or_question() -> None:
    ex = CATALOGUE.get("wall-hinge")
    flow = Flow(ex, ex.level_count(), [CATALOGUE.checks[c] for c in ex.checks])
    words = [flow.cue_text(s.step) for s in flow.stages] + [c.text(flow.wall) for c in flow.checks]
    assert flow.wall is False and not any("wall" in w.lower() for w in words), words
    first = Flow(ex, 1, [])
    assert all("wall" in first.cue_text(s.step) for s in first.stages[::2])


def test_a_walk_is_not_called_a_hold() -> None:
    flow = flow_for("move", ready_s=0)
    flow.start(0)
    flow.press(1)
    assert flow.view(2).detail == "Walk"
