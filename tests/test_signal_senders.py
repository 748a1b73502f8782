"""Signals count only from the connection that owns the service's name (#12 item 3).

Anyone on a bus may emit a signal with any interface and member, and ``gdbus emit --dest`` delivers it to
one connection even without a match rule. These tests send logind's PrepareForSleep and a screensaver's
ActiveChanged from strangers (a real ``gdbus`` process on the private buses) and check that nothing happens,
then that the real owner is still heard.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from breaker.adapters.aio import LoopThread
from breaker.adapters.power import LOGIND, start_away_watcher
from tests.conftest import need
from tests.dbus_fixtures import services
from tests.test_dbus_adapters import (
    LOGIND_PATH,
    SESSION_PATH,
    Events,
    FreedesktopScreenSaver,
    GnomeScreenSaver,
    Login1Manager,
    Login1Session,
    eventually,
)


@pytest.fixture
def loop() -> LoopThread:
    thread = LoopThread("test-senders")
    yield thread  # type: ignore[misc]
    thread.stop()


def gdbus_emit(bus: str, address: str, dest: str | None, path: str, signal: str, *args: str) -> None:
    """Emit a signal from a fresh connection (a stranger that owns no name)."""
    need(shutil.which("gdbus") is not None, "gdbus is not installed (apt-get install libglib2.0-bin)")
    env = {**os.environ, f"DBUS_{bus.upper()}_BUS_ADDRESS": address}
    cmd = ["gdbus", "emit", f"--{bus}", "--object-path", path, "--signal", signal, *args]
    if dest:
        cmd[3:3] = ["--dest", dest]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, done.stderr


def test_prepare_for_sleep_from_a_stranger_changes_nothing(
    loop: LoopThread, session_bus: str, system_bus: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_SESSION_ID", raising=False)
    events = Events()
    with services(system_bus) as system:
        manager = system.export(LOGIND_PATH, Login1Manager())
        login_session = system.export(SESSION_PATH, Login1Session())
        system.own(LOGIND[0])
        watcher = start_away_watcher(loop, events)
        try:
            assert watcher.inhibiting
            me = watcher._system.unique_name  # type: ignore[union-attr]
            # addressed to breaker's connection, and broadcast: both from a connection that is not logind
            gdbus_emit("system", system_bus, me, LOGIND_PATH, f"{LOGIND[2]}.PrepareForSleep", "true")
            gdbus_emit("system", system_bus, None, LOGIND_PATH, f"{LOGIND[2]}.PrepareForSleep", "true")
            gdbus_emit("system", system_bus, me, SESSION_PATH, "org.freedesktop.DBus.Properties.PropertiesChanged",
                       "'org.freedesktop.login1.Session'", "{'LockedHint': <true>}", "@as []")
            time.sleep(0.5)
            assert events.seen == []
            assert watcher.inhibiting, "a stranger's PrepareForSleep released the sleep inhibitor"
            assert len(manager.inhibits) == 1
            # the real logind is still heard, and after it the stranger's "false" is no resume either
            system.call_soon(manager.PrepareForSleep, True)
            assert events.wait(1) == ["suspend"]
            gdbus_emit("system", system_bus, me, LOGIND_PATH, f"{LOGIND[2]}.PrepareForSleep", "false")
            time.sleep(0.3)
            assert events.seen == ["suspend"]
            system.call_soon(manager.PrepareForSleep, False)
            assert events.wait(2) == ["suspend", "resume"]
            assert eventually(lambda: watcher.inhibiting)
            system.call_soon(login_session.set_locked, True)
            assert events.wait(3)[-1] == "lock"
        finally:
            watcher.stop()
            manager.close()  # type: ignore[attr-defined]


def test_screensaver_signal_counts_only_from_the_name_owner_even_after_a_restart(
    loop: LoopThread, session_bus: str, system_bus: str,
) -> None:
    events = Events()
    watcher = start_away_watcher(loop, events)
    try:
        # nobody owns the screensaver names yet: a stranger's ActiveChanged is no lock
        gdbus_emit("session", session_bus, None, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged",
                   "true")
        with services(session_bus) as first:
            saver = first.export("/org/freedesktop/ScreenSaver", FreedesktopScreenSaver(0))
            first.own("org.freedesktop.ScreenSaver")
            gdbus_emit("session", session_bus, None, "/org/freedesktop/ScreenSaver",
                       "org.freedesktop.ScreenSaver.ActiveChanged", "true")
            time.sleep(0.3)
            assert events.seen == []
            first.call_soon(saver.ActiveChanged, True)
            assert events.wait(1) == ["lock"]
        # the owner went away; a new one takes the name (a restarted screensaver) and is believed
        with services(session_bus) as second:
            gnome_saver = second.export("/org/gnome/ScreenSaver", GnomeScreenSaver())
            second.own("org.gnome.ScreenSaver")
            gdbus_emit("session", session_bus, None, "/org/gnome/ScreenSaver",
                       "org.gnome.ScreenSaver.ActiveChanged", "false")
            time.sleep(0.3)
            assert events.seen == ["lock"]
            second.call_soon(gnome_saver.ActiveChanged, False)
            assert events.wait(2) == ["lock", "unlock"]
    finally:
        watcher.stop()
