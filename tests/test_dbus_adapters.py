"""D-Bus adapters against test services on private buses (real dbus-daemon, real dbus-fast clients).

The services below implement just the slice of each desktop interface the adapters use.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator

import pytest
from dbus_fast.annotations import DBusBool, DBusObjectPath, DBusStr, DBusUInt32, DBusUInt64, DBusUnixFd
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_method, dbus_property, dbus_signal

from breaker.adapters.aio import LoopThread
from breaker.adapters.idle import freedesktop, gnome, open_idle_source, probe_idle
from breaker.adapters.ports import Unavailable
from breaker.adapters.power import LOGIND, AwayState, start_away_watcher
from breaker.adapters.probe import format_probes, probe_all
from tests.dbus_fixtures import BusServices, services


class MutterIdleMonitor(ServiceInterface):
    def __init__(self, ms: int) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.ms = ms

    @dbus_method()
    def GetIdletime(self) -> DBusUInt64:
        return self.ms


class FreedesktopScreenSaver(ServiceInterface):
    def __init__(self, ms: int) -> None:
        super().__init__("org.freedesktop.ScreenSaver")
        self.ms = ms

    @dbus_method()
    def GetSessionIdleTime(self) -> DBusUInt32:
        return self.ms

    @dbus_signal()
    def ActiveChanged(self, active: bool) -> DBusBool:
        return active


class GnomeScreenSaver(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.gnome.ScreenSaver")

    @dbus_signal()
    def ActiveChanged(self, active: bool) -> DBusBool:
        return active


LOGIND_PATH = LOGIND[1]


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread("test-adapters")
    yield thread
    thread.stop()


@pytest.fixture
def hosted(session_bus: str) -> Iterator[BusServices]:
    with services(session_bus) as svc:
        yield svc


def serve_mutter(svc: BusServices, ms: int) -> MutterIdleMonitor:
    iface = svc.export(gnome.ENDPOINT.path, MutterIdleMonitor(ms))
    svc.own(gnome.ENDPOINT.service)
    return iface  # type: ignore[return-value]


def serve_screensaver(svc: BusServices, ms: int) -> FreedesktopScreenSaver:
    iface = svc.export(freedesktop.ENDPOINT.path, FreedesktopScreenSaver(ms))
    svc.own(freedesktop.ENDPOINT.service)
    return iface  # type: ignore[return-value]


# --- idle -------------------------------------------------------------------------------------------

def test_gnome_reads_mutter_idletime(loop: LoopThread, hosted: BusServices) -> None:
    monitor = serve_mutter(hosted, 4321)
    source = gnome.open_source(loop, settle_s=0.2)
    try:
        assert source.name == "gnome"
        assert source.seconds_idle() == pytest.approx(4.321)
        monitor.ms = 12
        assert source.seconds_idle() == pytest.approx(0.012)
    finally:
        source.close()


def test_freedesktop_reads_session_idle_time(loop: LoopThread, hosted: BusServices) -> None:
    serve_screensaver(hosted, 90_000)
    source = freedesktop.open_source(loop, settle_s=0.2)
    try:
        assert source.seconds_idle() == pytest.approx(90.0)
    finally:
        source.close()


def test_a_service_stuck_at_zero_is_not_trusted(loop: LoopThread, hosted: BusServices) -> None:
    serve_screensaver(hosted, 0)
    with pytest.raises(Unavailable, match="stays 0"):
        freedesktop.open_source(loop, settle_s=0.3)


def test_a_service_that_is_not_running_is_unavailable(loop: LoopThread, session_bus: str) -> None:
    with pytest.raises(Unavailable, match="not running"):
        gnome.open_source(loop, settle_s=0.1)


def test_reading_fails_cleanly_when_the_service_goes_away(loop: LoopThread, session_bus: str) -> None:
    with services(session_bus) as svc:
        serve_mutter(svc, 500)
        source = gnome.open_source(loop, settle_s=0.1)
    try:
        with pytest.raises(Unavailable, match="gnome"):
            source.seconds_idle()
    finally:
        source.close()


def test_auto_on_wayland_prefers_mutter_on_gnome_and_screensaver_on_kde(
    loop: LoopThread, hosted: BusServices, monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_mutter(hosted, 1000)
    serve_screensaver(hosted, 2000)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    for desktop, expected in (("ubuntu:GNOME", "gnome"), ("KDE", "freedesktop")):
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", desktop)
        source = open_idle_source(loop, settle_s=0.1)
        assert source.name == expected
        source.close()


def test_auto_skips_a_zero_service_and_reports_all_reasons(
    loop: LoopThread, hosted: BusServices, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    zero = serve_screensaver(hosted, 0)
    with pytest.raises(Unavailable) as err:
        open_idle_source(loop, settle_s=0.1)
    text = str(err.value)
    assert "freedesktop:" in text and "stays 0" in text
    assert "gnome:" in text and "not running" in text
    assert "x11: skipped on Wayland" in text
    serve_mutter(hosted, 777)
    source = open_idle_source(loop, settle_s=0.1)
    assert source.name == "gnome"
    source.close()
    zero.ms = 5
    assert open_idle_source(loop, settle_s=0.1).name == "freedesktop"


def test_probe_idle_lists_every_backend(loop: LoopThread, hosted: BusServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    serve_screensaver(hosted, 3000)
    probes = {p.name: p for p in probe_idle(loop, settle_s=0.1)}
    assert set(probes) == {"gnome", "wayland", "freedesktop", "x11"}
    assert not probes["wayland"].ok and "WAYLAND_DISPLAY is not set" in probes["wayland"].detail
    assert not probes["gnome"].ok and "not running" in probes["gnome"].detail
    assert probes["freedesktop"].ok and "chosen" in probes["freedesktop"].detail
    assert not probes["x11"].ok and all(p.kind == "idle" for p in probes.values())


# --- away: lock/unlock and suspend/resume ------------------------------------------------------------

SESSION_PATH = "/org/freedesktop/login1/session/_3"


class Login1Manager(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.login1.Manager")
        self.inhibits: list[tuple[str, str]] = []
        self.pipes: list[int] = []

    @dbus_method()
    def Inhibit(self, what: DBusStr, who: DBusStr, why: DBusStr, mode: DBusStr) -> DBusUnixFd:
        read_end, write_end = os.pipe()
        self.pipes += [read_end, write_end]
        self.inhibits.append((what, mode))
        return read_end

    def close(self) -> None:
        for fd in self.pipes:
            os.close(fd)

    @dbus_signal()
    def PrepareForSleep(self, start: bool) -> DBusBool:
        return start

    @dbus_method()
    def GetSessionByPID(self, pid: DBusUInt32) -> DBusObjectPath:
        return SESSION_PATH


class Login1Session(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.login1.Session")
        self.locked = False

    @dbus_property(access=PropertyAccess.READ)
    def LockedHint(self) -> DBusBool:
        return self.locked

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.emit_properties_changed({"LockedHint": locked})


class Events:
    """Thread-safe collector of the events the watcher delivers (on its loop thread)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._cond = threading.Condition()

    def __call__(self, event: str) -> None:
        with self._cond:
            self.seen.append(event)
            self._cond.notify_all()

    def wait(self, count: int, timeout: float = 5.0) -> list[str]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.seen) >= count, timeout), self.seen
            return list(self.seen)


def test_away_watcher_delivers_lock_unlock_suspend_resume(
    loop: LoopThread, session_bus: str, system_bus: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_SESSION_ID", raising=False)
    events = Events()
    with services(system_bus) as system, services(session_bus) as session:
        manager = system.export(LOGIND_PATH, Login1Manager())
        login_session = system.export(SESSION_PATH, Login1Session())
        system.own("org.freedesktop.login1")
        watcher = start_away_watcher(loop, events)
        try:
            assert watcher.sources == [
                "logind PrepareForSleep", "logind LockedHint (_3)",
                "org.freedesktop.ScreenSaver ActiveChanged", "org.gnome.ScreenSaver ActiveChanged",
            ]
            assert watcher.problems == []
            assert watcher.inhibiting and manager.inhibits == [("sleep", "delay")]
            held = watcher._inhibitor
            assert held is not None and stat.S_ISFIFO(os.fstat(held).st_mode)  # a real fd, not an index
            # The screensavers start after the watcher: their signals still arrive.
            fdo = session.export("/org/freedesktop/ScreenSaver", FreedesktopScreenSaver(0))
            gnome_ss = session.export("/org/gnome/ScreenSaver", GnomeScreenSaver())
            session.own("org.freedesktop.ScreenSaver")
            session.own("org.gnome.ScreenSaver")

            session.call_soon(fdo.ActiveChanged, True)
            assert events.wait(1) == ["lock"]
            session.call_soon(gnome_ss.ActiveChanged, True)  # the same lock again: no new event
            session.call_soon(gnome_ss.ActiveChanged, False)
            assert events.wait(2) == ["lock", "unlock"]
            system.call_soon(manager.PrepareForSleep, True)
            assert events.wait(3)[-1] == "suspend"
            assert eventually(lambda: not watcher.inhibiting)  # released once the daemon was told
            system.call_soon(manager.PrepareForSleep, False)
            assert events.wait(4)[-1] == "resume"
            assert eventually(lambda: watcher.inhibiting) and len(manager.inhibits) == 2  # taken again
            system.call_soon(login_session.set_locked, True)
            assert events.wait(5)[-1] == "lock"
            # Order holds within one bus only, so each duplicate is checked against an event on its own bus.
            session.call_soon(fdo.ActiveChanged, True)  # logind already said "locked": no new event
            session.call_soon(fdo.ActiveChanged, False)
            assert events.wait(6) == ["lock", "unlock", "suspend", "resume", "lock", "unlock"]
            system.call_soon(login_session.set_locked, False)  # already unlocked: no new event
            system.call_soon(manager.PrepareForSleep, True)
            assert events.wait(7)[-2:] == ["unlock", "suspend"]
        finally:
            watcher.stop()
            manager.close()  # type: ignore[attr-defined]
    assert not watcher.inhibiting


def eventually(condition, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_away_watcher_without_buses_watches_nothing_and_says_why(loop: LoopThread, tmp_path) -> None:
    events = Events()
    nowhere = f"unix:path={tmp_path}/none"
    watcher = start_away_watcher(loop, events, session_address=nowhere, system_address=nowhere)
    assert watcher.sources == []
    assert [p.split(":")[0] for p in watcher.problems] == ["system bus", "session bus"]
    watcher.stop()


def test_away_watcher_without_logind_still_watches_the_screensaver(
    loop: LoopThread, hosted: BusServices, system_bus: str,
) -> None:
    events = Events()
    watcher = start_away_watcher(loop, events)
    try:
        assert "org.gnome.ScreenSaver ActiveChanged" in watcher.sources
        assert any("no login session" in p for p in watcher.problems)
        saver = hosted.export("/org/gnome/ScreenSaver", GnomeScreenSaver())
        hosted.own("org.gnome.ScreenSaver")  # only the name's owner is believed (tests/test_signal_senders.py)
        hosted.call_soon(saver.ActiveChanged, True)
        assert events.wait(1) == ["lock"]
    finally:
        watcher.stop()


def test_away_state_collapses_repeats() -> None:
    state = AwayState()
    assert [state.locked_changed(v) for v in (True, True, False, False)] == ["lock", None, "unlock", None]
    assert [state.sleep_changed(v) for v in (False, True, True, False)] == [None, "suspend", None, "resume"]


# --- doctor ------------------------------------------------------------------------------------------

def test_probe_all_covers_idle_away_and_dnd(
    loop: LoopThread, hosted: BusServices, system_bus: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    monkeypatch.delenv("DISPLAY", raising=False)
    serve_mutter(hosted, 2500)
    hosted.export("/org/gnome/ScreenSaver", GnomeScreenSaver())
    hosted.own("org.gnome.ScreenSaver")
    probes = probe_all(loop, settle_s=0.1)
    assert {p.kind for p in probes} == {"idle", "away", "dnd"}
    by_name = {(p.kind, p.name): p for p in probes}
    assert by_name[("idle", "gnome")].ok and "chosen" in by_name[("idle", "gnome")].detail
    assert by_name[("away", "clock gap")].ok
    assert by_name[("away", "org.gnome.ScreenSaver")].ok
    assert not by_name[("away", "org.freedesktop.ScreenSaver")].ok
    assert not by_name[("away", "org.freedesktop.login1")].ok  # the private system bus has no logind
    assert not by_name[("dnd", "fullscreen (x11)")].ok
    text = format_probes(probes)
    assert text.splitlines()[0].startswith("ok  idle") or text.splitlines()[0].startswith("--  idle")
    assert len(text.splitlines()) == len(probes)
