"""X11: does a fullscreen window have the focus? (presentations, video calls, games)

With a window manager (EWMH): the window named by the root's ``_NET_ACTIVE_WINDOW`` whose
``_NET_WM_STATE`` holds ``_NET_WM_STATE_FULLSCREEN``. Without one (no ``_NET_ACTIVE_WINDOW``): the
top-level window holding the input focus, if it covers a whole monitor (or the screen).
Geometry is not used when a window manager is present: a tiling WM makes every window screen-sized.
Threading contract: one X connection guarded by a lock; ``reason`` may be called from any thread.
"""

from __future__ import annotations

import threading
from typing import Any

from breaker.adapters.x11conn import close_quietly, open_display
from breaker.core.i18n import N_, said


class X11Fullscreen:
    """Answers "is the focused window fullscreen?" for one X display."""

    def __init__(self, display: Any) -> None:
        from Xlib import X

        self._X = X
        self._display = display
        self._root = display.screen().root
        self._lock = threading.Lock()
        atom = display.intern_atom
        self._active = atom("_NET_ACTIVE_WINDOW")
        self._state = atom("_NET_WM_STATE")
        self._fullscreen = atom("_NET_WM_STATE_FULLSCREEN")

    def _saying(self, window: Any) -> str:
        """"a fullscreen window has the focus: <its title>" (without a title when it has none)."""
        try:
            name = window.get_wm_name()
        except Exception:  # noqa: BLE001 - the window may vanish between calls
            name = ""
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        if not name:
            return said(N_("a fullscreen window has the focus"))
        return said(N_("a fullscreen window has the focus: {title}"), title=name)

    def _ewmh_active(self) -> Any | None:
        """The WM's active window, or None when no WM publishes one."""
        prop = self._root.get_full_property(self._active, self._X.AnyPropertyType)
        if prop is None or not len(prop.value) or not prop.value[0]:
            return None
        return self._display.create_resource_object("window", int(prop.value[0]))

    def _top_level(self, window: Any) -> Any | None:
        """The ancestor of ``window`` that is a child of the root (None for the root itself)."""
        while True:
            if window.id == self._root.id:
                return None
            parent = window.query_tree().parent
            if parent is None or parent == 0 or parent.id == self._root.id:
                return window
            window = parent

    def _monitors(self) -> list[tuple[int, int, int, int]]:
        screen = self._display.screen()
        whole = [(0, 0, screen.width_in_pixels, screen.height_in_pixels)]
        try:
            found = self._root.xrandr_get_monitors().monitors
        except Exception:  # noqa: BLE001 - no RandR 1.5: the whole screen is the monitor
            return whole
        return [(m.x, m.y, m.width_in_pixels, m.height_in_pixels) for m in found] or whole

    def _covers_a_monitor(self, window: Any) -> bool:
        geometry = window.get_geometry()
        origin = self._root.translate_coords(window, 0, 0)
        x0, y0 = origin.x, origin.y
        x1, y1 = x0 + geometry.width, y0 + geometry.height
        return any(x0 <= mx and y0 <= my and x1 >= mx + mw and y1 >= my + mh
                   for mx, my, mw, mh in self._monitors())

    def reason(self) -> str | None:
        """A one-line reason when a fullscreen window has the focus, else None."""
        with self._lock:
            active = self._ewmh_active()
            if active is not None:
                state = active.get_full_property(self._state, self._X.AnyPropertyType)
                if state is not None and self._fullscreen in list(state.value):
                    return self._saying(active)
                return None
            focus = self._display.get_input_focus().focus
            if isinstance(focus, int) or focus is None:  # None or PointerRoot
                return None
            top = self._top_level(focus)
            if top is None or top.get_attributes().map_state != self._X.IsViewable:
                return None
            if self._covers_a_monitor(top):
                return self._saying(top)
            return None

    def close(self) -> None:
        with self._lock:
            close_quietly(self._display)


def open_fullscreen(display: str | None = None) -> X11Fullscreen:
    """Open ``display`` (default ``$DISPLAY``); raise Unavailable with the reason."""
    conn, _ = open_display(display)
    return X11Fullscreen(conn)
