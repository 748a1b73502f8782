"""Do-not-disturb checks against real components: Xvfb windows, a real dunst, gsettings, a KDE-like server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Annotated

import pytest
from dbus_fast.annotations import DBusBool, DBusSignature
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_method, dbus_property
from Xlib import X
from Xlib import display as xlib_display

from breaker.adapters.aio import LoopThread
from breaker.adapters.dnd import open_dnd, probe_dnd
from breaker.adapters.fullscreen import open_fullscreen
from tests.conftest import need
from tests.dbus_fixtures import private_bus, services


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread("test-dnd")
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def x(xdisplay) -> Iterator[xlib_display.Display]:
    """A client connection that makes windows, held for the module: while one client stays connected,
    Xvfb does not reset itself between tests (it resets when its last client leaves)."""
    conn = xlib_display.Display(xdisplay.name)
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def _restore_focus(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "x" in request.fixturenames:
        conn = request.getfixturevalue("x")
        conn.screen().root.delete_property(conn.intern_atom("_NET_ACTIVE_WINDOW"))
        conn.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
        conn.sync()


def window(conn: xlib_display.Display, title: str, width: int | None = None, height: int | None = None):
    screen = conn.screen()
    win = screen.root.create_window(0, 0, width or screen.width_in_pixels, height or screen.height_in_pixels,
                                    0, screen.root_depth)
    win.set_wm_name(title)
    win.map()
    conn.sync()
    return win


def focus(conn: xlib_display.Display, win) -> None:
    win.set_input_focus(X.RevertToPointerRoot, X.CurrentTime)
    conn.sync()


def test_without_a_window_manager_a_focused_screen_sized_window_is_fullscreen(xdisplay, x) -> None:
    check = open_fullscreen(xdisplay.name)
    big = window(x, "Slides")
    small = window(x, "Editor", 400, 300)
    child = big.create_window(10, 10, 50, 50, 0, x.screen().root_depth)  # focus inside the big window
    child.map()
    try:
        focus(x, big)
        assert check.reason() == "a fullscreen window has the focus: Slides"
        focus(x, child)
        assert check.reason() == "a fullscreen window has the focus: Slides"
        focus(x, small)
        assert check.reason() is None
        x.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
        x.sync()
        assert check.reason() is None
        focus(x, big)
        big.unmap()
        x.sync()
        assert check.reason() is None  # unmapping dropped the focus
    finally:
        for win in (small, big):
            win.destroy()
        x.sync()
        check.close()


def test_with_a_window_manager_the_ewmh_state_decides(xdisplay, x) -> None:
    check = open_fullscreen(xdisplay.name)
    small = window(x, "Call", 320, 200)
    big = window(x, "Tiled editor")  # screen-sized, as under a tiling WM, but not fullscreen
    atom = x.intern_atom
    root = x.screen().root
    try:
        focus(x, big)
        root.change_property(atom("_NET_ACTIVE_WINDOW"), atom("WINDOW"), 32, [big.id])
        big.change_property(atom("_NET_WM_STATE"), atom("ATOM"), 32, [atom("_NET_WM_STATE_MAXIMIZED_VERT")])
        x.sync()
        assert check.reason() is None
        root.change_property(atom("_NET_ACTIVE_WINDOW"), atom("WINDOW"), 32, [small.id])
        small.change_property(atom("_NET_WM_STATE"), atom("ATOM"), 32,
                              [atom("_NET_WM_STATE_ABOVE"), atom("_NET_WM_STATE_FULLSCREEN")])
        x.sync()
        assert check.reason() == "a fullscreen window has the focus: Call"
        small.change_property(atom("_NET_WM_STATE"), atom("ATOM"), 32, [])
        x.sync()
        assert check.reason() is None
    finally:
        for win in (small, big):
            win.destroy()
        x.sync()
        check.close()


def test_dunst_paused_means_do_not_disturb(dunst, loop: LoopThread, x) -> None:
    dnd = open_dnd(loop)
    try:
        assert "notification server" in dnd.checks and "fullscreen (x11)" in dnd.checks
        assert dnd.reason() is None
        dunst.ctl("set-paused", "true")
        assert dnd.reason() == "dunst is paused (do not disturb)"
        dunst.ctl("set-paused", "false")
        assert dnd.reason() is None
    finally:
        dunst.reset()
        dnd.close()


class PlasmaNotifications(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.inhibited = False

    @dbus_method()
    def GetServerInformation(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["Plasma", "KDE", "6.0", "1.2"]

    @dbus_property(access=PropertyAccess.READ)
    def Inhibited(self) -> DBusBool:
        return self.inhibited


def test_kde_inhibited_property_means_do_not_disturb(loop: LoopThread, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with private_bus("session") as address, services(address) as svc:
        server = svc.export("/org/freedesktop/Notifications", PlasmaNotifications())
        dnd = open_dnd(loop, session_address=address)
        try:
            assert dnd.reason() is None
            svc.own("org.freedesktop.Notifications")
            assert dnd.reason() is None
            server.inhibited = True  # type: ignore[attr-defined]
            assert dnd.reason() == "Plasma: notifications are inhibited (do not disturb)"
            assert any(p.startswith("fullscreen (x11): no X display") for p in dnd.problems)
        finally:
            dnd.close()


def test_gnome_banners_off_means_do_not_disturb(loop: LoopThread, monkeypatch: pytest.MonkeyPatch) -> None:
    need(shutil.which("gsettings") is not None, "gsettings is not installed (libglib2.0-bin)")
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")  # stored under the test's XDG_CONFIG_HOME
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    probe = subprocess.run(["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"],
                           capture_output=True, text=True)
    need(probe.returncode == 0, "the org.gnome.desktop.notifications schema is not installed")

    def set_banners(value: str) -> None:
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", value], check=True)

    set_banners("false")
    dnd = open_dnd(None, display=":4242")
    try:
        assert dnd.checks == ["gnome show-banners"]
        assert dnd.reason() == "GNOME do-not-disturb is on"
        set_banners("true")
        assert dnd.reason() is None
    finally:
        dnd.close()


def test_probe_dnd_reports_every_check(xdisplay, x, session_bus: str, loop: LoopThread, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "XFCE")
    probes = {p.name: p for p in probe_dnd(loop)}
    assert set(probes) == {"fullscreen (x11)", "notification server", "gnome show-banners"}
    assert probes["fullscreen (x11)"].ok
    assert probes["notification server"].ok  # the bus answers, whether or not a server runs
    assert not probes["gnome show-banners"].ok
