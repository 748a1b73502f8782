"""Real notification servers besides dunst, each on a private session bus of its own and the test display.

``notification_server(kind, display)`` starts notification-daemon (GNOME's reference server) or
xfce4-notifyd, waits until it owns ``org.freedesktop.Notifications`` and yields a :class:`Server` that can
find its bubble and click a button on it with xdotool (real pointer input on the real window).
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.desktop import XDisplay, stop_process

SERVERS = {
    "notification-daemon": Path("/usr/lib/notification-daemon/notification-daemon"),
    "xfce4-notifyd": Path("/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd"),
}
# Bubble window names, and where the buttons sit, measured from the bubble's bottom-right corner
# (both servers right-align their buttons; a longer text makes the bubble taller or wider, not the row).
WINDOWS = {"notification-daemon": "^Notification$", "xfce4-notifyd": "^xfce4-notifyd$"}
BUTTONS = {
    "notification-daemon": {"start": (196, 39), "snooze": (136, 39), "skip": (78, 39)},
    "xfce4-notifyd": {"start": (241, 32), "snooze": (149, 32), "skip": (57, 32)},
}


@dataclass
class Server:
    kind: str
    bus: str
    display: XDisplay
    process: subprocess.Popen[bytes]

    def bubbles(self) -> list[int]:
        """The bubble windows on screen now."""
        found = self.display.xdotool("search", "--onlyvisible", "--name", WINDOWS[self.kind], check=False)
        return [int(w) for w in found.split()]

    def wait_bubbles(self, count: int, timeout: float = 10.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.bubbles()
            if len(found) == count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{self.kind}: expected {count} bubble(s), see {self.bubbles()}")

    def click(self, action: str) -> None:
        """Click ``action``'s button on the (one) bubble on screen."""
        (window,) = self.wait_bubbles(1)
        _, _, width, height = self.display.geometry(window)
        dx, dy = BUTTONS[self.kind][action]
        self.display.click(window, width - dx, height - dy)


class BusMonitor:
    """Every Notifications method call and signal on the bus, as dbus-monitor prints them."""

    def __init__(self, bus: str) -> None:
        self.text = ""
        self.process = subprocess.Popen(
            ["dbus-monitor", "--address", bus, "interface='org.freedesktop.Notifications'"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(0.3)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.text += line

    def calls(self, member: str) -> list[str]:
        """The text of each ``member`` message (its header line and arguments)."""
        messages = re.split(r"\n(?=\S)", self.text)
        return [m for m in messages if re.search(rf"member={member}$", m.splitlines()[0] if m else "")]

    def stop(self) -> None:
        stop_process(self.process)


@contextmanager
def notification_server(kind: str, display: XDisplay) -> Iterator[Server]:
    from tests.conftest import need
    from tests.dbus_fixtures import private_bus, wait_for_name

    need(SERVERS[kind].exists(), f"{kind} is not installed (apt-get install {kind})")
    with private_bus("session") as bus:
        env = {**os.environ, "DISPLAY": display.name, "DBUS_SESSION_BUS_ADDRESS": bus, "NO_AT_BRIDGE": "1"}
        env.pop("WAYLAND_DISPLAY", None)
        process = subprocess.Popen([str(SERVERS[kind])], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            wait_for_name(bus, "org.freedesktop.Notifications", process=process)
            yield Server(kind, bus, display, process)
        finally:
            stop_process(process)
