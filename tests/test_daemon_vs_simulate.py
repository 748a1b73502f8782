"""The daemon's record equals simulate's (#12 item 8).

A real ``breaker run`` under Xvfb gets real input (xdotool moves the pointer), real lock signals (a
screensaver stand-in owning its name on the private session bus), real suspend signals (a logind
stand-in on a private system bus) and real clicks on notification-daemon's bubbles. Every moment of that
is written down as an activity trace; ``breaker simulate`` replays the trace with the same config, and
both ``breaker log --json`` records must agree: the same bouts (start and end within 2 s), the same
prompts (within 2 s) and the same outcomes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from breaker.adapters.power import LOGIND
from tests.daemonkit import ROOT, Daemon, Desktop, wait_until
from tests.dbus_fixtures import BusServices, services
from tests.desktop import XDisplay
from tests.notifyservers import Server, notification_server
from tests.test_dbus_adapters import SESSION_PATH, FreedesktopScreenSaver, Login1Manager, Login1Session
from tests.test_signal_senders import gdbus_emit

CONFIG = """
[breaks]
sit_limit = "6s"
natural_break = "3s"
snooze = "4s"
reprompt = "20s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""
TOLERANCE_S = 2.0
LATE_ENDS = "#12.1 bout end accuracy: idle branch"


def stamp() -> datetime:
    return datetime.now(UTC)


class Mover:
    """Real pointer input while on; remembers when the first and the last move of each stretch happened."""

    def __init__(self, display: XDisplay) -> None:
        self.display = display
        self.on = threading.Event()
        self.done = threading.Event()
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.idle = threading.Event()
        self.idle.set()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        x = 0
        while not self.done.is_set():
            if not self.on.wait(0.05):
                self.idle.set()
                continue
            self.idle.clear()
            x = (x + 9) % 300
            self.display.xdotool("mousemove", str(300 + x), "500", check=False)
            now = stamp()
            if self.first is None:
                self.first = now
            self.last = now
            time.sleep(0.2)


class Script:
    """Drives the desktop and writes the trace of what it did."""

    def __init__(self, display: XDisplay, daemon: Daemon) -> None:
        self.mover = Mover(display)
        self.daemon = daemon
        self.trace: list[dict[str, Any]] = []

    def note(self, event: str, at: datetime | None = None, **extra: Any) -> None:
        self.trace.append({"at": (at or stamp()).isoformat(), "event": event, **extra})

    def active(self, seconds: float) -> None:
        self.mover.first = None
        self.mover.on.set()
        wait_until(lambda: self.mover.first is not None, 5, "the first move")
        self.note("active", self.mover.first)
        time.sleep(seconds)

    def still(self, seconds: float = 0.0) -> None:
        self.mover.on.clear()
        self.mover.idle.wait(2)
        self.note("idle", self.mover.last)
        time.sleep(seconds)

    def end(self) -> None:
        self.still()
        at = stamp()
        assert self.daemon.stop() == 0
        self.note("end", at)
        self.mover.done.set()


def simulate(trace: list[dict[str, Any]], home: Path) -> dict[str, Any]:
    path, config, db = home / "trace.jsonl", home / "config.toml", home / "simulated.db"
    path.write_text("".join(json.dumps(line) + "\n" for line in trace))
    config.write_text(CONFIG)
    run = [sys.executable, "-m", "breaker"]
    done = subprocess.run([*run, "simulate", str(path), "--config", str(config), "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*run, "log", "--db", str(db), "--json"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def t(value: str | None) -> float | None:
    return None if value is None else datetime.fromisoformat(value).timestamp()


def near(a: str | None, b: str | None) -> bool:
    x, y = t(a), t(b)
    return x == y if x is None or y is None else abs(x - y) <= TOLERANCE_S


def compare(live: dict[str, Any], simulated: dict[str, Any], trace: list[dict[str, Any]]) -> None:
    """Prompts and outcomes, then bout starts, then bout ends (the last: a known gap, #12.1)."""
    context = json.dumps({"live": live, "simulated": simulated, "trace": trace}, indent=1)
    got = [(p["outcome"]) for p in live["prompts"]]
    want = [(p["outcome"]) for p in simulated["prompts"]]
    assert got == want, context
    for a, b in zip(live["prompts"], simulated["prompts"]):
        assert near(a["at"], b["at"]) and near(a["answered_at"], b["answered_at"]), context
    assert len(live["bouts"]) == len(simulated["bouts"]), context
    for a, b in zip(live["bouts"], simulated["bouts"]):
        assert near(a["start"], b["start"]), context
    late = [(a["end"], b["end"]) for a, b in zip(live["bouts"], simulated["bouts"]) if not near(a["end"], b["end"])]
    if late and all(t(x) > t(y) for x, y in late):  # type: ignore[operator]
        pytest.xfail(f"{LATE_ENDS}: {late}")
    assert not late, context


@pytest.fixture
def server(xdisplay: XDisplay) -> Iterator[Server]:
    with notification_server("notification-daemon", xdisplay) as srv:
        yield srv


@pytest.fixture
def script(server: Server, xdisplay: XDisplay, tmp_path: Path) -> Iterator[Script]:
    home = tmp_path / "home"
    home.mkdir()
    daemon = Daemon(Desktop(server.bus, xdisplay, tmp_path), home, config_text=CONFIG)
    time.sleep(1.5)  # no input from an earlier test: the daemon starts with nobody there
    daemon.start()
    play = Script(xdisplay, daemon)
    try:
        yield play
    finally:
        play.mover.done.set()
        daemon.kill()


def check(play: Script, tmp_path: Path, bouts: int, outcomes: list[str]) -> None:
    """Both records agree, and they say what the script meant to happen (so the test can fail)."""
    live, simulated = play.daemon.log(), simulate(play.trace, tmp_path)
    (tmp_path / "records.json").write_text(json.dumps({"live": live, "simulated": simulated}, indent=1))
    assert (len(simulated["bouts"]), [p["outcome"] for p in simulated["prompts"]]) == (bouts, outcomes), play.trace
    compare(live, simulated, play.trace)


def test_idle_only_day(script: Script, tmp_path: Path) -> None:
    script.active(8)  # a prompt at 6 s, unanswered: ignored when the bout ends
    script.still(5)  # a natural break
    script.active(2)
    script.still(1)  # a short pause: the same bout, too short for a prompt (no edge case within 2 s)
    script.active(1)
    script.end()
    check(script, tmp_path, 2, ["ignored"])


def test_lock(script: Script, server: Server, tmp_path: Path) -> None:
    with services(server.bus) as bus:
        saver = bus.export("/org/freedesktop/ScreenSaver", FreedesktopScreenSaver(0))
        bus.own("org.freedesktop.ScreenSaver")
        time.sleep(0.3)
        script.active(7)  # a prompt at 6 s; the lock ends the bout and the prompt is ignored
        script.still()
        script.note("lock")
        bus.call_soon(saver.ActiveChanged, True)
        time.sleep(5)
        script.note("unlock")
        bus.call_soon(saver.ActiveChanged, False)
        time.sleep(1)
        script.active(3)
        script.end()
    check(script, tmp_path, 2, ["ignored"])


def logind(system_bus: str) -> tuple[BusServices, Login1Manager]:
    system = BusServices(system_bus)
    manager = system.export(LOGIND[1], Login1Manager())
    system.export(SESSION_PATH, Login1Session())
    system.own(LOGIND[0])
    return system, manager  # type: ignore[return-value]


@pytest.fixture
def logind_bus(system_bus: str) -> Iterator[tuple[BusServices, Login1Manager]]:
    system, manager = logind(system_bus)  # before the daemon starts: it takes its inhibitor at start
    try:
        yield system, manager
    finally:
        manager.close()
        system.close()


def test_suspend(logind_bus: tuple[BusServices, Login1Manager], script: Script, system_bus: str,
                 tmp_path: Path) -> None:
    system, manager = logind_bus
    wait_until(lambda: manager.inhibits, 10, "breaker's sleep inhibitor")
    script.active(2)  # shorter than sit_limit - natural_break: no prompt in either record
    script.still(1.5)
    daemon_name = None  # a stranger's PrepareForSleep (broadcast) must change nothing
    gdbus_emit("system", system_bus, daemon_name, LOGIND[1], f"{LOGIND[2]}.PrepareForSleep", "true")
    time.sleep(1)
    assert not script.daemon.status()["suspended"]
    script.note("suspend")
    system.call_soon(manager.PrepareForSleep, True)
    time.sleep(5)
    script.note("resume")
    system.call_soon(manager.PrepareForSleep, False)
    time.sleep(1)
    script.active(2)
    script.end()
    check(script, tmp_path, 2, [])


def test_snooze_skip_dismiss_on_the_real_bubbles(script: Script, server: Server, tmp_path: Path) -> None:
    script.active(0)
    for action in ("snooze", "skip"):
        server.wait_bubbles(1, timeout=15)
        time.sleep(0.5)
        server.click(action)
        script.note("answer", action=action)
        wait_until(lambda: not server.bubbles(), 5, "the bubble to go")
    server.wait_bubbles(1, timeout=15)
    time.sleep(0.5)
    (window,) = server.bubbles()
    _, _, width, _ = server.display.geometry(window)
    server.display.click(window, width - 24, 28)  # the bubble's close button: dismiss
    script.note("answer", action="dismiss")
    wait_until(lambda: not server.bubbles(), 5, "the bubble to go")
    time.sleep(1)
    script.end()
    check(script, tmp_path, 1, ["snoozed", "skipped", "dismissed"])
