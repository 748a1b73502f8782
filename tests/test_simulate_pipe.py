"""``breaker simulate`` over two processes (``replay/pipeline.py``) writes what one process writes, fails the
same way, and leaves no process behind: real traces, real SQLite files, real processes and signals.

``BREAKER_SIMULATE_PIPE=1`` makes simulate use the second process for any trace, ``0`` never.
"""

from __future__ import annotations

import gc
import gzip
import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breaker.replay import pipeline
from breaker.replay.pipeline import MIN_BYTES, piped
from tests.test_simulate_regression import CONFIGS, ENV, TRACE, dump, expected
from tests.test_store_faults import small_disk  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent


def simulate(trace: Path, db: Path, pipe: str, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db), *more],
                          capture_output=True, text=True, env={**ENV, "BREAKER_SIMULATE_PIPE": pipe}, timeout=300)


def start(trace: Path, db: Path) -> subprocess.Popen[str]:
    """simulate in the background, choosing its way by itself (the trace is big: two processes, where this
    process may use two CPUs; on one, asked for)."""
    env = {**ENV}
    env.pop("BREAKER_SIMULATE_PIPE", None)
    if pipeline._cores() < 2:
        env["BREAKER_SIMULATE_PIPE"] = "1"
    return subprocess.Popen([sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(n) for n in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return found


def reader_of(proc: subprocess.Popen[str], deadline_s: float = 120.0) -> int:
    """The reading child of a running simulate, once it has been at work for a moment."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        kids = children(proc.pid)
        if kids:
            time.sleep(1.0)  # well into the replay: batches committed, more to come
            assert proc.poll() is None, proc.communicate()
            return kids[0]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("simulate started no reading process")


def gone(pid: int) -> bool:
    """No such process (reaped; a zombie would still have /proc/<pid>)."""
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture(scope="module")
def big_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 events of generated workdays (bench/simulate_million.py's trace), about 12 MB."""
    spec = importlib.util.spec_from_file_location("simulate_million", ROOT / "bench" / "simulate_million.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    trace = tmp_path_factory.mktemp("big") / "big.jsonl"
    module.write_trace(trace, 200_000, 1)
    return trace


@pytest.fixture
def regression(tmp_path: Path) -> Path:
    trace = tmp_path / "regression.jsonl"
    trace.write_bytes(gzip.decompress(TRACE.read_bytes()))
    return trace


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_two_processes_write_the_recorded_rows(tmp_path: Path, regression: Path, name: str) -> None:
    config = tmp_path / f"{name}.toml"
    config.write_text(CONFIGS[name])
    db = tmp_path / f"{name}.db"
    done = simulate(regression, db, "1", "--config", str(config))
    assert done.returncode == 0, done.stderr
    want = expected()[name]
    assert done.stdout.replace(str(tmp_path), "TMP") == want["stdout"]
    assert done.stderr.replace(str(tmp_path), "TMP") == want["stderr"]
    assert dump(db) == want["tables"]


def test_two_processes_committing_every_few_rows_write_the_same_rows(tmp_path: Path, regression: Path) -> None:
    """The parent commits where one process would (every 7 row changes here), with the same rows."""
    script = """
import sys
from pathlib import Path
from breaker.config import load_config
from breaker.replay.pipeline import replay_piped
from breaker.replay.simulate import TraceDay
from breaker.store.coach_state import chooser_for
from breaker.store.storage import Storage
trace, config, db = map(Path, sys.argv[1:])
loaded = load_config(config)
storage = Storage.open(db)
day = TraceDay(loaded.zone)
report = replay_piped(trace, loaded.rules, storage, chooser_for(storage, loaded, today=day), day, str(trace), batch=7)
storage.close()
print(report.events, len(report.warnings))
"""
    config = tmp_path / "hours.toml"
    config.write_text(CONFIGS["hours"])
    db = tmp_path / "small.db"
    done = subprocess.run([sys.executable, "-c", script, str(regression), str(config), str(db)],
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "3489"
    assert dump(db) == expected()["hours"]["tables"]


@pytest.mark.parametrize("bad", [
    '{"at": "2026-11-23T09:00:00+01:00", "event": "jump"}',
    '{"at": "1999-01-01T00:00:00+00:00", "event": "idle"}',  # earlier than the line before
    '{"at": "2026-11-23T09:00:00", "event": "active"',
])
def test_a_bad_line_gives_the_same_error_and_the_same_database_both_ways(tmp_path: Path, regression: Path,
                                                                         bad: str) -> None:
    """Line 3000 of 3489 is bad: the same one-line error naming it; a database that was there keeps exactly
    what it had, and one the replay created is removed."""
    lines = regression.read_text().splitlines()
    lines[2999] = bad
    trace = tmp_path / "bad.jsonl"
    trace.write_text("\n".join(lines) + "\n")
    results = {}
    for pipe in ("0", "1"):
        old = tmp_path / f"old{pipe}.db"
        assert simulate(ROOT / "tests" / "traces" / "workday.jsonl", old, "0").returncode == 0
        before = dump(old)
        new = tmp_path / f"new{pipe}.db"
        on_old, on_new = simulate(trace, old, pipe), simulate(trace, new, pipe)
        for done in (on_old, on_new):
            assert done.returncode == 2 and done.stdout == "", done
            assert done.stderr.count("\n") == 1 and "bad.jsonl:3000: " in done.stderr, done.stderr
        assert dump(old) == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f"new{pipe}")) == []
        results[pipe] = (on_old.stderr, on_new.stderr)
    assert results["0"] == results["1"]


def test_the_choice_of_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_text("x" * (MIN_BYTES - 1))
    big.write_text("x" * MIN_BYTES)
    monkeypatch.delenv("BREAKER_SIMULATE_PIPE", raising=False)
    monkeypatch.setattr(pipeline, "_cores", lambda: 2)
    assert (piped(small), piped(big), piped(tmp_path / "missing.jsonl")) == (False, True, False)
    monkeypatch.setattr(pipeline, "_cores", lambda: 1)
    assert piped(big) is False
    monkeypatch.setenv("BREAKER_SIMULATE_PIPE", "1")
    assert piped(small) is True
    monkeypatch.setattr(pipeline, "_cores", lambda: 2)
    monkeypatch.setenv("BREAKER_SIMULATE_PIPE", "0")
    assert piped(big) is False


def test_both_ways_write_the_same_big_database(tmp_path: Path, big_trace: Path) -> None:
    """60,000 lines (many full batches through the pipe, thousands of warnings): the same rows and output."""
    trace = tmp_path / "part.jsonl"
    with big_trace.open() as lines, trace.open("w") as part:
        part.writelines(line for _, line in zip(range(60_000), lines, strict=False))
    out = {}
    for pipe in ("0", "1"):
        db = tmp_path / f"{pipe}.db"
        done = simulate(trace, db, pipe)
        assert done.returncode == 0, done.stderr
        with sqlite3.connect(db) as con:
            rows = {table: con.execute(f"SELECT count(*), total(id) FROM {table}").fetchone()
                    for table in ("bouts", "away", "prompts", "breaks")}
        out[pipe] = (done.stdout.replace(str(db), "DB"), done.stderr, dump(db), rows)
    assert out["0"] == out["1"]
    assert out["1"][3]["prompts"][0] > 15_000 and out["1"][1].count("\n") > 3_000


def test_a_killed_reader_is_a_one_line_error_not_a_hang(tmp_path: Path, big_trace: Path) -> None:
    db = tmp_path / "k.db"
    proc = start(big_trace, db)
    try:
        reader = reader_of(proc)
        os.kill(reader, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert "big.jsonl: the process reading the trace was killed by signal 9; nothing was written" in err
    assert gone(reader)
    assert not db.exists()  # the database the replay created is removed, as for a bad line


def ended(pid: int) -> bool:
    """Not running any more: reaped, or a zombie waiting for whoever adopted it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status or "\nState:\tX" in status


def test_simulate_killed_takes_its_reader_with_it(tmp_path: Path, big_trace: Path) -> None:
    """kill -9 of simulate itself: the reader's next write finds the pipe broken and it ends."""
    db = tmp_path / "p.db"
    proc = start(big_trace, db)
    try:
        reader = reader_of(proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        end = time.monotonic() + 10
        while not ended(reader) and time.monotonic() < end:
            time.sleep(0.05)
        assert ended(reader)
    finally:
        proc.kill()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c", "to-simulate-only"])
def test_ctrl_c_stops_both_processes_and_leaves_a_consistent_database(tmp_path: Path, big_trace: Path,
                                                                      group: bool) -> None:
    db = tmp_path / "c.db"
    proc = start(big_trace, db)
    try:
        reader = reader_of(proc)
        began = time.monotonic()
        if group:  # a terminal's Ctrl-C: the whole process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
        took = time.monotonic() - began
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert took < 10, took
    end = time.monotonic() + 10
    while not gone(reader) and time.monotonic() < end:
        time.sleep(0.05)
    assert gone(reader)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("bouts", "away", "prompts", "breaks"):
            count, last = con.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
            assert count == last  # whole commits only: ids without a gap
        assert con.execute("SELECT count(*) FROM prompts WHERE outcome IS NULL").fetchone()[0] <= 1
        assert con.execute("SELECT count(*) FROM bouts").fetchone()[0] > 0  # it was well under way


def test_a_full_disk_stops_both_ways_at_the_same_line(small_disk: Path, big_trace: Path) -> None:
    """The database on a 1 MB tmpfs: the same "written up to line N" and the same rows kept, both ways."""
    out = {}
    for pipe in ("0", "1"):
        db = small_disk / f"full{pipe}.db"
        done = simulate(big_trace, db, pipe)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "the replay is written up to line" in done.stderr, done.stderr
        out[pipe] = (done.stderr.replace(db.name, "DB"), dump(db))
        gc.collect()  # dump's connection (a reference cycle) lets go of the files, and so of their space
        for file in small_disk.iterdir():
            file.unlink()
    assert out["0"] == out["1"]
    assert len(out["1"][1]["away"]) > 1000
