"""The X11 idle source against a real Xvfb: idle time grows without input and resets on pointer motion."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from Xlib import display as xlib_display

from breaker.adapters.idle import candidates, open_idle_source, session_kind, x11
from breaker.adapters.ports import Unavailable


@pytest.fixture(scope="module")
def hold(xdisplay) -> Iterator[None]:
    """One client held open: Xvfb resets itself whenever its last client leaves, which breaks a
    connection being opened at that moment."""
    conn = xlib_display.Display(xdisplay.name)
    yield
    conn.close()


def test_idle_grows_then_resets_on_pointer_motion(xdisplay, hold) -> None:
    source = x11.open_source(xdisplay.name)
    try:
        xdisplay.xdotool("mousemove", "10", "10")
        xdisplay.xdotool("mousemove", "20", "20")
        start = source.seconds_idle()
        time.sleep(0.6)
        later = source.seconds_idle()
        assert later >= start + 0.5, (start, later)
        xdisplay.xdotool("mousemove_relative", "0", "0")  # no motion, so no input: idle keeps growing
        assert source.seconds_idle() >= later
        xdisplay.xdotool("mousemove", "300", "200")
        assert source.seconds_idle() < 0.3
    finally:
        source.close()


def test_auto_picks_x11_on_an_x_session(xdisplay, hold, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "XFCE")
    source = open_idle_source(None)
    try:
        assert source.name == "x11"
        assert source.seconds_idle() >= 0
    finally:
        source.close()


def test_missing_display_is_unavailable_with_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(Unavailable, match="DISPLAY"):
        x11.open_source()
    with pytest.raises(Unavailable, match="cannot open X display"):
        x11.open_source(":4242")


def test_order_follows_platform_and_session() -> None:
    assert candidates("win32", {}) == ["windows"]
    assert candidates("darwin", {}) == ["macos"]
    assert candidates("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}) == ["gnome", "wayland", "freedesktop"]
    assert candidates("linux", {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE"}) == ["wayland", "freedesktop", "gnome"]
    assert candidates("linux", {"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"}) == ["x11", "freedesktop", "gnome"]
    assert candidates("linux", {})[-1] == "x11"
    assert session_kind({"XDG_SESSION_TYPE": "tty", "DISPLAY": ":1"}) == ("x11", "")


def test_unknown_preference_names_the_choices() -> None:
    with pytest.raises(Unavailable, match="unknown idle backend 'bogus'"):
        open_idle_source(None, preferred="bogus")
