"""The real daemon against storage faults (issue 11, items 2, 5 and 6): a full disk, a second daemon on the
same data, and another program holding the write lock while the user answers and pauses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.daemonkit import ROOT, Daemon, Desktop, NotifyMonitor, Typist, daemon, session, wait_until  # noqa: F401
from tests.test_console_mode import Tmux, tmux  # noqa: F401
from tests.test_store_faults import fill, small_disk  # noqa: F401


def test_a_second_daemon_on_the_same_data_folder_is_refused(session: tuple[Desktop, Typist],  # noqa: F811
                                                            daemon: Daemon) -> None:  # noqa: F811
    daemon.start()
    assert daemon.process is not None
    other = daemon.home / "other-runtime"
    other.mkdir(mode=0o700)
    env = {**daemon.env(), "XDG_RUNTIME_DIR": str(other)}  # its own single-instance lock is free
    second = subprocess.run([sys.executable, "-m", "breaker", "run", "--config", str(daemon.home / "config.toml"),
                             "--db", str(daemon.db)], env=env, capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert second.returncode == 2 and second.stderr.count("\n") == 1, second.stderr
    assert f"in use by another breaker (pid {daemon.process.pid}" in second.stderr
    assert f"{daemon.db}.lock" in second.stderr
    trace = daemon.home / "t.jsonl"
    trace.write_text('{"at": "2026-11-24T08:00:00+01:00", "event": "active"}\n')
    sim = daemon.cli("simulate", str(trace), "--db", str(daemon.db))
    assert sim.returncode == 2 and "in use by another breaker" in sim.stderr, sim.stderr
    assert daemon.stop() == 0
    assert not json.loads(daemon.cli("log", "--db", str(daemon.db), "--json").stdout)["prompts"]


class TmpfsDaemon(Daemon):
    disk: Path = Path("/nonexistent")

    @property
    def db(self) -> Path:
        return self.disk / "breaker.db"


def test_a_full_disk_is_shown_and_the_record_lands_once_space_returns(  # noqa: F811
        session: tuple[Desktop, Typist], small_disk: Path, tmp_path: Path) -> None:  # noqa: F811
    desk, typist = session
    home = tmp_path / "home"
    home.mkdir()
    d = TmpfsDaemon(desk, home)
    d.disk = small_disk
    try:
        typist.work()
        d.start()
        wait_until(lambda: d.status()["sitting"], 15, "a bout from pointer input")
        other = sqlite3.connect(d.db, timeout=5)
        wait_until(lambda: other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0, 10, "a checkpoint")
        other.close()
        filler = fill(small_disk)
        typist.work(False)  # the bout ends while nothing can be written
        problem = wait_until(lambda: d.status()["save_problem"], 15, "the daemon to notice the full disk")
        assert problem.startswith("cannot save: the disk is full"), problem
        assert "Records wait in memory: cannot save: the disk is full" in d.cli("status").stdout
        doctor = d.cli("doctor", "--json")
        saving = [p for p in json.loads(doctor.stdout)["probes"] if p["name"] == "saving"]
        assert saving and not saving[0]["ok"] and "cannot save: the disk is full" in saving[0]["detail"], doctor.stdout
        wait_until(lambda: not d.status()["sitting"], 15, "the natural break")
        filler.unlink()
        wait_until(lambda: d.status()["save_problem"] is None, 15, "the waiting records to be written")
        assert len(d.log()["bouts"]) >= 1  # the bout that ended while the disk was full
        assert d.stop() == 0
    finally:
        d.kill()


CONSOLE_CONFIG = """
[tracking]
idle_after = "1s"
poll_max = "1s"
"""
HOLD_S = 15  # longer than the CLI's 10 s control timeout and the old 10 s busy timeout


def test_answers_and_pause_wait_out_another_programs_write_lock(session: tuple[Desktop, Typist],  # noqa: F811
                                                               daemon: Daemon) -> None:  # noqa: F811
    desk, typist = session
    monitor = NotifyMonitor(desk.bus)
    try:
        typist.work()
        daemon.start()
        wait_until(lambda: monitor.count() >= 1, 25, "the first prompt")
        holder = sqlite3.connect(daemon.db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program writes for HOLD_S seconds
        began = time.monotonic()
        desk.choose("Skip")
        wait_until(lambda: daemon.status()["open_prompt"] is None, 10, "the skip to reach the daemon")
        pause = daemon.cli("pause", "1h")
        assert pause.returncode == 0 and "Traceback" not in pause.stderr, pause.stderr
        status = daemon.status()
        assert status["paused"] and "locked by another program" in (status["save_problem"] or "")
        assert time.monotonic() - began < HOLD_S, "the daemon kept the user waiting for the lock"
        time.sleep(max(0.0, HOLD_S - (time.monotonic() - began)))
        holder.execute("ROLLBACK")
        holder.close()
        wait_until(lambda: daemon.status()["save_problem"] is None, 15, "the waiting records to be written")
        assert daemon.status()["paused"]
        typist.work(False)
        assert daemon.stop() == 0
    finally:
        monitor.stop()
    prompts = daemon.log()["prompts"]
    assert [p["outcome"] for p in prompts] == ["skipped"], prompts  # no re-prompts, nothing lost
    assert prompts[0]["answered_at"] is not None
    assert os.path.exists(f"{daemon.db}.lock")


def test_the_tray_tooltip_ends_with_the_save_problem() -> None:
    from breaker.adapters.ports import TrayView
    from breaker.daemon.views import with_save_problem

    view = TrayView(0.5, "Sitting 20 min · next break in 25 min")
    assert with_save_problem(view, None) == view
    shown = with_save_problem(view, "cannot save: the disk is full (3 changes wait in memory)")
    assert shown.tooltip == "Sitting 20 min · next break in 25 min · cannot save: the disk is full (3 changes wait in memory)"
    assert shown.fraction == view.fraction


def test_console_mode_says_when_it_cannot_save(tmux: Tmux, small_disk: Path, tmp_path: Path) -> None:  # noqa: F811
    config = tmp_path / "config.toml"
    config.write_text(CONSOLE_CONFIG)
    db = small_disk / "b.db"
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "breaker", "-x", "150", "-y", "30", "-e",
         f"XDG_RUNTIME_DIR={runtime}", "-e", f"PYTHONPATH={ROOT}", "-e", f"XDG_STATE_HOME={tmp_path / 'state'}",
         "-e", "DISPLAY=", "-e", "WAYLAND_DISPLAY=", f"{sys.executable} -m breaker run --console --config {config} "
         f"--db {db}")
    wait_until(lambda: db.exists() and (small_disk / "b.db-wal").exists(), 20, "the daemon's database")
    time.sleep(1)
    other = sqlite3.connect(db, timeout=5)
    wait_until(lambda: other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0, 10, "a checkpoint")
    other.close()
    filler = fill(small_disk)
    wait_until(lambda: "breaker: cannot save: the disk is full" in tmux.screen(), 15, "the console to say so")
    filler.unlink()
    wait_until(lambda: "breaker: saving works again" in tmux.screen(), 15, "the console to say it is over")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "breaker", "quit"], env=env, capture_output=True, cwd=ROOT, timeout=30)
    wait_until(lambda: "breaker" not in tmux("list-sessions"), 15, "the daemon to stop")
