"""The guided-break flow without a window: time is an argument, events are plain dicts."""

from __future__ import annotations

from breaker.catalogue import load_catalogue
from breaker.ui.flow import Flow

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
    assert flow.phase == "check" and flow.view(20).question
    assert flow.answer(7, 21) == []  # no such answer
    events = flow.answer(0, 21) + flow.answer(1, 22) + flow.answer(2, 23)
    assert events[-1]["event"] == "completed"
    assert events[-1]["answers"] == {"sit_back": "yes", "back": "yes", "level": "hard"}


def test_holds_run_per_side_on_their_own_clock() -> None:
    flow = flow_for("hip-flexor", hold_s=6.0, ready_s=3.0)
    flow.start(0.0)
    assert flow.press(0.5)[0]["kind"] == "hold"
    assert flow.view(1.0).detail == "Get ready · Left side"
    assert flow.tick(0.5 + 2 + 5.9) == []  # shown at 0.5, 2 s to get ready, then 6 s: not yet
    ended = flow.tick(0.5 + 2 + 6.1)
    assert ended[0] == {"event": "hold", "step": 2, "held_s": 6.0, "early": False, "side": "left"}
    assert ended[1]["side"] == "right"
    assert flow.view(12).counter == "0:05"
    early = flow.press(12.0)
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
    flow = flow_for("move", hold_s=1, ready_s=0)
    flow.start(0)
    flow.press(0)
    flow.tick(1.1)
    assert flow.tick(2.2)[-1]["event"] == "completed"
