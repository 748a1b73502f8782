"""KDE Plasma and others: ``org.freedesktop.ScreenSaver.GetSessionIdleTime`` in milliseconds.

Not part of the freedesktop spec, so behaviour varies: KDE counts milliseconds since the last input;
some screensavers answer 0 until their own idle delay passes, which start-up validation rejects.
Threading contract: see :mod:`breaker.adapters.idle._dbus` (call from any thread but the loop's).
"""

from __future__ import annotations

from breaker.adapters.aio import LoopThread
from breaker.adapters.idle._dbus import DBusIdle, Endpoint, open_dbus_idle

ENDPOINT = Endpoint(
    service="org.freedesktop.ScreenSaver",
    path="/org/freedesktop/ScreenSaver",
    interface="org.freedesktop.ScreenSaver",
    method="GetSessionIdleTime",
    unit_s=0.001,
)


def open_source(loop: LoopThread | None, address: str | None = None, settle_s: float = 1.5) -> DBusIdle:
    """The session's ScreenSaver service (``address`` overrides DBUS_SESSION_BUS_ADDRESS)."""
    return open_dbus_idle("freedesktop", loop, ENDPOINT, address, settle_s)
