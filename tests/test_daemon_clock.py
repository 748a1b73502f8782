"""SteadyClock: the daemon's time slews over a wall clock that steps back, and follows one that jumps forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from breaker.daemon.clock import SteadyClock

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clocks:
    def __init__(self) -> None:
        self.wall, self.mono = T0, 100.0

    def run(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def test_step_back_is_slewed_until_the_wall_clock_catches_up() -> None:
    c = Clocks()
    clock = SteadyClock(lambda: c.wall, lambda: c.mono)
    assert clock() == T0
    c.run(10)
    c.wall -= timedelta(hours=1)  # NTP steps the clock back an hour
    assert clock() == T0 + timedelta(seconds=9)  # never back: on from T0 at 90 % of the real pace
    c.run(5)
    assert clock() == T0 + timedelta(seconds=13.5)
    for _ in range(40):
        c.run(1000)
        assert c.wall <= clock() <= c.wall + timedelta(hours=1)
    assert clock() == c.wall  # caught up after ten times the step: the wall clock again


def test_jump_forward_and_small_corrections() -> None:
    c = Clocks()
    clock = SteadyClock(lambda: c.wall, lambda: c.mono)
    clock()
    c.run(1)
    c.wall += timedelta(hours=2)  # a suspend nobody announced: followed (the gap check handles it)
    assert clock() == c.wall
    c.wall -= timedelta(milliseconds=300)  # a small correction: held, never back
    assert clock() == c.wall + timedelta(milliseconds=300)
