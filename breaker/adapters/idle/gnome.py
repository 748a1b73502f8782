"""GNOME (Mutter, X11 or Wayland): ``org.gnome.Mutter.IdleMonitor.GetIdletime`` in milliseconds.

Threading contract: see :mod:`breaker.adapters.idle._dbus` (call from any thread but the loop's).
"""

from __future__ import annotations

from breaker.adapters.aio import LoopThread
from breaker.adapters.idle._dbus import DBusIdle, Endpoint, open_dbus_idle

ENDPOINT = Endpoint(
    service="org.gnome.Mutter.IdleMonitor",
    path="/org/gnome/Mutter/IdleMonitor/Core",
    interface="org.gnome.Mutter.IdleMonitor",
    method="GetIdletime",
    unit_s=0.001,
)


def open_source(loop: LoopThread | None, address: str | None = None, settle_s: float = 1.5) -> DBusIdle:
    """Mutter's core idle monitor on the session bus (``address`` overrides DBUS_SESSION_BUS_ADDRESS)."""
    return open_dbus_idle("gnome", loop, ENDPOINT, address, settle_s)
