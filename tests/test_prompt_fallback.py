"""No prompt is lost in silence (#12 item 6): D-Bus up but no notification server, or a server that dies.

Real parts: Xvfb, private session buses, notification-daemon killed with SIGKILL, the real ``breaker run``
and ``breaker doctor`` processes, and xdotool clicks on breaker's own prompt window.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.daemonkit import ROOT, Daemon, Desktop, Typist, wait_until
from tests.dbus_fixtures import private_bus
from tests.desktop import XDisplay
from tests.notifyservers import BusMonitor, notification_server
from tests.test_prompt_servers import PROMPT_CONFIG

WINDOW = "^breaker: time for a break$"
BUTTONS = {"start": (286, 28), "snooze": (178, 28), "skip": (70, 28)}  # from the bottom-right corner


def click(display: XDisplay, action: str) -> None:
    window = display.wait_window(WINDOW)
    _, _, width, height = display.geometry(window)
    dx, dy = BUTTONS[action]
    display.click(window, width - dx, height - dy)


def windows(display: XDisplay) -> list[str]:
    return display.xdotool("search", "--onlyvisible", "--name", WINDOW, check=False).split()


def outcomes(daemon: Daemon) -> list[str]:
    return [p["outcome"] for p in daemon.log()["prompts"]]


def test_doctor_tells_the_truth_without_a_notification_server(xdisplay: XDisplay, tmp_path: Path) -> None:
    with private_bus("session") as bus:
        env = {**os.environ, "DISPLAY": xdisplay.name, "DBUS_SESSION_BUS_ADDRESS": bus, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "breaker", "doctor", "--db", str(tmp_path / "b.db")], env=env,
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    out = done.stdout
    assert "plyer" not in out, out  # plyer on Linux needs dbus-python: it would fail at every prompt
    assert "--  notify freedesktop" in out, out
    assert "ok  notify window" in out and "breaker's own window" in out, out
    assert "missing notification server" in out, out


def test_without_a_server_the_prompt_opens_in_a_corner_window_and_is_answered_there(
    xdisplay: XDisplay, tmp_path: Path,
) -> None:
    typist = Typist(xdisplay)
    with private_bus("session") as bus:
        (tmp_path / "home").mkdir()
        daemon = Daemon(Desktop(bus, xdisplay, tmp_path), tmp_path / "home", config_text=PROMPT_CONFIG)
        try:
            typist.work()
            daemon.start()
            before = xdisplay.focused()
            window = xdisplay.wait_window(WINDOW, timeout=25)
            x, y, width, height = xdisplay.geometry(window)
            assert x + width >= 1280 - 80 and y + height >= 800 - 120, (x, y, width, height)  # bottom-right corner
            assert xdisplay.focused() == before != window  # it did not take the keyboard
            wait_until(lambda: len(daemon.log()["prompts"]) == 2, 15, "the re-prompt")
            assert len(windows(xdisplay)) == 1  # the re-prompt replaced the text in place
            xdisplay.screenshot(str(tmp_path / "prompt-window.png"))
            click(xdisplay, "snooze")
            wait_until(lambda: outcomes(daemon) == ["ignored", "snoozed"], 10, "the snooze from the window")
            wait_until(lambda: not windows(xdisplay), 5, "the window to close")
            typist.work(False)
            assert daemon.stop() == 0
            first_line = daemon.output().splitlines()[0]
            assert first_line.startswith("breaker is running") and "window" in first_line, first_line
        finally:
            typist.stop()
            daemon.kill()


def test_a_server_killed_mid_day_hands_the_next_prompt_to_the_window(xdisplay: XDisplay, tmp_path: Path) -> None:
    typist = Typist(xdisplay)
    with notification_server("notification-daemon", xdisplay) as server:
        monitor = BusMonitor(server.bus)
        (tmp_path / "home").mkdir()
        daemon = Daemon(Desktop(server.bus, xdisplay, tmp_path), tmp_path / "home", config_text=PROMPT_CONFIG)
        try:
            typist.work()
            daemon.start()
            wait_until(lambda: len(monitor.calls("Notify")) >= 1, 25, "the first prompt as a notification")
            server.process.send_signal(signal.SIGKILL)
            server.process.wait()
            xdisplay.wait_window(WINDOW, timeout=15)  # the re-prompt cannot be a notification: it is a window
            wait_until(lambda: len(daemon.log()["prompts"]) == 2, 5, "the re-prompt to be recorded")
            click(xdisplay, "skip")
            wait_until(lambda: outcomes(daemon) == ["ignored", "skipped"], 10, "the skip from the window")
            typist.work(False)
            assert daemon.stop() == 0
        finally:
            typist.stop()
            daemon.kill()
            monitor.stop()
