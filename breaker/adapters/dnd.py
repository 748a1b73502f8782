"""Do not disturb: prompts wait while a fullscreen window has the focus or the desktop's own DND is on.

Checks, in order (each one optional; a check that errors counts as "not disturbing"):
- a fullscreen window has the focus (X11, :mod:`breaker.adapters.fullscreen`);
- the notification server says so: dunst's ``org.dunstproject.cmd0.paused`` or the ``Inhibited``
  property of ``org.freedesktop.Notifications`` (KDE Plasma), over dbus-fast;
- GNOME: ``org.gnome.desktop.notifications show-banners`` is false (``gsettings get``, no shell).
Threading contract: ``open_dnd``, ``reason`` and ``close`` run on the daemon's thread (never the loop's);
the D-Bus checks block on the loop for at most about a second.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable
from typing import Any

from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import Probe, Unavailable
from breaker.core.i18n import N_, said, said_by

log = logging.getLogger(__name__)

NOTIFY = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
GNOME_KEY = ("org.gnome.desktop.notifications", "show-banners")
_GNOME_DESKTOPS = ("gnome", "unity", "budgie", "pantheon")


def _gnome_desktop() -> bool:
    desktop = (os.environ.get("XDG_CURRENT_DESKTOP") or os.environ.get("DESKTOP_SESSION") or "").lower()
    return any(name in desktop for name in _GNOME_DESKTOPS)


def gnome_banners_off(timeout: float = 2.0) -> bool | None:
    """True when GNOME's notification banners are off (its DND); None when that cannot be read."""
    import shutil  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    exe = shutil.which("gsettings")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "get", *GNOME_KEY], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    return None if done.returncode != 0 or value not in ("true", "false") else value == "false"


class NotificationServerDnd:
    """Reads the notification server's DND state over one session-bus connection."""

    def __init__(self, loop: LoopThread, bus: Any) -> None:
        self._loop = loop
        self._bus = bus

    async def _state(self) -> tuple[str, str | None]:
        from breaker.adapters import dbus_util

        if not await dbus_util.has_owner(self._bus, NOTIFY[0]):
            return said(N_("no notification server running")), None
        server: str = said(N_("unknown server"))
        try:
            server = str((await dbus_util.call(self._bus, *NOTIFY, NOTIFY[0], "GetServerInformation"))[0])
        except dbus_util.CallFailed:
            pass
        for iface, prop, why in (("org.dunstproject.cmd0", "paused", said(N_("dunst is paused (do not disturb)"))),
                                 (NOTIFY[0], "Inhibited", said(N_("{server}: notifications are inhibited (do not "
                                                                  "disturb)"), server=server))):
            try:
                if await dbus_util.get_property(self._bus, *NOTIFY, iface, prop) is True:
                    return server, why
            except dbus_util.CallFailed:
                continue
        return server, None

    def describe(self) -> str:
        """Which server runs and what it reports, for doctor."""
        server, why = self._loop.run(self._state(), timeout=3)
        return said(N_("{server}: {state}"), server=server, state=why or said(N_("not in do-not-disturb")))

    def reason(self) -> str | None:
        return self._loop.run(self._state(), timeout=3)[1]

    def close(self) -> None:
        if self._bus.connected:
            self._loop.loop.call_soon_threadsafe(self._bus.disconnect)


class DesktopDnd:
    """A :class:`~breaker.adapters.ports.DoNotDisturb` over the checks that could start here."""

    def __init__(self) -> None:
        self.checks: list[str] = []  # names of the checks in use, for ``breaker status``
        self.problems: list[str] = []  # checks that could not start, and why
        self._checks: list[tuple[str, Callable[[], str | None]]] = []
        self._closers: list[Callable[[], None]] = []

    def add(self, name: str, check: Callable[[], str | None], close: Callable[[], None] | None = None) -> None:
        self.checks.append(name)
        self._checks.append((name, check))
        if close is not None:
            self._closers.append(close)

    def reason(self) -> str | None:
        """Why prompts should wait right now (one line), or None."""
        for name, check in self._checks:
            try:
                why = check()
            except Exception as exc:  # noqa: BLE001 - a broken check must not block prompts forever
                log.debug("dnd check %s failed: %s", name, exc)
                continue
            if why:
                return why
        return None

    def close(self) -> None:
        for close in self._closers:
            try:
                close()
            except Exception:  # noqa: BLE001 - best effort
                pass
        self._closers.clear()


NO_GNOME = N_("not a GNOME session or gsettings/schema missing")


def _open_server(loop: LoopThread | None, address: str | None) -> NotificationServerDnd:
    if loop is None:
        raise Unavailable(said(N_("needs the asyncio loop thread")))
    try:
        from breaker.adapters import dbus_util
    except ImportError as exc:
        raise Unavailable(said(N_("{package} is not installed"), package="dbus-fast")) from exc
    return NotificationServerDnd(loop, loop.run(dbus_util.connect("session", address)))


def open_dnd(loop: LoopThread | None, display: str | None = None, session_address: str | None = None) -> DesktopDnd:
    """Every DND check that can start here. Never raises: ``.problems`` says what is missing and why."""
    from breaker.adapters.fullscreen import open_fullscreen

    dnd = DesktopDnd()
    try:
        fullscreen = open_fullscreen(display)
        dnd.add("fullscreen (x11)", fullscreen.reason, fullscreen.close)
    except Unavailable as exc:
        dnd.problems.append(f"fullscreen (x11): {exc}")
    try:
        server = _open_server(loop, session_address)
        dnd.add("notification server", server.reason, server.close)
    except Unavailable as exc:
        dnd.problems.append(f"notification server: {exc}")
    if _gnome_desktop() and gnome_banners_off() is not None:
        dnd.add("gnome show-banners", lambda: said(N_("GNOME do-not-disturb is on")) if gnome_banners_off() else None)
    else:
        dnd.problems.append(f"gnome show-banners: {NO_GNOME}")
    return dnd


def probe_dnd(loop: LoopThread | None) -> list[Probe]:
    """The DND checks for ``breaker doctor``: which work here and what each reports now."""
    from breaker.adapters.fullscreen import open_fullscreen

    probes: list[Probe] = []
    try:
        fullscreen = open_fullscreen()
        try:
            probes.append(Probe("dnd", "fullscreen (x11)", True, fullscreen.reason()
                                or said(N_("no fullscreen window focused"))))
        finally:
            fullscreen.close()
    except Exception as exc:  # noqa: BLE001 - Unavailable or an X error: report either
        probes.append(Probe("dnd", "fullscreen (x11)", False, said_by(exc)))
    try:
        server = _open_server(loop, None)
        try:
            probes.append(Probe("dnd", "notification server", True, server.describe()))
        finally:
            server.close()
    except Exception as exc:  # noqa: BLE001
        probes.append(Probe("dnd", "notification server", False, said_by(exc)))
    banners_off = gnome_banners_off() if _gnome_desktop() else None
    if banners_off is None:
        probes.append(Probe("dnd", "gnome show-banners", False, said(NO_GNOME)))
    else:
        probes.append(Probe("dnd", "gnome show-banners", True, said(N_("DND on")) if banners_off else said(N_("DND off"))))
    return probes
