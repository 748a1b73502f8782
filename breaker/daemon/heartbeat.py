"""The daemon's heartbeat: what survives a crash or a restart, kept in the database's state table.

Written on every tick and after every change the user asks for, except when nothing is open whose end
a crash would have to date (no bout, prompt or guided break) and nothing else changed: the last heartbeat
already says it all, so a daemon nobody sits at writes nothing (bench/footprint). On start-up: a restart
within ``natural_break`` of the last input carries the bout on (a cleanly closed bout is reopened); after a
longer gap, or a crash, the bout ends at the last input the heartbeat saw, so no phantom bout runs
through the downtime. After a crash, a guided break left running is closed ``abandoned`` and a prompt left
open ``ignored``, both at the last moment the heartbeat knew of. The user's intent survives any restart:
a pause keeps its end, and the next prompt keeps the due time a prompt, snooze or skip gave it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from breaker.core.engine import Engine
from breaker.core.models import Effect
from breaker.store.storage import Storage, dt, ts

KEY = "heartbeat"
log = logging.getLogger(__name__)


def _opt(at: datetime | None) -> float | None:
    return None if at is None else ts(at)


class Heartbeat:
    def __init__(self, storage: Storage, natural_break: timedelta) -> None:
        self.storage = storage
        self.natural_break = natural_break
        self._due: float | None = None  # the next prompt's due time while a bout was last open
        self._idle_beat: dict[str, Any] | None = None  # the last beat written with nothing open, less its "at"

    def beat(self, engine: Engine, now: datetime) -> None:
        """Remember the open bout, the last input, the pause and the next prompt's due time at ``now``."""
        t = engine.tracker
        last_input = now if t.input_on else t.last_input
        self._due = _opt(engine.policy.due) if t.bout_start is not None else None
        state = {"bout_start": _opt(t.bout_start), "last_input": _opt(last_input), **self._intent(engine)}
        policy = engine.policy
        if t.bout_start is None and policy.prompt is None and policy.break_started is None:
            if state == self._idle_beat:
                return  # nothing open, nothing changed: the heartbeat on disk already says this
            self._save({"at": ts(now), **state})
            self._idle_beat = state
            return
        self._save({"at": ts(now), **state})

    def stopped(self, engine: Engine, now: datetime) -> None:
        """A clean stop: the bout is already recorded; remember it so a quick restart can reopen it."""
        row = self.storage.db.execute("SELECT id, start, end FROM bouts ORDER BY id DESC LIMIT 1").fetchone()
        with self.storage.transaction():
            self._save({"at": ts(now), "closed_bout": None if row is None else list(row), **self._intent(engine)})

    def restore(self, engine: Engine, now: datetime) -> list[Effect]:
        """Decide what the last run left: continue its bout, or close it at its last input."""
        raw = self.storage.get_state(KEY)
        try:
            beat: dict[str, Any] = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            beat = {}
        if not isinstance(beat, dict):
            beat = {}
        try:
            return self._restore(beat, engine, now)
        except (TypeError, ValueError, OverflowError) as err:  # a heartbeat of odd values: start afresh
            log.warning("the last run's heartbeat could not be read (%s); starting afresh", err)
            return []

    def _restore(self, beat: dict[str, Any], engine: Engine, now: datetime) -> list[Effect]:
        last_known = dt(float(beat["at"])) if beat.get("at") is not None else now
        self._close_left_open(min(last_known, now))  # type: ignore[type-var]
        effects = self._restore_pause(beat, engine, now)
        due = dt(beat.get("due"))
        closed = beat.get("closed_bout")
        if closed:
            row_id, start, end = closed
            if now - dt(end) < self.natural_break:  # type: ignore[operator]
                self.storage.db.execute("DELETE FROM bouts WHERE id = ?", (row_id,))
                return effects + engine.restore_bout(dt(start), dt(end), now, due)  # type: ignore[arg-type]
            return effects
        start, last = beat.get("bout_start"), beat.get("last_input")
        if start is None or self._recorded(start):  # no bout, or one a guided break already ended
            return effects
        last = last if last is not None else beat["at"]
        if now - dt(last) < self.natural_break:  # type: ignore[operator]
            return effects + engine.restore_bout(dt(start), dt(last), now, due)  # type: ignore[arg-type]
        if last > start:
            self.storage.add_bout(dt(start), dt(last), engine.rules.sit_limit.total_seconds())  # type: ignore[arg-type]
        self._save({"at": ts(now)})
        return effects

    def _restore_pause(self, beat: dict[str, Any], engine: Engine, now: datetime) -> list[Effect]:
        if beat.get("paused_forever"):
            return engine.pause(None, now)
        until = dt(beat.get("paused_until"))
        if until is not None and until > now:
            return engine.pause(until, now)
        return []

    def _recorded(self, start: float) -> bool:
        """Is a bout with this start already in the database (ended by a guided break before the crash)?"""
        row = self.storage.db.execute("SELECT 1 FROM bouts WHERE abs(start - ?) < 0.000001", (start,)).fetchone()
        return row is not None

    def _close_left_open(self, at: datetime) -> None:
        """After a crash: a running break is abandoned, with its prompt; any other open prompt is ignored."""
        db, when = self.storage.db, ts(at)
        for row_id, prompt_id, started in db.execute(
                "SELECT id, prompt_id, started FROM breaks WHERE ended IS NULL").fetchall():
            end = max(when, started)
            db.execute("UPDATE breaks SET ended = ?, result = 'abandoned' WHERE id = ?", (end, row_id))
            if prompt_id is not None:
                db.execute("UPDATE prompts SET outcome = 'abandoned', closed_at = ? WHERE id = ? AND outcome IS NULL",
                           (end, prompt_id))
            log.info("a guided break left running by a crash was recorded as abandoned")
        for row_id, shown in db.execute("SELECT id, at FROM prompts WHERE outcome IS NULL").fetchall():
            db.execute("UPDATE prompts SET outcome = 'ignored', answered_at = NULL, closed_at = ? WHERE id = ?",
                       (max(when, shown), row_id))
            log.info("a prompt left open by a crash was recorded as ignored")

    def _intent(self, engine: Engine) -> dict[str, Any]:
        policy = engine.policy
        return {"paused_until": _opt(policy.paused_until), "paused_forever": policy.paused_forever,
                "due": self._due}

    def _save(self, value: dict[str, object]) -> None:
        self._idle_beat = None  # whatever is written next, a later beat with nothing open writes again
        self.storage.set_state(KEY, json.dumps(value))
