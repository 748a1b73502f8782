"""The live daemon dates input as it happened: real ``breaker run`` under Xvfb, input through xdotool.

- A bout ends at its last input, whatever ``idle_after`` is and wherever the daemon's ticks fall (#12.1).
- Input just before a suspend is input before it; after the resume only new input counts (#12.2), with
  a logind stand-in on a private system bus.
- With idle events (X SYNC alarms) the return is recorded at the first input within 2 s (#16.1).
Each runs with idle events and with polling (``BREAKER_IDLE_EVENTS=off``), the fallback where no
events exist.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime

import pytest

from tests.daemonkit import Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401
from tests.dbus_fixtures import private_bus, services
from tests.test_dbus_adapters import LOGIND_PATH, SESSION_PATH, Login1Manager, Login1Session

CONFIG = """
[breaks]
sit_limit = "10m"
natural_break = "5s"
[tracking]
idle_after = "4s"
poll_max = "{poll}"
"""
DAEMON_CONFIG = CONFIG.format(poll="30s")

MODES = {"events": {}, "polling": {"BREAKER_IDLE_EVENTS": "off"}}


def at(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def heartbeat(daemon: Daemon) -> str | None:
    with sqlite3.connect(daemon.db, timeout=5) as db:
        row = db.execute("SELECT value FROM state WHERE key = 'heartbeat'").fetchone()
    return None if row is None else str(row[0])


def open_bout(daemon: Daemon) -> str | None:
    """The open bout's start in the daemon's heartbeat (one SQLite read: cheap enough to poll)."""
    beat = heartbeat(daemon)
    return None if beat is None else json.loads(beat).get("bout_start")


def after_a_tick(daemon: Daemon, timeout: float, while_waiting=lambda: None) -> None:
    """Return just after the daemon writes its heartbeat (it looked at the idle time), or at timeout."""
    seen, deadline = heartbeat(daemon), time.monotonic() + timeout
    while time.monotonic() < deadline and heartbeat(daemon) == seen:
        while_waiting()
        time.sleep(0.05)


def move(desk: Desktop, n: int) -> float:
    desk.display.xdotool("mousemove", str(100 + n % 200), str(100 + n % 3))
    return time.time()


def closed_bouts(daemon: Daemon) -> list[dict[str, str]]:
    return list(daemon.log()["bouts"])


@pytest.mark.parametrize("mode", MODES)
def test_bout_ends_at_its_last_input(session: tuple[Desktop, Typist], daemon: Daemon, mode: str) -> None:
    desk, _ = session
    daemon.extra_env.update(MODES[mode])
    daemon.config_text = CONFIG.format(poll="3s")
    time.sleep(4.2)  # nobody at the desk: the first move starts the bout
    daemon.start()
    first = last = move(desk, 0)
    # Move every half second, then stop just after the daemon ticked: the worst moment, as its next
    # look finds the idle time just under idle_after.
    for n in range(1, 5):
        time.sleep(0.5)
        last = move(desk, n)
    moves = iter(range(5, 200))
    state = {"t": 0.0}

    def keep_moving() -> None:
        if time.monotonic() - state["t"] >= 0.5:
            state["t"] = time.monotonic()
            last_moves.append(move(desk, next(moves)))
    last_moves = [last]

    def bout_open() -> bool:
        keep_moving()
        return open_bout(daemon) is not None
    # Polling dates a return at the newest input it sees: stopping right after the tick that opened the
    # bout would leave a bout of no length (start = end), which is not recorded. So the bout must be
    # open first; then stop just after the next tick.
    wait_until(bout_open, 20, "the daemon to see the input")
    after_a_tick(daemon, 6, keep_moving)
    last = last_moves[-1]
    # closed (the heartbeat is written in the same tick) within natural_break + poll_max + 2 s
    wait_until(lambda: open_bout(daemon) is None, max(0.5, last + 5 + 3 + 2 - time.time()),
               "the natural break to close the bout")
    assert daemon.stop() == 0
    (bout,) = closed_bouts(daemon)
    assert abs(at(bout["end"]) - last) <= 2.0, (bout, last)
    # polling dates a return at the newest input it sees, up to poll_max late; events see the first one
    assert first - 0.5 <= at(bout["start"]) <= first + (2.0 if mode == "events" else 3.5), (bout, first)


@pytest.mark.parametrize("mode", MODES)
def test_input_just_before_a_suspend_does_not_cancel_it(
        session: tuple[Desktop, Typist], daemon: Daemon, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    desk, typist = session
    monkeypatch.delenv("XDG_SESSION_ID", raising=False)
    daemon.config_text = CONFIG.format(poll="5s")
    with private_bus("system") as system_bus, services(system_bus) as system:
        manager = system.export(LOGIND_PATH, Login1Manager())
        system.export(SESSION_PATH, Login1Session())
        system.own("org.freedesktop.login1")
        daemon.extra_env.update({**MODES[mode], "DBUS_SYSTEM_BUS_ADDRESS": system_bus})
        try:
            time.sleep(4.2)
            daemon.start()
            wait_until(lambda: "logind PrepareForSleep" in daemon.status()["backends"]["away"], 10, "logind")
            after_a_tick(daemon, 6)
            typed = move(desk, 1)  # the user touches the mouse, then closes the lid
            time.sleep(1.2)
            slept = time.time()
            system.call_soon(manager.PrepareForSleep, True)
            time.sleep(6)  # asleep longer than natural_break
            system.call_soon(manager.PrepareForSleep, False)
            time.sleep(2)
            assert daemon.status()["bout_start"] is None  # no input after the resume: no bout
            back = time.time()
            typist.work()
            wait_until(lambda: daemon.status()["bout_start"], 10, "the return after the resume")
            typist.work(False)
            assert daemon.stop() == 0
        finally:
            manager.close()
    bouts = closed_bouts(daemon)
    assert len(bouts) == 2, (bouts, typed, slept, back)
    before, after = bouts
    assert abs(at(before["start"]) - typed) <= 1.0 and abs(at(before["end"]) - slept) <= 1.0, (before, typed, slept)
    assert at(after["start"]) >= back - 0.5, (after, back)
    if mode == "events":
        assert at(after["start"]) - back <= 2.0, (after, back)  # the return is seen at once
    with sqlite3.connect(daemon.db) as db:
        causes = [row[0] for row in db.execute("SELECT cause FROM away ORDER BY start")]
    assert "suspend" in causes, causes


PROMPT_CONFIG = """
[breaks]
sit_limit = "8s"
natural_break = "6s"
[tracking]
idle_after = "5s"
poll_max = "2s"
"""


@pytest.mark.parametrize("mode", MODES)
def test_bout_ends_at_its_last_input_when_a_prompt_falls_due_before_idle_is_known(
        session: tuple[Desktop, Typist], daemon: Daemon, mode: str) -> None:
    """Input stops 3.5 s before the prompt falls due; the daemon learns of it only at idle_after (5 s), after
    it showed the prompt: the bout still ends at the last input, and the prompt stays shown, then ignored."""
    desk, _ = session
    daemon.extra_env.update(MODES[mode])
    daemon.config_text = PROMPT_CONFIG
    time.sleep(5.2)  # nobody at the desk: the first move starts the bout
    daemon.start()
    moves = iter(range(1000))
    last = move(desk, next(moves))
    start = wait_until(lambda: (move(desk, next(moves)), daemon.status()["bout_start"])[1], 10, "the bout")
    due = at(start) + 8.0
    while time.time() < due - 3.5:  # the user works until 3.5 s before the prompt falls due, then stops
        last = move(desk, next(moves))
        time.sleep(0.3)
    wait_until(lambda: closed_bouts(daemon), 40, "the bout to be closed by the natural break")
    assert daemon.stop() == 0
    record = daemon.log()
    (bout,) = record["bouts"]
    assert abs(at(bout["end"]) - last) <= 2.0, (bout, last, mode)
    (prompt,) = record["prompts"]  # it did appear, at the moment it fell due
    assert abs(at(prompt["at"]) - due) <= 1.0 and prompt["outcome"] == "ignored", (prompt, due)
    assert prompt["answered_at"] is None
    with sqlite3.connect(daemon.db) as db:  # ignored when the pause became a natural break, as simulate has it
        (closed_at,) = db.execute("SELECT closed_at FROM prompts").fetchone()
    assert abs(closed_at - (at(bout["end"]) + 6.0)) < 0.01, (closed_at, bout)


QUIT_CONFIG = """
[breaks]
sit_limit = "10m"
natural_break = "30s"
[tracking]
idle_after = "20s"
poll_max = "3s"
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_quit_soon_after_the_last_input_ends_the_bout_at_that_input(
        session: tuple[Desktop, Typist], daemon: Daemon, mode: str) -> None:
    """``breaker quit`` (or a logout's SIGTERM) 5 s after the last input, before idle_after says input
    stopped: the bout ends at the last input, not at the quit (5 s of sitting that did not happen)."""
    desk, _ = session
    daemon.extra_env.update(MODES[mode])
    daemon.config_text = QUIT_CONFIG
    daemon.start()
    last = move(desk, 0)
    for n in range(1, 8):
        time.sleep(0.5)
        last = move(desk, n)
        if n == 4:
            wait_until(lambda: daemon.status()["bout_start"], 10, "the bout")
    time.sleep(5)
    quit_at = time.time()
    assert daemon.stop() == 0
    (bout,) = closed_bouts(daemon)
    assert abs(at(bout["end"]) - last) <= 1.0, (at(bout["end"]) - last, quit_at - last)
