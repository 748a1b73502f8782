"""Choose and open the tray once at start-up: StatusNotifierItem, XEmbed, or pystray's native backend.

Order on Linux/BSD: a StatusNotifierItem when an ``org.kde.StatusNotifierWatcher`` owns its name on the
session bus (KDE, GNOME with the AppIndicator extension, XFCE, most modern panels), else XEmbed when an
X tray host owns ``_NET_SYSTEM_TRAY_S<screen>``; on Windows and macOS pystray's own backend. ``None``
when there is no tray: the daemon runs on without one and says so once.

Threading contract: call ``open_tray``/``probe_tray`` from a thread other than ``loop``'s. The returned
``Tray`` calls ``TrayActions`` from its own thread (the X thread, a menu reader thread, or the asyncio
loop thread for StatusNotifierItem); ``update``/``stop`` may be called from any thread but the loop's.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Any

from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import Probe, Tray, TrayActions, TrayView, Unavailable
from breaker.adapters.trayicon import appearance, draw_icon
from breaker.adapters.trayitems import MENU, dispatch, enabled, label
from breaker.core.i18n import N_, said, said_by

log = logging.getLogger(__name__)


def open_tray(
    actions: TrayActions, view: TrayView, loop: LoopThread | None, *, grace: float = 0.0
) -> Tray | None:
    """The best tray available now, showing ``view``; None when there is none.

    ``grace``: seconds to wait for a tray host to appear (useful when autostarted before the panel).
    """
    deadline = time.monotonic() + grace
    while True:
        for name, opener in _candidates(loop):
            try:
                tray: Tray = opener(actions, view)
            except Unavailable as why:
                log.debug("tray: %s unavailable: %s", name, why)
                continue
            except Exception:
                log.exception("tray: %s failed to start", name)
                continue
            log.info("tray: using %s", tray.kind)
            return tray
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.5)


def probe_tray(loop: LoopThread | None) -> list[Probe]:
    """Every tray kind this platform could use, whether it is available and why not (``breaker doctor``)."""
    probes = []
    for name, check in _checks(loop):
        try:
            detail = check()
            probes.append(Probe("tray", name, True, detail))
        except Unavailable as why:
            probes.append(Probe("tray", name, False, said_by(why)))
    return probes


def _candidates(loop: LoopThread | None) -> list[tuple[str, Any]]:
    if sys.platform in ("win32", "darwin"):
        return [(sys.platform, NativeTray)]
    openers: list[tuple[str, Any]] = []

    def sni(actions: TrayActions, view: TrayView) -> Tray:
        _check_sni(loop)
        from breaker.adapters.sni import SniTray

        assert loop is not None
        return SniTray(actions, view, loop)

    def xembed(actions: TrayActions, view: TrayView) -> Tray:
        _check_xembed()
        from breaker.adapters.xembed import XembedTray

        return XembedTray(actions, view)

    openers.append(("sni", sni))
    openers.append(("xembed", xembed))
    return openers


def _checks(loop: LoopThread | None) -> list[tuple[str, Any]]:
    if sys.platform in ("win32", "darwin"):
        return [(sys.platform, lambda: said(N_("pystray's {platform} backend (always available)"), platform=sys.platform))]
    return [("sni", lambda: _check_sni(loop)), ("xembed", _check_xembed)]


def _check_sni(loop: LoopThread | None) -> str:
    """Why a StatusNotifierItem cannot work (raises ``Unavailable``), or what it will use."""
    if loop is None:
        raise Unavailable(said(N_("no asyncio loop for D-Bus was given")))
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not os.environ.get("XDG_RUNTIME_DIR"):
        raise Unavailable(said(N_("no D-Bus session bus ({name} is not set)"), name="DBUS_SESSION_BUS_ADDRESS"))
    from breaker.adapters.sni import WATCHER, watcher_owner

    try:
        owner = loop.run(watcher_owner(), timeout=5)
    except Exception as error:
        raise Unavailable(said(N_("cannot reach the D-Bus session bus: {reason}"), reason=error)) from None
    if not owner:
        raise Unavailable(said(N_("nobody owns {name} on the session bus (no StatusNotifierItem panel)"), name=WATCHER))
    return said(N_("{name} is owned by {owner}"), name=WATCHER, owner=owner)


def _check_xembed() -> str:
    """Why an XEmbed icon cannot work (raises ``Unavailable``), or what it will use."""
    display = os.environ.get("DISPLAY")
    if not display:
        raise Unavailable(said(N_("no X display ({name} is not set)"), name="DISPLAY"))
    from breaker.adapters.xembed import tray_manager_present

    if not tray_manager_present(display):
        raise Unavailable(said(N_("no X tray host owns {selection} on {display}"), selection="_NET_SYSTEM_TRAY_S<screen>",
                               display=display))
    return said(N_("an X tray host owns the system tray selection on {display}"), display=display)


class NativeTray:
    """pystray's own backend on Windows and macOS, with a real menu.

    On Windows the icon runs in its own daemon thread. macOS (AppKit) needs the main thread: there
    ``needs_main_thread`` is True and the daemon must call ``run_main()`` from its main thread (it blocks
    until ``stop``).
    """

    def __init__(self, actions: TrayActions, view: TrayView) -> None:
        self.kind = sys.platform
        os.environ["PYSTRAY_BACKEND"] = "darwin" if sys.platform == "darwin" else "win32"
        import pystray

        def item(key: str, default: bool = False) -> Any:
            return pystray.MenuItem(lambda _item: label(key, self._view), lambda _icon, _item: dispatch(actions, key),
                                    enabled=lambda _item: enabled(key, self._view), default=default)

        entries: list[Any] = []
        for entry in MENU:
            if entry.separator_before and entries:
                entries.append(pystray.Menu.SEPARATOR)
            entries.append(item(entry.key, default=entry.key == "break"))
        self._view = view
        self._lock = threading.Lock()
        self._icon = pystray.Icon("breaker", draw_icon(view, 64), view.tooltip, pystray.Menu(*entries))
        self.needs_main_thread = sys.platform == "darwin"
        if not self.needs_main_thread:
            threading.Thread(target=self._icon.run, name="breaker-tray", daemon=True).start()

    def run_main(self) -> None:
        """macOS: run the icon's event loop on the calling (main) thread until ``stop``."""
        self._icon.run()

    def update(self, view: TrayView) -> None:
        with self._lock:
            old, self._view = self._view, view
            if view.tooltip != old.tooltip:
                self._icon.title = view.tooltip
            if (view.tooltip, view.prompt_open, view.paused, view.in_break) != \
                    (old.tooltip, old.prompt_open, old.paused, old.in_break):
                self._icon.update_menu()  # the status line and what is enabled
            if appearance(view) != appearance(old):
                self._icon.icon = draw_icon(view, 64)

    def stop(self) -> None:
        self._icon.stop()
