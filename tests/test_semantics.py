"""Table-driven tests of every rule of the sitting semantics (docs/architecture.md), on the pure engine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from breaker.core.hours import WorkingHours
from breaker.core.models import Rules
from tests.enginekit import BERLIN, at, minutes, play

# Defaults: sit_limit 45m, natural_break 5m, snooze 10m, reprompt 5m.

CASES = [
    pytest.param(
        [("09:00", "active"), ("09:30", "idle"), ("10:00", "end")],
        [("09:00", "09:30")], [], [],
        id="short bout, no prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:20", "idle"), ("09:24", "active"), ("09:30", "idle"), ("09:34:59", "active"),
         ("09:40", "idle"), ("10:00", "end")],
        [("09:00", "09:40")], [], [],
        id="reading pauses shorter than natural_break belong to the bout",
    ),
    pytest.param(
        [("09:00", "active"), ("09:20", "idle"), ("09:25", "active"), ("09:40", "idle"), ("10:00", "end")],
        [("09:00", "09:20"), ("09:25", "09:40")], [], [],
        id="a pause of exactly natural_break splits bouts",
    ),
    pytest.param(
        [("09:00", "active"), ("09:30", "lock"), ("10:30", "unlock"), ("10:31", "active"), ("11:00", "end")],
        [("09:00", "09:30"), ("10:31", "11:00")], [], [],
        id="lock during a meeting longer than natural_break",
    ),
    pytest.param(
        [("09:00", "active"), ("09:30", "lock"), ("09:32", "unlock"), ("09:33", "active"), ("09:48", "end")],
        [("09:00", "09:48")], ["09:45"], ["ignored"],
        id="short lock belongs to the bout",
    ),
    pytest.param(
        [("09:00", "active"), ("09:49", "end")],
        [("09:00", "09:49")], ["09:45"], ["ignored"],
        id="unanswered prompt at sit_limit is ignored when the daemon stops",
    ),
    pytest.param(
        [("09:00", "active"), ("09:59", "end")],
        [("09:00", "09:59")], ["09:45", "09:50", "09:55"], ["ignored", "ignored", "ignored"],
        id="no answer: re-prompt every reprompt, the older one ignored",
    ),
    pytest.param(
        [("09:00", "active"), ("09:46", "answer snooze"), ("09:57", "answer snooze"), ("10:08", "answer snooze"),
         ("10:10", "end")],
        [("09:00", "10:10")], ["09:45", "09:56", "10:07"], ["snoozed", "snoozed", "snoozed"],
        id="snooze chain",
    ),
    pytest.param(
        [("09:00", "active"), ("09:46", "answer skip"), ("10:40", "end")],
        [("09:00", "10:40")], ["09:45", "10:31", "10:36"], ["skipped", "ignored", "ignored"],
        id="skip: next prompt sit_limit after the answer",
    ),
    pytest.param(
        [("09:00", "active"), ("09:47", "answer dismiss"), ("09:51", "end")],
        [("09:00", "09:51")], ["09:45", "09:50"], ["dismissed", "ignored"],
        id="dismiss: re-prompt reprompt after the prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:45", "idle"), ("10:10", "active"), ("10:20", "end")],
        [("09:00", "09:45"), ("10:10", "10:20")], ["09:45"], ["ignored"],
        id="prompt ignored through a natural break",
    ),
    pytest.param(
        [("09:00", "active"), ("09:46", "answer start"), ("09:49", "finish completed"), ("10:00", "idle"),
         ("10:30", "end")],
        [("09:00", "09:46"), ("09:49", "10:00")], ["09:45"], ["completed"],
        id="start ends the bout; input after the break starts a new one",
    ),
    pytest.param(
        [("09:00", "active"), ("09:46", "answer start"), ("09:47", "finish abandoned"), ("10:40", "end")],
        [("09:00", "09:46"), ("09:47", "10:40")], ["09:45", "10:32", "10:37"], ["abandoned", "ignored", "ignored"],
        id="abandoned break",
    ),
    pytest.param(
        [("09:00", "active"), ("09:46", "answer start"), ("09:50", "end")],
        [("09:00", "09:46")], ["09:45"], ["abandoned"],
        id="a break still running when the daemon stops is abandoned",
    ),
    pytest.param(
        [("09:00", "active"), ("09:30", "break"), ("09:33", "finish completed"), ("09:40", "end")],
        [("09:00", "09:30"), ("09:33", "09:40")], [], [],
        id="break without a prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:43", "lock"), ("09:46", "unlock"), ("09:47", "active"), ("09:48", "end")],
        [("09:00", "09:48")], ["09:47"], ["ignored"],
        id="prompt held by a lock comes at the first input after unlock, not at unlock",
    ),
    pytest.param(
        [("09:00", "active"), ("09:43", "suspend"), ("09:46", "resume"), ("09:47", "active"), ("09:48", "end")],
        [("09:00", "09:48")], ["09:47"], ["ignored"],
        id="short suspend holds the prompt until input",
    ),
    pytest.param(
        [("09:00", "active"), ("09:50", "answer start"), ("09:52", "end")],
        [("09:00", "09:50")], ["09:45", "09:50"], ["ignored", "abandoned"],
        id="an answer at the re-prompt's moment answers the new prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:10", "pause"), ("09:50", "unpause"), ("09:51", "end")],
        [("09:00", "09:51")], ["09:50"], ["ignored"],
        id="pause holds the prompt until resumed",
    ),
    pytest.param(
        [("09:00", "active"), ("09:40", "dnd on"), ("10:00", "dnd off"), ("10:01", "end")],
        [("09:00", "10:01")], ["10:00"], ["ignored"],
        id="do-not-disturb holds the prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:45", "dnd on"), ("10:00", "dnd off"), ("10:01", "end")],
        [("09:00", "10:01")], ["10:00"], ["ignored"],
        id="do-not-disturb known at the moment the prompt falls due holds it",
    ),
    pytest.param(
        [("09:00", "active"), ("09:50", "dnd on"), ("09:58", "dnd off"), ("09:59", "end")],
        [("09:00", "09:59")], ["09:45", "09:58"], ["ignored", "ignored"],
        id="do-not-disturb at the moment a re-prompt falls due holds the re-prompt",
    ),
    pytest.param(
        [("09:00", "active"), ("09:40", "dnd on"), ("09:45", "dnd off"), ("09:46", "end")],
        [("09:00", "09:46")], ["09:45"], ["ignored"],
        id="do-not-disturb ending at the due moment shows the prompt then",
    ),
    pytest.param(
        [("09:00", "active"), ("09:40", "idle"), ("09:45", "dnd on"), ("09:46", "end")],
        [("09:00", "09:40")], [], [],
        id="a natural break ending at the same moment as dnd on still ends the bout",
    ),
]


@pytest.mark.parametrize("rows, bouts, prompts, outcomes", CASES)
def test_semantics(rows, bouts, prompts, outcomes) -> None:  # type: ignore[no-untyped-def]
    result = play([(at(t), what) for t, what in rows])
    assert result.bout_times() == bouts
    assert result.prompt_times() == prompts
    assert result.outcome_list() == outcomes


def test_answer_at_reprompt_time_counts_for_the_new_prompt() -> None:
    result = play([(at("09:00"), "active"), (at("09:50"), "answer start"), (at("09:52"), "finish completed"),
                   (at("09:53"), "end")])
    assert result.outcome_list() == ["ignored", "completed"]


def test_overnight_suspend_is_never_sitting_and_no_prompt_right_after_resume() -> None:
    evening, morning = date(2026, 11, 23), date(2026, 11, 24)
    result = play([
        (at("16:30", evening), "active"),
        (at("17:10", evening), "suspend"),
        (at("08:00", morning), "resume"),
        (at("08:02", morning), "active"),
        (at("08:30", morning), "end"),
    ])
    assert result.bouts == [(at("16:30", evening), at("17:10", evening)), (at("08:02", morning), at("08:30", morning))]
    assert result.prompts == {}
    suspended = [(a, b) for a, b, cause in result.away if cause == "suspend"]
    assert suspended == [(at("17:10", evening), at("08:00", morning))]
    for start, end in result.bouts:
        for a, b in suspended:
            assert end <= a or start >= b


def test_overnight_suspend_next_prompt_counts_from_the_morning() -> None:
    evening, morning = date(2026, 11, 23), date(2026, 11, 24)
    result = play([
        (at("17:00", evening), "active"),
        (at("17:40", evening), "suspend"),
        (at("08:00", morning), "resume"),
        (at("08:01", morning), "active"),
        (at("09:00", morning), "end"),
    ])
    assert [t.astimezone(BERLIN).strftime("%d %H:%M") for t in result.prompts.values()][:1] == ["24 08:46"]


def test_bout_crossing_midnight_is_one_bout() -> None:
    night, next_day = date(2026, 11, 23), date(2026, 11, 24)
    result = play([(at("23:30", night), "active"), (at("00:40", next_day), "idle"), (at("01:00", next_day), "end")])
    assert result.bouts == [(at("23:30", night), at("00:40", next_day))]
    assert result.prompt_times()[0] == "00:15"


def test_spring_forward_lengths_are_real_time() -> None:
    day = date(2026, 3, 29)  # 02:00 CET -> 03:00 CEST
    result = play([(at("01:30", day), "active"), (at("03:30", day), "idle"), (at("04:00", day), "end")])
    (start, end), = result.bouts
    assert end - start == timedelta(hours=1)  # two hours on the wall clock, one really sat
    assert result.prompt_times()[0] == "03:15"  # 45 real minutes after 01:30 CET


def test_fall_back_lengths_are_real_time() -> None:
    day = date(2026, 10, 25)  # 03:00 CEST -> 02:00 CET
    result = play([(at("01:30", day), "active"), (at("02:30", day).replace(fold=1), "idle"), (at("04:00", day), "end")])
    (start, end), = result.bouts
    assert end - start == timedelta(hours=2)  # one hour on the wall clock, two really sat
    assert result.prompt_times()[0] == "02:15"


def hours(spec: dict[int, list[tuple[str, str]]]) -> WorkingHours:
    def minute(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)
    return WorkingHours(tuple(tuple((minute(a), minute(b)) for a, b in spec.get(d, [])) for d in range(7)), BERLIN)


def test_no_prompt_outside_working_hours_then_at_their_start() -> None:
    rules = Rules(hours=hours({0: [("09:00", "17:00")]}))
    result = play([(at("08:00"), "active"), (at("09:30"), "end")], rules)
    assert result.prompt_times()[:2] == ["09:00", "09:05"]


def test_working_hours_end_holds_prompts() -> None:
    rules = Rules(hours=hours({0: [("09:00", "17:00")]}))
    result = play([(at("16:30"), "active"), (at("18:00"), "end")], rules)
    assert result.prompt_times() == []
    assert result.bout_times() == [("16:30", "18:00")]  # tracking continues


def test_spring_forward_working_hours_start_after_the_gap() -> None:
    day = date(2026, 3, 29)  # a Sunday
    rules = Rules(hours=hours({6: [("03:00", "05:00")]}))
    result = play([(at("01:00", day), "active"), (at("03:10", day), "end")], rules)
    assert result.prompt_times()[0] == "03:00"
    assert result.prompts[1] - at("01:00", day) == timedelta(hours=1)


def test_fall_back_working_hours_end_at_first_occurrence() -> None:
    day = date(2026, 10, 25)  # a Sunday
    rules = Rules(hours=hours({6: [("00:00", "02:30")]}))
    result = play([(at("01:50", day), "active"), (at("02:50", day).replace(fold=1), "end")], rules)
    # 01:50 CEST + 45 min = 02:35 CEST, after the range ended at 02:30 CEST
    assert result.prompts == {}


def test_answer_without_prompt_is_a_notice() -> None:
    result = play([(at("09:00"), "active"), (at("09:10"), "answer snooze"), (at("09:20"), "end")])
    assert result.notices and "no prompt is open" in result.notices[0]
    assert result.prompts == {}


def test_finish_without_break_is_a_notice() -> None:
    result = play([(at("09:00"), "active"), (at("09:10"), "finish completed"), (at("09:20"), "end")])
    assert "no break is running" in result.notices[0]


def test_clock_stepping_back_is_held_not_negative() -> None:
    result = play([(at("09:00"), "active"), (at("09:30"), "idle"), (at("09:10"), "active"), (at("09:45"), "end")])
    assert any("clock stepped back" in n for n in result.notices)
    for start, end in result.bouts:
        assert end >= start
    assert sum(((e - s) for s, e in result.bouts), timedelta()) <= minutes(45)  # never more than the clock ran


def test_away_segments_follow_their_cause() -> None:
    result = play([(at("09:00"), "active"), (at("09:10"), "idle"), (at("09:12"), "lock"), (at("09:15"), "suspend"),
                   (at("09:30"), "resume"), (at("09:31"), "unlock"), (at("09:33"), "active"), (at("09:40"), "end")])
    assert [(a.astimezone(BERLIN).strftime("%H:%M"), b.astimezone(BERLIN).strftime("%H:%M"), c)
            for a, b, c in result.away] == [
        ("09:10", "09:12", "idle"), ("09:12", "09:15", "lock"), ("09:15", "09:30", "suspend"),
        ("09:30", "09:31", "lock"), ("09:31", "09:33", "idle"),
    ]


def test_restored_bout_continues_with_its_original_start() -> None:
    from breaker.core.engine import Engine
    from tests.enginekit import Outcome, collect
    engine, out = Engine(Rules()), Outcome()
    collect(engine.restore_bout(at("09:00"), at("09:30"), at("09:33")), out)
    collect(engine.active(at("09:33")), out)
    collect(engine.idle(at("09:49")), out)
    collect(engine.end(at("09:49:30")), out)
    assert out.bout_times() == [("09:00", "09:49")]
    assert out.prompt_times() == ["09:45"]
    assert [(a.astimezone(BERLIN).strftime("%H:%M"), c) for a, _, c in out.away][0] == ("09:30", "idle")
