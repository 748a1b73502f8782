"""A daemon nobody sits at costs nothing (issue 16.1): real ``breaker run`` under Xvfb, a real SQLite file.

With no bout open the heartbeat is not written again on every tick: the database file and its WAL stay
as they are while the daemon goes on looking at the idle time (polling, so that ticks surely come within
the test; with idle events they come once a minute).
"""

from __future__ import annotations

import time
from pathlib import Path

from tests import sleepers
from tests.conftest import need
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
    # a bout of some length: stopped right after the first move, it would run from that move to itself
    wait_until(lambda: daemon.status()["sitting_s"] >= 1.0, 30, "a bout to start")
    session[1].work(False)
    wait_until(lambda: (s := daemon.status())["input_active"] is False and s["sitting"] is False, 60,
               "the natural break to close the bout")
    assert daemon.process is not None
    time.sleep(1.5)  # the tick that wrote the closed bout's heartbeat is over
    before, woke = files_state(daemon.db), switches(daemon.process.pid)
    assert before, "the database exists"
    time.sleep(6)
    assert switches(daemon.process.pid) - woke >= 3, "the daemon ticked meanwhile (it looks every second)"
    if sleepers.supported():  # the plan the next test reads shows the scheduler's 1 s look as well
        waits = [left for what, left in sleepers.plan(daemon.process.pid).values() if what == "futex"]
        assert any(0 < left <= 1.05 for left in waits), sleepers.describe(daemon.process.pid)
    assert files_state(daemon.db) == before
    assert daemon.stop() == 0
    assert len(daemon.log()["bouts"]) == 1  # and the bout it saw is recorded


def test_away_the_daemon_sleeps_until_the_wall_clock_is_set(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    """With X SYNC alarms and nobody there nothing is due: no thread plans to wake within a minute (the
    scheduler used to wake every 60 s to look at the wall clock), none wakes meanwhile and nothing is written;
    setting the wall clock wakes it (the clock watch, Linux). The plan is every thread's own timeout as the
    kernel holds it (tests/sleepers.py): what a 65 s wait would show, in 10 s."""
    from tests.test_clockwatch import set_clock_to_now

    need(sleepers.supported(), "reading threads' timeouts from /proc needs Linux on x86_64")
    daemon.config_text = QUIET_CONFIG
    time.sleep(1.5)  # nobody at the desk
    daemon.start()
    wait_until(lambda: daemon.status()["input_active"] is False, 60, "the daemon to see nobody there")
    assert daemon.process is not None
    pid = daemon.process.pid
    # start-up work (DND checks, the tray's larger icons) is over once nothing is due within the minute
    wait_until(lambda: sleepers.soonest(pid) > 61, 30, "every thread to sleep past a minute")
    before, woke = files_state(daemon.db), switches(pid)
    time.sleep(10)
    assert switches(pid) - woke == 0, f"no thread woke while nobody was there: {sleepers.describe(pid)}"
    assert files_state(daemon.db) == before
    assert sleepers.soonest(pid) > 50, f"and none plans to within the minute: {sleepers.describe(pid)}"
    if not set_clock_to_now():
        return  # no CAP_SYS_TIME: the watch is tested where the clock can be set (tests/test_clockwatch.py)
    wait_until(lambda: switches(pid) - woke >= 2, 30, "the clock watch and the scheduler to wake")
