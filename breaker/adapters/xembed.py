"""XEmbed tray (old-style X11 system trays such as trayer, stalonetray, tint2) through pystray's xorg backend.

pystray 0.19.5's xorg backend needs four fixes, made in a subclass here (see docs/architecture.md, platform facts):
it never asks X for button presses (we add ButtonPressMask), it has no menu (a click pops up
``python -m breaker.ui.traymenu`` in a child process; Tk never runs in the daemon), an icon created
before a tray host exists never docks (we listen for the host's MANAGER broadcast and dock again), and
``run_detached`` leaves a non-daemon thread behind (we run ``icon.run`` in our own daemon thread).
The icon is drawn at the size the tray gives it, over the tray's own background (ParentRelative).
Threading contract: X events are handled on the "breaker-xembed" thread, which calls ``TrayActions``
from a menu reader thread; ``update``/``stop`` may be called from any thread (serialised by a lock).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from PIL import Image

from breaker.adapters.ports import TrayActions, TrayView
from breaker.adapters.trayicon import appearance, draw_icon
from breaker.adapters.trayitems import MENU, dispatch, enabled, label

log = logging.getLogger(__name__)

ClickHandler = Callable[[int, int, int, int], None]  # (root x, icon top, icon bottom, button)


def tray_manager_present(display_name: str | None = None) -> bool:
    """Whether an X tray host owns ``_NET_SYSTEM_TRAY_S<screen>`` on the display (False without X)."""
    try:
        import Xlib.X

        from breaker.adapters.x11conn import open_display

        display = open_display(display_name)[0]  # lean: no extension queries, no keymap
    except Exception:
        return False
    try:
        atom = display.intern_atom(f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}")
        return display.get_selection_owner(atom) != Xlib.X.NONE
    finally:
        display.close()


def _icon_class() -> type:
    """pystray's xorg Icon, fixed (imported late: importing pystray opens the X display)."""
    os.environ["PYSTRAY_BACKEND"] = "xorg"
    import pystray
    import Xlib.error
    import Xlib.X
    import Xlib.Xutil
    from pystray._xorg import XError, display_manager

    class XembedIcon(pystray.Icon):  # type: ignore[misc,name-defined]
        def __init__(self, *args: Any, on_click: ClickHandler, **kwargs: Any) -> None:
            self.on_click = on_click
            self.render: Callable[[int], Image.Image] | None = None
            super().__init__(*args, **kwargs)
            self._manager_atom = self._display.intern_atom("MANAGER")
            self._refresh_atom = self._display.intern_atom("_BREAKER_REFRESH")
            self._size: tuple[int, int] | None = None  # the window's, from ConfigureNotify
            self._bg: tuple[int, int, int, int] | None = None  # the tray's colour behind the icon
            self._redraw, self._sender_lock, self._sender_gc = False, threading.Lock(), None
            self._sender: Any = None  # a connection of the updating thread's (see request_refresh)
            with display_manager(self._display):
                self._window.change_attributes(
                    event_mask=Xlib.X.ExposureMask | Xlib.X.StructureNotifyMask | Xlib.X.ButtonPressMask)
                # the tray host announces itself to root with a MANAGER client message
                self._display.screen().root.change_attributes(event_mask=Xlib.X.StructureNotifyMask)
            try:
                with display_manager(self._display):
                    self._window.change_attributes(background_pixmap=Xlib.X.ParentRelative)
            except XError:
                log.debug("xembed: no ParentRelative background (depth differs from the tray)")
            pystray_handler = self._message_handlers[Xlib.X.ClientMessage]

            def client_message(event: Any) -> None:
                if event.client_type == self._refresh_atom:
                    self._refresh()
                elif event.client_type == self._manager_atom and event.data[1][1] == self._net_system_tray_sx:
                    log.info("xembed: a tray host appeared; docking")
                    self._systray_manager = None
                    self._dock_window()
                else:
                    pystray_handler(event)

            self._message_handlers[Xlib.X.ClientMessage] = client_message
            self._utf8 = self._display.intern_atom("UTF8_STRING")
            self._name_atoms = [self._display.intern_atom(name) for name in ("WM_NAME", "_NET_WM_NAME")]
            self._set_names()

        def _set_names(self) -> None:
            """The title as UTF-8 in WM_NAME and _NET_WM_NAME (pystray writes Latin-1 only)."""
            data = self.title.encode("utf-8")
            for atom in self._name_atoms:
                self._window.change_property(atom, self._utf8, 8, data)
            self._display.flush()

        def _update_title(self) -> None:
            self._set_names()

        def request_refresh(self, icon: bool) -> None:
            """Any thread: show the new ``title`` (and icon) without waking the X thread.

            pystray's setters each send a message on the X thread's own connection and block until it
            answers. Here a second connection writes the title (a property of our window) and draws the
            icon itself once the window's size and the tray's colour are known; before that one
            ClientMessage wakes the X thread to redraw (bench/footprint --working)."""
            from Xlib import X
            from Xlib.protocol import event

            self.open_sender()
            window = self._sender.create_resource_object("window", self._window.id)
            for atom in self._name_atoms:
                window.change_property(atom, self._utf8, 8, self.title.encode("utf-8"))
            if icon and self._size is not None and self._bg is not None and self._systray_manager:
                self._icon_data = self._compose(*self._size)  # the tray's colour is known: no round trip
                if self._sender_gc is None:
                    self._sender_gc = window.create_gc()
                window.put_pil_image(self._sender_gc, 0, 0, self._icon_data)
            elif icon:
                self._redraw = True
                message = event.ClientMessage(window=window, client_type=self._refresh_atom,
                                              data=(32, (X.CurrentTime, 0, 0, 0, 0)))
                self._sender.send_event(window, message, event_mask=X.NoEventMask)
            self._sender.flush()

        def open_sender(self) -> None:
            """The updating threads' connection, opened once: right after docking, so that its round
            trips (setup, extensions) come at start-up and not in the first tick of a quiet daemon."""
            with self._sender_lock:
                if self._sender is None:
                    from breaker.adapters.x11conn import open_display

                    self._sender = open_display(self._display.get_display_name())[0]

        def _refresh(self) -> None:
            if self._redraw:
                self._redraw = False
                self._update_icon()

        def _show(self) -> None:
            self._dock_window()
            if not self._systray_manager:
                log.info("xembed: no tray host yet; the icon docks when one appears")

        def _update_icon(self) -> None:
            self._icon_data = None
            self._icon_valid = True
            if self._systray_manager:
                self._draw()

        def _on_button_press(self, event: Any) -> None:
            top = event.root_y - event.event_y
            height = self._icon_data.size[1] if self._icon_data is not None else 24
            self.on_click(event.root_x, top, top + height - 1, event.detail)

        def _on_destroy_notify(self, event: Any) -> None:
            if self._systray_manager is None or event.window.id != self._systray_manager.id:
                return
            log.info("xembed: the tray host went away; waiting for another")
            self._systray_manager, self._size, self._bg = None, None, None
            self._dock_window()

        def _on_expose(self, event: Any) -> None:
            if event.type == Xlib.X.ConfigureNotify and event.window.id == self._window.id:
                self._size, self._bg = (event.width, event.height), None
                if self._systray_manager and event.width < event.height <= 128:
                    # pystray asks for 24 px wide: in a taller panel, ask to be square instead
                    self._window.set_wm_normal_hints(flags=Xlib.Xutil.PMinSize | Xlib.Xutil.PSize,
                                                     min_width=event.height, min_height=event.height)
                    self._window.configure(width=event.height)
                    self._display.flush()
            super()._on_expose(event)

        def _draw(self) -> None:
            try:
                if self._size is None:  # known from ConfigureNotify once docked: no round trip per redraw
                    geometry = self._window.get_geometry()
                    self._size = (geometry.width, geometry.height)
                size: tuple[int, int] = self._size
                if self._icon_data is None or self._icon_data.size != size:
                    self._icon_data = self._compose(*size)
                self._window.put_pil_image(self._gc, 0, 0, self._icon_data)
            except Xlib.error.BadDrawable:
                pass  # the window is gone

        def _compose(self, width: int, height: int) -> Image.Image:
            """The icon at the window's size over the tray's background (no alpha in X windows)."""
            canvas = self._background(width, height)
            side = min(width, height)
            if side >= 8:
                icon = self.render(side) if self.render else self._icon.resize((side, side))
                canvas.alpha_composite(icon.convert("RGBA"), ((width - side) // 2, (height - side) // 2))
            return canvas.convert("RGB")

        def _background(self, width: int, height: int) -> Image.Image:
            """The tray's colour, read at our top-left pixel: after a clear that is the parent's
            background (ParentRelative), and the icon's corners are transparent, so it stays so."""
            if self._bg is not None:
                return Image.new("RGBA", (width, height), self._bg)
            colour = (200, 200, 200, 255)
            try:
                self._window.clear_area(0, 0, width, height)
                raw = self._window.get_image(0, 0, 1, 1, Xlib.X.ZPixmap, 0xFFFFFFFF)
                if raw.depth in (24, 32) and len(raw.data) >= 3:
                    blue, green, red = raw.data[0], raw.data[1], raw.data[2]
                    colour = (red, green, blue, 255)
                self._bg = colour
            except Exception:
                log.debug("xembed: cannot read the tray background", exc_info=True)
            return Image.new("RGBA", (width, height), colour)

    return XembedIcon


class XembedTray:
    """A docked XEmbed icon with a popup menu; ``kind`` is "xembed"."""

    kind = "xembed"

    def __init__(self, actions: TrayActions, view: TrayView) -> None:
        self._actions = actions
        self._view = view
        self._lock = threading.Lock()
        self._menu: subprocess.Popen[str] | None = None
        self._icon = _icon_class()("breaker", icon=draw_icon(view, 32), title=view.tooltip, on_click=self._clicked)
        self._icon.render = lambda size: draw_icon(self._view, size)
        self._thread = threading.Thread(
            target=self._icon.run, kwargs={"setup": self._setup}, name="breaker-xembed", daemon=True)
        self._thread.start()

    @staticmethod
    def _setup(icon: Any) -> None:
        icon.visible = True  # docks
        try:
            icon.open_sender()
        except Exception as err:  # noqa: BLE001 - the first update tries again
            log.debug("xembed: no second connection yet: %s", err)

    @property
    def window_id(self) -> int:
        """The X id of the icon's window (tests look for it in the tray host)."""
        return int(self._icon._window.id)

    def update(self, view: TrayView) -> None:
        """Redraw when something visible changed (any thread but the X one)."""
        if not self._thread.is_alive():
            return  # the X connection is gone: pystray would wait forever for its thread
        with self._lock:
            old, self._view = self._view, view
            icon = appearance(view) != appearance(old)
            if view.tooltip == old.tooltip and not icon:
                return  # nothing visible changed: the X thread sleeps on
            self._icon._title = view.tooltip  # pystray's fields behind .title/.icon, without its messages
            if icon:
                self._icon._icon = draw_icon(view, 32)
            self._icon.request_refresh(icon)

    def _clicked(self, x: int, top: int, bottom: int, button: int) -> None:
        """On the X thread: pop up the menu process unless one is open (a second click closes it)."""
        if button not in (1, 3):
            return
        if self._menu is not None and self._menu.poll() is None:
            self._menu.terminate()
            return
        items = [{"key": item.key, "label": label(item.key, self._view), "enabled": enabled(item.key, self._view),
                  "separator": item.separator_before} for item in MENU]
        self._menu = subprocess.Popen(
            [sys.executable, "-m", "breaker.ui.traymenu", "--at", f"{x},{top}", "--avoid", f"{top},{bottom}",
             "--items", json.dumps(items)],
            stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read_choice, args=(self._menu,), name="breaker-traymenu",
                         daemon=True).start()

    def _read_choice(self, menu: subprocess.Popen[str]) -> None:
        assert menu.stdout is not None
        choice = menu.stdout.readline().strip()
        menu.wait()
        if choice:
            dispatch(self._actions, choice)

    def stop(self) -> None:
        """Remove the icon and end its thread (any thread but the X one)."""
        if self._menu is not None and self._menu.poll() is None:
            self._menu.terminate()
        if self._thread.is_alive():
            with self._lock:
                self._icon.stop()
        self._thread.join(timeout=2)
        if self._icon._sender is not None:
            self._icon._sender.close()
