"""#14.5 one voice across the CLI: durations one way, local times in human output, "1 bout", one line from
``breaker quit`` with no daemon. Real processes on real SQLite files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "traces"
OLD_FORMS = re.compile(r"\d+m\d+s|\b\d+h\d+m\b|\d+ h \d\d\b(?! min)|\d{4}-\d\d-\d\dT|\.\d{6}|\+00:00")


def breaker(*args: str, tmp: Path, tz: str = "Europe/Berlin") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "XDG_RUNTIME_DIR": str(tmp), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)


def test_quit_without_a_daemon_says_one_thing(tmp_path: Path) -> None:
    done = breaker("quit", tmp=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "breaker is not running: nothing to stop.\n", "")


def test_log_text_is_local_time_for_bouts_and_prompts(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    sim = breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db), tmp=tmp_path)
    assert sim.returncode == 0 and "6 bouts" not in sim.stdout and " bouts, " in sim.stdout
    text = breaker("log", "--db", str(db), tmp=tmp_path).stdout
    lines = text.splitlines()
    assert not OLD_FORMS.search(text), text
    first_bout = next(line for line in lines if " sat " in line)
    first_prompt = next(line for line in lines if " prompt " in line)
    assert first_bout.startswith("Mon 23 Nov ") and first_prompt.startswith("Mon 23 Nov ")  # Berlin, not UTC
    utc = breaker("log", "--db", str(db), tmp=tmp_path, tz="UTC").stdout
    assert utc != text  # the zone moves the clock times: they are local


def test_one_bout_is_one_bout(tmp_path: Path) -> None:
    trace = tmp_path / "one.jsonl"
    trace.write_text('{"at": "2026-11-23T09:00:00+01:00", "event": "active"}\n'
                     '{"at": "2026-11-23T09:20:00+01:00", "event": "idle"}\n'
                     '{"at": "2026-11-23T10:00:00+01:00", "event": "end"}\n')
    done = breaker("simulate", str(trace), "--db", str(tmp_path / "one.db"), tmp=tmp_path)
    assert done.returncode == 0 and "1 bout, 20 min sitting" in done.stdout and "1 bouts" not in done.stdout


def test_durations_read_the_same_in_every_command(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    assert breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db), tmp=tmp_path).returncode == 0
    outputs = [breaker("exercises", tmp=tmp_path).stdout,
               breaker("stats", "--db", str(db), "--week", "2026-W48", tmp=tmp_path).stdout,
               breaker("stats", "--db", str(db), "--week", "2026-W48", "--trend", "3", tmp=tmp_path).stdout]
    for text in outputs:
        assert not OLD_FORMS.search(text), OLD_FORMS.search(text)
    assert all(max(map(len, text.splitlines())) <= 80 for text in outputs[1:])
    assert re.search(r"\b\d+ min\b", outputs[0]) and re.search(r"\d+ h \d+ min", outputs[1])
