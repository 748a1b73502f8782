"""The tray menu exported as a ``com.canonical.dbusmenu`` object (what StatusNotifierItem hosts show).

Layout: root item 0 ("children-display": "submenu") with one child per ``trayitems.MENU`` entry (ids
1..n, in order) and separators (ids from 100 on). A host reads it with GetLayout/GetGroupProperties and
reports a click with ``Event(id, "clicked", data, timestamp)``; we pass the item's key to ``on_choose``.
When the view changes what is enabled, the revision goes up and LayoutUpdated tells the host.

Threading contract: every method runs on the asyncio loop thread (dbus-fast); ``on_choose`` must hand
the work off quickly (``SniTray`` passes it to its action thread). ``set_view`` is loop-thread only.
"""

from __future__ import annotations

from typing import Any

from dbus_fast import Variant
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal

from breaker.adapters.ports import TrayView
from breaker.adapters.trayitems import MENU, enabled, label

INTERFACE = "com.canonical.dbusmenu"
PATH = "/MenuBar"
SEPARATOR_BASE = 100


def _entries() -> list[tuple[int, str | None, str]]:
    """(id, key or None for a separator, label) in display order."""
    out: list[tuple[int, str | None, str]] = []
    for number, item in enumerate(MENU, start=1):
        if item.separator_before and out:
            out.append((SEPARATOR_BASE + number, None, ""))
        out.append((number, item.key, item.label))
    return out


class DbusMenu(ServiceInterface):
    """A flat menu of ``trayitems.MENU``; ``on_choose(key)`` is called when the host reports a click."""

    def __init__(self, view: TrayView, on_choose: Any) -> None:
        super().__init__(INTERFACE)
        self._view = view
        self._on_choose = on_choose
        self._revision = 1
        self._entries = _entries()
        self._by_id = {entry_id: key for entry_id, key, _ in self._entries}

    def keys_by_id(self) -> dict[int, str]:
        """Item id -> menu key (separators left out); handy for tests and logs."""
        return {entry_id: key for entry_id, key in self._by_id.items() if key is not None}

    def set_view(self, view: TrayView) -> None:
        """Take a new view; tell the host when an item's enabled state changed (loop thread)."""
        before = [(enabled(key, self._view), label(key, self._view)) for key in self.keys_by_id().values()]
        self._view = view
        if before != [(enabled(key, view), label(key, view)) for key in self.keys_by_id().values()]:
            self._revision += 1
            self.LayoutUpdated(self._revision, 0)

    def _properties(self, entry_id: int, names: list[str]) -> dict[str, Variant]:
        if entry_id == 0:
            props = {"children-display": Variant("s", "submenu")}
        else:
            key = self._by_id[entry_id]
            if key is None:
                props = {"type": Variant("s", "separator")}
            else:
                props = {"label": Variant("s", label(key, self._view)), "enabled": Variant("b", enabled(key, self._view)),
                         "visible": Variant("b", True)}
        return {name: value for name, value in props.items() if not names or name in names}

    def _node(self, entry_id: int, depth: int, names: list[str]) -> list[Any]:
        children = []
        if entry_id == 0 and depth != 0:
            children = [Variant("(ia{sv}av)", self._node(i, depth - 1, names)) for i, _, _ in self._entries]
        return [entry_id, self._properties(entry_id, names), children]

    def _known(self, entry_id: int) -> bool:
        return entry_id == 0 or entry_id in self._by_id

    @method()
    def GetLayout(self, parent_id: "i", recursion_depth: "i", property_names: "as") -> "u(ia{sv}av)":  # noqa: F821
        if not self._known(parent_id):
            raise _error(f"no menu item {parent_id}")
        return [self._revision, self._node(parent_id, recursion_depth, property_names)]

    @method()
    def GetGroupProperties(self, ids: "ai", property_names: "as") -> "a(ia{sv})":  # noqa: F821
        wanted = ids or [0, *self._by_id]
        return [[i, self._properties(i, property_names)] for i in wanted if self._known(i)]

    @method()
    def GetProperty(self, entry_id: "i", name: "s") -> "v":  # noqa: F821
        value = self._properties(entry_id, [name]).get(name) if self._known(entry_id) else None
        if value is None:
            raise _error(f"menu item {entry_id} has no property {name!r}")
        return value

    def _event(self, entry_id: int, event_id: str) -> None:
        key = self._by_id.get(entry_id)
        if event_id == "clicked" and key is not None:
            self._on_choose(key)

    @method()
    def Event(self, entry_id: "i", event_id: "s", data: "v", timestamp: "u"):  # type: ignore[no-untyped-def]  # noqa: F821
        self._event(entry_id, event_id)

    @method()
    def EventGroup(self, events: "a(isvu)") -> "ai":  # noqa: F821
        for entry_id, event_id, data, timestamp in events:
            self._event(entry_id, event_id)
        return [entry_id for entry_id, *_ in events if not self._known(entry_id)]

    @method()
    def AboutToShow(self, entry_id: "i") -> "b":  # noqa: F821
        return False  # the layout is always current

    @method()
    def AboutToShowGroup(self, ids: "ai") -> "aiai":  # noqa: F821
        return [[], [i for i in ids if not self._known(i)]]

    @signal()
    def LayoutUpdated(self, revision: int, parent: int) -> "ui":  # noqa: F821
        return [revision, parent]

    @signal()
    def ItemsPropertiesUpdated(self, updated: list[Any], removed: list[Any]) -> "a(ia{sv})a(ias)":  # noqa: F821
        return [updated, removed]

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> "u":  # noqa: F821
        return 3

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> "s":  # noqa: F821
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> "as":  # noqa: F821
        return []


def _error(text: str) -> Exception:
    from dbus_fast.errors import DBusError

    return DBusError("org.freedesktop.DBus.Error.InvalidArgs", text)
