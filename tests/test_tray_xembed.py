"""The XEmbed tray on real components: Xvfb, trayer, real xdotool clicks, the real menu process."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from breaker.adapters.ports import TrayView
from breaker.adapters.tray import open_tray, probe_tray
from tests.conftest import need
from tests.desktop import XDisplay
from tests.trayrecorder import Recorder, wait_until

MENU_WINDOW = "^breaker-tray-menu$"


def xwininfo(display: XDisplay, *args: str) -> str:
    done = subprocess.run(["xwininfo", *args], env=display.env, capture_output=True, timeout=10)
    return done.stdout.decode("utf-8", "replace")


def toplevel(display: XDisplay, window: int) -> tuple[int, bool]:
    """(the child of root that contains ``window``, whether ``window`` is viewable)."""
    viewable = "IsViewable" in xwininfo(display, "-id", str(window))
    current = window
    while True:
        tree = xwininfo(display, "-id", str(current), "-tree")
        parent = int(re.search(r"Parent window id: (0x[0-9a-f]+)", tree).group(1), 16)  # type: ignore[union-attr]
        root = int(re.search(r"Root window id: (0x[0-9a-f]+)", tree).group(1), 16)  # type: ignore[union-attr]
        if parent == root:
            return current, viewable
        current = parent


def docked_in_trayer(display: XDisplay, window: int) -> bool:
    top, viewable = toplevel(display, window)
    if top == window or not viewable:
        return False
    wm_class = subprocess.run(["xprop", "-id", str(top), "WM_CLASS"], env=display.env,
                              capture_output=True, text=True, timeout=10).stdout
    return "trayer" in wm_class.lower()


@pytest.fixture
def trayers(xdisplay: XDisplay) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts trayer (a real XEmbed tray host) on demand; stops every one it started."""
    from breaker.adapters.xembed import tray_manager_present

    need(shutil.which("trayer") is not None, "trayer is not installed (apt-get install trayer)")
    need(shutil.which("xwininfo") is not None, "xwininfo is not installed (apt-get install x11-utils)")
    wait_until(lambda: not tray_manager_present(xdisplay.name), "the display to have no tray host")
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        host = subprocess.Popen(
            ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "request", "--height", "32"],
            env=xdisplay.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(host)
        wait_until(lambda: tray_manager_present(xdisplay.name), "trayer to own the tray selection")
        return host

    yield start
    for host in started:
        host.terminate()
        host.wait(timeout=5)


@pytest.fixture
def no_session_bus(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """No StatusNotifierWatcher can be found: the XEmbed path is the one chosen."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/breaker-test-bus")


def open_menu(display: XDisplay, icon: int) -> int:
    display.click(icon, 6, 6)
    return display.wait_window(MENU_WINDOW)


def test_icon_docks_and_menu_choices_reach_the_daemon(xdisplay, trayers, no_session_bus) -> None:
    trayers()
    actions = Recorder()
    tray = open_tray(actions, TrayView(0.4, "Sitting 12 min · next break in 18 min"), None)
    assert tray is not None and tray.kind == "xembed"
    try:
        icon = tray.window_id  # type: ignore[attr-defined]
        wait_until(lambda: docked_in_trayer(xdisplay, icon), "the icon to dock in trayer")
        assert xdisplay.xdotool("getwindowname", str(icon)) == "Sitting 12 min · next break in 18 min"

        menu = open_menu(xdisplay, icon)  # a real click on the icon pops up the menu process
        _, _, width, _ = xdisplay.geometry(menu)
        xdisplay.click(menu, width // 2, 51)  # "Start a break now", below the status line and a separator
        assert actions.wait() == [("start_break",)]
        wait_until(lambda: not xdisplay.xdotool("search", "--onlyvisible", "--name", MENU_WINDOW, check=False),
                   "the menu to close")

        open_menu(xdisplay, icon)
        time.sleep(0.3)  # let the menu take its grab
        xdisplay.key("Down", "Down", "Down", "Return")  # keyboard skips the status line, Snooze and Skip (no prompt)
        assert actions.wait() == [("start_break",), ("pause", "1h")]

        open_menu(xdisplay, icon)
        xdisplay.key("Escape")  # closing without a choice calls nothing
        wait_until(lambda: not xdisplay.xdotool("search", "--onlyvisible", "--name", MENU_WINDOW, check=False),
                   "the menu to close")
        time.sleep(0.5)
        assert actions.calls == [("start_break",), ("pause", "1h")]

        tray.update(TrayView(1.2, "Sitting 54 min · break overdue"))
        wait_until(lambda: xdisplay.xdotool("getwindowname", str(icon)) == "Sitting 54 min · break overdue",
                   "the tooltip to change")
    finally:
        tray.stop()


def test_a_tray_host_that_starts_later_still_gets_the_icon(xdisplay, trayers) -> None:
    from breaker.adapters.xembed import XembedTray

    tray = XembedTray(Recorder(), TrayView(0.1, "Sitting 3 min"))
    try:
        time.sleep(0.5)
        assert not docked_in_trayer(xdisplay, tray.window_id)
        first = trayers()
        wait_until(lambda: docked_in_trayer(xdisplay, tray.window_id), "the icon to dock in a late trayer")

        first.terminate()  # the panel restarts: the icon moves to the new host
        first.wait(timeout=5)
        trayers()
        wait_until(lambda: docked_in_trayer(xdisplay, tray.window_id), "the icon to dock in a restarted trayer")
    finally:
        tray.stop()


def test_probe_reports_xembed_and_why_sni_is_missing(xdisplay, trayers, no_session_bus) -> None:
    trayers()
    probes = {probe.name: probe for probe in probe_tray(None)}
    assert probes["xembed"].ok, probes["xembed"].detail
    assert not probes["sni"].ok and "loop" in probes["sni"].detail


def switches(thread) -> int:  # type: ignore[no-untyped-def]
    """Voluntary context switches of ``thread`` so far (each one a sleep ended: a wake-up), from /proc."""
    from pathlib import Path

    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    return int(status.split("\nvoluntary_ctxt_switches:")[1].split()[0])


def test_tray_thread_sleeps_through_pointer_motion_and_unchanged_views(xdisplay, trayers) -> None:
    from breaker.adapters.xembed import XembedTray

    trayers()
    tray = XembedTray(Recorder(), TrayView(0.3, "Sitting 9 min"))
    try:
        wait_until(lambda: docked_in_trayer(xdisplay, tray.window_id), "the icon to dock")
        time.sleep(0.5)
        before = switches(tray._thread)
        for step in range(15):  # the user works: the pointer moves, also over the icon
            xdisplay.xdotool("mousemove", str(1200 + step % 40), str(780 + step % 10))
            tray.update(TrayView(0.3, "Sitting 9 min"))  # a tick that changes nothing visible
            time.sleep(0.05)
        assert switches(tray._thread) - before <= 1
        # title and icon change: one message wakes the thread; the first redraw after the tray resized the
        # icon may read the window size and the tray's colour once more
        tray.update(TrayView(0.6, "Sitting 18 min"))
        wait_until(lambda: xdisplay.xdotool("getwindowname", str(tray.window_id)) == "Sitting 18 min",
                   "the tooltip to change")
        time.sleep(0.3)
        assert switches(tray._thread) - before <= 3
    finally:
        tray.stop()


def test_the_first_update_after_docking_makes_no_round_trips(xdisplay, trayers) -> None:
    """The updating thread's X connection is opened at docking, not by the first tick: a quiet daemon's
    first tooltip change costs its scheduler thread no waits for the X server (bench/footprint --working)."""
    import threading

    from breaker.adapters.xembed import XembedTray

    trayers()
    tray = XembedTray(Recorder(), TrayView(0.3, "Sitting 9 min"))
    try:
        wait_until(lambda: docked_in_trayer(xdisplay, tray.window_id), "the icon to dock")
        wait_until(lambda: tray._icon._sender is not None, "the second connection")
        waits: list[int] = []

        def tick() -> None:
            me = threading.current_thread()
            before = switches(me)
            tray.update(TrayView(0.3, "Sitting 10 min"))  # the tooltip only
            waits.append(switches(me) - before)
        ticker = threading.Thread(target=tick)
        ticker.start()
        ticker.join(10)
        assert waits and waits[0] <= 1, waits
        wait_until(lambda: xdisplay.xdotool("getwindowname", str(tray.window_id)) == "Sitting 10 min",
                   "the tooltip to change")
    finally:
        tray.stop()


def test_a_new_icon_is_drawn_without_waking_the_tray_thread(xdisplay, trayers) -> None:
    """A tick that changes the icon draws it through the updating thread's own connection: the pixels in the
    tray change, and the X thread sleeps on (bench/footprint --working: 2 wake-ups a minute less)."""
    from Xlib import X
    from Xlib import display as xlib_display

    from breaker.adapters.xembed import XembedTray

    trayers()
    tray = XembedTray(Recorder(), TrayView(0.1, "Sitting 4 min"))
    conn = xlib_display.Display(xdisplay.name)
    try:
        wait_until(lambda: docked_in_trayer(xdisplay, tray.window_id), "the icon to dock")
        window = conn.create_resource_object("window", tray.window_id)

        def pixels() -> bytes:
            geometry = window.get_geometry()
            return bytes(window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF).data)
        tray.update(TrayView(0.1, "Sitting 5 min"))  # the first update may still learn the tray's colour
        time.sleep(0.5)
        before, woke = pixels(), switches(tray._thread)
        tray.update(TrayView(0.9, "Sitting 40 min"))
        wait_until(lambda: pixels() != before, "the new icon on screen")
        time.sleep(0.3)
        assert switches(tray._thread) - woke == 0
    finally:
        conn.close()
        tray.stop()
