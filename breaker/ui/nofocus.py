"""Open a Tk window without taking the keyboard from what the user is typing into.

On X11 a window whose ``_NET_WM_USER_TIME`` is 0 when it is mapped is not given focus by EWMH window
managers (Mutter, KWin, Xfwm, Openbox ...); it still takes focus as soon as the user clicks it. Elsewhere
this does nothing: Windows and macOS do not hand focus to a newly shown background-process window.
"""

from __future__ import annotations

import os
import sys
from typing import Any


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
        conn.flush()
    finally:
        conn.close()
