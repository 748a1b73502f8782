"""Told when the wall clock is set: a step back or forward, an NTP step, a resume from suspend (Linux).

A timerfd on CLOCK_REALTIME armed far in the future with ``TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET``
never expires; the kernel makes it readable (and ``read`` fail with ECANCELED) exactly when the wall clock
is set, and when the machine resumes from suspend. A thread blocked on it never wakes otherwise, so the
scheduler need not wake every minute to look at the clock. Python has ``os.timerfd_create`` only from 3.13:
before that, libc's ``timerfd_create``/``timerfd_settime`` through ctypes. Where neither exists (not Linux)
``ClockWatch.start`` returns False and the caller keeps its periodic look at the clock.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

CLOCK_REALTIME = 0
TFD_CLOEXEC = 0o2000000
TFD_TIMER_ABSTIME = 1
TFD_TIMER_CANCEL_ON_SET = 2


def _libc() -> Any:
    """libc with timerfd, or None. ctypes is imported here, after the icon docked (start-up time)."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.timerfd_create, libc.timerfd_settime  # noqa: B018 - AttributeError where they are missing
    except (OSError, AttributeError):
        return None
    return libc


def open_step_fd() -> int | None:
    """A timerfd that becomes readable when the wall clock is set; None where that is not possible."""
    libc = _libc()
    if libc is None:
        return None
    import ctypes

    class Timespec(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

    class Itimerspec(ctypes.Structure):
        _fields_ = [("it_interval", Timespec), ("it_value", Timespec)]

    fd = libc.timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC)
    if fd < 0:
        return None
    far_away = 2 ** (8 * ctypes.sizeof(ctypes.c_long) - 1) - 1  # never (the kernel clamps it)
    spec = Itimerspec(Timespec(0, 0), Timespec(far_away, 0))
    if libc.timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, ctypes.byref(spec), None) < 0:
        log.info("timerfd_settime failed (%s); looking at the clock every minute", os.strerror(ctypes.get_errno()))
        os.close(fd)
        return None
    return fd


def drain(fd: int) -> bool:
    """Read the timerfd after it became readable: True when the wall clock was set (ECANCELED)."""
    try:
        os.read(fd, 8)
    except OSError as e:
        if e.errno == errno.ECANCELED:
            return True
        if e.errno == errno.EAGAIN:
            return False
        raise
    return False  # the timer itself expired (in 2038): nothing was set


class ClockWatch:
    """Calls ``on_set`` (on its own thread, ``breaker-clock``) each time the wall clock is set."""

    def __init__(self, on_set: Callable[[], None]) -> None:
        self.on_set = on_set
        self._fd: int | None = None
        self._stop_r, self._stop_w = -1, -1
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start watching; False where the OS cannot tell (the caller then polls the clock)."""
        self._fd = open_step_fd()
        if self._fd is None:
            return False
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="breaker-clock", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        """End the thread and close the descriptors (idempotent)."""
        if self._thread is None:
            return
        os.write(self._stop_w, b"x")
        self._thread.join(timeout=5)
        for fd in (self._fd, self._stop_r, self._stop_w):
            if fd is not None:
                os.close(fd)
        self._thread, self._fd = None, None

    def _run(self) -> None:
        assert self._fd is not None
        while True:
            ready, _, _ = select.select([self._fd, self._stop_r], [], [])
            if self._stop_r in ready:
                return
            try:
                stepped = drain(self._fd)
            except OSError as e:
                log.warning("the clock watch stopped (%s); steps of the wall clock go unnoticed", e)
                return
            if stepped:
                try:
                    self.on_set()
                except Exception:  # the watch must outlive a failing handler
                    log.exception("handling a wall clock change failed")
