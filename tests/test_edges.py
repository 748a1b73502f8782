"""Edges get one line on stderr and exit code 2, never a traceback: huge durations, a BOM, NaN and deep nesting
in traces, weeks and clocks far out, odd rows, long or foreign runtime folders, no XDG_RUNTIME_DIR."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need
from tests.daemonkit import ROOT, wait_until
from tests.test_reliability_security import other_user

GOOD = '{"at": "2026-11-23T09:00:00+01:00", "event": "active"}\n{"at": "2026-11-23T10:00:00+01:00", "event": "idle"}\n'


def breaker(*args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "breaker", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr
    return done.stderr


@pytest.mark.parametrize("value", ["99999999999h", "100000000h"])
def test_a_huge_sit_limit_is_refused_by_check_and_by_run_alike(tmp_path: Path, value: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[breaks]\nsit_limit = "{value}"\n')
    check = one_line_error(breaker("config", "check", str(config)), value, "at most 365 days")
    run = one_line_error(breaker("run", "--console", "--config", str(config), "--db", str(tmp_path / "b.db")))
    assert check == run
    assert not (tmp_path / "b.db").exists()


def test_a_config_with_a_byte_order_mark_is_named_as_such(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'\xef\xbb\xbf[breaks]\nsit_limit = "40m"\n')
    one_line_error(breaker("config", "check", str(config)), "byte order mark")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_trace_answers_are_refused(tmp_path: Path, constant: str) -> None:
    trace = tmp_path / "t.jsonl"
    trace.write_text(GOOD + '{"at": "2026-11-23T10:01:00+01:00", "event": "finish", "result": "completed", '
                     f'"answers": {{"level": {constant}}}}}\n')
    one_line_error(breaker("simulate", str(trace), "--db", str(tmp_path / "b.db")), "t.jsonl:3:", constant)
    assert not (tmp_path / "b.db").exists() or not sqlite3.connect(tmp_path / "b.db").execute(
        "SELECT name FROM sqlite_master WHERE name = 'bouts'").fetchall()


def test_a_line_nested_200000_deep_is_refused_with_its_number(tmp_path: Path) -> None:
    trace = tmp_path / "t.jsonl"
    trace.write_text(GOOD + '{"at": ' + "[" * 200_000 + "]" * 200_000 + "}\n")
    one_line_error(breaker("simulate", str(trace), "--db", str(tmp_path / "b.db")), "t.jsonl:3:", "nested")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    trace = tmp_path / "t.jsonl"
    trace.write_text(GOOD)
    db = tmp_path / "b.db"
    assert breaker("simulate", str(trace), "--db", str(db)).returncode == 0
    return db


def test_weeks_and_clocks_far_out(history: Path) -> None:
    one_line_error(breaker("stats", "--week", "9999-W52", "--db", str(history)), "9999-W52")
    one_line_error(breaker("stats", "--week", "0001-W01", "--db", str(history)), "0001-W01")
    assert breaker("stats", "--week", "2999-W52", "--db", str(history), "--json").returncode == 0
    need(shutil.which("faketime") is not None, "faketime is not installed (apt-get install faketime)")
    for args in (("stats", "--db", str(history)), ("stats", "--last", "--json", "--db", str(history)),
                 ("export", "--json", "--db", str(history)), ("log", "--db", str(history))):
        done = breaker(*args, prefix=("faketime", "2100-01-05 10:00:00"))
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)


def test_odd_rows_do_not_block_export(history: Path) -> None:
    conn = sqlite3.connect(history)
    conn.execute("INSERT INTO bouts(start, end) VALUES (1.0, 'abc')")
    conn.execute("INSERT INTO bouts(start, end) VALUES (1.0, 1e300)")
    conn.execute("INSERT INTO prompts(at, bout_start, exercise, level) VALUES (-1e300, x'00ff', 'hinge', 'high')")
    conn.execute("""INSERT INTO breaks(exercise, started, answers) VALUES ('hinge', 5.0, '{"x": NaN}')""")
    conn.commit()
    conn.close()
    done = breaker("export", "--json", "--db", str(history))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the export"))
    bouts = {b["id"]: b["end"] for b in data["bouts"]}
    assert bouts == {1: "2026-11-23T09:00:00+00:00", 2: "abc", 3: "1e+300"}  # the good row exported as ever
    assert "-1e+300" in [p["at"] for p in data["prompts"]]
    assert [b["answers"] for b in data["breaks"]] == ['{"x": NaN}']
    rows = sum(len(v) for v in data.values())
    done = breaker("export", "--csv", "--db", str(history))
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1 + rows, done.stderr


def test_a_socket_path_over_108_bytes_is_one_line(tmp_path: Path) -> None:
    long = tmp_path / ("r" * 120)
    long.mkdir(mode=0o700)
    env = {"XDG_RUNTIME_DIR": str(long)}
    one_line_error(breaker("status", env=env), "longer than 107 bytes", "XDG_RUNTIME_DIR")
    one_line_error(breaker("run", "--console", "--db", str(tmp_path / "b.db"), env=env), "longer than 107 bytes")


def test_a_runtime_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    uid, gid = other_user()
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, uid, gid)
    done = breaker("status", env={"XDG_RUNTIME_DIR": str(theirs)})
    assert done.stderr == "breaker: breaker is not running (start it with: breaker run)\n"  # no warning, no trace
    assert list(theirs.iterdir()) == []  # nothing of ours was put into their folder (a private fallback is used)


def test_no_runtime_dir_gives_no_warning(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    done = subprocess.run([sys.executable, "-m", "breaker", "status"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env={**env, "PYTHONPATH": str(ROOT)})
    assert done.stderr == "breaker: breaker is not running (start it with: breaker run)\n"


def test_the_daemon_runs_with_a_clock_in_2100_and_keeps_a_pause(tmp_path: Path) -> None:
    need(shutil.which("faketime") is not None, "faketime is not installed (apt-get install faketime)")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(runtime), "XDG_STATE_HOME": str(tmp_path)}
    db = tmp_path / "b.db"
    run = ["faketime", "2100-01-05 10:00:00", sys.executable, "-m", "breaker", "run", "--console", "--db", str(db)]
    until = None
    for _ in range(2):
        daemon = subprocess.Popen(run, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        try:
            wait_until(lambda: breaker("status", env=env).returncode == 0, 20, "the daemon in 2100")
            if until is None:
                assert breaker("pause", "1h", env=env).returncode == 0
            status = json.loads(breaker("status", "--json", env=env).stdout)
            assert status["paused_until"].startswith("2100-01-05T11:00")
            until = until or status["paused_until"]
            assert status["paused_until"] == until  # the pause survived the restart
            assert breaker("quit", env=env).returncode == 0
            assert daemon.wait(timeout=20) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()
        assert "Traceback" not in (daemon.stdout.read() if daemon.stdout else "")
