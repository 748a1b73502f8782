"""Client bindings for the two Wayland idle protocols, written for pywayland's ``protocol_core``.

- ``ext_idle_notifier_v1`` (wayland-protocols, staging/ext-idle-notify): KWin 5.27+, sway 1.8+,
  Hyprland, most wlroots compositors. Version 2 adds ``get_input_idle_notification``, which ignores
  idle inhibitors (a playing video) and counts only input.
- ``org_kde_kwin_idle`` (plasma-wayland-protocols, idle.xml): older KWin and sway 1.7.

Only the requests and events breaker uses are declared; their opcodes and argument lists follow the
protocol XML, so the compositor sees exactly what the scanner-generated bindings would send. Importing
this module registers the interfaces with libwayland (``_gen_c``), which needs pywayland's C library.
``connect`` opens a display and binds the seat and the first idle protocol offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlSeat
from pywayland.protocol_core import Argument, ArgumentType, Interface, Proxy

from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said

EXT, KDE = "ext_idle_notifier_v1", "org_kde_kwin_idle"


class ExtIdleNotification(Interface):
    name = "ext_idle_notification_v1"
    version = 2


class ExtIdleNotifier(Interface):
    name = "ext_idle_notifier_v1"
    version = 2


class KdeIdleTimeout(Interface):
    name = "org_kde_kwin_idle_timeout"
    version = 1


class KdeIdle(Interface):
    name = "org_kde_kwin_idle"
    version = 1


class ExtIdleNotificationProxy(Proxy[ExtIdleNotification]):
    interface = ExtIdleNotification

    @ExtIdleNotification.request()
    def destroy(self) -> None:
        self._marshal(0)
        self._destroy()


class ExtIdleNotifierProxy(Proxy[ExtIdleNotifier]):
    interface = ExtIdleNotifier

    @ExtIdleNotifier.request()
    def destroy(self) -> None:
        self._marshal(0)
        self._destroy()

    @ExtIdleNotifier.request(
        Argument(ArgumentType.NewId, interface=ExtIdleNotification),
        Argument(ArgumentType.Uint),
        Argument(ArgumentType.Object, interface=WlSeat),
    )
    def get_idle_notification(self, timeout_ms: int, seat: Any) -> ExtIdleNotificationProxy:
        return self._marshal_constructor(1, ExtIdleNotification, timeout_ms, seat)

    @ExtIdleNotifier.request(
        Argument(ArgumentType.NewId, interface=ExtIdleNotification),
        Argument(ArgumentType.Uint),
        Argument(ArgumentType.Object, interface=WlSeat),
        version=2,
    )
    def get_input_idle_notification(self, timeout_ms: int, seat: Any) -> ExtIdleNotificationProxy:
        return self._marshal_constructor(2, ExtIdleNotification, timeout_ms, seat)


class KdeIdleTimeoutProxy(Proxy[KdeIdleTimeout]):
    interface = KdeIdleTimeout

    @KdeIdleTimeout.request()
    def release(self) -> None:
        self._marshal(0)
        self._destroy()

    @KdeIdleTimeout.request()
    def simulate_user_activity(self) -> None:
        self._marshal(1)


class KdeIdleProxy(Proxy[KdeIdle]):
    interface = KdeIdle

    @KdeIdle.request(
        Argument(ArgumentType.NewId, interface=KdeIdleTimeout),
        Argument(ArgumentType.Object, interface=WlSeat),
        Argument(ArgumentType.Uint),
    )
    def get_idle_timeout(self, seat: Any, timeout_ms: int) -> KdeIdleTimeoutProxy:
        return self._marshal_constructor(0, KdeIdleTimeout, seat, timeout_ms)


def _events(interface: type[Interface], *names: str) -> None:
    """Declare argument-less events in opcode order (the client only receives them)."""
    for name in names:
        def event(self: Any) -> None: ...
        event.__name__ = name
        interface.event()(event)


for _interface, _proxy in ((ExtIdleNotification, ExtIdleNotificationProxy), (ExtIdleNotifier, ExtIdleNotifierProxy),
                           (KdeIdleTimeout, KdeIdleTimeoutProxy), (KdeIdle, KdeIdleProxy)):
    _interface.proxy_class = _proxy
_events(ExtIdleNotification, "idled", "resumed")
_events(KdeIdleTimeout, "idle", "resumed")
for _interface in (ExtIdleNotification, ExtIdleNotifier, KdeIdleTimeout, KdeIdle):
    _interface._gen_c()


@dataclass(frozen=True)
class Connection:
    """One Wayland connection with the seat and the idle manager bound."""

    display: Any
    registry: Any  # kept: the bound objects came from it
    seat: Any
    manager: Any
    protocol: str  # EXT or KDE
    version: int


def connect(name: str) -> Connection:
    """Connect to the display ``name`` (a socket name or path); raise Unavailable saying what is missing."""
    display = Display(name)
    try:
        display.connect()
    except ValueError as exc:
        raise Unavailable(said(N_("cannot connect to the Wayland display {name}"), name=name)) from exc
    try:
        registry = display.get_registry()
        offered: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, gid: int, iface: str, version: int) -> None:
            offered.setdefault(iface, (gid, version))  # a handler must return None (cffi reads its result)

        registry.dispatcher["global"] = on_global
        display.roundtrip()
        if "wl_seat" not in offered:
            raise Unavailable(said(N_("the Wayland display {name} has no seat"), name=name))
        protocol = EXT if EXT in offered else KDE if KDE in offered else None
        if protocol is None:
            raise Unavailable(said(N_("the compositor on {name} offers neither {ext} nor {kde} (GNOME: use the gnome backend)"),
                                   name=name, ext=EXT, kde=KDE))
        gid, version = offered[protocol]
        interface = ExtIdleNotifier if protocol == EXT else KdeIdle
        version = min(version, interface.version)
        manager = registry.bind(gid, interface, version)
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        return Connection(display, registry, seat, manager, protocol, version)
    except BaseException:
        display.disconnect()
        raise
