"""A recording ``TrayActions`` and a polling helper, shared by the tray tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Recorder:
    """A ``TrayActions`` that records each call (from whatever thread the tray uses)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.called = threading.Event()

    def _record(self, *call: str) -> None:
        self.calls.append(call)
        self.called.set()

    def start_break(self) -> None: self._record("start_break")
    def snooze(self) -> None: self._record("snooze")
    def skip(self) -> None: self._record("skip")
    def pause(self, spec: str) -> None: self._record("pause", spec)
    def resume(self) -> None: self._record("resume")
    def show_week(self) -> None: self._record("show_week")
    def open_settings(self) -> None: self._record("open_settings")
    def quit(self) -> None: self._record("quit")

    def wait(self, timeout: float = 10.0) -> list[tuple[str, ...]]:
        """All calls so far, once at least one more arrived."""
        assert self.called.wait(timeout), "no TrayActions call arrived"
        self.called.clear()
        return self.calls


def wait_until(condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
