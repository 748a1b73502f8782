"""Restarts: within natural_break the bout goes on; after a crash no phantom bout covers the downtime."""

from __future__ import annotations

import time
from datetime import datetime

from tests.daemonkit import Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

DAEMON_CONFIG = """
[breaks]
sit_limit = "120s"
natural_break = "6s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""


def test_clean_restart_within_natural_break_carries_the_bout_on(session: tuple[Desktop, Typist],
                                                                 daemon: Daemon) -> None:
    _, typist = session
    typist.work()
    daemon.start()
    first = wait_until(lambda: daemon.status()["bout_start"], 10, "a bout")
    time.sleep(1)
    assert daemon.stop() == 0
    assert len(daemon.log()["bouts"]) == 1  # a clean stop records the bout at once
    daemon.start()
    wait_until(lambda: daemon.status()["sitting"], 10, "the bout to go on")
    assert daemon.status()["bout_start"] == first
    time.sleep(1)
    typist.work(False)
    assert daemon.stop() == 0
    (bout,) = daemon.log()["bouts"]
    assert bout["start"] == first


def test_crash_leaves_no_phantom_bout(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    _, typist = session
    daemon.config_text = DAEMON_CONFIG.replace('natural_break = "6s"', 'natural_break = "3s"')  # a shorter downtime
    typist.work()
    daemon.start()
    first = wait_until(lambda: daemon.status()["bout_start"], 10, "a bout")
    time.sleep(2)
    typist.work(False)
    daemon.kill()  # SIGKILL: nothing is closed cleanly
    killed_at = datetime.now().astimezone()
    time.sleep(4.5)  # longer than natural_break
    daemon.start()
    time.sleep(1)
    assert daemon.stop() == 0
    bouts = daemon.log()["bouts"]
    assert bouts[0]["start"] == first
    end = datetime.fromisoformat(bouts[0]["end"])
    assert end <= killed_at  # closed at the last input the heartbeat saw, not at the restart
    assert all(datetime.fromisoformat(b["start"]) >= killed_at for b in bouts[1:])
