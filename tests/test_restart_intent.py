"""A restart keeps the user's intent: a pause keeps its end, and the next prompt its due time (real daemon)."""

from __future__ import annotations

import sqlite3
import time

from tests.daemonkit import Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

DAEMON_CONFIG = """
[breaks]
sit_limit = "9s"
natural_break = "8s"
reprompt = "60s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""


def prompts(daemon: Daemon) -> int:
    conn = sqlite3.connect(f"file:{daemon.db}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM prompts").fetchone()[0])
    finally:
        conn.close()


def test_pause_survives_quit_and_kill(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    daemon.start()
    assert daemon.cli("pause", "1h").returncode == 0
    until = daemon.status()["paused_until"]
    assert until
    assert daemon.stop() == 0
    daemon.start()
    status = daemon.status()
    assert status["paused"] and status["paused_until"] == until
    daemon.kill()  # SIGKILL right after a fresh start: the pause was written when it was asked for
    daemon.start()
    assert daemon.status()["paused_until"] == until
    assert daemon.cli("resume").returncode == 0
    daemon.kill()
    daemon.start()
    assert not daemon.status()["paused"]
    assert daemon.stop() == 0


def test_kill_restart_cycles_inside_one_bout_give_no_prompt_storm(session: tuple[Desktop, Typist],
                                                                  daemon: Daemon) -> None:
    _, typist = session
    typist.work()
    daemon.start()
    wait_until(lambda: prompts(daemon) >= 1, 20, "the first prompt")
    bout = daemon.status()["bout_start"]
    for _ in range(5):  # each restart is well within natural_break: the bout goes on
        time.sleep(1.2)  # a tick writes the heartbeat
        daemon.kill()
        daemon.start()
        time.sleep(1.2)
    assert daemon.status()["bout_start"] == bout
    assert prompts(daemon) == 1, "a restart showed a prompt the last run had already shown (reprompt is 60 s)"
    typist.work(False)
    assert daemon.stop() == 0
