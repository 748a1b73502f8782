"""ClockGapCheck: pure, so every case is a few readings of two clocks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from breaker.adapters.clockgap import ClockGap, ClockGapCheck
from breaker.adapters.power import ClockGapCheck as ReExported

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def test_first_reading_only_records() -> None:
    assert ClockGapCheck().check(T0, 100.0) is None


def test_clocks_in_step_report_nothing_even_with_jitter() -> None:
    check = ClockGapCheck(threshold_s=30)
    mono = 1000.0
    for i in range(1, 100):
        assert check.check(T0 + s(5 * i + (0.4 if i % 2 else -0.4)), mono + 5 * i) is None


def test_a_suspend_shows_as_a_forward_gap_starting_at_the_last_reading() -> None:
    check = ClockGapCheck(threshold_s=30)
    check.check(T0, 50.0)
    gap = check.check(T0 + s(5 + 3600), 55.0)  # 5 s awake, an hour asleep
    assert gap == (T0, T0 + s(3600))
    assert isinstance(gap, ClockGap) and not gap.backwards and gap.seconds == 3600
    assert "unannounced gap of 3600 s" in gap.describe()
    assert check.check(T0 + s(3610), 60.0) is None  # the baseline moved on


def test_gaps_at_or_under_the_threshold_are_ignored() -> None:
    check = ClockGapCheck(threshold_s=30)
    check.check(T0, 0.0)
    assert check.check(T0 + s(40), 10.0) is None  # exactly 30 s drift
    assert check.check(T0 + s(80.5), 20.0) is not None  # 30.5 s more


def test_a_backward_step_is_reported_and_never_counted_as_away() -> None:
    check = ClockGapCheck(threshold_s=30)
    check.check(T0, 10.0)
    gap = check.check(T0 - s(3600) + s(5), 15.0)
    assert gap is not None and gap.backwards
    assert gap.start == T0 + s(5) and gap.end == T0 - s(3595)
    assert gap.seconds == -3600
    assert "stepped back 3600 s" in gap.describe()


def test_a_small_backward_step_is_ignored() -> None:
    check = ClockGapCheck(threshold_s=30)
    check.check(T0, 10.0)
    assert check.check(T0 - s(2), 15.0) is None


def test_a_monotonic_clock_going_back_restarts_quietly() -> None:
    check = ClockGapCheck()
    check.check(T0, 500.0)
    assert check.check(T0 + s(7200), 1.0) is None
    assert check.check(T0 + s(7205), 6.0) is None


def test_reset_forgets_an_announced_gap() -> None:
    check = ClockGapCheck()
    check.check(T0, 0.0)
    check.reset(T0 + s(900), 1.0)
    assert check.check(T0 + s(905), 6.0) is None


def test_dst_change_does_not_look_like_a_gap() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    before = datetime(2026, 10, 25, 2, 59, 0, tzinfo=timezone.utc).astimezone(berlin)
    check = ClockGapCheck()
    check.check(before, 0.0)
    assert check.check((before + s(120)).astimezone(berlin), 120.0) is None


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ClockGapCheck(0)
    assert ReExported is ClockGapCheck
