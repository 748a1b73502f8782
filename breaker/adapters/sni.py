"""StatusNotifierItem tray (KDE, GNOME with AppIndicator, XFCE, waybar, ...) over dbus-fast, no GTK.

pystray's appindicator backend would need PyGObject, which pip builds from source (C compiler, cairo
and GObject-introspection headers); speaking the D-Bus protocol ourselves needs only dbus-fast.

We own ``org.kde.StatusNotifierItem-<pid>-<n>``, export ``/StatusNotifierItem`` and a dbusmenu at
``/MenuBar``, and register with ``org.kde.StatusNotifierWatcher``; when the watcher restarts (a panel
restart) we register again. The icon is sent as ARGB32 pixmaps at several sizes, drawn without Pillow.

Threading contract: D-Bus work runs on the shared ``LoopThread``. ``TrayActions`` are called on this
tray's own "breaker-sni-actions" thread, in order, so an action may call ``update``/``stop`` safely.
``SniTray.update``/``stop`` may be called from any thread but the loop's.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from breaker.adapters.dbusmenu import PATH as MENU_PATH
from breaker.adapters.dbusmenu import DbusMenu
from breaker.adapters.ports import TrayActions, TrayView
from breaker.adapters.trayicon import appearance, icon_argb32
from breaker.adapters.trayitems import dispatch

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)
FIRST_SIZES = PIXMAP_SIZES[:4]  # registered with these (a quarter of the pixels); the rest right after
TITLE = "Breaker"
_serial = itertools.count(1)


async def watcher_owner(address: str | None = None) -> str | None:
    """The unique name that owns the watcher on the session bus, or None (loop thread)."""
    bus = await dbus_util.connect("session", address)
    try:
        if not await dbus_util.has_owner(bus, WATCHER):
            return None
        (owner,) = await dbus_util.call(bus, *dbus_util.DBUS, "GetNameOwner", "s", [WATCHER])
        return str(owner)
    finally:
        bus.disconnect()


def pixmaps(view: TrayView, sizes: tuple[int, ...] = PIXMAP_SIZES) -> list[list[Any]]:
    """The icon as SNI's a(iiay): [width, height, ARGB32 bytes] for every size we offer (pure Python: a
    daemon with this tray never imports Pillow)."""
    return [[size, size, icon_argb32(view, size)] for size in sizes]


class StatusNotifierItem(ServiceInterface):
    """The ``org.kde.StatusNotifierItem`` object; ``on_activate`` runs on a left click."""

    def __init__(self, view: TrayView, on_activate: Any) -> None:
        super().__init__(ITEM_INTERFACE)
        self._view = view
        self._pixmaps = pixmaps(view, FIRST_SIZES)  # the panel-sized ones: start-up waits for these only
        self._on_activate = on_activate

    def complete(self, view: TrayView, larger: list[list[Any]]) -> None:
        """Add the larger sizes, drawn after registering, unless the look changed meanwhile (loop thread)."""
        if appearance(view) == appearance(self._view) and len(self._pixmaps) == len(FIRST_SIZES):
            self._pixmaps = self._pixmaps + larger
            self.NewIcon()
            self.NewAttentionIcon()

    def set_view(self, view: TrayView) -> None:
        """Take a new view; signal the host only about what changed (loop thread)."""
        old, self._view = self._view, view
        if appearance(view) != appearance(old):
            self._pixmaps = pixmaps(view)
            self.NewIcon()
            self.NewAttentionIcon()
        if view.tooltip != old.tooltip:
            self.NewToolTip()
        if _status(view) != _status(old):
            self.NewStatus(_status(view))

    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> "s":  # noqa: F821
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> "s":  # noqa: F821
        return "breaker"

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> "s":  # noqa: F821
        return TITLE

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821
        return _status(self._view)

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> "i":  # noqa: F821
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> "a(iiay)":  # noqa: F821
        return self._pixmaps

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> "a(iiay)":  # noqa: F821
        return self._pixmaps

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> "(sa(iiay)ss)":  # noqa: F821
        return ["", [], TITLE, self._view.tooltip]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> "b":  # noqa: F821
        return False  # a left click activates (starts a break); the menu is on the right button

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> "o":  # noqa: F821
        return MENU_PATH

    @method()
    def Activate(self, x: "i", y: "i"):  # type: ignore[no-untyped-def]  # noqa: F821
        self._on_activate()

    @method()
    def SecondaryActivate(self, x: "i", y: "i"):  # type: ignore[no-untyped-def]  # noqa: F821
        pass

    @method()
    def ContextMenu(self, x: "i", y: "i"):  # type: ignore[no-untyped-def]  # noqa: F821
        pass  # hosts show the dbusmenu themselves

    @method()
    def Scroll(self, delta: "i", orientation: "s"):  # type: ignore[no-untyped-def]  # noqa: F821
        pass

    @signal()
    def NewIcon(self):  # type: ignore[no-untyped-def]
        pass

    @signal()
    def NewAttentionIcon(self):  # type: ignore[no-untyped-def]
        pass

    @signal()
    def NewToolTip(self):  # type: ignore[no-untyped-def]
        pass

    @signal()
    def NewStatus(self, status: str) -> "s":  # noqa: F821
        return status


def _status(view: TrayView) -> str:
    return "NeedsAttention" if view.fraction >= 1.0 and not (view.paused or view.in_break) else "Active"


class SniTray:
    """A registered StatusNotifierItem with its dbusmenu; ``kind`` is "sni"."""

    kind = "sni"

    def __init__(self, actions: TrayActions, view: TrayView, loop: LoopThread) -> None:
        self._loop = loop
        self._view = view
        self._actions_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="breaker-sni-actions")
        self.item = StatusNotifierItem(view, lambda: self._act(actions, "break"))
        self.menu = DbusMenu(view, lambda key: self._act(actions, key))
        self.name = f"{ITEM_INTERFACE}-{os.getpid()}-{next(_serial)}"
        self._bus: MessageBus | None = None
        loop.run(self._start(), timeout=10)
        loop.loop.call_soon_threadsafe(self.item.complete, view, pixmaps(view, PIXMAP_SIZES[len(FIRST_SIZES):]))

    def _act(self, actions: TrayActions, key: str) -> None:
        self._actions_thread.submit(dispatch, actions, key)

    async def _start(self) -> None:
        bus = self._bus = await dbus_util.connect("session")
        bus.export(ITEM_PATH, self.item)
        bus.export(MENU_PATH, self.menu)
        await bus.request_name(self.name)
        bus.add_message_handler(self._on_message)
        rule = dbus_util.signal_rule("org.freedesktop.DBus", "NameOwnerChanged", sender="org.freedesktop.DBus")
        await dbus_util.add_match(bus, f"{rule},arg0='{WATCHER}'")
        await self._register()

    async def _register(self) -> None:
        assert self._bus is not None
        await dbus_util.call(self._bus, WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s",
                             [self.name], timeout=5)
        log.info("sni: registered %s with %s", self.name, WATCHER)

    def _on_message(self, message: Message) -> None:
        """A new watcher (the panel restarted): register with it (loop thread)."""
        if (message.message_type == MessageType.SIGNAL and message.member == "NameOwnerChanged"
                and message.body and message.body[0] == WATCHER and message.body[2]):
            self._loop.loop.create_task(self._reregister())

    async def _reregister(self) -> None:
        """A watcher may own its name a moment before it serves its object: retry for a few seconds."""
        delay = 0.05
        for attempt in range(8):
            try:
                await self._register()
                return
            except Exception as error:
                if attempt == 7:
                    log.warning("sni: cannot register with the new watcher: %s", error)
                    return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    def update(self, view: TrayView) -> None:
        """Show ``view``; the host is told only about what changed (any thread but the loop's)."""
        if view == self._view:
            return
        self._view = view
        self._loop.loop.call_soon_threadsafe(self._apply, view)

    def _apply(self, view: TrayView) -> None:
        self.item.set_view(view)
        self.menu.set_view(view)

    def stop(self) -> None:
        """Leave the bus (the watcher drops the item when our name goes away)."""
        async def close() -> None:
            if self._bus is not None:
                self._bus.disconnect()
        try:
            self._loop.run(close(), timeout=5)
        finally:
            self._actions_thread.shutdown(wait=False)
