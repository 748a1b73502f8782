"""``breaker simulate`` writes exactly the rows it always did (issue 11, item 10: a faster replay, the same record).

``traces/regression.jsonl.gz`` is 45 generated workdays (bench/replay_year.workday) with answers, snoozes, skips,
guided breaks with many kinds of self-check answers, pauses, do-not-disturb, ``end`` lines and answers with no
prompt open. ``traces/regression.record.json.gz`` holds every row of every table, and what simulate printed, as
the code before the speed-up wrote them. BREAKER_WRITE_RECORD=1 writes it anew (only when the record is meant
to change).
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TRACES = Path(__file__).resolve().parent / "traces"
TRACE = TRACES / "regression.jsonl.gz"
RECORD = TRACES / "regression.record.json.gz"
TABLES = ("bouts", "away", "prompts", "breaks", "state")
CONFIGS = {
    "default": "",
    "hours": '[breaks]\nsit_limit = "35m"\nreprompt = "4m"\nsnooze = "7m"\nnatural_break = "3m"\n'
             '[hours]\nmon = "09:00-12:30, 13:15-17:30"\ntue = "08:00-18:00"\nwed = "off"\n'
             'thu = "09:30-16:00"\nfri = "09:00-13:00"\nsat = "off"\nsun = "off"\n',
}
ENV = {**os.environ, "TZ": "Europe/Berlin"}


def dump(db: Path) -> dict[str, list[list[Any]]]:
    """Every row of every table, in id (or key) order; floats as their exact text."""
    with sqlite3.connect(db) as con:
        return {table: [[repr(v) if isinstance(v, float) else v for v in row]
                        for row in con.execute(f"SELECT * FROM {table} ORDER BY 1")] for table in TABLES}


def expected() -> dict[str, Any]:
    with gzip.open(RECORD, "rt") as handle:
        return json.load(handle)


def simulate(tmp_path: Path, name: str) -> tuple[dict[str, Any], Path]:
    trace = tmp_path / "regression.jsonl"
    trace.write_bytes(gzip.decompress(TRACE.read_bytes()))
    config = tmp_path / f"{name}.toml"
    config.write_text(CONFIGS[name])
    db = tmp_path / f"{name}.db"
    done = subprocess.run([sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db),
                           "--config", str(config)], capture_output=True, text=True, env=ENV, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.replace(str(tmp_path), "TMP")
    err = done.stderr.replace(str(tmp_path), "TMP")
    return {"stdout": out, "stderr": err, "tables": dump(db)}, config


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_simulate_writes_the_recorded_rows(tmp_path: Path, name: str) -> None:
    got, _ = simulate(tmp_path, name)
    if os.environ.get("BREAKER_WRITE_RECORD") == "1":
        record = expected() if RECORD.exists() else {}
        record[name] = got
        with gzip.GzipFile(RECORD, "wb", mtime=0) as handle:
            handle.write(json.dumps(record, indent=0, sort_keys=True).encode())
    want = expected()[name]
    assert got["stdout"] == want["stdout"]
    assert got["stderr"] == want["stderr"]
    for table in TABLES:
        rows, old = got["tables"][table], want["tables"][table]
        assert len(rows) == len(old), table
        for row, before in zip(rows, old, strict=True):
            assert row == before, table
    assert sum(len(v) for v in want["tables"].values()) > 2000  # the record is not trivially empty


SMALL_COMMITS = """
import sys
from pathlib import Path
from breaker.config import load_config
from breaker.replay.simulate import TraceDay, replay
from breaker.replay.trace import iter_trace
from breaker.store.coach_state import chooser_for
from breaker.store.storage import Storage
trace, config, db = map(Path, sys.argv[1:])
loaded = load_config(config)
storage = Storage.open(db)
day = TraceDay(loaded.zone)
report = replay(day.follow(iter_trace(trace)), loaded.rules, storage, chooser_for(storage, loaded, today=day),
                str(trace), batch=7)
storage.close()
print(report.events)
"""


def test_small_commits_write_the_same_rows(tmp_path: Path) -> None:
    """A replay committed every few rows writes what one committed every 5,000 rows writes (its own process:
    the local zone is read once per process)."""
    trace = tmp_path / "regression.jsonl"
    trace.write_bytes(gzip.decompress(TRACE.read_bytes()))
    config = tmp_path / "hours.toml"
    config.write_text(CONFIGS["hours"])
    db = tmp_path / "small.db"
    done = subprocess.run([sys.executable, "-c", SMALL_COMMITS, str(trace), str(config), str(db)],
                          capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "3489\n"
    assert dump(db) == expected()["hours"]["tables"]
