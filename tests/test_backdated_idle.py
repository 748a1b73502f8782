"""An ``idle`` dated before the engine's time (issue #12.1): the daemon learns that input stopped only
``idle_after`` later, and a prompt may have fallen due in between. The engine then ends the bout at the
last input, exactly as a trace in time order would, and ``breaker simulate`` (whose traces give exact
idle times) is unchanged."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from breaker.core.models import Rules
from tests.enginekit import at, play

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "traces"
TABLES = {
    "bouts": "start, end, sit_limit_s",
    "away": "start, end, cause",
    "prompts": "at, bout_start, exercise, level, outcome, answered_at, closed_at",
    "breaks": "prompt_id, exercise, level, started, ended, result, answers",
}


def replay_record(trace: Path, tmp: Path) -> dict[str, list[list[object]]]:
    """Every row ``breaker simulate`` writes for ``trace`` (a real process, a real SQLite file)."""
    db, home = tmp / f"{trace.stem}.db", tmp / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        return {table: [list(row) for row in conn.execute(f"SELECT {cols} FROM {table} ORDER BY id")]
                for table, cols in TABLES.items()}


@pytest.mark.parametrize("trace", sorted(TRACES.glob("*.jsonl")), ids=lambda p: p.stem)
def test_simulate_record_is_unchanged(trace: Path, tmp_path: Path) -> None:
    """The records were written by the code before back-dated idle existed (main at 976a270)."""
    expected = json.loads(trace.with_suffix(".record.json").read_text())
    assert replay_record(trace, tmp_path) == expected
