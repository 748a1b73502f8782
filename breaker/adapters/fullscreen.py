"""X11: does a fullscreen window have the focus? (presentations, video calls, games)

With a window manager (EWMH): the window named by the root's ``_NET_ACTIVE_WINDOW`` whose
``_NET_WM_STATE`` holds ``_NET_WM_STATE_FULLSCREEN``. Without one (no ``_NET_ACTIVE_WINDOW``): the
top-level window holding the input focus, if it covers a whole monitor (or the screen).
Geometry is not used when a window manager is present: a tiling WM makes every window screen-sized.
Spoken with our own X client (:mod:`breaker.adapters.xwire`): seven core requests and RandR's GetMonitors.
Threading contract: one X connection guarded by a lock; ``reason`` may be called from any thread.
"""

from __future__ import annotations

import struct
import threading

from breaker.adapters.ports import Unavailable
from breaker.adapters.x11conn import close_quietly, open_wire
from breaker.adapters.xwire import Connection, XError, unpack
from breaker.core.i18n import N_, said

GET_WINDOW_ATTRIBUTES, GET_GEOMETRY, QUERY_TREE, TRANSLATE_COORDINATES, GET_INPUT_FOCUS = 3, 14, 15, 40, 43
WM_NAME, STRING = 39, 31  # predefined atoms
IS_VIEWABLE = 2
RR_QUERY_VERSION, RR_GET_MONITORS = 0, 42


class X11Fullscreen:
    """Answers "is the focused window fullscreen?" for one X display."""

    def __init__(self, display: Connection) -> None:
        self._display = display
        self._root = display.root
        self._lock = threading.Lock()
        self._randr: int | None = -1  # RandR's opcode once asked (None: the server lacks it)
        atom = display.intern_atom
        self._active = atom("_NET_ACTIVE_WINDOW")
        self._state = atom("_NET_WM_STATE")
        self._fullscreen = atom("_NET_WM_STATE_FULLSCREEN")

    def _saying(self, window: int) -> str:
        """"a fullscreen window has the focus: <its title>" (without a title when it has none)."""
        try:
            prop = self._display.get_property(window, WM_NAME)
        except OSError:  # the window may vanish between calls
            prop = None
        name = ""
        if prop is not None and prop[1] == 8:
            name = prop[2].decode("latin-1" if prop[0] == STRING else "utf-8", "replace")
        if not name:
            return said(N_("a fullscreen window has the focus"))
        return said(N_("a fullscreen window has the focus: {title}"), title=name)

    def _longs(self, window: int, prop: int) -> list[int]:
        """A format-32 property's values ([] when absent)."""
        found = self._display.get_property(window, prop)
        if found is None or found[1] != 32:
            return []
        return list(struct.unpack(f"<{len(found[2]) // 4}I", found[2]))

    def _ewmh_active(self) -> int | None:
        """The WM's active window, or None when no WM publishes one."""
        value = self._longs(self._root, self._active)
        return value[0] if value and value[0] else None

    def _top_level(self, window: int) -> int | None:
        """The ancestor of ``window`` that is a child of the root (None for the root itself)."""
        while True:
            if window == self._root:
                return None
            reply = self._display.request(QUERY_TREE, 0, struct.pack("<I", window))
            parent = unpack("<I", reply, 12)[0]
            if parent in (0, self._root):
                return window
            window = parent

    def _monitors(self) -> list[tuple[int, int, int, int]]:
        screen = self._display.screen
        whole = [(0, 0, screen.width, screen.height)]
        try:
            opcode = self._randr_opcode()
            if opcode is None:
                return whole
            reply = self._display.request(opcode, RR_GET_MONITORS, struct.pack("<IB3x", self._root, 1))
        except XError:  # no RandR 1.5: the whole screen is the monitor
            return whole
        (count,) = unpack("<I", reply, 12)
        found, offset = [], 32
        for _ in range(count):
            outputs, x, y, width, height = unpack("<6xHhhHH", reply, offset)
            found.append((x, y, width, height))
            offset += 24 + 4 * outputs
        return found or whole

    def _randr_opcode(self) -> int | None:
        if self._randr == -1:
            info = self._display.extension("RANDR")
            self._randr = None if info is None else info[0]
            if info is not None:  # a client says which version it speaks before anything else
                self._display.request(info[0], RR_QUERY_VERSION, struct.pack("<II", 1, 5))
        return self._randr

    def _covers_a_monitor(self, window: int) -> bool:
        geometry = self._display.request(GET_GEOMETRY, 0, struct.pack("<I", window))
        width, height = unpack("<HH", geometry, 16)
        origin = self._display.request(TRANSLATE_COORDINATES, 0, struct.pack("<IIhh", window, self._root, 0, 0))
        x0, y0 = unpack("<hh", origin, 12)
        x1, y1 = x0 + width, y0 + height
        return any(x0 <= mx and y0 <= my and x1 >= mx + mw and y1 >= my + mh
                   for mx, my, mw, mh in self._monitors())

    def reason(self) -> str | None:
        """A one-line reason when a fullscreen window has the focus, else None."""
        with self._lock:
            active = self._ewmh_active()
            if active is not None:
                if self._fullscreen in self._longs(active, self._state):
                    return self._saying(active)
                return None
            (focus,) = unpack("<I", self._display.request(GET_INPUT_FOCUS), 8)
            if focus in (0, 1):  # None or PointerRoot
                return None
            top = self._top_level(focus)
            if top is None:
                return None
            attributes = self._display.request(GET_WINDOW_ATTRIBUTES, 0, struct.pack("<I", top))
            if unpack("<B", attributes, 26)[0] != IS_VIEWABLE:
                return None
            if self._covers_a_monitor(top):
                return self._saying(top)
            return None

    def close(self) -> None:
        with self._lock:
            close_quietly(self._display)


def open_fullscreen(display: str | None = None) -> X11Fullscreen:
    """Open ``display`` (default ``$DISPLAY``); raise Unavailable with the reason."""
    conn, name = open_wire(display)
    try:
        return X11Fullscreen(conn)
    except OSError as exc:
        conn.close()
        raise Unavailable(said(N_("cannot open X display {name}: {reason}"), name=name, reason=exc)) from exc
