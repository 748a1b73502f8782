"""Windows: ``GetLastInputInfo`` against ``GetTickCount64`` (both milliseconds since boot), via ctypes.

Threading contract: stateless calls into user32/kernel32; safe from any thread.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


def idle_seconds(now_ms: int, last_input_ms: int) -> float:
    """Seconds between the last input and now. ``last_input_ms`` is ``LASTINPUTINFO.dwTime``, the low 32 bits
    of the tick count, so the difference is taken modulo 2**32: it survives the 49.7-day wrap."""
    return ((now_ms - last_input_ms) & 0xFFFFFFFF) / 1000.0


class WindowsIdle:
    """An :class:`~breaker.adapters.ports.IdleSource` over the Win32 last-input tick.

    ``user32``/``kernel32`` are the DLLs (``ctypes.WinDLL``); tests pass stand-ins with the same two calls.
    """

    name = "windows"

    def __init__(self, user32: Any = None, kernel32: Any = None) -> None:
        if user32 is None or kernel32 is None:
            dll = ctypes.WinDLL  # type: ignore[attr-defined]
            user32, kernel32 = user32 or dll("user32"), kernel32 or dll("kernel32")
        self._user32, self._kernel32 = user32, kernel32
        self._kernel32.GetTickCount64.restype = ctypes.c_uint64

    def seconds_idle(self) -> float:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise Unavailable(said(N_("{backend}: {reason}"), backend="windows", reason=said(N_("GetLastInputInfo failed"))))
        return idle_seconds(int(self._kernel32.GetTickCount64()), int(info.dwTime))

    def close(self) -> None:
        pass


def open_source() -> WindowsIdle:
    if sys.platform != "win32":
        raise Unavailable(said(N_("not Windows")))
    source = WindowsIdle()
    source.seconds_idle()
    return source
