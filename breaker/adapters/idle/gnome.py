"""GNOME (Mutter, X11 or Wayland): ``org.gnome.Mutter.IdleMonitor`` on the session bus.

``seconds_idle`` calls ``GetIdletime`` (milliseconds). ``watch`` asks Mutter to say when things change:
``AddIdleWatch(ms)`` fires ``WatchFired`` each time the idle time reaches ``ms``, and a one-shot
``AddUserActiveWatch`` fires at the next input, so nothing polls. Only signals from the current owner of
Mutter's name count: anyone on the bus may emit a ``WatchFired``.
Threading contract: see :mod:`breaker.adapters.idle._dbus` (call from any thread but the loop's);
``on_change`` is called from the loop thread.
"""

from __future__ import annotations

import logging

from dbus_fast import Message, MessageType

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from breaker.adapters.idle._dbus import DBusIdle, Endpoint, open_dbus_idle
from breaker.adapters.ports import IdleChange, Unavailable
from breaker.core.i18n import N_, said

log = logging.getLogger(__name__)

ENDPOINT = Endpoint(
    service="org.gnome.Mutter.IdleMonitor",
    path="/org/gnome/Mutter/IdleMonitor/Core",
    interface="org.gnome.Mutter.IdleMonitor",
    method="GetIdletime",
    unit_s=0.001,
)


class GnomeIdle(DBusIdle):
    """Mutter's core idle monitor, with its idle and user-active watches."""

    _owner = ""
    _idle_watch = _active_watch = 0
    _after_s = 0.0
    _on_change: IdleChange | None = None

    def watch(self, after_s: float, on_change: IdleChange) -> None:
        """Report "idle" once input has stopped ``after_s`` seconds and "active" at the next input."""
        self._after_s, self._on_change = after_s, on_change
        try:
            self._loop.run(self._start(round(after_s * 1000)), timeout=5)
        except Exception as exc:  # noqa: BLE001 - an older Mutter, or it went away
            raise Unavailable(said(N_("gnome idle watches: {reason}"), reason=exc)) from exc

    async def _start(self, after_ms: int) -> None:
        e, bus = self._endpoint, self._bus
        if not self._owner:
            (self._owner,) = await dbus_util.call(bus, *dbus_util.DBUS, "GetNameOwner", "s", [e.service])
            await dbus_util.add_match(bus, dbus_util.signal_rule(e.interface, "WatchFired", e.path, self._owner))
            bus.add_message_handler(self._on_message)
        if self._idle_watch:
            await self._remove(self._idle_watch)
        (self._idle_watch,) = await dbus_util.call(bus, e.service, e.path, e.interface, "AddIdleWatch", "t",
                                                   [max(1, after_ms)])
        if await self._idletime_ms() >= after_ms:  # already idle: the watch only fires on the next crossing
            self._fired("idle", after_ms / 1000)

    async def _idletime_ms(self) -> int:
        e = self._endpoint
        (ms,) = await dbus_util.call(self._bus, e.service, e.path, e.interface, "GetIdletime")
        return int(ms)

    async def _remove(self, watch: int) -> None:
        e = self._endpoint
        try:
            await dbus_util.call(self._bus, e.service, e.path, e.interface, "RemoveWatch", "u", [watch])
        except dbus_util.CallFailed as err:
            log.debug("removing idle watch %s: %s", watch, err)

    def _on_message(self, msg: Message) -> None:
        e = self._endpoint
        if (msg.message_type != MessageType.SIGNAL or msg.member != "WatchFired" or msg.path != e.path
                or msg.sender != self._owner or not msg.body):
            return
        watch = msg.body[0]
        if watch == self._idle_watch and not self._active_watch:
            self._fired("idle", self._after_s)
        elif watch == self._active_watch:
            self._active_watch = 0  # a user-active watch fires once
            self._fired("active", 0.0)

    def _fired(self, kind: str, idle_s: float) -> None:
        if kind == "idle":  # wait for the next input (a one-shot watch, added on the loop)
            self._active_watch = -1
            self._task = self._loop.loop.create_task(self._add_active())
        if self._on_change is not None:
            self._on_change(kind, idle_s)

    async def _add_active(self) -> None:
        e = self._endpoint
        try:
            (self._active_watch,) = await dbus_util.call(self._bus, e.service, e.path, e.interface,
                                                         "AddUserActiveWatch")
        except dbus_util.CallFailed as err:
            log.warning("gnome idle watches stopped: %s", err)


def open_source(loop: LoopThread | None, address: str | None = None, settle_s: float = 1.5) -> GnomeIdle:
    """Mutter's core idle monitor on the session bus (``address`` overrides DBUS_SESSION_BUS_ADDRESS)."""
    return open_dbus_idle("gnome", loop, ENDPOINT, address, settle_s, kind=GnomeIdle)
