"""Faults of the disk and of other programs never cost the record (issue 11, items 1 and 3).

Real parts only: a 1 MB tmpfs filled with dd, a tmpfs remounted read-only, a second process holding the
database in ``locking_mode=EXCLUSIVE``, and ``breaker`` run as a separate process each time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent
TRACE = ROOT / "tests" / "traces" / "workday.jsonl"


def breaker(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=60)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs (root only)."""
    need(os.geteuid() == 0, "mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(disk)],
                          capture_output=True, text=True)
    need(done.returncode == 0, f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to the last block with dd (which then fails with 'No space left on device')."""
    filler = disk / "filler"
    done = subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True, text=True)
    assert "No space left" in done.stderr, done.stderr
    return filler


def recorded(db: Path) -> dict[str, object]:
    log = breaker("log", "--db", str(db), "--json")
    assert log.returncode == 0, log.stderr
    return dict(json.loads(log.stdout))


def healthy(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


def test_a_full_disk_keeps_the_healthy_database_and_says_so(small_disk: Path) -> None:
    db = small_disk / "data" / "breaker.db"
    assert breaker("simulate", str(TRACE), "--db", str(db)).returncode == 0
    before = recorded(db)
    filler = fill(small_disk)
    for argv in (["simulate", str(TRACE), "--db", str(db)], ["simulate", str(TRACE), "--db", str(db)]):
        err = one_line(breaker(*argv))
        assert "disk is full" in err and "free some space" in err, err
    stats = breaker("stats", "--db", str(db), "--week", "2026-W48", "--json")
    assert stats.returncode == 0, stats.stderr  # reading needs no space
    assert sorted(p.name for p in db.parent.iterdir() if "damaged" in p.name) == []
    assert healthy(db)
    filler.unlink()
    assert recorded(db) == before  # the history is all there once space returns


def test_a_read_only_disk_is_named_and_nothing_is_moved(small_disk: Path) -> None:
    db = small_disk / "breaker.db"
    assert breaker("simulate", str(TRACE), "--db", str(db)).returncode == 0
    before = recorded(db)
    files = sorted(p.name for p in small_disk.iterdir())
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        err = one_line(breaker("simulate", str(TRACE), "--db", str(db)))
        assert "read-only" in err, err
        assert recorded(db) == before  # and reading still works
        assert sorted(p.name for p in small_disk.iterdir()) == files
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)


HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode = EXCLUSIVE")
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('other program', 'was here')")
db.execute("COMMIT")
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_database_held_exclusively_by_another_program_is_named_not_moved(tmp_path: Path) -> None:
    db = tmp_path / "breaker.db"
    assert breaker("simulate", str(TRACE), "--db", str(db)).returncode == 0
    before = recorded(db)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        for argv in (["simulate", str(TRACE), "--db", str(db)], ["log", "--db", str(db), "--json"]):
            err = one_line(breaker(*argv))
            assert "locked by another program" in err and "close the program" in err, err
        assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]
    finally:
        holder.communicate("", timeout=10)
    assert recorded(db) == before


WEIRD = ["with # hash", "what?mode=memory", "100%25 sure", "späße ünïcode", "a b  c"]


@pytest.mark.parametrize("name", WEIRD)
def test_any_folder_name_is_only_a_path_and_files_are_private(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    db = folder / "my.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0); from breaker.cli.main import main; "
                           "sys.exit(main(sys.argv[1:]))", "simulate", str(TRACE), "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"written to {db}" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing at a truncated path
    assert recorded(db)["bouts"]
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, (path, oct(path.stat().st_mode))


@pytest.mark.parametrize("name", WEIRD[:3])
def test_a_data_folder_with_odd_characters_keeps_its_files_private(tmp_path: Path, name: str) -> None:
    """The default database (XDG_DATA_HOME) with the write-ahead log and shared memory files in use."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path / name)}
    code = ("import os; os.umask(0)\n"
            "from breaker.store.storage import Storage, default_path\n"
            "from datetime import datetime, UTC\n"
            "s = Storage.open()\n"
            "s.add_bout(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 1, tzinfo=UTC))\n"
            "print(default_path())\n"
            "import subprocess\n"
            "print(subprocess.run(['ls', '-la', str(default_path().parent)], capture_output=True, text=True).stdout)\n"
            "for p in sorted(default_path().parent.iterdir()): print(p.name, oct(p.stat().st_mode & 0o777))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    modes = dict(line.split() for line in done.stdout.splitlines() if line.startswith("breaker.db"))
    assert set(modes) == {"breaker.db", "breaker.db-wal", "breaker.db-shm", "breaker.db.lock"}, done.stdout
    assert set(modes.values()) == {"0o600"}, modes
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_simulate_writes_into_your_own_history_only_when_asked(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    refused = breaker("simulate", str(TRACE), env=env)
    err = one_line(refused)
    assert "--db FILE" in err and "--into-my-history" in err, err
    assert not (tmp_path / "data").exists()  # nothing written, not even a folder
    asked = breaker("simulate", str(TRACE), "--into-my-history", env=env)
    assert asked.returncode == 0, asked.stderr
    assert f"written to {tmp_path / 'data' / 'breaker' / 'breaker.db'}" in asked.stdout


def test_a_bad_line_late_in_a_long_trace_takes_back_what_the_replay_committed(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert breaker("simulate", str(TRACE), "--db", str(db)).returncode == 0
    before = recorded(db)
    long = tmp_path / "long.jsonl"
    lines = []
    begin = datetime(2027, 1, 1, tzinfo=UTC)
    for n in range(4000):  # 8,000 rows (bouts and away time): more than one bounded transaction
        at = begin + timedelta(minutes=12 * n)
        lines.append(json.dumps({"at": at.isoformat(), "event": "active"}))
        lines.append(json.dumps({"at": (at + timedelta(minutes=6)).isoformat(), "event": "idle"}))
    lines.append('{"at": "2027-03-01T00:00:00+00:00", "event": "jump"}')
    long.write_text("\n".join(lines) + "\n")
    err = one_line(breaker("simulate", str(long), "--db", str(db)))
    assert f"long.jsonl:{len(lines)}: unknown event" in err
    assert recorded(db) == before
