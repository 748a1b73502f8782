"""How the daemon turns idle readings and idle events into the engine's ``active``/``idle`` observations.

Three rules keep the record equal to what happened:

- An observation is dated at the input it is about: ``active`` at the first input (an idle event comes
  at once; a reading dates the newest input), ``idle`` at the last one.
- While input runs, the engine is advanced only up to the last input seen (or a prompt falling due
  after it): time past the last input might turn out to be away time. The engine dates an ``idle`` back
  past a prompt shown in between (only deadlines and holds happened), but anything else it was advanced
  over would move the ``idle`` forward, recording the bout's end late (issue #12.1).
- Readings taken while suspended are ignored, and after a resume only input after the resume counts: a
  machine's idle counter may not run during sleep, so input just before a suspend would otherwise look
  like input after it (issue #12.2). Times of input are compared on the monotonic clock, as the X server
  and Mutter count idle time.

Threading contract: every method runs on the daemon's scheduler thread inside its lock, except
``seconds_idle``, which only reads the source.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta

from breaker.adapters.clockgap import ClockGapCheck
from breaker.adapters.ports import IdleChange, IdleSource, Unavailable
from breaker.core.engine import Engine
from breaker.core.models import Effect

log = logging.getLogger(__name__)

EVENT_WAIT_S = 60.0  # with idle events, ticks only for deadlines and the heartbeat, at least this often
QUIET_WAIT_S = 3600.0  # ... and with no bout open while the OS tells of a set clock or a resume: a backstop
Run = Callable[[Callable[[Engine], list[Effect]]], list[Effect]]


class IdleObserver:
    """The daemon's view of input: the idle source, the last input seen, and the resume barrier."""

    def __init__(self, source: IdleSource | None, idle_after_s: float) -> None:
        self.source, self.idle_after = source, idle_after_s
        self.idle_s = 0.0  # the last idle reading, in seconds
        self.last_input: datetime | None = None  # the newest input seen while input runs
        self.watching = False  # the source reports changes itself
        self.clock_watched = False  # the OS tells the daemon when the wall clock is set or the machine resumes
        self.awaits = "idle"  # the change the source reports next ("idle" until it has said otherwise)
        self._resumed_mono: float | None = None  # input before this monotonic time happened before a sleep

    def watch(self, on_change: IdleChange) -> bool:
        """Ask the source for idle events; False if it has none (the daemon then polls)."""
        watch = getattr(self.source, "watch", None)
        if watch is None or os.environ.get("BREAKER_IDLE_EVENTS") == "off":  # off: benchmarks and tests
            return False
        try:
            watch(self.idle_after, on_change)
        except Unavailable as err:
            log.info("no idle events (looking at the idle time instead): %s", err)
            return False
        self.watching = True
        log.info("idle changes reported by %s as they happen", getattr(self.source, "name", "?"))
        return True

    def changed(self, kind: str) -> None:
        """The source reported ``kind`` (its thread): the next report is the opposite change."""
        self.awaits = "active" if kind == "idle" else "idle"

    def covered(self, engine: Engine) -> bool:
        """Will the source report the next change the engine can see? Not when both think input stopped
        or runs differently: at start with the user at work, or after a resume that stopped input."""
        alive = getattr(self.source, "watch_alive", True)  # a watch that died leaves the daemon polling
        return self.watching and alive and engine.tracker.input_on == (self.awaits == "idle")

    def reading_needed(self, engine: Engine, now: datetime) -> bool:
        """Does a tick need to read the idle time? Not when events cover the next change: while input runs,
        no "idle" event yet means input came within the last ``idle_after``, which is enough to date the
        heartbeat's last input and to advance the engine that far (one X round trip less per tick)."""
        if not self.covered(engine):
            return True
        if engine.tracker.input_on:
            floor = now - timedelta(seconds=self.idle_after)
            self.last_input = floor if self.last_input is None else max(self.last_input, floor)
        return False

    def seconds_idle(self) -> float | None:
        if self.source is None:
            return None
        try:
            return self.source.seconds_idle()
        except Exception as err:  # a desktop hiccup must not stop the daemon
            log.warning("idle time unavailable: %s", err)
            return None

    def observe(self, run: Run, engine: Engine, idle_s: float, now: datetime, mono: float) -> None:
        """Turn the idle time ``idle_s`` seen at ``now`` (monotonic ``mono``) into observations."""
        tracker = engine.tracker
        if tracker.suspended:
            return  # the machine is asleep (or going to sleep): this reading says nothing about the user
        if self._resumed_mono is not None and mono - idle_s < self._resumed_mono:
            return  # no input since the resume
        last_input = now - timedelta(seconds=idle_s)
        if idle_s < self.idle_after and not tracker.input_on and not tracker.locked:
            run(lambda e: e.active(last_input))
        elif idle_s >= self.idle_after and tracker.input_on:
            run(lambda e: e.idle(last_input))
        self.idle_s = idle_s
        self.last_input = last_input if tracker.input_on else None

    def stopping(self, run: Run, engine: Engine, now: datetime, mono: float) -> None:
        """The daemon stops while input runs: input ended at the last input, not at ``now`` (a quit soon
        after it would otherwise add up to idle_after + poll_max of sitting that did not happen)."""
        if not engine.tracker.input_on or engine.tracker.suspended:
            return
        idle_s = self.seconds_idle()
        if idle_s is None or idle_s <= 0 or (self._resumed_mono is not None and mono - idle_s < self._resumed_mono):
            return
        run(lambda e: e.idle(now - timedelta(seconds=idle_s)))

    def before_suspend(self, run: Run, engine: Engine, at: datetime, signal_mono: float, mono: float) -> None:
        """Record input that came just before a suspend announced at ``at`` (monotonic ``signal_mono``)."""
        idle_s = self.seconds_idle()
        if idle_s is None:
            return
        input_mono = mono - idle_s
        if input_mono <= signal_mono:  # later input belongs to after the sleep, if anything
            self.observe(run, engine, signal_mono - input_mono, at, signal_mono)

    def away(self, run: Run, engine: Engine, kind: str, at: datetime, signal_mono: float, mono: float) -> None:
        """Apply "lock", "unlock", "suspend" or "resume", said at ``at`` (monotonic ``signal_mono``)."""
        step = {"lock": Engine.lock, "unlock": Engine.unlock, "suspend": Engine.suspend,
                "resume": Engine.resume}.get(kind)
        if step is None:
            return
        if kind == "suspend":
            self.before_suspend(run, engine, at, signal_mono, mono)
        elif kind == "resume":
            self._resumed_mono, self.last_input = signal_mono, None
        run(lambda e: step(e, at))

    def check_gap(self, run: Run, gaps: ClockGapCheck, now: datetime, mono: float) -> None:
        """The backstop for a suspend nobody announced: the wall clock ran while we did not."""
        gap = gaps.check(now, mono)
        if gap is None:
            return
        log.info("%s", gap.describe())
        if not gap.backwards:  # a step back is only logged: the engine holds its time monotonic
            run(lambda e: e.suspend(gap.start))
            run(lambda e: e.resume(gap.end))

    def advance_to(self, engine: Engine, now: datetime) -> datetime:
        """How far the engine may be advanced at ``now``: not past the last input while input runs."""
        if not engine.tracker.input_on or self.last_input is None:
            return now
        target = self.last_input
        due = engine.next_deadline()  # while input runs, only a prompt falling due
        if due is not None and target < due <= now:
            target = due
        return min(max(target, engine.now or target), now)

    def catch_up(self, run: Run, engine: Engine, now: datetime) -> datetime:
        """Advance the engine as far as it may go at ``now``; returns that time."""
        target = self.advance_to(engine, now)
        run(lambda e: e.advance(target))
        return target

    def next_look_s(self, engine: Engine, poll_max_s: float) -> float:
        """Seconds until the idle time is worth reading again (deadlines are planned separately)."""
        tracker = engine.tracker
        if self.covered(engine):  # the source reports changes: tick for deadlines and the heartbeat only
            # while input runs, the heartbeat's last input is what a crash would keep: poll_max old at most
            if tracker.input_on:
                return poll_max_s
            # nobody here and no bout: nothing to write; a set clock or a resume ticks at once (the gap check)
            quiet = self.clock_watched and tracker.bout_start is None
            return max(poll_max_s, QUIET_WAIT_S if quiet else EVENT_WAIT_S)
        if tracker.input_on:  # when the idle counter would reach idle_after
            return min(poll_max_s, max(1.0, self.idle_after - self.idle_s))
        if tracker.locked or tracker.suspended or tracker.bout_start is None:
            # nobody here and no bout to end: only the user's return can change anything, and the
            # idle counter dates it; look rarely (a returning user's bout starts up to poll_max late)
            return poll_max_s
        return min(poll_max_s, max(1.0, self.idle_after / 6))
