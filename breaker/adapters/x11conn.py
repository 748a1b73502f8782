"""Opening an X display for the X11 adapters, with one-line reasons when it cannot be done.

``open_wire``: our own small client (:mod:`breaker.adapters.xwire`), for the idle time, SYNC alarms and the
fullscreen check, so a daemon with a StatusNotifierItem tray never loads python-xlib. ``open_display``:
a python-xlib connection, for the XEmbed tray only (pystray's xorg backend is built on python-xlib).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said

if TYPE_CHECKING:
    from breaker.adapters.xwire import Connection

# the X extensions python-xlib may load on connections opened here (the XEmbed tray calls none of them)
EXTENSIONS = frozenset({"MIT-SCREEN-SAVER", "RANDR"})


def open_wire(display: str | None = None) -> tuple[Connection, str]:
    """Our own X connection to ``display`` (default ``$DISPLAY``) and its name; Unavailable if none."""
    name = display or os.environ.get("DISPLAY")
    if not name:
        raise Unavailable(said(N_("no X display ({name} is not set)"), name="DISPLAY"))
    from breaker.adapters.xwire import Connection

    try:
        return Connection(name), name
    except OSError as exc:  # XConnectionError: no server, refused, gone, silent or malformed
        raise Unavailable(said(N_("cannot open X display {name}: {reason}"), name=name, reason=exc)) from exc


def open_display(display: str | None = None) -> tuple[Any, str]:
    """A python-xlib connection to ``display`` (default ``$DISPLAY``) and its name; Unavailable if none."""
    name = display or os.environ.get("DISPLAY")
    if not name:  # before the import: a Wayland session never loads python-xlib
        raise Unavailable(said(N_("no X display ({name} is not set)"), name="DISPLAY"))
    try:
        lean = _lean_display()
    except ImportError as exc:
        raise Unavailable(said(N_("{package} is not installed"), package="python-xlib")) from exc
    try:
        return lean(name), name
    except Exception as exc:  # noqa: BLE001 - Xlib raises several unrelated error types here
        raise Unavailable(said(N_("cannot open X display {name}: {reason}"), name=name, reason=exc)) from exc


@functools.cache
def _lean_display() -> Any:
    """python-xlib's Display without what no adapter uses: it would import a dozen extension modules
    and read the keyboard map into every connection (~0.3 MB each; the daemon opens three)."""
    from Xlib import display as xdisplay

    class LeanDisplay(xdisplay.Display):  # type: ignore[misc]
        def _update_keymap(self, first_keycode: int, count: int) -> None:
            pass  # keycodes are never turned into keysyms here

        def list_extensions(self) -> list[str]:
            return [ext for ext in super().list_extensions() if ext in EXTENSIONS]

    return LeanDisplay


def close_quietly(display: Any) -> None:
    """Close a connection that may already be broken."""
    try:
        display.close()
    except Exception:  # noqa: BLE001 - closing a broken connection is best effort
        pass
