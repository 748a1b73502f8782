"""The status window (``breaker status --window``, what the application entry runs) on a real X display:
it starts the daemon when none runs, shows the bout, and its keys reach the daemon over the socket."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breaker.ui.status_window import describe
from tests.daemonkit import SHORT_CONFIG, wait_until
from tests.desktop import XDisplay, stop_process

ROOT = Path(__file__).resolve().parent.parent
CONFIG = SHORT_CONFIG.replace('sit_limit = "6s"', 'sit_limit = "10m"')


class Window:
    """``breaker status --window`` as a child process, with its JSON-line events and its own folders."""

    def __init__(self, display: XDisplay, home: Path, config_text: str = CONFIG) -> None:
        self.display, self.home = display, home
        self.config = home / "config.toml"
        self.config.write_text(config_text)
        self.db = home / "breaker.db"
        self.env = {**os.environ, "DISPLAY": display.name, "PYTHONPATH": str(ROOT), "BREAKER_TRAY_WAIT": "0",
                    "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "XDG_SESSION_TYPE": "x11"}
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            path = home / var.lower()
            path.mkdir(mode=0o700, exist_ok=True)
            self.env[var] = str(path)
        self.events: list[dict[str, Any]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "breaker.ui.status_window", "--config", str(self.config), "--db", str(self.db)],
            env=self.env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.events.append(json.loads(line))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "breaker", *args], env=self.env, capture_output=True,
                              text=True, cwd=ROOT, timeout=30)

    def status(self) -> dict[str, Any] | None:
        done = self.cli("status", "--json")
        return json.loads(done.stdout) if done.returncode == 0 else None

    def press(self, key: str) -> None:
        window = self.display.wait_window("^breaker$")
        self.display.focus(window)
        self.display.key(key)

    def close(self) -> None:
        stop_process(self.process)
        status = self.status()
        if status:
            os.kill(status["pid"], signal.SIGKILL)


@pytest.fixture
def window_factory(xdisplay: XDisplay, tmp_path: Path) -> Iterator[Any]:
    made: list[Window] = []

    def make(config_text: str = CONFIG) -> Window:
        made.append(Window(xdisplay, tmp_path, config_text))
        return made[-1]
    yield make
    for window in made:
        window.close()


def test_it_starts_the_daemon_and_its_keys_pause_and_start_a_break(window_factory: Any, xdisplay: XDisplay) -> None:
    window = window_factory()
    status = wait_until(window.status, 20, "the daemon the window started")
    assert {"event": "daemon-started"} in window.events
    xdisplay.xdotool("mousemove", "300", "300")  # input: a bout starts
    wait_until(lambda: (window.status() or {}).get("sitting"), 10, "a bout")
    window.press("p")
    wait_until(lambda: (window.status() or {}).get("paused"), 10, "the pause from the window")
    window.press("p")
    wait_until(lambda: not (window.status() or {}).get("paused"), 10, "the resume from the window")
    window.press("b")
    wait_until(lambda: (window.status() or {}).get("in_break"), 10, "the break from the window")
    assert [e["cmd"] for e in window.events if e["event"] == "sent"] == ["pause", "resume", "break"]
    assert status["db"] == str(window.db)


def test_a_killed_daemon_is_started_again(window_factory: Any) -> None:
    window = window_factory()
    first = wait_until(window.status, 20, "the first daemon")
    os.kill(first["pid"], signal.SIGKILL)
    try:
        second = wait_until(lambda: (s := window.status()) and s["pid"] != first["pid"] and s, 25, "a new daemon")
    except AssertionError:
        err = Path(window.env["XDG_RUNTIME_DIR"]) / "breaker" / "status-window-start.err"
        raise AssertionError(f"{window.events} {window.process.poll()} {err.read_text()}") from None
    assert second["db"] == str(window.db)
    assert [e["event"] for e in window.events].count("daemon-started") == 2


def test_a_daemon_that_cannot_start_is_named_once_not_restarted(window_factory: Any, xdisplay: XDisplay,
                                                                 tmp_path: Path) -> None:
    window = window_factory('[breaks]\nsit_limit = "soon"\n')
    wait_until(lambda: "daemon-started" in [e["event"] for e in window.events], 10, "the start attempt")
    shot = tmp_path / "failed.png"
    err = Path(window.env["XDG_RUNTIME_DIR"]) / "breaker" / "status-window-start.err"
    wait_until(lambda: err.exists() and "sit_limit" in err.read_text(), 15, "the daemon's one-line error")
    xdisplay.screenshot(str(shot), xdisplay.wait_window("^breaker$"))
    assert window.process.poll() is None  # the window stays, saying why
    assert [e["event"] for e in window.events].count("daemon-started") == 1


def test_two_windows_opened_at_once_share_one_daemon(window_factory: Any) -> None:
    first, second = window_factory(), window_factory()
    status = wait_until(first.status, 20, "a daemon")
    time.sleep(2)  # both windows have polled again: the loser of the start race now sees the winner
    running = subprocess.run(["pgrep", "-f", f"breaker run --config {first.config}"], capture_output=True, text=True)
    assert running.stdout.split() == [str(status["pid"])]
    assert second.status() == first.status() or second.status()["pid"] == status["pid"]  # type: ignore[index]
    for window in (first, second):
        assert window.process.poll() is None


def test_describe_says_bout_and_next_prompt() -> None:
    base = {"sitting": True, "sitting_s": 1380, "next_prompt_in_s": 420, "waiting_because": []}
    assert describe(base) == ("Sitting for 23 min", "Next break prompt in 7 min.")
    assert describe({**base, "waiting_because": ["dnd"]})[1] == "The next prompt waits: dnd."
    assert describe({**base, "open_prompt": {"exercise": "wall_hinge"}})[1] == "Time for a break: wall hinge."
    assert describe({**base, "paused": True, "paused_until": None})[1] == "Prompts paused."
    assert describe({"sitting": False})[0] == "Not sitting right now"
    assert describe({"in_break": True})[0] == "A guided break is running"
