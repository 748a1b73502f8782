"""``breaker stats --trend``, the sit limit stored with each bout (migration 2) and a fresh install, through
real processes and real SQLite files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from breaker.store.migrations import APPLICATION_ID, MIGRATIONS
from breaker.store.storage import Storage
from tests.test_stats_cli import TRACES, breaker, stats_json


@pytest.fixture(scope="module")
def workday(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("trend") / "both.db"
    for trace in ("two_weeks.jsonl", "workday.jsonl"):
        result = breaker("simulate", str(TRACES / trace), "--db", str(db))
        assert result.returncode == 0, result.stderr
    return db


def test_trend_json_equals_each_weeks_stats(workday: Path) -> None:
    data = stats_json(workday, "--week", "2026-W48", "--trend", "3")
    assert [w["week"] for w in data["weeks"]] == ["2026-W46", "2026-W47", "2026-W48"]
    for week in data["weeks"]:
        totals = stats_json(workday, "--week", week["week"])["totals"]
        assert week == {"week": week["week"], **totals}
    assert data["weeks"][-1]["asked"] >= 2 and data["weeks"][-1]["prompts"] > data["weeks"][-1]["asked"]
    default = stats_json(workday, "--trend")
    assert len(default["weeks"]) == 12


def test_trend_text_csv_and_bad_counts(workday: Path) -> None:
    text = breaker("stats", "--db", str(workday), "--week", "2026-W48", "--trend", "4", PYTHONIOENCODING="utf-8")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Sitting week by week, 2026-W45 – 2026-W48 (4 weeks)" and max(map(len, lines)) <= 80
    assert any(line.startswith("2026-W45") and "nothing recorded" in line for line in lines)
    plain = breaker("stats", "--db", str(workday), "--trend", "4", PYTHONIOENCODING="ascii")
    assert plain.returncode == 0 and plain.stdout.isascii()
    table = breaker("stats", "--db", str(workday), "--week", "2026-W48", "--trend", "2", "--csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [r["week"] for r in rows] == ["2026-W47", "2026-W48"] and {"asked", "moved"} <= set(rows[0])
    for bad in ("0", "x", "-3", "9999"):
        result = breaker("stats", "--db", str(workday), "--trend", bad)
        assert result.returncode == 2 and "--trend" in result.stderr and result.stderr.count("\n") == 1


def test_weekly_csv_and_export_carry_the_asks(workday: Path) -> None:
    week = list(csv.DictReader(io.StringIO(breaker("stats", "--db", str(workday), "--week", "2026-W48",
                                                   "--csv").stdout)))
    json_totals = stats_json(workday, "--week", "2026-W48")["totals"]
    assert week[-1]["asked"] == str(json_totals["asked"]) and week[-1]["moved"] == str(json_totals["moved"])
    exported = json.loads(breaker("export", "--json", "--db", str(workday)).stdout)
    asks = {p["ask_id"] for p in exported["prompts"]}
    assert len(asks) < len(exported["prompts"])  # repeats share the id of the first prompt of their bout
    for p in exported["prompts"]:
        first = next(q for q in exported["prompts"] if q["id"] == p["ask_id"])
        assert first["bout_start"] == p["bout_start"] and first["at"] <= p["at"]
    rows = list(csv.DictReader(io.StringIO(breaker("export", "--csv", "--db", str(workday)).stdout)))
    assert {r["ask_id"] for r in rows if r["record"] == "prompt"} == {str(a) for a in asks}
    assert all(r["sit_limit_s"] == "2700.0" for r in rows if r["record"] == "bout")


def test_a_database_from_before_limits_were_stored(tmp_path: Path) -> None:
    """Schema 1 rows have no limit: read-only stats judge them by the config and say so; opening for
    writing adds the column and keeps every row."""
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO bouts(start, end) VALUES (?, ?)", (1795420800.0, 1795420800.0 + 3000))  # 23 Nov 08:00 UTC
    db.commit()
    db.close()
    config = tmp_path / "c.toml"
    config.write_text('[breaks]\nsit_limit = "1h"\nnatural_break = "5m"\n')
    data = stats_json(path, "--week", "2026-W48", "--config", str(config))
    assert data["totals"]["bouts_over_limit"] == 0 and data["totals"]["limit_assumed"] == 1
    text = breaker("stats", "--db", str(path), "--week", "2026-W48", PYTHONIOENCODING="utf-8").stdout
    assert "judged by today's 45 min" in " ".join(text.split())
    storage = Storage.open(path)
    try:
        rows = storage.rows("bouts")
        assert [(r["end"] - r["start"], r["sit_limit_s"]) for r in rows] == [(3000, None)]
        assert storage.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 2
    finally:
        storage.close()


def test_fresh_install_says_nothing_is_recorded_yet(tmp_path: Path) -> None:
    missing = tmp_path / "never.db"
    for args in (["stats"], ["stats", "--trend"], ["stats", "--last"], ["stats", "--window"]):
        result = breaker(*args, "--db", str(missing))
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == f"Nothing is recorded yet: breaker writes its history to {missing} while it runs" \
                                " (breaker run).\n"
    data = stats_json(missing, "--week", "2026-W48")
    assert data["totals"]["sitting_s"] == 0 and len(data["days"]) == 7
    exported = breaker("export", "--json", "--db", str(missing))
    assert exported.returncode == 0 and json.loads(exported.stdout) == {"bouts": [], "away": [], "prompts": [],
                                                                      "breaks": []}
    assert "Nothing is recorded yet" in exported.stderr
    table = breaker("export", "--csv", "--db", str(missing))
    assert table.returncode == 0 and table.stdout.count("\n") == 1 and "ask_id" in table.stdout
    assert not missing.exists()  # reading never creates the database


def test_migration_waits_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    """The daemon of an older breaker may be mid-write when a new one opens the file: the migration waits
    for the lock instead of failing, and every row survives."""
    import subprocess
    import sys
    import time

    path = tmp_path / "busy.db"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("INSERT INTO bouts(start, end) VALUES (1795420800, 1795424400)")
    db.commit()
    db.close()
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sqlite3, sys, time
db = sqlite3.connect({str(path)!r}, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO bouts(start, end) VALUES (1795430000, 1795431000)")
print("locked", flush=True)
time.sleep(1.5)
db.execute("COMMIT")
"""], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        began = time.monotonic()
        storage = Storage.open(path)
        waited = time.monotonic() - began
        try:
            rows = storage.rows("bouts")
            assert len(rows) == 2 and all(r["sit_limit_s"] is None for r in rows)
            assert storage.db.execute("PRAGMA user_version").fetchone()[0] == 2
        finally:
            storage.close()
        assert waited >= 0.5  # it did wait for the writer
    finally:
        holder.wait(timeout=10)
