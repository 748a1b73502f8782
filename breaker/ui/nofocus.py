"""Map a Tk window so it has the keyboard: the guided break opens because the user chose Start, and keys
typed next (Space, Esc, the number keys) must reach the break rather than the document behind it.

The window is mapped without the ``_NET_WM_USER_TIME = 0`` hint that tells EWMH window managers not to
focus it, raised, and then asks for the focus itself (which also works without a window manager); the
request is repeated once the window manager has had time to map it.
"""

from __future__ import annotations

from typing import Any


def map_with_focus(root: Any) -> None:
    """Show the withdrawn Tk ``root``, raised, with the keyboard focus."""
    root.deiconify()
    root.lift()
    root.update_idletasks()
    root.focus_force()
    root.after(150, root.focus_force)
