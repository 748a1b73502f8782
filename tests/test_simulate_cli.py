"""``breaker simulate`` and ``breaker log --json`` end to end, as separate processes on a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TRACES = Path(__file__).resolve().parent / "traces"


def breaker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True)


def test_workday_replay_and_log_contract(tmp_path: Path) -> None:
    db = tmp_path / "day.db"
    sim = breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db))
    assert sim.returncode == 0, sim.stderr
    assert "workday.jsonl:16: answer 'snooze' ignored: no prompt is open" in sim.stderr
    log = breaker("log", "--db", str(db), "--json")
    assert log.returncode == 0, log.stderr
    data = json.loads(log.stdout)
    assert data["bouts"] == [
        {"start": "2026-11-23T07:55:00+00:00", "end": "2026-11-23T08:51:30+00:00"},
        {"start": "2026-11-23T08:55:00+00:00", "end": "2026-11-23T09:30:00+00:00"},
        {"start": "2026-11-23T10:31:00+00:00", "end": "2026-11-23T11:40:00+00:00"},
        {"start": "2026-11-23T12:30:00+00:00", "end": "2026-11-23T13:29:00+00:00"},
    ]
    summary = [(p["at"][11:16], p["outcome"], p["answered_at"] and p["answered_at"][11:19]) for p in data["prompts"]]
    assert summary == [
        ("08:40", "snoozed", "08:41:00"),
        ("08:51", "completed", "08:51:30"),
        ("11:16", "skipped", "11:17:00"),
        ("13:15", "dismissed", "13:16:30"),
        ("13:20", "ignored", None),
        ("13:25", "ignored", None),
    ]
    for prompt in data["prompts"]:
        assert set(prompt) >= {"at", "exercise", "outcome", "answered_at"}
    assert data["breaks"][0]["result"] == "completed" and data["breaks"][0]["answers"]["level"] == "easy"


@pytest.mark.parametrize("line, message", [
    ('{"at": "2026-11-23T09:00:00+01:00", "event": "active"', "not valid JSON"),
    ('{"at": "2026-11-23T09:00:00", "event": "active"}', "has no UTC offset"),
    ('{"at": "2026-11-23T09:00:00+01:00", "event": "jump"}', 'unknown event "jump"'),
    ('{"at": "2026-11-23T09:00:00+01:00", "event": "answer", "action": "later"}', '"action" must be one of'),
    ('{"at": "2026-11-23T07:00:00+01:00", "event": "idle"}', "earlier than the line before"),
    ('["active"]', "expected a JSON object"),
    ('{"at": "0001-01-01T00:00:00+02:34", "event": "idle"}', "is outside the years 1970 to 2999"),
])
def test_malformed_line_is_an_error_naming_its_line(tmp_path: Path, line: str, message: str) -> None:
    trace = tmp_path / "bad.jsonl"
    trace.write_text('{"at": "2026-11-23T08:00:00+01:00", "event": "active"}\n\n' + line + "\n")
    db = tmp_path / "b.db"
    result = breaker("simulate", str(trace), "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.startswith(f"breaker: {trace}:3: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not db.exists()  # the trace is checked before anything is written


def test_simulate_keeps_what_was_recorded_when_the_config_is_bad(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db)).returncode == 0
    before = json.loads(breaker("log", "--db", str(db), "--json").stdout)
    config = tmp_path / "c.toml"
    config.write_text('[breaks]\nsit_limit = "1m"\n')
    result = breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db), "--config", str(config))
    assert result.returncode == 2 and "natural_break = 5m must be shorter than sit_limit = 1m" in result.stderr
    assert json.loads(breaker("log", "--db", str(db), "--json").stdout) == before


def test_config_changes_the_replay(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[breaks]\nsit_limit = "20m"\nreprompt = "30m"\n')
    db = tmp_path / "b.db"
    assert breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db), "--config", str(config)).returncode == 0
    data = json.loads(breaker("log", "--db", str(db), "--json").stdout)
    assert data["prompts"][0]["at"] == "2026-11-23T08:15:00+00:00"


def test_log_of_a_missing_database(tmp_path: Path) -> None:
    result = breaker("log", "--db", str(tmp_path / "none.db"), "--json")
    assert result.returncode == 2 and "no database here yet" in result.stderr


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    result = breaker("simulate")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    result = breaker("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr and result.stderr.count("\n") == 1


def test_input_without_a_pause_for_weeks_is_refused(tmp_path: Path) -> None:
    trace = tmp_path / "long.jsonl"
    trace.write_text('{"at": "2026-11-23T09:00:00+01:00", "event": "active"}\n'
                     '{"at": "2026-11-24T09:00:00+01:00", "event": "answer", "action": "skip"}\n'
                     '{"at": "2026-12-31T23:59:59+14:00", "event": "end"}\n')
    result = breaker("simulate", str(trace), "--db", str(tmp_path / "b.db"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{trace}:3: input has run without a pause since line 1" in result.stderr


def test_the_coach_follows_the_trace_calendar_not_the_day_it_is_replayed(tmp_path: Path) -> None:
    """The same trace replayed under two different real dates picks the same exercises."""
    trace = Path(__file__).parent / "traces" / "two_weeks.jsonl"
    picks = []
    for fake in ("2026-12-01 10:00:00", "2027-03-15 10:00:00"):
        db = tmp_path / f"{fake[:10]}.db"
        done = subprocess.run(["faketime", fake, sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        log = subprocess.run([sys.executable, "-m", "breaker", "log", "--db", str(db), "--json"],
                             capture_output=True, text=True, check=True)
        picks.append([p["exercise"] for p in json.loads(log.stdout)["prompts"]])
    assert picks[0] == picks[1] and len(set(picks[0])) >= 3
