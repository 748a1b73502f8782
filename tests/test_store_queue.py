"""A write the disk refuses is not lost (issue 11, item 2): units wait in memory and land in order.

A real 1 MB tmpfs filled with dd stands in for a full disk; the rows written once space returns must be
exactly what ``breaker simulate`` writes for the same trace.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from breaker.config import load_config
from breaker.core.engine import Engine
from breaker.core.models import Action
from breaker.store import writequeue
from breaker.store.coach_state import FixedChooser, chooser_for
from breaker.store.session import Session
from breaker.store.storage import Storage
from tests.test_store_faults import breaker, fill, recorded, small_disk  # noqa: F401

LINES = [  # default rules: sit_limit 45m, natural_break 5m, reprompt 5m
    ("08:00", "active"),
    ("08:46", "idle"),    # prompt 1 was shown at 08:45; then the disk fills up
    ("08:47", "active"),
    ("08:55", "idle"),    # 08:50: prompt 1 ignored, prompt 2 shown
    ("09:05", "active"),  # 09:00: the bout ends at 08:55, prompt 2 ignored; a new bout; then space returns
    ("09:10", "idle"),
    ("09:30", "end"),
]
FULL_AFTER, FREED_AFTER = 1, 4


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-24T{hhmm}:00+01:00")


def test_rows_wait_while_the_disk_is_full_and_land_as_simulate_writes_them(
        small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(writequeue, "RETRY_S", 0.0)  # every write tries again (the daemon: every few seconds)
    trace = tmp_path / "t.jsonl"
    trace.write_text("".join(json.dumps({"at": at(t).isoformat(), "event": e}) + "\n" for t, e in LINES))
    db = small_disk / "breaker.db"
    storage = Storage.open(db)
    session = Session(Engine(load_config(None).rules), storage, chooser_for(storage, load_config(None)))
    filler = None
    for number, (hhmm, event) in enumerate(LINES):
        session.run(lambda engine, e=event, t=at(hhmm): getattr(engine, e)(t))
        if number == FULL_AFTER:
            assert storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
            filler = fill(small_disk)
        elif number == FULL_AFTER + 2:
            assert storage.save_problem and storage.save_problem.startswith("cannot save: the disk is full")
            other = sqlite3.connect(db)
            assert other.execute("SELECT outcome FROM prompts").fetchall() == [(None,)]  # waiting in memory
            other.close()
        elif number == FREED_AFTER:
            assert storage.pending > 0
            assert filler is not None
            filler.unlink()
    assert storage.save_problem is None and storage.pending == 0
    storage.close()
    written = recorded(db)
    assert len(written["prompts"]) >= 2 and all(p["outcome"] == "ignored" for p in written["prompts"])
    assert written["bouts"][0] == {"start": "2026-11-24T07:00:00+00:00", "end": "2026-11-24T07:55:00+00:00"}
    expected = tmp_path / "sim.db"
    assert breaker("simulate", str(trace), "--db", str(expected)).returncode == 0
    assert written == recorded(expected)


def test_a_state_key_waiting_twice_is_written_once_with_its_newest_value(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    holder = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    storage.write_wait_s = 0.05
    for n in range(50):
        storage.set_state("heartbeat", str(n))
    assert storage.pending == 1 and storage.get_state("heartbeat") == "49"
    assert storage.save_problem and "locked by another program" in storage.save_problem
    holder.execute("ROLLBACK")
    assert storage.flush() and storage.pending == 0
    assert holder.execute("SELECT value FROM state WHERE key = 'heartbeat'").fetchone() == ("49",)
    storage.close()


def test_past_the_bound_new_units_are_counted_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writequeue, "MAX_PENDING", 10)
    storage = Storage.open(tmp_path / "b.db")
    holder = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    storage.write_wait_s = 0.05
    session = Session(Engine(load_config(None).rules), storage, FixedChooser())
    for minutes in range(0, 240, 10):  # 24 bouts of 4 minutes: 48 rows (bout + away)
        session.run(lambda e, m=minutes: e.active(at(f"{8 + m // 60:02d}:{m % 60:02d}")))
        session.run(lambda e, m=minutes: e.idle(at(f"{8 + m // 60:02d}:{m % 60 + 4:02d}")))
    session.run(lambda e: e.answer(Action.SKIP, at("12:30")))
    assert storage.pending <= 10
    assert storage.save_problem and "past the 10 kept were lost" in storage.save_problem
    holder.execute("ROLLBACK")
    assert storage.flush()
    kept = holder.execute("SELECT start FROM bouts ORDER BY start").fetchall()
    assert 1 <= len(kept) <= 5 and kept[0][0] == at("08:00").timestamp()  # the oldest record is kept whole
    storage.close()


def test_a_batch_writes_the_newest_state_once_and_every_row(tmp_path: Path) -> None:
    """simulate's commits: a state key set in every unit (twice in some) is made into text and written once,
    with its newest value; the rows around it all land."""
    storage = Storage.open(tmp_path / "b.db")
    storage.autoflush = False
    made: list[int] = []

    def later(n: int) -> writequeue.Later:
        return writequeue.Later(lambda: made.append(n) or f"state {n}")

    for n in range(100):
        with storage.transaction():
            storage.set_state("coach", later(n))
            storage.add_away(at("08:00") + timedelta(minutes=n), at("08:00") + timedelta(minutes=n, seconds=30), "idle")
            if n % 10 == 0:
                storage.set_state("coach", later(1000 + n))
    assert storage.pending == 101 and made == []  # 100 rows and one state write wait; nothing made yet
    assert storage.flush()
    assert made == [99]
    other = sqlite3.connect(tmp_path / "b.db")
    assert other.execute("SELECT value FROM state WHERE key = 'coach'").fetchall() == [("state 99",)]
    assert other.execute("SELECT count(*) FROM away").fetchone() == (100,)
    other.close()
    storage.close()
