"""macOS: CoreGraphics ``CGEventSourceSecondsSinceLastEventType`` for any input event, via ctypes.

Threading contract: stateless calls into CoreGraphics; safe from any thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said

_COMBINED_SESSION_STATE = 0  # kCGEventSourceStateCombinedSessionState
_ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType


class MacIdle:
    """An :class:`~breaker.adapters.ports.IdleSource` over the HID event source of the login session."""

    name = "macos"

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._fn = lib.CGEventSourceSecondsSinceLastEventType
        self._fn.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        self._fn.restype = ctypes.c_double

    def seconds_idle(self) -> float:
        return max(0.0, float(self._fn(_COMBINED_SESSION_STATE, _ANY_INPUT_EVENT)))

    def close(self) -> None:
        pass


def open_source() -> MacIdle:
    if sys.platform != "darwin":
        raise Unavailable(said(N_("not macOS")))
    path = ctypes.util.find_library("CoreGraphics") or (
        "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
    try:
        source = MacIdle(ctypes.CDLL(path))
    except (OSError, AttributeError) as exc:
        raise Unavailable(said(N_("CoreGraphics unavailable: {reason}"), reason=exc)) from exc
    source.seconds_idle()
    return source
