"""Screen lock and machine suspend as they happen, from logind and the desktop's screensaver, over D-Bus.

Listens to (whichever buses exist; a missing bus or service is fine):
- system bus: logind ``Manager.PrepareForSleep(b)`` (true before sleep, false after wake) and the
  ``LockedHint`` property of this login session (the lock state desktops publish through logind);
- session bus: ``ActiveChanged(b)`` of ``org.freedesktop.ScreenSaver`` (KDE, Xfce, ...) and
  ``org.gnome.ScreenSaver``.
While watching, it holds a logind "delay" inhibitor for sleep, so the "suspend" callback has run
before the machine sleeps (logind waits at most InhibitDelayMaxSec); it is taken again on resume.
logind's session ``Lock``/``Unlock`` signals are ignored on purpose: they *ask* a screen locker to act,
and with no locker running nothing locks; ``LockedHint`` is the state that results.

Several sources report the same lock; :class:`AwayState` turns them into one event per change.
Threading contract: ``start_away_watcher`` and ``stop`` are called from the daemon's thread (never the
loop's); ``on_event`` runs on the loop thread and must hand its work over quickly.
The wall-clock backstop lives in :mod:`breaker.adapters.clockgap` (re-exported here).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from breaker.adapters.aio import LoopThread
from breaker.adapters.clockgap import ClockGap, ClockGapCheck
from breaker.adapters.ports import Probe, Unavailable
from breaker.core.i18n import N_, said, said_by

try:  # dbus-fast is installed on Linux only; elsewhere the watcher watches nothing and says so
    from dbus_fast import MessageType

    from breaker.adapters import dbus_util
except ImportError:  # pragma: no cover - Windows/macOS
    dbus_util = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

__all__ = ["AwayState", "ClockGap", "ClockGapCheck", "DBusAwayWatcher", "probe_away", "start_away_watcher"]

log = logging.getLogger(__name__)

LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
SESSION_IFACE = "org.freedesktop.login1.Session"
SCREENSAVERS = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")


class AwayState:
    """Collapses repeated reports into transitions: ``locked(True)`` twice gives one "lock". Pure."""

    def __init__(self) -> None:
        self.locked = False
        self.suspended = False

    def locked_changed(self, locked: bool) -> str | None:
        if locked == self.locked:
            return None
        self.locked = locked
        return "lock" if locked else "unlock"

    def sleep_changed(self, sleeping: bool) -> str | None:
        if sleeping == self.suspended:
            return None
        self.suspended = sleeping
        return "suspend" if sleeping else "resume"


class DBusAwayWatcher:
    """An :class:`~breaker.adapters.ports.AwayWatcher` over the session and system buses."""

    def __init__(self, loop: LoopThread, on_event: Callable[[str], None]) -> None:
        self.sources: list[str] = []
        self.problems: list[str] = []  # why a bus or source is not watched, for doctor and the log
        self._loop = loop
        self._on_event = on_event
        self._state = AwayState()
        self._buses: list[MessageBus] = []
        self._session_path: str | None = None
        self._inhibitor: int | None = None  # fd of logind's delay lock; closing it lets sleep go ahead
        self._system: MessageBus | None = None
        self._owners: dict[str, dbus_util.NameOwners] = {}  # per bus kind: who owns logind / screensavers
        self._tasks: set[asyncio.Task[None]] = set()
        self._strangers: set[str | None] = set()  # senders already logged as not owning the name

    @property
    def inhibiting(self) -> bool:
        """Whether a sleep delay lock is held right now."""
        return self._inhibitor is not None

    async def _inhibit(self, bus: MessageBus) -> None:
        try:
            (fd,) = await dbus_util.call(bus, *LOGIND, "Inhibit", "ssss",
                                         ["sleep", "breaker", "Noting the start of a suspend", "delay"])
        except dbus_util.CallFailed as exc:
            log.debug("no sleep delay lock: %s", exc)
            return
        self._release()
        self._inhibitor = fd if isinstance(fd, int) and fd >= 0 else None

    def _release(self) -> None:
        fd, self._inhibitor = self._inhibitor, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def _emit(self, event: str | None) -> None:
        if event is None:
            return
        log.info("away event: %s", event)
        try:
            self._on_event(event)
        except Exception:  # noqa: BLE001 - a failing callback must not kill the bus reader
            log.exception("away callback failed for %s", event)

    def _from_owner(self, bus_kind: str, msg: Message, *names: str) -> bool:
        """Whether ``msg`` comes from the current owner of one of ``names`` (anyone may send any signal)."""
        owners = self._owners.get(bus_kind)
        if owners is not None and owners.owns(msg.sender, *names):
            return True
        if msg.sender not in self._strangers:  # once per sender: a stranger cannot flood the log
            self._strangers.add(msg.sender)
            log.warning("ignored %s.%s from %s: it does not own %s", msg.interface, msg.member, msg.sender,
                        " or ".join(names))
        return False

    def _on_system(self, msg: Message) -> None:
        if msg.message_type != MessageType.SIGNAL or msg.member not in ("PrepareForSleep", "PropertiesChanged"):
            return
        if msg.member == "PropertiesChanged" and msg.path != self._session_path:
            return
        if not self._from_owner("system", msg, LOGIND[0]):
            return
        if msg.interface == LOGIND[2] and msg.member == "PrepareForSleep" and msg.body:
            sleeping = bool(msg.body[0])
            self._emit(self._state.sleep_changed(sleeping))
            if sleeping:
                self._release()  # the daemon has noted it: let the machine sleep
            elif self._system is not None and self._system.connected:
                task = asyncio.ensure_future(self._inhibit(self._system))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        elif (msg.member == "PropertiesChanged" and msg.path == self._session_path
              and msg.body and msg.body[0] == SESSION_IFACE and "LockedHint" in msg.body[1]):
            self._emit(self._state.locked_changed(bool(msg.body[1]["LockedHint"].value)))

    def _on_session(self, msg: Message) -> None:
        if (msg.message_type == MessageType.SIGNAL and msg.member == "ActiveChanged"
                and msg.interface in SCREENSAVERS and msg.body and self._from_owner("session", msg, *SCREENSAVERS)):
            self._emit(self._state.locked_changed(bool(msg.body[0])))

    async def _find_session(self, bus: MessageBus) -> str | None:
        """This login session's object path: by XDG_SESSION_ID, else by our PID, else the user's display."""
        attempts: list[tuple[str, str, list[object]]] = []
        if os.environ.get("XDG_SESSION_ID"):
            attempts.append(("GetSession", "s", [os.environ["XDG_SESSION_ID"]]))
        attempts.append(("GetSessionByPID", "u", [os.getpid()]))
        for member, sig, body in attempts:
            try:
                return str((await dbus_util.call(bus, *LOGIND, member, sig, body))[0])
            except dbus_util.CallFailed:
                continue
        try:
            user = (await dbus_util.call(bus, *LOGIND, "GetUser", "u", [os.getuid()]))[0]
            _, path = await dbus_util.get_property(bus, LOGIND[0], user, "org.freedesktop.login1.User", "Display")
            return str(path) if path and path != "/" else None
        except (dbus_util.CallFailed, AttributeError, ValueError, TypeError):
            return None

    async def _watch_system(self, address: str | None) -> None:
        bus = self._system = await dbus_util.connect("system", address, unix_fd=True)
        self._buses.append(bus)
        owners = self._owners["system"] = dbus_util.NameOwners(bus)
        await owners.watch(LOGIND[0])
        bus.add_message_handler(self._on_system)
        await dbus_util.add_match(bus, dbus_util.signal_rule(LOGIND[2], "PrepareForSleep", LOGIND[1], LOGIND[0]))
        self.sources.append("logind PrepareForSleep")
        await self._inhibit(bus)
        self._session_path = await self._find_session(bus)
        if self._session_path:
            await dbus_util.add_match(bus, dbus_util.signal_rule(
                "org.freedesktop.DBus.Properties", "PropertiesChanged", self._session_path, LOGIND[0]))
            self.sources.append(f"logind LockedHint ({self._session_path.rsplit('/', 1)[-1]})")
        else:
            self.problems.append("logind: this process is in no login session (LockedHint not watched)")

    async def _watch_session(self, address: str | None) -> None:
        bus = await dbus_util.connect("session", address)
        self._buses.append(bus)
        owners = self._owners["session"] = dbus_util.NameOwners(bus)
        await owners.watch(*SCREENSAVERS)
        bus.add_message_handler(self._on_session)
        for name in SCREENSAVERS:
            await dbus_util.add_match(bus, dbus_util.signal_rule(name, "ActiveChanged"))
            self.sources.append(f"{name} ActiveChanged")

    def start(self, session_address: str | None = None, system_address: str | None = None) -> None:
        if dbus_util is None:
            self.problems.append("no D-Bus on this platform (the wall-clock gap check still works)")
            return
        for what, watch, address in (("system", self._watch_system, system_address),
                                     ("session", self._watch_session, session_address)):
            try:
                self._loop.run(watch(address))
            except (Unavailable, dbus_util.CallFailed, TimeoutError, OSError) as exc:
                self.problems.append(f"{what} bus: {exc}")
                log.info("away watcher: %s bus not watched: %s", what, exc)

    def stop(self) -> None:
        buses, self._buses = self._buses, []

        async def close() -> None:
            self._release()
            for bus in buses:
                if bus.connected:
                    bus.disconnect()
        if self._loop.loop.is_running():
            self._loop.run(close(), timeout=2)


def start_away_watcher(
    loop: LoopThread, on_event: Callable[[str], None],
    session_address: str | None = None, system_address: str | None = None,
) -> DBusAwayWatcher:
    """Watch lock and suspend on every bus that exists; ``on_event`` gets "lock", "unlock", "suspend",
    "resume" (on the loop thread). Never raises for a missing bus: ``.sources`` lists what is watched,
    ``.problems`` what is not and why. Addresses default to DBUS_{SESSION,SYSTEM}_BUS_ADDRESS.
    """
    watcher = DBusAwayWatcher(loop, on_event)
    watcher.start(session_address, system_address)
    return watcher


ON_BUS = {  # what doctor says of a lock/suspend service: running, activatable, absent
    "system": (N_("running on the system bus"), N_("activatable on the system bus (started on demand)"),
               N_("not running on the system bus (listened for anyway)")),
    "session": (N_("running on the session bus"), N_("activatable on the session bus (started on demand)"),
                N_("not running on the session bus (listened for anyway)")),
}


def probe_away(loop: LoopThread | None) -> list[Probe]:
    """What the away watcher would hear here, for ``breaker doctor`` (the clock-gap check always works)."""
    probes = [Probe("away", "clock gap", True, said(N_("wall clock vs monotonic clock, checked on every poll")))]
    if dbus_util is None or loop is None:
        probes.append(Probe("away", "d-bus", False, said(N_("no D-Bus on this platform")) if dbus_util is None
                            else said(N_("needs the asyncio loop thread"))))
        return probes

    async def look(bus_kind: str, names: tuple[str, ...]) -> list[Probe]:
        try:
            bus = await dbus_util.connect(bus_kind)
        except Unavailable as exc:
            return [Probe("away", name, False, said_by(exc)) for name in names]
        try:
            found = []
            activatable = set((await dbus_util.call(bus, *dbus_util.DBUS, "ListActivatableNames"))[0])
            for name in names:
                if await dbus_util.has_owner(bus, name):
                    found.append(Probe("away", name, True, said(ON_BUS[bus_kind][0])))
                elif name in activatable:  # GNOME starts its org.gnome.ScreenSaver proxy on demand
                    found.append(Probe("away", name, True, said(ON_BUS[bus_kind][1])))
                else:
                    found.append(Probe("away", name, False, said(ON_BUS[bus_kind][2])))
            return found
        finally:
            bus.disconnect()

    probes += loop.run(look("system", (LOGIND[0],)), timeout=8)
    probes += loop.run(look("session", SCREENSAVERS), timeout=8)
    return probes
