"""The SQLite file: schema, permissions, damaged files kept aside, foreign and future files untouched."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from breaker.core.errors import DataError
from breaker.store.migrations import APPLICATION_ID, MIGRATIONS
from breaker.store.storage import Storage

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def test_fresh_database_is_private_wal_and_current(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "sub" / "b.db", now=NOW)
    with storage.transaction():
        storage.add_bout(NOW, NOW.replace(hour=15))
    assert storage.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert storage.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert storage.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    for path in (tmp_path / "sub").iterdir():
        assert path.stat().st_mode & 0o077 == 0, path
    storage.close()
    again = Storage.open(tmp_path / "sub" / "b.db", now=NOW)
    assert len(again.rows("bouts")) == 1 and again.notices == []


@pytest.mark.parametrize("content", [
    pytest.param(b"\0" * 8192, id="zero-filled"),
    pytest.param(os.urandom(5000), id="random bytes"),
])
def test_damaged_file_is_kept_aside_and_a_fresh_one_started(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "b.db"
    path.write_bytes(content)
    storage = Storage.open(path, now=NOW)
    kept = tmp_path / "b.db.damaged-20261125T140000Z"
    assert kept.read_bytes() == content
    assert "kept as b.db.damaged-20261125T140000Z" in storage.notices[0]
    assert storage.rows("bouts") == []


def test_truncated_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    storage = Storage.open(path, now=NOW)
    with storage.transaction():
        for hour in range(1, 23):
            for minute in range(0, 60, 2):
                start = NOW.replace(hour=hour, minute=minute)
                storage.add_bout(start, start.replace(second=30))
    storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.close()
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[: len(data) // 2])
    repaired = Storage.open(path, now=NOW)
    assert repaired.notices and (tmp_path / "b.db.damaged-20261125T140000Z").exists()
    assert repaired.rows("bouts") == []


def test_foreign_sqlite_file_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(DataError, match="not a breaker database"):
        Storage.open(path, now=NOW)
    assert path.read_bytes() == before


def test_newer_schema_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    Storage.open(path, now=NOW).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(DataError, match="newer breaker"):
        Storage.open(path, now=NOW)
    assert path.read_bytes() == before


def test_failed_transaction_keeps_what_was_recorded(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db", now=NOW)
    with storage.transaction():
        storage.add_bout(NOW, NOW.replace(hour=15))
    with pytest.raises(sqlite3.IntegrityError), storage.transaction():
        storage.add_bout(NOW.replace(hour=16), NOW.replace(hour=17))
        storage.add_bout(NOW, NOW)  # end must be after start
    assert len(storage.rows("bouts")) == 1


def test_readonly_open_of_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no database here yet"):
        Storage.open(tmp_path / "none.db", readonly=True)
