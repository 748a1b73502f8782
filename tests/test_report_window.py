"""The weekly chart window as a real Tk process on a private Xvfb display, driven with xdotool."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

if TYPE_CHECKING:
    from tests.desktop import XDisplay  # the session's Xvfb display, the ``xdisplay`` fixture

TRACES = Path(__file__).resolve().parent / "traces"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "two.db"
    sim = subprocess.run([sys.executable, "-m", "breaker", "simulate", str(TRACES / "two_weeks.jsonl"),
                          "--db", str(path)], capture_output=True, text=True)
    assert sim.returncode == 0, sim.stderr
    return path


class Window:
    """The report window process and the JSON lines it reports on stdout."""

    def __init__(self, xdisplay: XDisplay, *args: str) -> None:
        self.x = xdisplay
        self.proc = subprocess.Popen([sys.executable, "-m", "breaker.ui.report", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env={**xdisplay.env, "TZ": "Europe/Berlin"})
        self.lines: queue.Queue[dict] = queue.Queue()  # type: ignore[type-arg]
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def expect(self, event: str, week: str | None = None) -> None:
        got = self.lines.get(timeout=10)
        assert got == ({"event": event} if week is None else {"event": event, "week": week})

    def title(self, window: int) -> str:
        return self.x.xdotool("getwindowname", str(window))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=5)


def test_window_opens_navigates_by_keys_and_closes(xdisplay: XDisplay, db: Path, tmp_path: Path) -> None:
    win = Window(xdisplay, "--db", str(db), "--week", "2026-W48")
    try:
        win.expect("shown", "2026-W48")
        wid = xdisplay.wait_window("^breaker: week 2026-W48$")
        _, _, width, height = xdisplay.geometry(wid)
        assert width >= 760 and height >= 540
        shot = tmp_path / "window.png"
        xdisplay.screenshot(str(shot), wid)
        assert _colors(shot) > 20  # a drawn chart, not an empty window
        xdisplay.focus(wid)
        xdisplay.key("Left")
        win.expect("week", "2026-W47")
        assert win.title(wid) == "breaker: week 2026-W47"
        xdisplay.key("Right", "Right")
        win.expect("week", "2026-W48")
        win.expect("week", "2026-W49")
        assert win.title(wid) == "breaker: week 2026-W49"
        xdisplay.key("Home")
        today = datetime.now(ZoneInfo("Europe/Berlin")).isocalendar()
        win.expect("week", f"{today.year}-W{today.week:02d}")
        xdisplay.key("Escape")
        win.expect("closed")
        assert win.proc.wait(timeout=5) == 0
    finally:
        win.stop()


def test_buttons_navigate_too(xdisplay: XDisplay, db: Path) -> None:
    win = Window(xdisplay, "--db", str(db), "--week", "2026-W48")
    try:
        win.expect("shown", "2026-W48")
        wid = xdisplay.wait_window("^breaker: week 2026-W48$")
        xdisplay.click(wid, 40, 24)  # "◀ Previous week", top left
        win.expect("week", "2026-W47")
        xdisplay.click(wid, 40, 24)
        win.expect("week", "2026-W46")
        _, _, width, _ = xdisplay.geometry(wid)
        xdisplay.click(wid, width - 40, 24)  # "Close", top right
        win.expect("closed")
        assert win.proc.wait(timeout=5) == 0
    finally:
        win.stop()


def test_missing_database_is_one_line_and_no_window(xdisplay: XDisplay, tmp_path: Path) -> None:
    win = Window(xdisplay, "--db", str(tmp_path / "none.db"))
    try:
        assert win.proc.wait(timeout=10) == 2
        assert win.proc.stderr is not None
        err = win.proc.stderr.read()
        assert "no database here yet" in err and err.count("\n") == 1
    finally:
        win.stop()


def _colors(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
