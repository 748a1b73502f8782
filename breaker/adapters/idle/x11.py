"""X11: the MIT-SCREEN-SAVER extension's idle counter (milliseconds since the last input), via python-xlib.

Threading contract: one X connection per source, guarded by a lock, so ``seconds_idle`` may be called
from any thread. Under XWayland the counter sees only input to X clients: the chooser skips it there.
"""

from __future__ import annotations

import threading
from typing import Any

from breaker.adapters.ports import Unavailable
from breaker.adapters.x11conn import close_quietly, open_display


class X11Idle:
    """An :class:`~breaker.adapters.ports.IdleSource` over one X display connection."""

    name = "x11"

    def __init__(self, display: Any) -> None:
        self._display = display
        self._root = display.screen().root
        self._lock = threading.Lock()

    def seconds_idle(self) -> float:
        """Seconds since the last keyboard/mouse input on this display; raises Unavailable if X went away."""
        with self._lock:
            try:
                return self._root.screensaver_query_info().idle / 1000.0
            except Exception as exc:  # noqa: BLE001 - a dead connection raises assorted Xlib errors
                raise Unavailable(f"x11: {exc or type(exc).__name__}") from exc

    def close(self) -> None:
        with self._lock:
            close_quietly(self._display)


def open_source(display: str | None = None) -> X11Idle:
    """Open ``display`` (default ``$DISPLAY``) and check the extension answers."""
    conn, name = open_display(display)
    if not conn.has_extension("MIT-SCREEN-SAVER"):
        conn.close()
        raise Unavailable(f"X display {name} has no MIT-SCREEN-SAVER extension")
    source = X11Idle(conn)
    try:
        source.seconds_idle()
    except Unavailable:
        source.close()
        raise
    return source
