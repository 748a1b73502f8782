"""kill -9 of the real daemon at random moments of an accelerated workday (real pointer input, dunst, SQLite).

After every kill: the file passes ``PRAGMA integrity_check``, every row a reader saw committed just before the
kill is still there unchanged, and once the daemon is back no bout spans the downtime as sitting.
CI: 8 kills; ``--full``: 50, shared by two daemons side by side. The seed is printed, so a failure's kill\nmoments can be replayed.
Two more kills at the worst moments: during a guided break started from the prompt's Start button, and with a
prompt open; after the restart nothing is recorded twice and nothing is left open.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.daemonkit import ROOT, Daemon, Desktop, Typist, desktop, need_desktop_tools, wait_until
from tests.desktop import XDisplay
from tests.reliability_conftest import scale

WORKDAY = """
[breaks]
sit_limit = "3s"
natural_break = "2s"
snooze = "3s"
reprompt = "5s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""
NATURAL_BREAK_S = 2.0
# immutable columns: a later run may close a prompt or finish a break, never change these
KEYS = {"bouts": "id, start, end", "prompts": "id, at, bout_start, exercise", "away": "id, start, end, cause",
        "breaks": "id, prompt_id, exercise, started"}


def committed(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """Every row a separate reader sees committed now (what must survive a kill)."""
    if not db.exists():
        return {table: set() for table in KEYS}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: set(conn.execute(f"SELECT {cols} FROM {t}").fetchall()) if t in names else set()
                for t, cols in KEYS.items()}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db, timeout=5)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def workday(xdisplay: XDisplay, tmp_path: Path) -> Iterator[tuple[Desktop, Typist, Daemon]]:
    need_desktop_tools()
    typist = Typist(xdisplay)
    home = tmp_path / "home"
    home.mkdir()
    with desktop(xdisplay, tmp_path) as desk:
        daemon = Daemon(desk, home, config_text=WORKDAY)
        try:
            yield desk, typist, daemon
        finally:
            daemon.kill()
            typist.stop()


def launch(daemon: Daemon) -> subprocess.Popen[str]:
    config = daemon.home / "config.toml"
    config.write_text(daemon.config_text)
    daemon.process = subprocess.Popen(
        [sys.executable, "-m", "breaker", "run", "--config", str(config), "--db", str(daemon.db)],
        env=daemon.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    return daemon.process


def spanning(db: Path, downtimes: list[tuple[float, float]]) -> list[str]:
    """Bouts that run through a downtime (start before the kill, end after the restart)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        bouts = conn.execute("SELECT start, end FROM bouts").fetchall()
    finally:
        conn.close()
    return [f"bout {s:.2f}..{e:.2f} spans downtime {k:.2f}..{r:.2f}"
            for s, e in bouts for k, r in downtimes if s < k - 0.01 and e > r + 0.01]


@dataclass
class KillRounds:
    """One daemon killed at the given moments after each start, down past a natural break each time."""

    daemon: Daemon
    moments: list[float]
    downtimes: list[tuple[float, float]] = field(default_factory=list)
    seen: int = 0
    error: BaseException | None = None

    def run(self) -> None:
        try:
            for n, moment in enumerate(self.moments):
                process = launch(self.daemon)
                if self.downtimes:
                    self.downtimes[-1] = (self.downtimes[-1][0], time.time())
                time.sleep(moment)
                before = committed(self.daemon.db)
                assert process.poll() is None, f"daemon exited early ({process.returncode}) in round {n}"
                os.kill(process.pid, signal.SIGKILL)
                kill_wall = time.time()
                process.wait()
                assert integrity(self.daemon.db) == "ok", f"round {n}"
                after = committed(self.daemon.db)
                for table, rows in before.items():
                    missing = rows - after[table]
                    assert not missing, f"round {n}: {table} rows committed before the kill are gone: {missing}"
                self.seen += sum(len(rows) for rows in before.values())
                self.downtimes.append((kill_wall, kill_wall))
                time.sleep(NATURAL_BREAK_S + 0.5)  # down for longer than a natural break
        except BaseException as err:  # noqa: BLE001 - raised again on the test's thread
            self.error = err


def kill_moments(rng: random.Random, kills: int, low: float = 0.3, high: float = 6.0) -> list[float]:
    """One moment from each of ``kills`` equal slices of [low, high], shuffled: every run kills during
    start-up (opening the database, restoring the heartbeat) and late in a bout, not only by chance."""
    width = (high - low) / kills
    moments = [low + (k + rng.random()) * width for k in range(kills)]
    rng.shuffle(moments)
    return moments


def test_kill_9_at_random_moments_loses_nothing_and_invents_no_sitting(
        workday: tuple[Desktop, Typist, Daemon]) -> None:
    """Two daemons (each its own folders and database, one desktop and one user's input) are killed side by
    side, half of the kills each: the same kill moments in half the time."""
    desk, typist, first = workday
    seed = int(os.environ.get("BREAKER_SEED", time.time()))
    rng = random.Random(seed)
    print(f"kill test seed: {seed} (BREAKER_SEED={seed} replays its kill moments)")
    kills = scale(8, 50)
    moments = kill_moments(rng, kills)
    home = first.home.with_name("home2")
    home.mkdir()
    second = Daemon(desk, home, config_text=WORKDAY)
    rounds = [KillRounds(first, moments[0::2]), KillRounds(second, moments[1::2])]
    threads = [threading.Thread(target=r.run) for r in rounds]
    try:
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):  # a workday in fast motion for both
            time.sleep(rng.uniform(0.1, 0.8))
            typist.work(rng.random() < 0.8)  # input comes and goes, also while a daemon is down
            if rng.random() < 0.2 and desk.displayed():
                desk.choose(rng.choice(["Snooze", "Skip"]))
        for r in rounds:
            if r.error is not None:
                raise r.error
        for r in rounds:
            launch(r.daemon)
            r.downtimes[-1] = (r.downtimes[-1][0], time.time())
        typist.work()
        for r in rounds:
            wait_until(lambda d=r.daemon: d.call_ok("status"), 20, "the daemon after the last kill")
        time.sleep(1.5)
        typist.work(False)
        for r in rounds:
            assert r.daemon.stop() == 0
            assert integrity(r.daemon.db) == "ok"
            assert not spanning(r.daemon.db, r.downtimes)
            assert committed(r.daemon.db)["bouts"], "the workday recorded no bouts at all"
    finally:
        second.kill()
    final = [committed(r.daemon.db) for r in rounds]
    print(f"{kills} kills at {', '.join(f'{m:.1f}' for m in sorted(moments))} s, "
          f"{sum(r.seen for r in rounds)} committed rows checked, {sum(len(f['bouts']) for f in final)} bouts, "
          f"{sum(len(f['prompts']) for f in final)} prompts at the end")


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (the guide window), found in /proc before it is killed."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def open_prompts(daemon: Daemon) -> int:
    """`breaker stats --json`: prompts still waiting for an answer, this week."""
    done = daemon.cli("stats", "--db", str(daemon.db), "--json")
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["totals"]["open"])


def kill_and_restart(daemon: Daemon, typist: Typist) -> tuple[float, float]:
    """SIGKILL the daemon (and its guide window), stay down past a natural break, run it again and quit."""
    assert daemon.process is not None
    guides = children(daemon.process.pid)
    os.kill(daemon.process.pid, signal.SIGKILL)
    killed = time.time()
    daemon.process.wait()
    for pid in guides:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    typist.work(False)
    time.sleep(NATURAL_BREAK_S + 1)
    restarted = time.time()
    launch(daemon)
    wait_until(lambda: daemon.call_ok("status"), 20, "the daemon after the kill")
    assert daemon.stop() == 0
    return killed, restarted


def test_kill_9_during_a_guided_break_invents_nothing(workday: tuple[Desktop, Typist, Daemon]) -> None:
    desk, typist, daemon = workday
    typist.work()
    launch(daemon)
    wait_until(lambda: daemon.call_ok("status") and desk.displayed(), 20, "the first prompt")
    desk.choose("Start")
    wait_until(lambda: daemon.status()["in_break"], 10, "the guided break to start")
    time.sleep(1.5)  # a tick or two inside the break
    killed, restarted = kill_and_restart(daemon, typist)
    starts = [r[0] for r in rows(daemon.db, "SELECT start FROM bouts")]
    assert len(starts) == len(set(starts)), f"a bout was recorded twice: {sorted(starts)}"
    (brk,) = rows(daemon.db, "SELECT started, ended, result, prompt_id FROM breaks")
    started, ended, result, prompt_id = brk
    assert result == "abandoned"
    assert ended is not None and started <= ended <= killed  # closed at the last moment known, not later
    assert rows(daemon.db, f"SELECT outcome FROM prompts WHERE id = {prompt_id}") == [("abandoned",)]
    assert not rows(daemon.db, "SELECT id FROM prompts WHERE outcome IS NULL")
    assert open_prompts(daemon) == 0
    sitting = sum(e - s for s, e in rows(daemon.db, "SELECT start, end FROM bouts"))
    assert sitting <= restarted - min(starts) - (restarted - killed) + 0.5  # no sitting through the downtime


def test_kill_9_with_a_prompt_open_closes_it_as_ignored(workday: tuple[Desktop, Typist, Daemon]) -> None:
    desk, typist, daemon = workday
    typist.work()
    launch(daemon)
    wait_until(lambda: daemon.call_ok("status") and desk.displayed(), 20, "the first prompt")
    (shown_at,) = wait_until(lambda: rows(daemon.db, "SELECT at FROM prompts WHERE outcome IS NULL")[-1:], 5,
                             "the prompt's row")
    killed, _ = kill_and_restart(daemon, typist)
    prompts = rows(daemon.db, "SELECT at, outcome, answered_at, closed_at FROM prompts")
    assert prompts, "no prompt recorded"
    assert all(outcome is not None for _, outcome, _, _ in prompts), prompts
    (first,) = [p for p in prompts if p[0] == shown_at[0]]
    assert first[1] == "ignored" and first[2] is None
    assert shown_at[0] <= first[3] <= killed
    assert open_prompts(daemon) == 0
