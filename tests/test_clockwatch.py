"""ClockWatch: the kernel tells the watch when the wall clock is set; nothing wakes it otherwise.

Setting the wall clock needs CAP_SYS_TIME. The test sets it to the time it reads (a step of
microseconds, harmless to anything else on the machine): the kernel treats that as any other set.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time

import pytest

from breaker.adapters.clockwatch import ClockWatch, drain, open_step_fd


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def set_clock_to_now() -> bool:
    """clock_settime(CLOCK_REALTIME, now): True when allowed."""
    libc = ctypes.CDLL(None, use_errno=True)
    now = _Timespec()
    libc.clock_gettime(0, ctypes.byref(now))
    return libc.clock_settime(0, ctypes.byref(now)) == 0


def may_set_clock() -> bool:
    return sys.platform == "linux" and set_clock_to_now()


needs_linux = pytest.mark.skipif(sys.platform != "linux" and os.environ.get("CI") != "true", reason="timerfd is Linux only")


@needs_linux
def test_the_step_fd_is_quiet_until_the_clock_is_set() -> None:
    fd = open_step_fd()
    assert fd is not None
    try:
        os.set_blocking(fd, False)
        assert drain(fd) is False  # nothing set since it was armed
        if not may_set_clock():
            pytest.skip("clock_settime refused here (no CAP_SYS_TIME)")
        assert drain(fd) is True  # ECANCELED: the clock was set
        assert drain(fd) is False  # told once per set
    finally:
        os.close(fd)


@needs_linux
def test_the_watch_calls_back_on_each_set_and_stops() -> None:
    calls: list[float] = []
    called = threading.Event()

    def on_set() -> None:
        calls.append(time.monotonic())
        called.set()

    watch = ClockWatch(on_set)
    assert watch.start() is True
    try:
        time.sleep(0.2)
        assert calls == []  # armed, nothing set: the thread sleeps
        if not set_clock_to_now():
            pytest.skip("clock_settime refused here (no CAP_SYS_TIME)")
        assert called.wait(10)
        called.clear()
        assert set_clock_to_now()
        assert called.wait(10)
        assert len(calls) == 2
    finally:
        watch.stop()
    thread_names = {t.name for t in threading.enumerate()}
    assert "breaker-clock" not in thread_names
    watch.stop()  # idempotent


def test_a_failing_handler_does_not_end_the_watch() -> None:
    if sys.platform != "linux":
        pytest.skip("timerfd is Linux only")
    seen = threading.Event()
    count = [0]

    def on_set() -> None:
        count[0] += 1
        if count[0] == 1:
            raise RuntimeError("boom")
        seen.set()

    watch = ClockWatch(on_set)
    assert watch.start()
    try:
        if not set_clock_to_now():
            pytest.skip("clock_settime refused here (no CAP_SYS_TIME)")
        time.sleep(0.5)
        assert set_clock_to_now()
        assert seen.wait(10)
    finally:
        watch.stop()


def test_without_timerfd_start_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import breaker.adapters.clockwatch as cw

    monkeypatch.setattr(cw, "_libc", lambda: None)
    watch = ClockWatch(lambda: None)
    assert watch.start() is False
    watch.stop()  # nothing to stop
