"""Wayland: idle and resume events from the compositor (KWin, sway, Hyprland, other wlroots desktops).

Wayland gives no idle counter to read, only notifications: "no input for N ms" and "input again". Two
protocols carry them: ``ext_idle_notifier_v1`` (KWin 5.27+, sway 1.8+, Hyprland) and the older
``org_kde_kwin_idle`` (sway 1.7, older KWin); the first one offered is used. Two timers run on one
connection: a fine one (``resolution_s``) from which ``seconds_idle`` is derived (exact once input has
stopped that long, 0 before; idle time from before the source opened is not known, as every timer
starts at its creation), and the one ``watch`` asks for, which reports "idle" and "active" to the
daemon as they happen.

Threading contract: one thread ("wayland-idle") owns the connection and sleeps in ``select`` on its
socket; ``watch`` and ``close`` hand it work through a pipe, ``seconds_idle`` reads state under a lock,
all three may be called from any thread. ``on_change`` is called from the Wayland thread. When the
compositor goes away the thread logs one line and ends, and ``seconds_idle`` raises Unavailable.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from breaker.adapters.ports import IdleChange, Unavailable

log = logging.getLogger(__name__)

EXT, KDE = "ext_idle_notifier_v1", "org_kde_kwin_idle"


class WaylandIdle:
    """An :class:`~breaker.adapters.ports.IdleWatch` over one Wayland connection."""

    def __init__(self, display: Any, registry: Any, seat: Any, manager: Any, protocol: str, version: int,
                 resolution_s: float = 2.0, mono: Callable[[], float] = time.monotonic) -> None:
        self.protocol, self._version = protocol, version
        self.name = f"wayland ({protocol})"
        self._display, self._registry, self._seat, self._manager = display, registry, seat, manager
        self._resolution = resolution_s
        self._mono = mono
        self._lock = threading.Lock()
        self._idle_since: float | None = None  # the last input, once the fine timer saw it stop
        self._gone: str | None = None  # why the connection ended
        self._pending: tuple[float, IdleChange] | None = None  # a watch for the thread to set up
        self._watch_after = 0.0
        self._on_change: IdleChange | None = None
        self._watch: Any = None
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()
        self._pipe_fds: tuple[int, ...] = (self._wake_r, self._wake_w)
        os.set_blocking(self._wake_w, False)
        self._fine = self._timer(resolution_s, self._fine_idle, self._fine_resumed)
        self._thread = threading.Thread(target=self._run, name="wayland-idle", daemon=True)
        self._thread.start()

    # ---- any thread -----------------------------------------------------------------------------

    def seconds_idle(self) -> float:
        """Seconds since the last input (0 until input has stopped ``resolution_s``); Unavailable once gone."""
        with self._lock:
            if self._gone is not None:
                raise Unavailable(f"wayland: {self._gone}")
            return 0.0 if self._idle_since is None else max(0.0, self._mono() - self._idle_since)

    def watch(self, after_s: float, on_change: IdleChange) -> None:
        """Report "idle" once input has stopped ``after_s`` seconds and "active" at the next input."""
        with self._lock:
            if self._gone is not None or self._closed:
                raise Unavailable(f"wayland: {self._gone or 'closed'}")
            self._pending = (after_s, on_change)
        self._wake()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._thread.is_alive():
            self._wake()
            if self._thread is threading.current_thread():
                return  # called from on_change: the thread ends after this event and closes the pipe
            self._thread.join(timeout=2)
        self._close_pipe()

    def _wake(self) -> None:
        """Wake the Wayland thread (under the lock, so the pipe cannot be closed meanwhile)."""
        with self._lock:
            if self._pipe_fds:
                with contextlib.suppress(BlockingIOError):  # full: the thread is awake anyway
                    os.write(self._wake_w, b"w")

    def _close_pipe(self) -> None:
        with self._lock:
            fds, self._pipe_fds = self._pipe_fds, ()
        for fd in fds:
            os.close(fd)

    # ---- the Wayland thread ---------------------------------------------------------------------

    def _timer(self, after_s: float, on_idle: Callable[..., None], on_resumed: Callable[..., None]) -> Any:
        ms = max(1, round(after_s * 1000))
        if self.protocol == KDE:
            timer = self._manager.get_idle_timeout(self._seat, ms)
            timer.dispatcher["idle"] = on_idle
        elif self._version >= 2:  # counts input only: a playing video does not hide the user
            timer = self._manager.get_input_idle_notification(ms, self._seat)
            timer.dispatcher["idled"] = on_idle
        else:
            timer = self._manager.get_idle_notification(ms, self._seat)
            timer.dispatcher["idled"] = on_idle
        timer.dispatcher["resumed"] = on_resumed
        return timer

    def _fine_idle(self, _proxy: Any) -> None:
        with self._lock:
            self._idle_since = self._mono() - self._resolution

    def _fine_resumed(self, _proxy: Any) -> None:
        with self._lock:
            self._idle_since = None

    def _watch_idle(self, _proxy: Any) -> None:
        if self._on_change is not None:
            self._on_change("idle", max(self._watch_after, self.seconds_idle()))

    def _watch_resumed(self, _proxy: Any) -> None:
        if self._on_change is not None:
            self._on_change("active", 0.0)

    def _set_up_watch(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is None:
            return
        if self._watch is not None:
            _release(self._watch)
        self._watch_after, self._on_change = pending
        self._watch = self._timer(self._watch_after, self._watch_idle, self._watch_resumed)

    def _run(self) -> None:
        display = self._display
        fd = display.get_fd()
        try:
            while not self._closed:
                self._set_up_watch()
                display.dispatch(block=False)
                display.flush()
                ready = select.select([fd, self._wake_r], [], [])[0]
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
                if fd in ready:
                    display.dispatch(block=True)
        except Exception as exc:  # noqa: BLE001 - the compositor closed the socket or sent a protocol error
            with self._lock:
                self._gone = f"the compositor went away ({exc})"
            log.warning("Wayland idle events stopped: the compositor went away (%s)", exc)
        finally:
            for timer in (self._watch, self._fine):
                if timer is not None:
                    _release(timer)
            display.disconnect()
            if self._closed:
                self._close_pipe()


def _release(timer: Any) -> None:
    (timer.release if hasattr(timer, "release") else timer.destroy)()


def open_source(display_name: str | None = None, resolution_s: float = 2.0) -> WaylandIdle:
    """Connect to ``display_name`` (default ``$WAYLAND_DISPLAY``) and bind the first idle protocol offered."""
    name = display_name or os.environ.get("WAYLAND_DISPLAY")
    if not name:
        raise Unavailable("not a Wayland session (WAYLAND_DISPLAY is not set)")
    try:
        from pywayland.client import Display
        from pywayland.protocol.wayland import WlSeat

        from breaker.adapters.idle.wlproto import ExtIdleNotifier, KdeIdle
    except ImportError as exc:
        raise Unavailable(f"pywayland is not installed ({exc}): pip install pywayland") from exc
    display = Display(name)
    try:
        display.connect()
    except ValueError as exc:
        raise Unavailable(f"cannot connect to the Wayland display {name}") from exc
    try:
        registry = display.get_registry()
        offered: dict[str, tuple[int, int]] = {}

        def on_global(_registry: Any, gid: int, iface: str, version: int) -> None:
            offered.setdefault(iface, (gid, version))  # a handler must return None (cffi reads its result)

        registry.dispatcher["global"] = on_global
        display.roundtrip()
        if "wl_seat" not in offered:
            raise Unavailable(f"the Wayland display {name} has no seat")
        protocol = EXT if EXT in offered else KDE if KDE in offered else None
        if protocol is None:
            raise Unavailable(f"the compositor on {name} offers neither {EXT} nor {KDE} (GNOME: use the gnome backend)")
        gid, version = offered[protocol]
        interface = ExtIdleNotifier if protocol == EXT else KdeIdle
        version = min(version, interface.version)
        manager = registry.bind(gid, interface, version)
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        source = WaylandIdle(display, registry, seat, manager, protocol, version, resolution_s)
    except BaseException:
        display.disconnect()
        raise
    return source
