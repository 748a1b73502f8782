"""SQLite storage: one file, WAL, schema versioned by ``PRAGMA user_version``.

Times are stored as UTC Unix seconds (REAL). Only one process writes (the daemon or ``simulate``): the
lock file beside the database sees to that. A file that is not SQLite at all, or fails the integrity
check, is moved aside under a timestamped name and a fresh database is started; a full disk, a lock held
by another program, a read-only or failing disk leave the file where it is (a one-line DataError); a
SQLite file of another program, or of a newer breaker, is left untouched.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from breaker.core.errors import DataError
from breaker.core.i18n import _
from breaker.store.dblock import DatabaseLock
from breaker.store.opening import OPEN_WAIT_S, open_checked
from breaker.store.writequeue import Later, Op, WriteQueue

log = logging.getLogger(__name__)

WRITE_WAIT_S = 1.0  # how long one write waits before it is queued (the daemon stays responsive)
CLOSE_WAIT_S = 30.0  # how long closing keeps trying to write what waits


class _Unit:
    """``Storage.transaction``'s context manager (a class: it runs for every engine step)."""

    __slots__ = ("storage", "outer")

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.outer = storage._unit is None

    def __enter__(self) -> None:
        if self.outer:
            self.storage._unit = []

    def __exit__(self, kind: object, *_: object) -> None:
        if self.outer:
            self.storage._end_unit(kind is None)


def default_path() -> Path:
    import platformdirs  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    return Path(platformdirs.user_data_dir("breaker", appauthor=False)) / "breaker.db"


def ts(at: datetime) -> float:
    """Aware datetime -> stored UTC seconds."""
    return at.timestamp()


def dt(value: float | None) -> datetime | None:
    """Stored UTC seconds -> aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


@dataclass
class Storage:
    """An open breaker database. ``notices`` holds what the user should be told about opening it.

    Writes are grouped in units (``transaction``) and go through a queue: a unit the disk refuses stays
    queued in memory and is written, in order, by the next write or ``flush`` (``save_problem`` says why
    it waits). Opened for writing, the database is locked against every other writer (``<db>.lock``).
    """

    path: Path
    db: sqlite3.Connection
    notices: list[str] = field(default_factory=list)
    autoflush: bool = True  # write each unit at once (the daemon); ``simulate`` flushes in batches
    write_wait_s: float = WRITE_WAIT_S
    lock: DatabaseLock | None = None
    queue: WriteQueue = field(init=False)
    _unit: list[Op] | None = field(default=None, init=False)
    _ids: dict[str, int] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.queue = WriteQueue(self.db)

    @classmethod
    def open(cls, path: Path | None = None, *, now: datetime | None = None, readonly: bool = False,
             wait_s: float = OPEN_WAIT_S) -> Storage:
        """Open (creating if needed) and migrate the database at ``path``; faults are one-line DataErrors."""
        path = Path(path or default_path())
        if readonly and not path.exists():
            raise DataError(_("{path}: no database here yet (run breaker to record some sitting first)").format(
                path=path))
        lock = None if readonly else DatabaseLock(path).acquire()
        try:
            db, notices = open_checked(path, now or datetime.now(UTC), readonly, wait_s)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        storage = cls(path, db, notices, lock=lock)
        if not readonly:
            for table in ("bouts", "away", "prompts", "breaks"):
                storage._ids[table] = int(db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        return storage

    def close(self, wait_s: float = CLOSE_WAIT_S) -> None:
        """Write what waits (trying for up to ``wait_s``), then let go of the file and its lock."""
        try:
            if self.queue.units and not self.flush(wait_s):
                log.error("%s: %d changes could not be saved before closing (%s)", self.path, self.queue.ops,
                          self.queue.problem)
        finally:
            self.db.close()
            if self.lock is not None:
                self.lock.release()

    @property
    def save_problem(self) -> str | None:
        """Why recorded changes wait in memory ("cannot save: the disk is full ..."), None when all is saved."""
        return self.queue.describe()

    @property
    def pending(self) -> int:
        """Row changes waiting in memory for the disk."""
        return self.queue.ops + len(self._unit or ())

    def flush(self, wait_s: float | None = None, force: bool = True) -> bool:
        """Write every waiting unit now; False when the database still refuses (they stay queued)."""
        return self.queue.flush(self.write_wait_s if wait_s is None else wait_s, force)

    def discard_waiting(self) -> int:
        """Forget every change that still waits for the disk; returns how many row changes that was."""
        return self.queue.discard()

    def transaction(self) -> _Unit:
        """Group writes into one unit: all of them land, or none (nested use joins the outer unit).

        An error inside drops the unit; a unit the disk refuses waits in the queue (see ``flush``)."""
        return _Unit(self)

    def _end_unit(self, ok: bool) -> None:
        unit, self._unit = self._unit, None
        if not ok:
            self.queue.state = {op.state_key: op.args[1] if len(op.args) > 1 else None
                                for unit in self.queue.units for op in unit if op.state_key is not None}
            return
        if unit:
            self.queue.add(unit)
        if self.autoflush:
            self.flush(force=False)

    def mark(self) -> tuple[dict[str, int], list[tuple[str, str]]]:
        """Where the record stands now (row ids and the state table), for ``undo``."""
        self.flush()
        return dict(self._ids), [tuple(row) for row in self.db.execute("SELECT key, value FROM state")]

    def undo(self, mark: tuple[dict[str, int], list[tuple[str, str]]]) -> None:
        """Take back every row written since ``mark`` (a replay whose trace turned out bad)."""
        self.queue.discard()
        ids, state = mark
        with self.transaction():
            for table, last in ids.items():
                self._write(f"DELETE FROM {table} WHERE id > ?", (last,))
            self._write("DELETE FROM state", ())
            for key, value in state:
                self._write("INSERT INTO state(key, value) VALUES (?, ?)", (key, value))
        self._ids = dict(ids)
        self.flush()

    def _write(self, sql: str, args: tuple[Any, ...], state_key: str | None = None) -> None:
        op = Op(sql, args, state_key)
        if state_key is not None:
            self.queue.state[state_key] = args[1] if len(args) > 1 else None
        if self._unit is not None:
            self._unit.append(op)
            return
        self.queue.add([op])
        if self.autoflush:
            self.flush(force=False)

    def _next_id(self, table: str) -> int:
        self._ids[table] = self._ids.get(table, 0) + 1
        return self._ids[table]

    # ---- writes ---------------------------------------------------------------------------------

    def add_bout(self, start: datetime, end: datetime, sit_limit_s: float | None = None) -> int:
        """A bout, with the sit limit in effect while it ran (the report judges it by that limit)."""
        row = self._next_id("bouts")
        self._write("INSERT INTO bouts(id, start, end, sit_limit_s) VALUES (?, ?, ?, ?)",
                    (row, ts(start), ts(end), sit_limit_s))
        return row

    def add_away(self, start: datetime, end: datetime, cause: str) -> int:
        row = self._next_id("away")
        self._write("INSERT INTO away(id, start, end, cause) VALUES (?, ?, ?, ?)", (row, ts(start), ts(end), cause))
        return row

    def add_prompt(self, at: datetime, bout_start: datetime, exercise: str, level: int | None) -> int:
        row = self._next_id("prompts")
        self._write("INSERT INTO prompts(id, at, bout_start, exercise, level) VALUES (?, ?, ?, ?, ?)",
                    (row, ts(at), ts(bout_start), exercise, level))
        return row

    def answer_prompt(self, prompt_id: int, answered_at: datetime) -> None:
        self._write("UPDATE prompts SET answered_at = ? WHERE id = ?", (ts(answered_at), prompt_id))

    def close_prompt(self, prompt_id: int, outcome: str, answered_at: datetime | None, at: datetime) -> None:
        self._write(
            "UPDATE prompts SET outcome = ?, answered_at = ?, closed_at = ? WHERE id = ?",
            (outcome, None if answered_at is None else ts(answered_at), ts(at), prompt_id),
        )

    def add_break(self, prompt_id: int | None, exercise: str, level: int | None, started: datetime) -> int:
        row = self._next_id("breaks")
        self._write("INSERT INTO breaks(id, prompt_id, exercise, level, started) VALUES (?, ?, ?, ?, ?)",
                    (row, prompt_id, exercise, level, ts(started)))
        return row

    def finish_break(self, break_id: int, ended: datetime, result: str, answers: str | None) -> None:
        self._write("UPDATE breaks SET ended = ?, result = ?, answers = ? WHERE id = ?",
                    (ts(ended), result, answers, break_id))

    def set_state(self, key: str, value: str | Later | None) -> None:
        """Write one state value (a ``Later`` is made into text when it is written, if it still is)."""
        if value is None:
            self._write("DELETE FROM state WHERE key = ?", (key,), state_key=key)
        else:
            self._write("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value), state_key=key)

    # ---- reads ----------------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        """The value of ``key``, counting writes that still wait for the disk."""
        value = self.state_value(key)
        return value.text() if isinstance(value, Later) else value

    def state_value(self, key: str) -> str | Later | None:
        """``get_state``, with a waiting ``Later`` as it is (not made into text)."""
        if key in self.queue.state:
            return self.queue.state[key]
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def rows(self, table: str, since: datetime | None = None, until: datetime | None = None) -> list[sqlite3.Row]:
        """All rows of ``bouts``, ``away``, ``prompts`` or ``breaks`` touching [since, until), in time order."""
        return list(self.iter_rows(table, since, until))

    def iter_rows(self, table: str, since: datetime | None = None,
                  until: datetime | None = None) -> Iterator[sqlite3.Row]:
        """``rows``, one at a time (for exports of any size)."""
        start, end = {"bouts": ("start", "end"), "away": ("start", "end"), "prompts": ("at", "at"),
                      "breaks": ("started", "coalesce(ended, started)")}[table]
        sql, args = f"SELECT * FROM {table}", []
        if since is not None and until is not None:
            sql += f" WHERE {end} >= ? AND {start} < ?"
            args = [ts(since), ts(until)]
        yield from self.db.execute(sql + f" ORDER BY {start}, id", args)
