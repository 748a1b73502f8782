"""The daemon: reads the desktop, drives the engine on APScheduler jobs, performs the effects.

Threading contract: every engine call happens inside ``self.lock`` (scheduler jobs, control requests,
notification answers, the guide window's report). Answers from adapters arrive on their own threads and
are handed to the scheduler (``_soon``), so an adapter is never re-entered from its own callback.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.base import JobLookupError

from breaker.adapters.clockgap import ClockGapCheck
from breaker.adapters.clockwatch import ClockWatch
from breaker.adapters.ports import IdleSource, TrayView
from breaker.config import Config
from breaker.core.engine import Engine
from breaker.core.i18n import _, localized
from breaker.core.models import Action, BreakResult, BreakStarted, Effect, Notice, Outcome, PromptClosed
from breaker.daemon.clock import SteadyClock, SteadyScheduler, wall_clock
from breaker.daemon.control import handle
from breaker.daemon.heartbeat import Heartbeat
from breaker.daemon.observer import EVENT_WAIT_S, IdleObserver
from breaker.daemon.views import prompt_text, status_dict, tray_view, with_save_problem
from breaker.store.session import Session, Shown
from breaker.store.storage import Storage

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
SAVE_RETRY_S = 3.0  # how often rows that wait for the disk are tried again while nothing else happens


class Daemon:
    """Wires engine, storage and adapters together. Build with ``breaker.daemon.runner``, then ``start``."""

    def __init__(self, config: Config, storage: Storage, session: Session, *, idle: IdleSource | None,
                 adapters: Any, clock: Clock | None = None, mono: Callable[[], float] = time.monotonic) -> None:
        self.config, self.storage, self.session = config, storage, session
        self.engine: Engine = session.engine
        self.idle, self.adapters = idle, adapters
        self.observer = IdleObserver(idle, config.tracking.idle_after.total_seconds())
        self.clock, self.mono = clock or SteadyClock(mono=mono), mono
        self.lock = threading.RLock()
        self.stopped, self.quit_requested = threading.Event(), threading.Event()
        self.heartbeat = Heartbeat(storage, config.rules.natural_break)
        self.scheduler = SteadyScheduler(
            max_wait=config.tracking.poll_max.total_seconds(), on_step_back=self._stepped_back,
            # jobs run on the scheduler's own thread, one at a time: a pool thread would add two
            # wake-ups to every tick (bench/footprint) and the jobs are serialised by the lock anyway
            timezone=UTC, executors={"default": DebugExecutor()},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.gaps = ClockGapCheck(threshold_s=30.0)
        self.clock_watch = ClockWatch(lambda: self._soon(self._tick))  # clock set, resumed: gap check, plan
        self._planned: str | None = None  # id of the next planned tick job
        self._running: str | None = None  # id of the tick job running now (never removed while it runs)
        self._ticks = 0
        self._shown = 0  # prompts shown so far (a closed prompt's bubble stays if a newer one replaced it)
        self._told: str | None = None  # the save problem last told in console mode
        self.session.on_effect, self.catalogue = self._perform, adapters.catalogue

    # ---- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        now = self.clock()
        with self.lock:
            self._run(lambda e: self.heartbeat.restore(e, now))
        if self.observer.watch(self._idle_changed):
            self.scheduler.max_wait = max(self.scheduler.max_wait or 0.0, EVENT_WAIT_S)
        self.scheduler.start()
        self.scheduler.add_job(self._tick, "cron", hour=0, minute=0, second=5, id="midnight",
                               timezone=self.config.zone or UTC)
        self._soon(self._tick)

    def watch_clock(self) -> bool:
        """Be told of a set wall clock or a resume (Linux; called after docking: ctypes). True if so."""
        if self.stopped.is_set() or not self.clock_watch.start():
            return False
        self.scheduler.max_wait, self.observer.clock_watched = None, True
        self._soon(self._tick)  # plan the next tick again: an hour ahead if nobody is there
        return True

    def stop(self) -> None:
        """Close the open bout cleanly and release everything (idempotent)."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        self.scheduler.shutdown(wait=False)
        self.clock_watch.stop()
        with self.lock:
            now = self.clock()
            self.observer.stopping(self._run, self.engine, now, self.mono())
            self._run(lambda e: e.end(now))
            self.heartbeat.stopped(self.engine, now)
        self.adapters.close()

    # ---- scheduled work -------------------------------------------------------------------------

    def _tick(self, job: str | None = None) -> None:
        """Read the idle time, let the engine catch up, and plan the next look."""
        if self.stopped.is_set():
            return
        with self.lock:
            self._running = job
            now, mono = self.clock(), self.mono()
            try:
                self.observer.check_gap(self._run, self.gaps, now, mono)
                idle_s = self.observer.seconds_idle() if self.observer.reading_needed(self.engine, now) else None
                self._observe_in_order(idle_s, now, mono)
                self.heartbeat.beat(self.engine, self.observer.catch_up(self._run, self.engine, now))
            except Exception:  # one bad tick must not end the chain of ticks
                log.exception("tick failed; trying again at the next one")
            finally:
                self._plan(now)
        self.adapters.update_tray(self.view())
        console = getattr(self.adapters, "console", None)
        if console is not None and self.storage.save_problem != self._told:
            self._told = self.storage.save_problem  # console mode has no tray: say it in the terminal
            console.say("breaker: " + (localized(self._told) if self._told else _("saving works again")))

    def _idle_changed(self, kind: str, idle_s: float) -> None:
        """The idle source saw input stop or start (its own thread): date it now, apply it on ours."""
        at, mono = self.clock(), self.mono()
        self.observer.changed(kind)
        if kind == "idle":
            idle_s = max(idle_s, self.observer.idle_after)
        self._soon(self._apply_idle_change, idle_s, at, mono)

    def _apply_idle_change(self, idle_s: float, at: datetime, mono: float) -> None:
        with self.lock:
            self._observe_in_order(idle_s, at, mono)
            now = self.clock()
            self.heartbeat.beat(self.engine, self.observer.catch_up(self._run, self.engine, now))
            self._plan(now)
        self.adapters.update_tray(self.view())

    def _observe_in_order(self, idle_s: float | None, now: datetime, mono: float) -> None:
        """Apply an idle reading and a do-not-disturb change in the order they happened: DND known when a
        prompt fell due holds it, and a reading is never moved forward past a DND change."""
        dnd = self._dnd_change(now)
        if dnd is not None and (idle_s is None or dnd[1] <= now - timedelta(seconds=idle_s)):
            self._run(lambda e: e.do_not_disturb(*dnd))
            dnd = None
        if idle_s is not None:
            self.observer.observe(self._run, self.engine, idle_s, now, mono)
        if dnd is not None:
            self._run(lambda e: e.do_not_disturb(*dnd))

    def _dnd_change(self, now: datetime) -> tuple[bool, datetime] | None:
        """Ask the desktop about do-not-disturb only when it can matter: a prompt is due, or DND holds one.
        Returns (on, since when) when it changed; a change seen when a prompt fell due dates from then.

        The check costs D-Bus and X round trips; made on every idle look it was most of the daemon's
        wake-ups while nobody sat at the machine (bench/footprint)."""
        due = self.engine.status(now).next_prompt
        if self.adapters.dnd_active is None and (due is None or due > now):
            return None
        reason = self.adapters.dnd_reason()
        if reason == self.adapters.dnd_active:
            return None
        self.adapters.dnd_active = reason
        return reason is not None, now if due is None else min(due, now)

    def _plan(self, now: datetime) -> None:
        """One job at the next moment something could change: a deadline or the next idle look."""
        wait = self.observer.next_look_s(self.engine, self.config.tracking.poll_max.total_seconds())
        if self.storage.pending:  # rows wait for the disk: the next tick's write tries them again
            wait = min(wait, SAVE_RETRY_S)
        due = now + timedelta(seconds=wait)
        deadline = self.engine.next_deadline()
        if deadline is not None and deadline < due:
            due = max(deadline, now)
        # A fresh id per planned tick: jobs run on the scheduler's thread, and APScheduler removes a
        # one-shot job by its id after running it, which would drop a replacement that reused the id.
        old, self._ticks = self._planned, self._ticks + 1
        self._planned = f"tick-{self._ticks}"
        # run dates are wall-clock times: plan by the delay, which a stepped-back clock does not stretch
        run_date = wall_clock() + (due - now)
        self.scheduler.add_job(self._tick, "date", run_date=run_date, id=self._planned, args=[self._planned])
        if old is not None and old != self._running:
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job(old)

    def replan(self, now: datetime) -> None:
        """Re-plan the next tick after a state change (call inside the lock)."""
        self._plan(now)

    def refresh_tray(self) -> None:
        self.adapters.update_tray(self.view())

    def request_quit(self) -> None:
        """Stop soon (from the tray, a control request or a signal); ``run`` returns afterwards."""
        self.quit_requested.set()

    def _stepped_back(self) -> None:
        """The wall clock went back (scheduler thread): the planned tick is too far away now, plan again."""
        log.info("the wall clock stepped back; carrying on at the monotonic clock's pace")
        self._soon(self._tick)

    def _soon(self, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn`` on the scheduler's thread as soon as possible."""
        if not self.stopped.is_set():
            self.scheduler.add_job(fn, "date", args=list(args))  # run date: now on the wall clock

    # ---- what the user asks ---------------------------------------------------------------------

    def answer(self, action: str) -> None:
        """A notification button, its body (start) or its close (dismiss); from any thread."""
        self._soon(self._answer, action)

    def _answer(self, action: str) -> None:
        with self.lock:
            now = self.clock()
            self._run(lambda e: e.answer(Action(action), now))
            self.heartbeat.beat(self.engine, now)  # a snooze or skip survives a crash from now on
            self._plan(now)
        self.adapters.update_tray(self.view())

    def away_event(self, kind: str) -> None:
        """"lock", "unlock", "suspend" or "resume" from the desktop's signals; from any thread."""
        at, mono = self.clock(), self.mono()  # when it was said, not when the scheduler got to it

        def apply() -> None:
            with self.lock:
                if kind == "resume":
                    self.gaps.reset(self.clock(), self.mono())  # the gap was announced: do not count it twice
                self.observer.away(self._run, self.engine, kind, at, mono, self.mono())
                self._plan(self.clock())
            self.adapters.update_tray(self.view())
        self._soon(apply)

    def control(self, cmd: str, args: dict[str, Any]) -> Any:
        """A request from ``breaker status|break|pause|resume|snooze|quit`` (control socket thread)."""
        return handle(self, cmd, args)

    def finish_break(self, result: str, answers: dict[str, Any] | None) -> None:
        """The guide window (or console) reported the end of the break; from its reader thread."""
        def done() -> None:
            with self.lock:
                now = self.clock()
                self.session.answers = answers
                self._run(lambda e: e.finish(BreakResult(result), now))
                self.heartbeat.beat(self.engine, now)
                self._plan(now)
            self.adapters.update_tray(self.view())
        self._soon(done)

    # ---- effects --------------------------------------------------------------------------------

    def _run(self, step: Callable[[Engine], list[Effect]]) -> list[Effect]:
        return self.session.run(step)

    def _perform(self, effect: Effect | Shown) -> None:
        """Called by the session for each recorded effect (inside the lock)."""
        if isinstance(effect, Shown):
            text = prompt_text(effect, self.catalogue)
            log.info("prompt: %s", text.title)
            self._shown += 1
            self.adapters.notify(text, self.answer)
        elif isinstance(effect, PromptClosed) and effect.outcome is Outcome.IGNORED:
            # a re-prompt right behind it replaces the bubble in place; close only if none came
            self._soon(self._close_unless_replaced, self._shown)
        elif isinstance(effect, PromptClosed):
            self.adapters.close_prompt()
        elif isinstance(effect, BreakStarted):
            self.adapters.close_prompt()
            running = self.session.running_break
            if running is not None:
                self.adapters.open_guide(running[0], running[1], self.finish_break)
        elif isinstance(effect, Notice):
            log.info("%s", effect.text)

    def _close_unless_replaced(self, shown: int) -> None:
        with self.lock:
            if shown == self._shown:
                self.adapters.close_prompt()

    def view(self) -> TrayView:
        with self.lock:
            view = tray_view(self.engine.status(self.clock()), self.config)
            return with_save_problem(view, self.storage.save_problem)

    def status(self) -> dict[str, Any]:
        with self.lock:
            status = self.engine.status(self.clock())
            prompt = self.session.prompt(status.open_prompt) if status.open_prompt is not None else None
            return status_dict(status, prompt, backends=self.adapters.backends(), db=self.storage.path,
                               config=self.config.path, save_problem=self.storage.save_problem)
