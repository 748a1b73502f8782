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


def test_a_due_job_removed_by_the_one_before_it_does_not_end_the_scheduler() -> None:
    """The daemon's ``_plan`` removes the tick it planned before. When that tick was already due in the same
    round of due jobs (a busy machine: the scheduler woke late, an idle change queued just before the tick),
    APScheduler ran it anyway and then failed to remove it (JobLookupError), which ended the scheduler's
    thread: no tick ever again while ``status`` still answered (tests/test_gnome_session.py's "no prompt 2")."""
    import threading

    from apscheduler.executors.debug import DebugExecutor

    from breaker.daemon.clock import SteadyScheduler

    scheduler = SteadyScheduler(max_wait=None, on_step_back=lambda: None, timezone=UTC,
                                executors={"default": DebugExecutor()},
                                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    ran: list[str] = []
    later = threading.Event()

    def replan() -> None:  # what _plan does: a new tick, the old one removed
        ran.append("replan")
        scheduler.remove_job("tick-1")

    past = datetime.now(UTC) - timedelta(seconds=1)
    scheduler.add_job(replan, "date", run_date=past, id="idle-change")
    scheduler.add_job(lambda: ran.append("tick-1"), "date", run_date=past + timedelta(milliseconds=100), id="tick-1")
    scheduler.start()
    try:
        scheduler.add_job(later.set, "date", run_date=datetime.now(UTC) + timedelta(seconds=0.2), id="tick-2")
        assert later.wait(10), f"the scheduler stopped running jobs (ran {ran}; thread alive: " \
                               f"{scheduler._thread.is_alive()})"
        assert ran[0] == "replan"
    finally:
        scheduler.shutdown(wait=False)
