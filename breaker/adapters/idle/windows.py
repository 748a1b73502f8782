"""Windows: ``GetLastInputInfo`` against ``GetTickCount64`` (both milliseconds since boot), via ctypes.

Threading contract: stateless calls into user32/kernel32; safe from any thread.
"""

from __future__ import annotations

import ctypes
import sys

from breaker.adapters.ports import Unavailable


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


class WindowsIdle:
    """An :class:`~breaker.adapters.ports.IdleSource` over the Win32 last-input tick."""

    name = "windows"

    def __init__(self) -> None:
        dll = ctypes.WinDLL  # type: ignore[attr-defined]
        self._user32 = dll("user32")
        self._kernel32 = dll("kernel32")
        self._kernel32.GetTickCount64.restype = ctypes.c_uint64

    def seconds_idle(self) -> float:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise Unavailable("windows: GetLastInputInfo failed")
        now = self._kernel32.GetTickCount64()
        # dwTime is the low 32 bits of the tick count: compare modulo 2**32 so it survives 49.7-day wraps.
        return ((now - info.dwTime) & 0xFFFFFFFF) / 1000.0

    def close(self) -> None:
        pass


def open_source() -> WindowsIdle:
    if sys.platform != "win32":
        raise Unavailable("not Windows")
    source = WindowsIdle()
    source.seconds_idle()
    return source
