"""A daemon nobody sits at costs nothing (issue 16.1): real ``breaker run`` under Xvfb, a real SQLite file.

With no bout open the heartbeat is not written again on every tick: the database file and its WAL stay
as they are while the daemon goes on looking at the idle time (polling, so that ticks surely come within
the test; with idle events they come once a minute).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.daemonkit import Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

QUIET_CONFIG = """
[breaks]
natural_break = "2s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""


def files_state(db: Path) -> list[tuple[str, int, int]]:
    """(name, size, mtime in ns) of the database and its WAL: any write changes one of them."""
    out = []
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            st = path.stat()
            out.append((path.name, st.st_size, st.st_mtime_ns))
    return out


def switches(pid: int) -> int:
    """Voluntary context switches of all the process's threads: each one a wake-up."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "status").read_text()
        total += int(text.split("\nvoluntary_ctxt_switches:")[1].split()[0])
    return total


def test_away_with_no_bout_open_writes_nothing(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    daemon.extra_env["BREAKER_IDLE_EVENTS"] = "off"  # a look every poll_max (1 s): ticks surely come
    daemon.config_text = QUIET_CONFIG
    time.sleep(1.5)  # nobody at the desk
    daemon.start()
    session[1].work()
    wait_until(lambda: daemon.status()["sitting"], 30, "a bout to start")
    session[1].work(False)
    wait_until(lambda: (s := daemon.status())["input_active"] is False and s["sitting"] is False, 60,
               "the natural break to close the bout")
    assert daemon.process is not None
    time.sleep(1.5)  # the tick that wrote the closed bout's heartbeat is over
    before, woke = files_state(daemon.db), switches(daemon.process.pid)
    assert before, "the database exists"
    time.sleep(6)
    assert switches(daemon.process.pid) - woke >= 3, "the daemon ticked meanwhile (it looks every second)"
    assert files_state(daemon.db) == before
    assert daemon.stop() == 0
    assert len(daemon.log()["bouts"]) == 1  # and the bout it saw is recorded


def test_idle_events_leave_the_daemon_asleep(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    """With X SYNC alarms and no bout open nothing is due: no thread wakes for seconds on end."""
    daemon.config_text = QUIET_CONFIG
    time.sleep(1.5)
    daemon.start()
    wait_until(lambda: (s := daemon.status())["input_active"] is False and s["sitting"] is False, 30, "away")
    assert daemon.process is not None and os.path.exists(f"/proc/{daemon.process.pid}")
    time.sleep(1.0)  # the status request's connection thread is gone
    before, woke = files_state(daemon.db), switches(daemon.process.pid)
    time.sleep(8)
    assert switches(daemon.process.pid) - woke <= 1
    assert files_state(daemon.db) == before
    assert daemon.stop() == 0


def test_away_the_daemon_sleeps_until_the_wall_clock_is_set(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    """With idle events and nobody there, no thread wakes for over a minute (the scheduler used to wake
    every 60 s to look at the wall clock); setting the wall clock wakes it (the clock watch, Linux)."""
    from tests.test_clockwatch import set_clock_to_now

    daemon.config_text = QUIET_CONFIG
    time.sleep(1.5)  # nobody at the desk
    daemon.start()
    wait_until(lambda: daemon.status()["input_active"] is False, 60, "the daemon to see nobody there")
    assert daemon.process is not None
    pid = daemon.process.pid
    time.sleep(5)  # start-up work (DND checks, the tray's larger icons) is over
    woke = switches(pid)
    time.sleep(65)  # longer than the scheduler's old longest sleep
    assert switches(pid) - woke == 0, "no thread woke while nobody was there"
    if not set_clock_to_now():
        return  # no CAP_SYS_TIME: the watch is tested where the clock can be set (tests/test_clockwatch.py)
    wait_until(lambda: switches(pid) - woke >= 2, 30, "the clock watch and the scheduler to wake")
