"""Wayland: idle and resume events from the compositor (KWin, sway, Hyprland, other wlroots desktops).

Wayland gives no idle counter to read, only notifications: "no input for N ms" and "input again". Two
protocols carry them: ``ext_idle_notifier_v1`` (KWin 5.27+, sway 1.8+, Hyprland) and the older
``org_kde_kwin_idle`` (sway 1.7, older KWin); the first one offered is used (``wlproto``). Two timers run
on one connection: a fine one (``resolution_s``) from which ``seconds_idle`` is derived (exact once input
has stopped that long, 0 before; idle time from before the source opened is not known, as every timer
starts at its creation), and the one ``watch`` asks for, which reports "idle" and "active" as they happen.

Threading contract: one thread ("wayland-idle") owns the connection and sleeps in ``select`` on its
socket; ``watch`` and ``close`` hand it work through a pipe, ``seconds_idle`` reads state under a lock,
all three may be called from any thread. ``on_change`` is called from the Wayland thread. When the
compositor goes away the thread logs one line and ``seconds_idle`` raises Unavailable; for
``reconnect_s`` it tries the same display again (KWin's wrapper restarts a crashed KWin on the same
socket) and carries on with fresh timers if one answers.
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
from breaker.core.i18n import N_, said

log = logging.getLogger(__name__)


class WaylandIdle:
    """An :class:`~breaker.adapters.ports.IdleWatch` over one Wayland connection (renewed after a restart)."""

    def __init__(self, display_name: str, conn: Any, resolution_s: float = 2.0, reconnect_s: float = 30.0,
                 mono: Callable[[], float] = time.monotonic) -> None:
        self.name = f"wayland ({conn.protocol})"
        self._display_name, self._conn = display_name, conn
        self._resolution, self._reconnect_s, self._mono = resolution_s, reconnect_s, mono
        self._lock = threading.Lock()
        self._idle_since: float | None = None  # the last input, once the fine timer saw it stop
        self._gone: str | None = None  # why the connection ended
        self._pending: tuple[float, IdleChange] | None = None  # a watch for the thread to set up
        self._watch_after = 0.0
        self._on_change: IdleChange | None = None
        self._timers: dict[str, Any] = {}
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()
        self._pipe_fds: tuple[int, ...] = (self._wake_r, self._wake_w)
        os.set_blocking(self._wake_w, False)
        self._start_timers()
        self._thread = threading.Thread(target=self._run, name="wayland-idle", daemon=True)
        self._thread.start()

    # ---- any thread -----------------------------------------------------------------------------

    def seconds_idle(self) -> float:
        """Seconds since the last input (0 until input has stopped ``resolution_s``); Unavailable while gone."""
        with self._lock:
            if self._gone is not None:
                raise Unavailable(said(N_("{backend}: {reason}"), backend="wayland", reason=self._gone))
            return 0.0 if self._idle_since is None else max(0.0, self._mono() - self._idle_since)

    def watch(self, after_s: float, on_change: IdleChange) -> None:
        """Report "idle" once input has stopped ``after_s`` seconds and "active" at the next input."""
        with self._lock:
            if self._closed or (self._gone is not None and not self._thread.is_alive()):
                raise Unavailable(said(N_("{backend}: {reason}"), backend="wayland", reason=self._gone or said(N_("closed"))))
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
        ms, conn = max(1, round(after_s * 1000)), self._conn
        if conn.protocol == "org_kde_kwin_idle":
            timer = conn.manager.get_idle_timeout(conn.seat, ms)
            timer.dispatcher["idle"] = on_idle
        elif conn.version >= 2:  # counts input only: a playing video does not hide the user
            timer = conn.manager.get_input_idle_notification(ms, conn.seat)
            timer.dispatcher["idled"] = on_idle
        else:
            timer = conn.manager.get_idle_notification(ms, conn.seat)
            timer.dispatcher["idled"] = on_idle
        timer.dispatcher["resumed"] = on_resumed
        return timer

    def _start_timers(self) -> None:
        """The fine timer, and the watch if one was asked for (at start and after a reconnect)."""
        self._timers = {"fine": self._timer(self._resolution, self._fine_idle, self._fine_resumed)}
        if self._on_change is not None:
            self._timers["watch"] = self._timer(self._watch_after, self._watch_idle, self._watch_resumed)

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
        if "watch" in self._timers:
            _release(self._timers.pop("watch"))
        self._watch_after, self._on_change = pending
        self._timers["watch"] = self._timer(self._watch_after, self._watch_idle, self._watch_resumed)

    def _serve(self) -> None:
        """Dispatch events until closed; raises when the connection breaks."""
        display = self._conn.display
        fd = display.get_fd()
        while not self._closed:
            self._set_up_watch()
            display.dispatch(block=False)
            display.flush()
            ready = select.select([fd, self._wake_r], [], [])[0]
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            if fd in ready:
                display.dispatch(block=True)

    def _reconnect(self) -> bool:
        """Try the same display once a second for ``reconnect_s``; True once a compositor answers."""
        from breaker.adapters.idle.wlproto import connect

        deadline = self._mono() + self._reconnect_s
        while not self._closed and self._mono() < deadline:
            if select.select([self._wake_r], [], [], 1.0)[0]:
                os.read(self._wake_r, 4096)
            try:
                self._conn = connect(self._display_name)
            except Unavailable:
                continue
            self._start_timers()
            with self._lock:
                self._gone, self._idle_since = None, None
            log.info("Wayland idle events back: a compositor answers on %s again", self._display_name)
            return True
        return False

    def _run(self) -> None:
        try:
            while True:
                try:
                    self._serve()
                    return
                except Exception as exc:  # noqa: BLE001 - the compositor closed the socket or sent a protocol error
                    with self._lock:
                        self._gone = f"the compositor went away ({exc})"
                    log.warning("Wayland idle events stopped: the compositor went away (%s)", exc)
                    self._disconnect()
                    if not self._reconnect():
                        return
        finally:
            if self._gone is None:
                self._disconnect()
            if self._closed:
                self._close_pipe()

    def _disconnect(self) -> None:
        for timer in self._timers.values():
            _release(timer)
        self._timers = {}
        self._conn.display.disconnect()


def _release(timer: Any) -> None:
    (timer.release if hasattr(timer, "release") else timer.destroy)()


def open_source(display_name: str | None = None, resolution_s: float = 2.0, reconnect_s: float = 30.0) -> WaylandIdle:
    """Connect to ``display_name`` (default ``$WAYLAND_DISPLAY``) and bind the first idle protocol offered."""
    name = display_name or os.environ.get("WAYLAND_DISPLAY")
    if not name:
        raise Unavailable(said(N_("not a Wayland session ({name} is not set)"), name="WAYLAND_DISPLAY"))
    try:
        from breaker.adapters.idle.wlproto import connect
    except ImportError as exc:
        raise Unavailable(said(N_("pywayland is not installed ({reason}): pip install pywayland"), reason=exc)) from exc
    conn = connect(name)
    try:
        return WaylandIdle(name, conn, resolution_s, reconnect_s)
    except BaseException:
        conn.display.disconnect()
        raise
