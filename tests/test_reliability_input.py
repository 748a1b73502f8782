"""Bad input never ends in a traceback: generated configs and traces through ``breaker.cli.main.main`` in-process,
and damaged or foreign database files through ``breaker simulate`` / ``breaker log``.

Every run ends in success or in exactly one line on stderr with exit code 2. CI: a few hundred generated
cases; ``--full``: thousands.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breaker.cli.main import main
from breaker.store.migrations import APPLICATION_ID, MIGRATIONS
from tests.reliability_conftest import scale

CASES = settings(max_examples=scale(300, 3000), deadline=None, derandomize=not os.environ.get("BREAKER_FULL"),
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TRACE_OK = '{"at": "2026-11-23T09:00:00+01:00", "event": "active"}\n{"at": "2026-11-23T09:30:00+01:00", "event": "end"}\n'

KEYS = ["sit_limit", "natural_break", "snooze", "reprompt", "idle_after", "poll_max", "mon", "sat", "zone", "x"]
SECTIONS = ["breaks", "tracking", "hours", "exercises.hinge", "exercises", "", "bogus"]
VALUES = st.one_of(
    st.sampled_from(['"45m"', '"5m"', '"0s"', '"-5m"', '"1h30m"', '"90"', '"abc"', '"09:00-17:00"', '"off"',
                     '"25:00-26:00"', '"17:00-09:00"', "45", "1.5", "true", "[]", "{}", '"Europe/Nowhere"', '""']),
    st.text(max_size=12).map(json.dumps),
    st.integers(-10**20, 10**20).map(str),
)
CONFIG_LINE = st.one_of(
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(KEYS), VALUES),
    st.sampled_from(SECTIONS).map(lambda s: f"[{s}]"),
    st.text(max_size=30),
)
EVENTS = ["active", "idle", "lock", "unlock", "suspend", "resume", "answer", "finish", "end", "jump"]
TIMES = st.one_of(st.sampled_from(["2026-11-23T09:00:00+01:00", "2026-11-23T09:05:00+01:00", "2026-11-23T08:00:00Z",
                                   "2026-11-23T09:00:00", "yesterday", "9999-12-31T23:59:59+14:00",
                                   "0001-01-01T00:00:00+00:00", ""]),
                  st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()), st.integers(), st.none())
EVENT = st.fixed_dictionaries(
    {"at": TIMES, "event": st.one_of(st.sampled_from(EVENTS), st.integers(), st.none())},
    optional={"action": st.sampled_from(["start", "snooze", "skip", "dismiss", "later", 3]),
              "result": st.sampled_from(["completed", "abandoned", "maybe", None])})
TRACE_LINE = st.one_of(EVENT.map(json.dumps), st.text(max_size=40), st.just(""), st.just("[]"), st.just("{}"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """``breaker ARGV`` in-process: (exit code, stderr); a traceback fails the test by itself."""
    try:
        code = main(list(argv))
    except SystemExit as done:  # argparse
        code = done.code if isinstance(done.code, int) else 2
    return code, capsys.readouterr().err


def one_line_or_success(code: int, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith("breaker"), err


@CASES
@given(lines=st.lists(CONFIG_LINE, max_size=8))
def test_generated_configs_pass_or_fail_in_one_line(lines: list[str], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    code, err = run(capsys, "config", "check", str(config))
    one_line_or_success(code, err)


@CASES
@given(lines=st.lists(TRACE_LINE, max_size=8), raw=st.binary(max_size=40))
def test_generated_traces_replay_or_fail_in_one_line(lines: list[str], raw: bytes, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    trace = tmp_path / "trace.jsonl"
    trace.write_bytes(("\n".join(lines)).encode("utf-8", "surrogatepass") + (raw if len(lines) % 3 == 0 else b""))
    db = tmp_path / "t.db"
    db.unlink(missing_ok=True)
    code, err = run(capsys, "simulate", str(trace), "--db", str(db))
    # warnings (an answer with no open prompt) may precede success; a failure is one line
    assert "Traceback" not in err
    if code != 0:
        one_line_or_success(code, err)


def damaged(kind: str, good: bytes) -> bytes:
    """A database file broken in one of three ways."""
    if kind == "truncated":
        return good[: len(good) // 2 + 100]
    if kind == "zeros":
        return bytes(len(good))
    return os.urandom(len(good))


@pytest.mark.parametrize("kind", ["truncated", "zeros", "random"])
def test_damaged_database_is_kept_aside_and_a_fresh_one_started(kind: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    trace = tmp_path / "day.jsonl"
    trace.write_text(TRACE_OK)
    db = tmp_path / "b.db"
    assert run(capsys, "simulate", str(trace), "--db", str(db))[0] == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    for _ in range(200):  # enough pages that half a file loses tables
        conn.execute("INSERT INTO state(key, value) VALUES (?, ?)", (os.urandom(8).hex(), "x" * 200))
    conn.commit()
    conn.close()
    broken = damaged(kind, db.read_bytes())
    db.write_bytes(broken)
    code, err = run(capsys, "log", "--db", str(db), "--json")  # reading never repairs: a clear error
    one_line_or_success(code, err)
    code, err = run(capsys, "simulate", str(trace), "--db", str(db))
    assert code == 0, err
    assert "Traceback" not in err
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("b.db.damaged-") and not p.name.endswith(("-wal", "-shm"))]
    if kind == "truncated" and not kept:
        pytest.fail(f"a truncated database was not noticed: {err}")
    assert len(kept) == 1, sorted(p.name for p in tmp_path.iterdir())
    assert kept[0].read_bytes() == broken  # preserved byte for byte
    assert "kept as" in err
    code, _ = run(capsys, "log", "--db", str(db), "--json")
    assert code == 0
    assert json.loads(capsys.readouterr().out or "{}") is not None


def test_database_of_a_future_schema_is_left_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE things(x)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    trace = tmp_path / "day.jsonl"
    trace.write_text(TRACE_OK)
    for argv in (["simulate", str(trace), "--db", str(db)], ["log", "--db", str(db), "--json"]):
        code, err = run(capsys, *argv)
        one_line_or_success(code, err)
        assert code == 2 and "newer breaker" in err and "left untouched" in err
    assert db.read_bytes() == before
    # only the writers' lock file (empty, or a pid) may appear beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.jsonl", "future.db", "future.db.lock"]
