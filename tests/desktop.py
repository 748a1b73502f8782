"""Real desktop components for tests: an Xvfb display and xdotool helpers to drive windows on it.

Fixtures here are made available to every test by ``tests/conftest.py``. Under ``CI=true`` a missing
program fails the test instead of skipping it (see ``need``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

SCREEN = "1280x800x24"


@dataclass(frozen=True)
class XDisplay:
    """A running X server: its name (":N") and helpers that act on it through xdotool."""

    name: str

    @property
    def env(self) -> dict[str, str]:
        """An environment for child processes that shows windows on this display."""
        return {**os.environ, "DISPLAY": self.name}

    def xdotool(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=10)
        if check and done.returncode != 0:
            raise AssertionError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def wait_window(self, name: str, timeout: float = 10.0) -> int:
        """The id of the first visible window whose title matches ``name`` (a regex), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.xdotool("search", "--onlyvisible", "--name", name, check=False)
            if found:
                return int(found.split()[0])
            time.sleep(0.05)
        raise AssertionError(f"no window named {name!r} appeared within {timeout}s")

    def focus(self, window: int) -> None:
        """Give ``window`` the keyboard focus (what a window manager does when it is clicked).

        Without a window manager the focus can fall back to PointerRoot a moment later (when a window of
        an earlier test goes away), so this checks that the focus stays put and sets it again if not."""
        for _ in range(20):
            self.xdotool("windowfocus", "--sync", str(window))
            time.sleep(0.05)
            if self.focused() == window:
                return
        raise AssertionError(f"window {window} does not keep the keyboard focus")

    def focused(self) -> int:
        """The window with the keyboard focus (1 = PointerRoot: whatever is under the pointer)."""
        out = self.xdotool("getwindowfocus", "-f", check=False).split()
        return int(out[-1]) if out and out[-1].isdigit() else 1

    def key(self, *keys: str, delay_ms: int = 20) -> None:
        """Press and release ``keys`` (xdotool key names) on whatever window has the focus."""
        self.xdotool("key", "--delay", str(delay_ms), *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "10", text)

    def click(self, window: int, x: int, y: int, button: int = 1) -> None:
        """Move the pointer to (x, y) inside ``window`` and click there."""
        # No --sync: it waits for the pointer to move and hangs when it is already there.
        self.xdotool("mousemove", "--window", str(window), str(x), str(y), "click", str(button))

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        """(x, y, width, height) of ``window``."""
        values = dict(
            line.split("=", 1)
            for line in self.xdotool("getwindowgeometry", "--shell", str(window)).splitlines()
            if "=" in line
        )
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def screenshot(self, path: str, window: int | None = None) -> None:
        """Save the screen (or one window) as a PNG with ImageMagick's ``import``."""
        target = str(window) if window is not None else "root"
        subprocess.run(["import", "-window", target, path], env=self.env, check=True, timeout=20)


def stop_process(process: subprocess.Popen[Any]) -> None:
    """Terminate a helper process the tests started; kill it if it does not go within 5 s."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def xdisplay() -> Iterator[XDisplay]:
    """A private Xvfb server (no window manager) for the whole test session."""
    from tests.conftest import need  # here, not at the top: conftest imports this module

    need(shutil.which("Xvfb") is not None, "Xvfb is not installed (apt-get install xvfb)")
    need(shutil.which("xdotool") is not None, "xdotool is not installed (apt-get install xdotool)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        number = b""
        with os.fdopen(read_fd, "rb") as ready:
            while not number.endswith(b"\n"):
                chunk = ready.read(1)
                if not chunk:
                    raise RuntimeError("Xvfb exited before it reported its display number")
                number += chunk
        display = XDisplay(f":{int(number)}")
        old = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display.name
        try:
            yield display
        finally:
            if old is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = old
    finally:
        stop_process(server)
