"""Idle sources that report changes themselves: X SYNC alarms on a real Xvfb, and Mutter's IdleMonitor
watches (a stand-in service on a private session bus that implements the watch methods and signal)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbus_fast.annotations import DBusUInt32, DBusUInt64
from dbus_fast.service import ServiceInterface, dbus_method, dbus_signal
from Xlib import display as xlib_display

from breaker.adapters.aio import LoopThread
from breaker.adapters.idle import gnome, x11
from tests.dbus_fixtures import services


class Changes:
    """The (kind, idle_s, monotonic time) of every change reported, from the adapter's thread."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, float, float]] = []
        self.cond = threading.Condition()

    def __call__(self, kind: str, idle_s: float) -> None:
        with self.cond:
            self.seen.append((kind, idle_s, time.monotonic()))
            self.cond.notify_all()

    def wait(self, count: int, timeout: float = 5.0) -> list[tuple[str, float, float]]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.seen) >= count, timeout), self.seen
            return list(self.seen)


@pytest.fixture(scope="module")
def hold(xdisplay) -> Iterator[None]:
    conn = xlib_display.Display(xdisplay.name)  # Xvfb resets when its last client leaves
    yield
    conn.close()


def thread_switches(thread: threading.Thread | None) -> int:
    """Voluntary context switches of ``thread`` so far (each one a wake-up), from /proc."""
    assert thread is not None and thread.native_id is not None
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    return int(status.split("voluntary_ctxt_switches:")[1].split()[0])


def test_x11_alarms_report_idle_at_the_threshold_and_the_return_at_once(xdisplay, hold) -> None:
    source = x11.open_source(xdisplay.name)
    changes = Changes()
    try:
        xdisplay.xdotool("mousemove", "10", "10")
        stopped = time.monotonic()
        source.watch(0.6, changes)
        kind, idle_s, seen = changes.wait(1)[0]
        assert kind == "idle" and idle_s >= 0.6 and seen - stopped == pytest.approx(0.6, abs=0.25)
        time.sleep(0.3)
        xdotool_at = time.monotonic()
        xdisplay.xdotool("mousemove", "50", "50")
        kind, idle_s, seen = changes.wait(2)[1]
        assert kind == "active" and idle_s < 0.2 and seen - xdotool_at < 0.5
        # Already idle for longer than asked when the watch is set: it says so at once.
        time.sleep(0.8)
        source.watch(0.5, changes)
        assert changes.wait(3)[2][0] == "idle"
        assert source.seconds_idle() >= 0.8  # readings still work beside the watch
    finally:
        source.close()


def test_x11_watch_thread_sleeps_while_the_pointer_moves(xdisplay, hold) -> None:
    source = x11.open_source(xdisplay.name)
    changes = Changes()
    try:
        source.watch(3.0, changes)
        before = thread_switches(source._thread)
        for step in range(20):  # input all the time, never 3 s without: nothing to report
            xdisplay.xdotool("mousemove", str(100 + step), "100")
            time.sleep(0.05)
        assert thread_switches(source._thread) - before <= 1
        assert changes.seen == []
    finally:
        source.close()


class MutterWatches(ServiceInterface):
    """Mutter's IdleMonitor: GetIdletime, AddIdleWatch, AddUserActiveWatch (one-shot), RemoveWatch."""

    def __init__(self, ms: int) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.ms, self.next_id = ms, 1
        self.idle: dict[int, int] = {}
        self.active: list[int] = []

    @dbus_method()
    def GetIdletime(self) -> DBusUInt64:
        return self.ms

    @dbus_method()
    def AddIdleWatch(self, interval: DBusUInt64) -> DBusUInt32:
        self.next_id += 1
        self.idle[self.next_id] = interval
        return self.next_id

    @dbus_method()
    def AddUserActiveWatch(self) -> DBusUInt32:
        self.next_id += 1
        self.active.append(self.next_id)
        return self.next_id

    @dbus_method()
    def RemoveWatch(self, watch: DBusUInt32):  # type: ignore[no-untyped-def]
        self.idle.pop(watch, None)

    @dbus_signal()
    def WatchFired(self, watch: DBusUInt32) -> DBusUInt32:
        return watch


def wait_for(check, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_gnome_watches_report_changes_and_ignore_strangers(session_bus: str) -> None:
    loop = LoopThread("test-gnome-idle")
    changes = Changes()
    with services(session_bus) as mutter, services(session_bus) as stranger:
        monitor = mutter.export(gnome.ENDPOINT.path, MutterWatches(1500))
        mutter.own(gnome.ENDPOINT.service)
        fake = stranger.export(gnome.ENDPOINT.path, MutterWatches(1))
        source = gnome.open_source(loop, session_bus, settle_s=0.1)
        try:
            source.watch(60.0, changes)
            (idle_watch,) = monitor.idle  # type: ignore[attr-defined]
            assert monitor.idle[idle_watch] == 60000  # type: ignore[attr-defined]
            stranger.call_soon(fake.WatchFired, idle_watch)  # type: ignore[attr-defined]
            mutter.call_soon(monitor.WatchFired, idle_watch)  # type: ignore[attr-defined]
            assert [c[:2] for c in changes.wait(1)] == [("idle", 60.0)]
            wait_for(lambda: monitor.active)  # type: ignore[attr-defined]
            mutter.call_soon(monitor.WatchFired, idle_watch)  # still idle: said once
            mutter.call_soon(monitor.WatchFired, monitor.active[0])  # type: ignore[attr-defined]
            assert [c[0] for c in changes.wait(2)] == ["idle", "active"]
            time.sleep(0.2)
            assert len(changes.seen) == 2
        finally:
            source.close()
            loop.stop()
