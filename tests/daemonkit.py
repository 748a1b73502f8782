"""Running the real ``breaker run`` process against real desktop parts, for end-to-end tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import XDisplay, stop_process

ROOT = Path(__file__).resolve().parent.parent

SHORT_CONFIG = """
[breaks]
sit_limit = "6s"
natural_break = "3s"
snooze = "4s"
reprompt = "40s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""
LONG_CONFIG = SHORT_CONFIG.replace('sit_limit = "6s"', 'sit_limit = "60s"')  # no prompt gets in the way


MENU = """#!/bin/sh
# dunst's context menu: print the line of the action named in the pick file
grep -i -- "$(cat "{pick}")" | head -n 1
"""


def wait_until(check: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Desktop:
    """A private session bus with a real dunst on the test display."""

    bus: str
    display: XDisplay
    home: Path

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display.name, "DBUS_SESSION_BUS_ADDRESS": self.bus}

    def dunstctl(self, *args: str) -> str:
        done = subprocess.run(["dunstctl", *args], env=self.env(), capture_output=True, text=True, timeout=10)
        return done.stdout.strip()

    def choose(self, action: str) -> None:
        """Pick ``action`` (a button label) on the newest notification through dunst's context menu."""
        (self.home / "pick").write_text(action)
        self.dunstctl("context")

    def displayed(self) -> int:
        return int(self.dunstctl("count", "displayed") or 0)


@contextmanager
def desktop(display: XDisplay, home: Path) -> Iterator[Desktop]:
    from tests.dbus_fixtures import DUNSTRC, private_bus, wait_for_name

    menu, pick = home / "menu.sh", home / "pick"
    pick.write_text("Start")
    menu.write_text(MENU.format(pick=pick))
    menu.chmod(0o755)
    rc = home / "dunstrc"
    # the tests' dunstrc plus a scripted context menu: `dunstctl context` picks the action in "pick"
    rc.write_text(DUNSTRC.replace("[global]\n", f"[global]\n    dmenu = {menu}\n", 1))
    with private_bus("session") as bus:
        env = {**os.environ, "DISPLAY": display.name, "DBUS_SESSION_BUS_ADDRESS": bus}
        process = subprocess.Popen(["dunst", "-config", str(rc)], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            wait_for_name(bus, "org.freedesktop.Notifications", process=process)
            yield Desktop(bus, display, home)
        finally:
            stop_process(process)


class NotifyMonitor:
    """Every Notify call on the bus, as dbus-monitor prints it (a real eavesdropper, not a fake server)."""

    def __init__(self, bus: str) -> None:
        self.text = ""
        self.process = subprocess.Popen(
            ["dbus-monitor", "--address", bus,
             "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.text += line

    def count(self) -> int:
        return self.text.count("member=Notify")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)


@dataclass
class Daemon:
    """A ``breaker run`` process with its own folders, config and database."""

    desktop: Desktop
    home: Path
    config_text: str = SHORT_CONFIG
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None

    @property
    def db(self) -> Path:
        return self.home / "breaker.db"

    def env(self) -> dict[str, str]:
        env = self.desktop.env()
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            path = self.home / var.lower()
            path.mkdir(mode=0o700, exist_ok=True)
            env[var] = str(path)
        env["PYTHONPATH"] = str(ROOT)
        env["BREAKER_TRAY_WAIT"] = "0"
        return {**env, **self.extra_env}

    def start(self, *args: str) -> None:
        config = self.home / "config.toml"
        config.write_text(self.config_text)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "breaker", "run", "--config", str(config), "--db", str(self.db), *args],
            env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        wait_until(lambda: self.call_ok("status"), 20, "the daemon's control socket")

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "breaker", *args], env=self.env(), capture_output=True,
                              text=True, cwd=ROOT, timeout=30)

    def call_ok(self, *args: str) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"daemon exited {self.process.returncode}: {self.output()}")
        return self.cli(*args).returncode == 0

    def status(self) -> dict[str, Any]:
        done = self.cli("status", "--json")
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    def log(self) -> dict[str, Any]:
        done = self.cli("log", "--db", str(self.db), "--json")
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.cli("quit")
        return self.process.wait(timeout=20)

    def output(self) -> str:
        if self.process is None or self.process.stdout is None or self.process.poll() is None:
            return ""
        return self.process.stdout.read()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Typist:
    """Keeps the X idle time near zero by moving the pointer (real input through xdotool)."""

    def __init__(self, display: XDisplay) -> None:
        self.display = display
        self._on = threading.Event()
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        x = 0
        while not self._stop.is_set():
            if self._on.wait(0.1):
                x = (x + 7) % 300
                self.display.xdotool("mousemove", str(400 + x), "700", check=False)
                time.sleep(0.25)

    def work(self, on: bool = True) -> None:
        (self._on.set if on else self._on.clear)()

    def stop(self) -> None:
        self._stop.set()


def need_desktop_tools() -> None:
    from tests.conftest import need

    for tool in ("dunst", "dunstctl", "dbus-monitor", "dbus-daemon"):
        need(shutil.which(tool) is not None, f"{tool} is not installed (apt-get install dunst dbus)")


@pytest.fixture
def session(xdisplay: XDisplay, tmp_path: Path) -> Iterator[tuple[Desktop, Typist]]:
    """A desktop (private bus + dunst on the test display) and a typist to give it input."""
    need_desktop_tools()
    typist = Typist(xdisplay)
    with desktop(xdisplay, tmp_path) as desk:
        yield desk, typist
    typist.stop()


@pytest.fixture
def daemon(request: pytest.FixtureRequest, session: tuple[Desktop, Typist], tmp_path: Path) -> Iterator[Daemon]:
    """A daemon to start on that desktop; a test module may set ``DAEMON_CONFIG`` to change its config."""
    home = tmp_path / "home"
    home.mkdir()
    d = Daemon(session[0], home, config_text=getattr(request.module, "DAEMON_CONFIG", SHORT_CONFIG))
    yield d
    d.kill()
