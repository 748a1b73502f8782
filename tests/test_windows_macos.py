"""The Windows and macOS paths, tested on Linux where they can be: the pure parts, and each adapter with
its OS call injected. What only a real Windows or macOS machine can show is listed in docs/install.md
("What is verified where"); these tests keep the code around those calls honest meanwhile."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import pytest

from breaker.adapters.idle import candidates, open_one
from breaker.adapters.idle.macos import MacIdle
from breaker.adapters.idle.windows import WindowsIdle, idle_seconds
from breaker.adapters.ports import Unavailable
from breaker.autostart import launch_command

WRAP = 2**32


class FakeUser32:
    """``GetLastInputInfo`` filling in the structure it is handed, as user32 does."""

    def __init__(self, last_input_ms: int, ok: bool = True) -> None:
        self.last_input_ms, self.ok = last_input_ms, ok
        self.sizes: list[int] = []

    def GetLastInputInfo(self, pointer: Any) -> int:  # noqa: N802 - the Win32 name
        info = pointer._obj
        self.sizes.append(info.cbSize)
        info.dwTime = self.last_input_ms & 0xFFFFFFFF
        return 1 if self.ok else 0


class FakeKernel32:
    """``GetTickCount64`` as a plain function (the adapter sets its ``restype``, as on a ctypes function)."""

    def __init__(self, now_ms: int) -> None:
        def tick() -> int:
            return now_ms
        self.GetTickCount64 = tick


def test_windows_idle_is_the_tick_difference_in_seconds() -> None:
    user32 = FakeUser32(last_input_ms=1_000_000)
    source = WindowsIdle(user32, FakeKernel32(now_ms=1_012_500))
    assert source.seconds_idle() == 12.5
    assert user32.sizes == [ctypes.sizeof(ctypes.c_uint) * 2]  # cbSize set, as the API demands


def test_windows_idle_survives_the_49_day_wrap_of_the_32_bit_input_tick() -> None:
    now = 50 * 86400 * 1000  # 50 days of uptime: GetTickCount64 went past 2**32 ms, dwTime wrapped
    last = now - 3_000
    assert last > WRAP and (last & 0xFFFFFFFF) < WRAP
    assert WindowsIdle(FakeUser32(last), FakeKernel32(now)).seconds_idle() == 3.0
    assert idle_seconds(WRAP + 500, WRAP - 1_500) == 2.0  # the input came just before the wrap


def test_windows_failed_call_is_unavailable_not_a_crash() -> None:
    with pytest.raises(Unavailable, match="GetLastInputInfo failed"):
        WindowsIdle(FakeUser32(0, ok=False), FakeKernel32(10)).seconds_idle()


def test_macos_idle_asks_for_any_input_in_the_session_and_never_goes_negative() -> None:
    calls: list[tuple[int, int]] = []
    answers = iter([42.25, -0.001])

    def since_last(state: int, event_type: int) -> float:
        calls.append((state, event_type))
        return next(answers)

    lib = type("CoreGraphics", (), {})()
    lib.CGEventSourceSecondsSinceLastEventType = since_last
    source = MacIdle(lib)
    assert source.seconds_idle() == 42.25
    assert source.seconds_idle() == 0.0
    assert calls == [(0, 0xFFFFFFFF)] * 2  # combined session state, kCGAnyInputEventType
    assert since_last.restype is ctypes.c_double  # type: ignore[attr-defined]


def test_each_platform_tries_only_its_own_idle_source_and_refuses_the_others() -> None:
    assert candidates("win32", {}) == ["windows"] and candidates("darwin", {}) == ["macos"]
    for name, why in (("windows", "not Windows"), ("macos", "not macOS")):
        with pytest.raises(Unavailable, match=why):
            open_one(name, None)


def test_windows_autostart_runs_the_console_free_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    (scripts / "breaker-tray.exe").write_bytes(b"MZ")
    monkeypatch.setattr("sys.executable", str(tmp_path / "python.exe"))
    assert launch_command("win32") == [str(scripts / "breaker-tray.exe")]
    (scripts / "breaker-tray.exe").unlink()
    monkeypatch.setattr("shutil.which", lambda _name: None)
    (tmp_path / "pythonw.exe").write_bytes(b"MZ")
    assert launch_command("win32") == [str(tmp_path / "pythonw.exe"), "-m", "breaker", "run"]
