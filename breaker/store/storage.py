"""SQLite storage: one file, WAL, schema versioned by ``PRAGMA user_version``.

Times are stored as UTC Unix seconds (REAL). Only one process writes (the daemon or ``simulate``).
A file that is not SQLite at all, or is damaged, is moved aside under a timestamped name and a fresh
database is started; a SQLite file of another program, or of a newer breaker, is left untouched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from breaker.core.errors import DataError
from breaker.store.migrations import APPLICATION_ID, MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("breaker", appauthor=False)) / "breaker.db"


def ts(at: datetime) -> float:
    """Aware datetime -> stored UTC seconds."""
    return at.timestamp()


def dt(value: float | None) -> datetime | None:
    """Stored UTC seconds -> aware UTC datetime."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


@dataclass
class Storage:
    """An open breaker database. ``notices`` holds what the user should be told about opening it."""

    path: Path
    db: sqlite3.Connection
    notices: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path | None = None, *, now: datetime | None = None, readonly: bool = False) -> Storage:
        """Open (creating if needed) and migrate the database at ``path``."""
        path = Path(path or default_path())
        notices: list[str] = []
        if readonly:
            if not path.exists():
                raise DataError(f"{path}: no database here yet (run breaker to record some sitting first)")
        elif _damaged(path):
            notices.append(_move_aside(path, now or datetime.now(UTC)))
        if not readonly:
            _create_private(path)
        db = _connect(path, readonly)
        try:
            _check_and_migrate(db, path, readonly)
        except sqlite3.DatabaseError as err:
            db.close()
            if readonly:
                raise DataError(f"{path}: damaged database ({err}); run any writing command to repair") from None
            notices.append(_move_aside(path, now or datetime.now(UTC)))
            _create_private(path)
            db = _connect(path, readonly)
            _check_and_migrate(db, path, readonly)
        return cls(path, db, notices)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them land, or none (nested use joins the outer transaction)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---- writes ---------------------------------------------------------------------------------

    def add_bout(self, start: datetime, end: datetime, sit_limit_s: float | None = None) -> None:
        self.db.execute("INSERT INTO bouts(start, end, sit_limit_s) VALUES (?, ?, ?)",
                        (ts(start), ts(end), sit_limit_s))

    def add_away(self, start: datetime, end: datetime, cause: str) -> None:
        self.db.execute("INSERT INTO away(start, end, cause) VALUES (?, ?, ?)", (ts(start), ts(end), cause))

    def add_prompt(self, at: datetime, bout_start: datetime, exercise: str, level: int | None) -> int:
        cur = self.db.execute(
            "INSERT INTO prompts(at, bout_start, exercise, level) VALUES (?, ?, ?, ?)",
            (ts(at), ts(bout_start), exercise, level),
        )
        return int(cur.lastrowid or 0)

    def answer_prompt(self, prompt_id: int, answered_at: datetime) -> None:
        self.db.execute("UPDATE prompts SET answered_at = ? WHERE id = ?", (ts(answered_at), prompt_id))

    def close_prompt(self, prompt_id: int, outcome: str, answered_at: datetime | None, at: datetime) -> None:
        self.db.execute(
            "UPDATE prompts SET outcome = ?, answered_at = ?, closed_at = ? WHERE id = ?",
            (outcome, None if answered_at is None else ts(answered_at), ts(at), prompt_id),
        )

    def add_break(self, prompt_id: int | None, exercise: str, level: int | None, started: datetime) -> int:
        cur = self.db.execute(
            "INSERT INTO breaks(prompt_id, exercise, level, started) VALUES (?, ?, ?, ?)",
            (prompt_id, exercise, level, ts(started)),
        )
        return int(cur.lastrowid or 0)

    def finish_break(self, break_id: int, ended: datetime, result: str, answers: str | None) -> None:
        self.db.execute(
            "UPDATE breaks SET ended = ?, result = ?, answers = ? WHERE id = ?",
            (ts(ended), result, answers, break_id),
        )

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value))

    # ---- reads ----------------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def rows(self, table: str, since: datetime | None = None, until: datetime | None = None) -> list[sqlite3.Row]:
        """All rows of ``bouts``, ``away``, ``prompts`` or ``breaks`` touching [since, until), in time order."""
        start, end = {"bouts": ("start", "end"), "away": ("start", "end"), "prompts": ("at", "at"),
                      "breaks": ("started", "coalesce(ended, started)")}[table]
        sql, args = f"SELECT * FROM {table}", []
        if since is not None and until is not None:
            sql += f" WHERE {end} >= ? AND {start} < ?"
            args = [ts(since), ts(until)]
        return self.db.execute(sql + f" ORDER BY {start}, id", args).fetchall()


def _create_private(path: Path) -> None:
    """Create the file readable by the user only (SQLite gives its -wal/-shm files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    # check_same_thread=False: the daemon uses one connection from several threads, always under its lock
    db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def _damaged(path: Path) -> bool:
    """True for a non-empty file that does not even start like a SQLite database."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    return len(head) > 0 and head != SQLITE_MAGIC


def _move_aside(path: Path, now: datetime) -> str:
    """Keep a damaged file under a new name; nothing is deleted."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return f"{path}: the database was damaged; it was kept as {target.name} and a new one was started"


def _check_and_migrate(db: sqlite3.Connection, path: Path, readonly: bool) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and (app_id != 0 or tables > 0):
        raise DataError(f"{path}: not a breaker database (it belongs to another program); left untouched")
    if version > len(MIGRATIONS):
        raise DataError(
            f"{path}: written by a newer breaker (schema {version}, this one knows {len(MIGRATIONS)}); "
            "left untouched - upgrade breaker to use it"
        )
    if tables > 0:
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {result}")
    if readonly:
        return
    db.execute("PRAGMA synchronous = NORMAL")
    if version == len(MIGRATIONS):
        return
    db.execute("PRAGMA journal_mode = WAL")
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in script:
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
