"""X11: the idle counter (milliseconds since the last input), with event-driven changes, on our own X client.

``seconds_idle`` asks the MIT-SCREEN-SAVER extension. ``watch`` sets an alarm on the SYNC extension's
``IDLETIME`` counter (as KIdleTime does): the server sends one event when the idle time reaches
``after_s`` and one at the next input, so the watch thread sleeps in ``select`` and never polls. The
watch has an X connection of its own, so a reading's reply never wakes the watch thread.
Threading contract: each connection is guarded by a lock, so ``seconds_idle`` may be called from any
thread; ``on_change`` is called from the watch thread. Under XWayland the counter sees only
input to X clients: the chooser skips it there. The connections are :mod:`breaker.adapters.xwire`'s:
the daemon never loads python-xlib for this.
"""

from __future__ import annotations

import logging
import math
import os
import select
import struct
import threading
from typing import TYPE_CHECKING

from breaker.adapters.ports import IdleChange, Unavailable
from breaker.adapters.x11conn import close_quietly, open_wire
from breaker.core.i18n import N_, said

if TYPE_CHECKING:
    from breaker.adapters.idle.xsync import IdleCounter
    from breaker.adapters.xwire import Connection

log = logging.getLogger(__name__)


class X11Idle:
    """An :class:`~breaker.adapters.ports.IdleWatch` over one X display connection."""

    name = "x11"

    def __init__(self, display: Connection, name: str | None = None) -> None:
        self._reader, self._name = display, name
        self._saver = screen_saver(display)
        self._read_lock = threading.Lock()
        self._display: Connection | None = None  # the watch's own connection
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._sync: IdleCounter | None = None
        self._alarm: int | None = None
        self._waiting_for = "idle"  # the change the armed alarm reports
        self._after_ms = 0
        self._on_change: IdleChange | None = None
        self.watch_alive = True  # False once the watch thread has stopped: the daemon polls instead

    def seconds_idle(self) -> float:
        """Seconds since the last keyboard/mouse input on this display; raises Unavailable if X went away."""
        with self._read_lock:
            try:
                return screen_saver_idle_ms(self._reader, self._saver) / 1000.0
            except OSError as exc:  # XConnectionError or XError: X went away
                raise Unavailable(said(N_("{backend}: {reason}"), backend="x11", reason=exc or type(exc).__name__)) from exc

    def watch(self, after_s: float, on_change: IdleChange) -> None:
        """Report "idle" once input has stopped ``after_s`` seconds and "active" at the next input."""
        from breaker.adapters.idle.xsync import POSITIVE_COMPARISON, IdleCounter

        with self._lock:
            try:
                if self._display is None:
                    self._display = open_wire(self._name)[0]
                if self._sync is None:
                    self._sync = IdleCounter(self._display)
                self._after_ms, self._on_change = max(1, math.ceil(after_s * 1000)), on_change
                self._waiting_for = "idle"
                self._alarm = self._sync.set_alarm(self._alarm, POSITIVE_COMPARISON, self._after_ms)
            except (OSError, LookupError, Unavailable) as exc:  # no SYNC, or X went away
                raise Unavailable(said(N_("x11 idle events: {reason}"), reason=exc)) from exc
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="x11-idle", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._display is not None
        display = self._display
        fd = display.fileno()
        while not self._closed:
            select.select([fd, self._wake_r], [], [], 0 if display.queued else None)
            if self._closed:
                return
            try:
                changes = self._drain()
            except OSError as exc:  # the X server went away: the daemon's ticks go on
                log.warning("x11 idle events stopped: %s", exc)
                self.watch_alive = False
                return
            for kind, idle_s in changes:
                if self._on_change is not None:
                    self._on_change(kind, idle_s)

    def _drain(self) -> list[tuple[str, float]]:
        """Read every queued event; re-arm the alarm for the opposite change after each one it sent."""
        from breaker.adapters.idle.xsync import NEGATIVE_COMPARISON, POSITIVE_COMPARISON

        changes: list[tuple[str, float]] = []
        with self._lock:
            if select.select([self._wake_r], [], [], 0)[0]:
                os.read(self._wake_r, 64)
            assert self._display is not None and self._sync is not None
            for event in self._display.poll_events():
                notify = self._sync.alarm_notify(event)
                if notify is None or notify.alarm != self._alarm:
                    continue
                idle_ms = notify.counter_ms
                changes.append((self._waiting_for, idle_ms / 1000.0))
                if self._waiting_for == "idle":  # now wait for the counter to drop back: input
                    self._waiting_for = "active"
                    self._sync.set_alarm(self._alarm, NEGATIVE_COMPARISON, idle_ms - 1)
                else:
                    self._waiting_for = "idle"
                    self._sync.set_alarm(self._alarm, POSITIVE_COMPARISON, self._after_ms)
        return changes

    def close(self) -> None:
        self._closed = True
        os.write(self._wake_w, b"q")
        if self._thread is not None:
            self._thread.join(timeout=2)
        with self._lock:
            if self._display is not None:
                close_quietly(self._display)
        with self._read_lock:
            close_quietly(self._reader)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)


def open_source(display: str | None = None) -> X11Idle:
    """Open ``display`` (default ``$DISPLAY``) and check the extension answers."""
    conn, name = open_wire(display)
    try:
        missing = screen_saver(conn) is None
    except OSError as exc:
        conn.close()
        raise Unavailable(said(N_("cannot open X display {name}: {reason}"), name=name, reason=exc)) from exc
    if missing:
        conn.close()
        raise Unavailable(said(N_("X display {name} has no {extension} extension"), name=name, extension="MIT-SCREEN-SAVER"))
    source = X11Idle(conn, name)
    try:
        source.seconds_idle()
    except Unavailable:
        source.close()
        raise
    return source


def screen_saver(display: Connection) -> int | None:
    """The MIT-SCREEN-SAVER extension's major opcode, None if the server lacks it."""
    info = display.extension("MIT-SCREEN-SAVER")
    return None if info is None else info[0]


def screen_saver_idle_ms(display: Connection, opcode: int | None) -> int:
    """MIT-SCREEN-SAVER QueryInfo's ``ms-since-user-input`` for the root window."""
    from breaker.adapters.xwire import XConnectionError, unpack

    if opcode is None:
        raise XConnectionError("the X server has no MIT-SCREEN-SAVER extension")
    reply = display.request(opcode, 1, struct.pack("<I", display.root))  # QueryInfo
    return int(unpack("<I", reply, 16)[0])
