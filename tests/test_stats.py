"""The pure weekly report (breaker.core.weekly) and its text forms, on hand-built rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breaker.core.errors import UserError
from breaker.core.weekly import Week, weekly_report
from breaker.ui.weekly_text import render, to_csv

BERLIN = ZoneInfo("Europe/Berlin")
LIMIT = timedelta(minutes=45)
CONTRACT_DAY = {"date", "sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", "completed",
                "abandoned", "snoozed", "skipped", "dismissed", "ignored"}


def at(text: str) -> float:
    """Local Berlin wall time "2026-11-24 23:00" -> stored UTC seconds."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


def bout(start: str, end: str) -> dict[str, Any]:
    return {"start": at(start), "end": at(end)}


def prompt(when: str, outcome: str | None, bout_start: str | None = None) -> dict[str, Any]:
    return {"at": at(when), "outcome": outcome, "bout_start": None if bout_start is None else at(bout_start)}


def brk(start: str, minutes: float, exercise: str, result: str | None, level: int | None = None) -> dict[str, Any]:
    begun = at(start)
    return {"started": begun, "ended": None if result is None else begun + minutes * 60,
            "exercise": exercise, "level": level, "result": result}


def report(week: str, bouts=(), prompts=(), breaks=(), today: date | None = None):  # type: ignore[no-untyped-def]
    return weekly_report(Week.parse(week), BERLIN, LIMIT, bouts, prompts, breaks, today=today)


def day(rep: Any, iso: str) -> Any:
    return next(d for d in rep.days if d.day.isoformat() == iso)


def test_bout_across_midnight_sits_on_both_days_but_counts_on_the_first() -> None:
    rep = report("2026-W48", [bout("2026-11-24 23:00", "2026-11-25 01:30")])
    tue, wed = day(rep, "2026-11-24"), day(rep, "2026-11-25")
    assert (tue.sitting_s, wed.sitting_s) == (3600, 5400)
    assert (tue.bouts, wed.bouts) == (1, 0)
    assert (tue.longest_bout_s, wed.longest_bout_s) == (9000, 0)
    assert (tue.bouts_over_limit, wed.bouts_over_limit) == (1, 0)
    assert (tue.over_limit_s, wed.over_limit_s) == (900, 5400)  # the limit is reached at 23:45
    assert rep.totals.sitting_s == 9000 and rep.totals.bouts == 1


def test_spring_forward_day_has_23_hours_of_sitting() -> None:
    # 2026-03-29 (a Sunday) 02:00 -> 03:00 in Berlin. One bout from Saturday 23:00 to Monday 01:00.
    bouts = [bout("2026-03-28 23:00", "2026-03-30 01:00")]
    w13 = report("2026-W13", bouts)
    sat, sun = day(w13, "2026-03-28"), day(w13, "2026-03-29")
    assert (sat.sitting_s, sun.sitting_s, sun.hours) == (3600, 23 * 3600, 23)
    assert sat.bouts == 1 and sun.bouts == 0 and sat.longest_bout_s == 25 * 3600
    w14 = report("2026-W14", bouts)
    assert day(w14, "2026-03-30").sitting_s == 3600 and w14.totals.bouts == 0


def test_fall_back_day_has_25_hours_of_sitting() -> None:
    # 2026-10-25 (a Sunday) 03:00 -> 02:00 in Berlin.
    bouts = [bout("2026-10-25 00:00", "2026-10-26 00:00")]
    rep = report("2026-W43", bouts, [prompt("2026-10-25 23:59", "completed")])
    sun = day(rep, "2026-10-25")
    assert (sun.sitting_s, sun.hours, sun.bouts, sun.prompts) == (25 * 3600, 25, 1, 1)
    assert sun.over_limit_s == 25 * 3600 - 45 * 60


def test_week_boundary_between_sunday_and_monday() -> None:
    bouts = [bout("2026-11-29 23:30", "2026-11-30 00:30")]
    prompts = [prompt("2026-11-29 23:59:59", "skipped"), prompt("2026-11-30 00:00", "snoozed")]
    w48 = report("2026-W48", bouts, prompts)
    w49 = report("2026-W49", bouts, prompts)
    assert [d.day.isoformat() for d in w48.days] == [f"2026-11-{n}" for n in range(23, 30)]
    sunday, monday = w48.days[-1], w49.days[0]
    assert (sunday.sitting_s, sunday.bouts, sunday.prompts, sunday.skipped) == (1800, 1, 1, 1)
    assert (monday.sitting_s, monday.bouts, monday.prompts, monday.snoozed) == (1800, 0, 1, 1)
    assert w49.previous.bouts == 1 and w49.previous.sitting_s == 1800


def test_iso_week_that_spans_two_years() -> None:
    week = Week.parse("2026-W53")
    assert week.monday == date(2026, 12, 28) and week.days[-1] == date(2027, 1, 3)
    assert str(week.next) == "2027-W01" and str(Week.parse("2027-W01").previous) == "2026-W53"
    assert Week.containing(date(2027, 1, 3)) == week


@pytest.mark.parametrize("text, message", [
    ("2026-W54", "2026 has no week 54"), ("2025-W53", "2025 has no week 53"),
    ("2026-48", "expected an ISO week like 2026-W48"), ("last", "expected an ISO week"),
])
def test_bad_week_is_a_one_line_user_error(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as err:
        Week.parse(text)
    assert str(err.value).startswith(f"--week {text}:") and "\n" not in str(err.value)


def test_outcomes_compliance_and_open_prompts() -> None:
    prompts = [prompt("2026-11-23 10:00", o) for o in
               ("completed", "completed", "abandoned", "snoozed", "skipped", "dismissed", "ignored", None)]
    rep = report("2026-W48", prompts=prompts)
    mon = rep.days[0]
    assert (mon.prompts, mon.completed, mon.abandoned, mon.snoozed, mon.skipped, mon.dismissed, mon.ignored,
            mon.open) == (8, 2, 1, 1, 1, 1, 1, 1)
    assert rep.totals.compliance == 0.25
    data = rep.to_json()
    assert data["totals"]["compliance"] == 0.25 and data["days"][1]["compliance"] is None


def test_breaks_exercises_minutes_and_wall_drill_level() -> None:
    breaks = [brk("2026-11-23 10:00", 3, "wall-hinge", "completed", 1),
              brk("2026-11-24 10:00", 2.5, "hinge", "abandoned"),
              brk("2026-11-25 10:00", 3, "wall-hinge", "completed", 2),
              brk("2026-11-25 15:00", 1, "hamstring", None)]  # still running: counted, no minutes
    rep = report("2026-W48", breaks=breaks)
    assert rep.totals.breaks == 4 and rep.totals.break_s == 510
    assert rep.totals.exercises == {"wall-hinge": 2} and rep.totals.wall_level == 2
    assert rep.days[0].wall_level == 1 and rep.days[1].wall_level is None


def test_change_against_the_previous_week() -> None:
    bouts = [bout("2026-11-17 09:00", "2026-11-17 10:40"), bout("2026-11-24 09:00", "2026-11-24 09:55")]
    prompts = [prompt("2026-11-17 09:45", "skipped", "2026-11-17 09:00"),
               prompt("2026-11-17 10:30", "completed", "2026-11-17 09:00"), prompt("2026-11-24 09:45", "completed")]
    rep = report("2026-W48", bouts, prompts)
    assert rep.previous.longest_bout_s == 6000 and rep.totals.longest_bout_s == 3300
    data = rep.to_json()
    assert data["previous"]["week"] == "2026-W47"
    assert data["change"]["longest_bout_s"] == -2700 and data["change"]["compliance"] == 0.5
    text = " ".join(render(rep).split())
    assert ("Against the week before: sitting down from 1 h 40 min to 55 min, longest bout down from 1 h 40 min"
            " to 55 min; moved 1 of 1 time asked vs 1 of 1.") in text


def test_empty_week_reads_sensibly() -> None:
    rep = report("2026-W48")
    assert rep.totals.sitting_s == 0 and rep.totals.compliance is None
    data = rep.to_json()
    assert len(data["days"]) == 7 and all(set(d) >= CONTRACT_DAY for d in data["days"])
    assert data["totals"]["compliance"] is None and data["change"]["compliance"] is None
    text = render(rep)
    assert "Nothing recorded in 2026-W48 or the week before" in text
    assert "total" in to_csv(rep).splitlines()[-1]


def test_week_without_prompts_and_first_day_of_use() -> None:
    rep = report("2026-W48", [bout("2026-11-25 09:00", "2026-11-25 09:30")], today=date(2026, 11, 25))
    assert [d.ahead for d in rep.days] == [False] * 3 + [True] * 4
    text = render(rep)
    assert "No break prompts this week, so there is no compliance to show." in text
    assert "Nothing recorded in 2026-W47" in text and text.count("(still ahead)") == 4


def test_terminal_bars_mark_the_part_over_the_limit() -> None:
    rep = report("2026-W48", [bout("2026-11-23 09:00", "2026-11-23 10:30"), bout("2026-11-24 09:00", "2026-11-24 09:45")])
    lines = render(rep).splitlines()
    mon = next(line for line in lines if line.startswith("Mon 23 Nov"))
    tue = next(line for line in lines if line.startswith("Tue 24 Nov"))
    assert mon.count("▒") + mon.count("█") == 13 and abs(mon.count("▒") - mon.count("█")) == 1  # half over
    assert tue.count("▒") in (6, 7) and "█" not in tue
    ascii_text = render(rep, unicode=False)
    assert ascii_text.isascii() and "=" * mon.count("▒") + "#" * mon.count("█") in ascii_text


def test_contract_keys_and_types() -> None:
    data = report("2026-W48", [bout("2026-11-23 09:00", "2026-11-23 09:30")]).to_json()
    assert data["week"] == "2026-W48"
    assert set(data["totals"]) >= (CONTRACT_DAY - {"date"}) | {"compliance"}
    assert data["days"][0]["sitting_s"] == 1800 and isinstance(data["days"][0]["sitting_s"], int)


@settings(max_examples=60, deadline=None)
@given(st.integers(-3 * 86400, 86400), st.lists(st.tuples(st.integers(1, 86400), st.integers(1, 2 * 86400)), max_size=12))
def test_days_add_up_to_the_sitting_inside_the_week(first: int, spans: list[tuple[int, int]]) -> None:
    week = Week.parse("2026-W13")  # contains the spring DST change
    since, until = (t.timestamp() for t in week.bounds(BERLIN))
    bouts, t = [], since + first
    for gap, length in spans:  # bouts never overlap: each starts after the previous one ended
        bouts.append({"start": t + gap, "end": t + gap + length})
        t += gap + length
    rep = weekly_report(week, BERLIN, LIMIT, bouts, [], [])
    inside = sum(max(0.0, min(b["end"], until) - max(b["start"], since)) for b in bouts)
    assert abs(sum(d.sitting_s for d in rep.days) - inside) < 1e-6
    assert rep.totals.bouts == sum(since <= b["start"] < until for b in bouts)
    assert all(0 <= d.over_limit_s <= d.sitting_s <= d.hours * 3600 + 1e-6 for d in rep.days)
