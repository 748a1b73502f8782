"""Map a Tk window with or without the keyboard focus.

The guided break opens because the user chose Start: keys typed next (Space, Esc, the number keys) must reach
the break rather than the document behind it, so it is mapped, raised and asks for the focus itself (repeated
once the window manager has had time to map it; this also works without a window manager).

breaker's own prompt window appears while the user types: it is mapped with ``_NET_WM_USER_TIME = 0``, which
tells EWMH window managers (Mutter, KWin, Xfwm, Openbox ...) not to focus it; a click still focuses it.
Windows and macOS do not hand focus to a newly shown background-process window.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def map_with_focus(root: Any) -> None:
    """Show the withdrawn Tk ``root``, raised, with the keyboard focus."""
    root.deiconify()
    root.lift()
    root.update_idletasks()
    root.focus_force()
    root.after(150, root.focus_force)


def map_without_focus(root: Any) -> None:
    """Show the withdrawn Tk ``root`` without asking for keyboard focus."""
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY") and root.tk.call("tk", "windowingsystem") == "x11":
        root.update_idletasks()
        try:
            _zero_user_time(int(root.wm_frame(), 16))
        except Exception:  # noqa: BLE001 - best effort: without the hint the window still works
            pass
    root.deiconify()


def _zero_user_time(window_id: int) -> None:
    from Xlib import X, Xatom, display

    conn = display.Display()
    try:
        window = conn.create_resource_object("window", window_id)
        window.change_property(conn.intern_atom("_NET_WM_USER_TIME"), Xatom.CARDINAL, 32, [0], X.PropModeReplace)
        conn.sync()  # a round trip: the server has done it before the window maps (a close after a flush may drop it)
    finally:
        conn.close()
