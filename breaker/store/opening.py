"""Opening the database file: quoted URIs, migrations, and telling damage from faults of the disk."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from breaker.core.errors import DataError
from breaker.core.i18n import _
from breaker.store.faults import explain, is_busy, is_damage
from breaker.store.migrations import APPLICATION_ID, MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
OPEN_WAIT_S = 5.0  # how long opening waits for another program's lock


def open_checked(path: Path, now: datetime, readonly: bool, wait_s: float) -> tuple[sqlite3.Connection, list[str]]:
    """Connect and migrate. Only a file that really is damaged is moved aside (and a new one started);
    a fault of the disk or another program is a one-line DataError and the file stays where it is."""
    notices: list[str] = []
    if not readonly and _not_sqlite(path):
        notices.append(_move_aside(path, now))
    immutable = False
    for attempt in (1, 2, 3):
        db = None
        try:
            if not readonly:
                _create_private(path)
            db = _connect(path, readonly, wait_s, immutable)
            _check_and_migrate(db, path, readonly)
            return db, notices
        except (sqlite3.DatabaseError, OSError) as err:
            if db is not None:
                db.close()
            damaged = isinstance(err, _Damaged) or (isinstance(err, sqlite3.Error) and is_damage(err))
            if damaged and _integrity_fails(path, readonly):
                if readonly:
                    raise DataError(_("{path}: damaged database ({err}); run any writing command to repair").format(
                        path=path, err=err)) from None
                if attempt == 1:
                    notices.append(_move_aside(path, now))
                    continue
            if readonly and not immutable and not is_busy(err) and not _has_wal(path):
                immutable = True  # a full or read-only disk cannot hold the -shm file; nothing waits in a WAL
                continue
            raise DataError(_("{path}: cannot open the database: {reason}").format(
                path=path, reason=explain(err))) from None
    raise AssertionError("unreachable")


def _has_wal(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


class _Damaged(sqlite3.DatabaseError):
    """The quick check found damage."""


def _integrity_fails(path: Path, readonly: bool) -> bool:
    """A second look before anything is moved: a full integrity check on its own read-only connection."""
    try:
        db = _connect(path, True, OPEN_WAIT_S)
        try:
            result = db.execute("PRAGMA integrity_check(1)").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as err:
        return is_damage(err)
    return result != "ok"


def _create_private(path: Path) -> None:
    """Create the file readable by the user only (SQLite gives its -wal/-shm files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _connect(path: Path, readonly: bool, wait_s: float, immutable: bool = False) -> sqlite3.Connection:
    """Open by a quoted ``file:`` URI, so ``#``, ``?``, ``%`` or spaces in the path are only path."""
    uri = path.absolute().as_uri() + ("?mode=ro" if readonly else "?mode=rw")
    if immutable:
        uri += "&immutable=1"
    # check_same_thread=False: the daemon uses one connection from several threads, always under its lock
    db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=wait_s, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
    return db


def _not_sqlite(path: Path) -> bool:
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
    return _("{path}: the database was damaged; it was kept as {kept} and a new one was started").format(
        path=path, kept=target.name)


def _check_and_migrate(db: sqlite3.Connection, path: Path, readonly: bool) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and (app_id != 0 or tables > 0):
        raise DataError(_("{path}: not a breaker database (it belongs to another program); left untouched").format(
            path=path))
    if version > len(MIGRATIONS):
        raise DataError(_("{path}: written by a newer breaker (schema {version}, this one knows {known}); "
                          "left untouched - upgrade breaker to use it").format(
            path=path, version=version, known=len(MIGRATIONS)))
    if tables > 0:
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise _Damaged(f"quick_check: {result}")
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
