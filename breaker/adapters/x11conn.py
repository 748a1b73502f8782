"""Opening an X display for the X11 adapters, with one-line reasons when it cannot be done."""

from __future__ import annotations

import os
from typing import Any

from breaker.adapters.ports import Unavailable


def open_display(display: str | None = None) -> tuple[Any, str]:
    """A python-xlib connection to ``display`` (default ``$DISPLAY``) and its name; Unavailable if none."""
    name = display or os.environ.get("DISPLAY")
    if not name:  # before the import: a Wayland session never loads python-xlib
        raise Unavailable("no X display (DISPLAY is not set)")
    try:
        from Xlib import display as xdisplay
    except ImportError as exc:
        raise Unavailable("python-xlib is not installed") from exc
    try:
        return xdisplay.Display(name), name
    except Exception as exc:  # noqa: BLE001 - Xlib raises several unrelated error types here
        raise Unavailable(f"cannot open X display {name}: {exc}") from exc


def close_quietly(display: Any) -> None:
    """Close a connection that may already be broken."""
    try:
        display.close()
    except Exception:  # noqa: BLE001 - closing a broken connection is best effort
        pass
