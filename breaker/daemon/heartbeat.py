"""The daemon's heartbeat: what survives a crash or a restart, kept in the database's state table.

Written on every tick. On start-up: a restart within ``natural_break`` of the last input carries the
bout on (a cleanly closed bout is reopened); after a longer gap, or a crash, the bout ends at the last
input the heartbeat saw, so no phantom bout runs through the downtime.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from breaker.core.engine import Engine
from breaker.core.models import Effect
from breaker.store.storage import Storage, dt, ts

KEY = "heartbeat"


class Heartbeat:
    def __init__(self, storage: Storage, natural_break: timedelta) -> None:
        self.storage = storage
        self.natural_break = natural_break

    def beat(self, engine: Engine, now: datetime) -> None:
        """Remember the open bout and the last input known at ``now``."""
        t = engine.tracker
        last_input = now if t.input_on else t.last_input
        self._save({
            "at": ts(now),
            "bout_start": None if t.bout_start is None else ts(t.bout_start),
            "last_input": None if last_input is None else ts(last_input),
        })

    def stopped(self, engine: Engine, now: datetime) -> None:
        """A clean stop: the bout is already recorded; remember it so a quick restart can reopen it."""
        row = self.storage.db.execute("SELECT id, start, end FROM bouts ORDER BY id DESC LIMIT 1").fetchone()
        with self.storage.transaction():
            self._save({"at": ts(now), "closed_bout": None if row is None else list(row)})

    def restore(self, engine: Engine, now: datetime) -> list[Effect]:
        """Decide what the last run left: continue its bout, or close it at its last input."""
        raw = self.storage.get_state(KEY)
        if not raw:
            return []
        try:
            beat = json.loads(raw)
        except json.JSONDecodeError:
            return []
        closed = beat.get("closed_bout")
        if closed:
            row_id, start, end = closed
            if now - dt(end) < self.natural_break:  # type: ignore[operator]
                self.storage.db.execute("DELETE FROM bouts WHERE id = ?", (row_id,))
                return engine.restore_bout(dt(start), dt(end), now)  # type: ignore[arg-type]
            return []
        start, last = beat.get("bout_start"), beat.get("last_input")
        if start is None:
            return []
        last = last if last is not None else beat["at"]
        if now - dt(last) < self.natural_break:  # type: ignore[operator]
            return engine.restore_bout(dt(start), dt(last), now)  # type: ignore[arg-type]
        if last > start:
            self.storage.add_bout(dt(start), dt(last))  # type: ignore[arg-type]
        self._save({"at": ts(now)})
        return []

    def _save(self, value: dict[str, object]) -> None:
        self.storage.set_state(KEY, json.dumps(value))
