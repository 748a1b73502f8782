"""Idle time on Wayland from real compositors: sway 1.7 (org_kde_kwin_idle) and KWin 5.27
(ext_idle_notifier_v1), with real input (a virtual keyboard, pointer motion) and a compositor killed."""

from __future__ import annotations

import logging
import os
import queue
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breaker.adapters.idle import candidates, open_idle_source
from breaker.adapters.ports import Unavailable
from tests.compositors import Compositor, kwin_checked, sway, sway_runtime
from tests.conftest import need


def _need_sway() -> None:
    need(shutil.which("sway") is not None and shutil.which("wtype") is not None,
         "sway and wtype are not installed (apt-get install sway wtype)")


@pytest.fixture(scope="module")
def sway_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Compositor]:
    _need_sway()
    with sway(tmp_path_factory.mktemp("sway")) as compositor:
        yield compositor


@pytest.fixture(scope="module")
def kwin_session(tmp_path_factory: pytest.TempPathFactory, session_bus: str) -> Iterator[Compositor]:
    with kwin_checked(tmp_path_factory.mktemp("kwin"), session_bus) as compositor:
        yield compositor


class Recorder:
    """Collects (kind, idle_s, monotonic time) from the adapter's thread."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, float, float]] = queue.Queue()

    def __call__(self, kind: str, idle_s: float) -> None:
        self.events.put((kind, idle_s, time.monotonic()))

    def next(self, timeout: float = 5.0) -> tuple[str, float, float]:
        return self.events.get(timeout=timeout)


def _wayland_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wayland-idle"]


def _idle_active_idle(compositor: Compositor, protocol: str, inject: str) -> None:
    """idle after ``after`` s of no input, active at the input, idle again ``after`` s after it."""
    from breaker.adapters.idle import wayland

    source = wayland.open_source(compositor.socket, resolution_s=0.4)
    try:
        assert source.name == f"wayland ({protocol})"
        record, after = Recorder(), 1.0
        start = time.monotonic()
        source.watch(after, record)
        kind, idle_s, at = record.next()
        assert kind == "idle" and after - 0.05 <= at - start < after + 1.5, (kind, at - start)
        assert idle_s >= after
        first = source.seconds_idle()
        time.sleep(0.3)
        assert first >= after - 0.5 and source.seconds_idle() - first == pytest.approx(0.3, abs=0.2)
        typed = time.monotonic()
        getattr(compositor, inject)()  # a helper process: the input lands between typed and done
        done = time.monotonic()
        kind, idle_s, at = record.next()
        assert (kind, idle_s) == ("active", 0.0) and typed < at < done + 1.0, (at - typed, done - typed)
        assert source.seconds_idle() <= time.monotonic() - typed  # the idle time before the input is gone
        kind, idle_s, at = record.next()
        assert kind == "idle" and at - typed >= after - 0.05 and at - done < after + 1.5, (kind, at - typed)
        assert record.events.empty()
    finally:
        source.close()
    assert not _wayland_threads()


def test_the_chooser_tries_wayland_first_on_kde_and_wlroots_and_gnome_first_on_gnome() -> None:
    for desktop in ("KDE", "sway", "Hyprland", ""):
        assert candidates("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": desktop})[0] == "wayland"
    gnome = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}
    assert candidates("linux", gnome)[:2] == ["gnome", "wayland"]
    assert "wayland" not in candidates("linux", {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"})


def test_sway_reports_idle_and_a_key_press_with_the_right_timing(sway_session: Compositor) -> None:
    _idle_active_idle(sway_session, "org_kde_kwin_idle", "key")


def test_sway_counts_pointer_motion_and_steady_input_never_reads_as_idle(sway_session: Compositor) -> None:
    from breaker.adapters.idle import wayland

    source = wayland.open_source(sway_session.socket, resolution_s=0.4)
    try:
        record = Recorder()
        source.watch(1.5, record)
        until = time.monotonic() + 3.2  # twice the watch, with input every 0.2 s (plus swaymsg's start)
        while time.monotonic() < until:
            sway_session.pointer()
            time.sleep(0.2)
        assert record.events.empty(), record.events.get()
        assert source.seconds_idle() < 0.4 + 0.5
        assert record.next()[0] == "idle"
    finally:
        source.close()


def test_a_new_watch_replaces_the_earlier_one(sway_session: Compositor) -> None:
    from breaker.adapters.idle import wayland

    source = wayland.open_source(sway_session.socket)
    try:
        first, second = Recorder(), Recorder()
        source.watch(30.0, first)
        source.watch(0.5, second)
        assert second.next()[0] == "idle"
        sway_session.key()
        assert second.next()[0] == "active"
        assert first.events.empty()
    finally:
        source.close()


def test_a_burst_of_watches_keeps_the_last_and_open_close_leaks_nothing(sway_session: Compositor) -> None:
    from breaker.adapters.idle import wayland

    fds = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        wayland.open_source(sway_session.socket).close()
    assert len(os.listdir("/proc/self/fd")) == fds and not _wayland_threads()
    source = wayland.open_source(sway_session.socket)
    try:
        stale, last = Recorder(), Recorder()
        for _ in range(5000):  # far more wake-ups than the pipe holds
            source.watch(0.3, stale)
        source.watch(0.6, last)
        assert last.next()[0] == "idle" and stale.events.empty()
    finally:
        source.close()


def test_closing_from_the_callback_ends_the_thread(sway_session: Compositor) -> None:
    from breaker.adapters.idle import wayland

    source = wayland.open_source(sway_session.socket)
    seen = Recorder()

    def close_at_once(kind: str, idle_s: float) -> None:
        seen(kind, idle_s)
        source.close()

    source.watch(0.3, close_at_once)
    assert seen.next()[0] == "idle"
    deadline = time.monotonic() + 3
    while _wayland_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _wayland_threads()
    source.close()


def test_auto_chooses_the_wayland_source_on_a_wayland_session(sway_session: Compositor,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "sway")
    monkeypatch.setenv("WAYLAND_DISPLAY", sway_session.socket)
    source = open_idle_source(None)
    try:
        assert source.name == "wayland (org_kde_kwin_idle)"
    finally:
        source.close()


def test_a_killed_compositor_that_stays_away_logs_one_line_and_the_source_says_unavailable(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from breaker.adapters.idle import wayland

    _need_sway()
    caplog.set_level(logging.INFO, logger="breaker.adapters.idle.wayland")
    with sway(tmp_path) as compositor:
        source = wayland.open_source(compositor.socket, reconnect_s=0)  # no second try
        record = Recorder()
        source.watch(60.0, record)
        os.kill(compositor.process.pid, signal.SIGKILL)
        compositor.process.wait(timeout=5)
        deadline = time.monotonic() + 5
        while _wayland_threads() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not _wayland_threads()
    lines = [r for r in caplog.records if r.name == "breaker.adapters.idle.wayland"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and "went away" in lines[0].getMessage()
    with pytest.raises(Unavailable, match="went away"):
        source.seconds_idle()
    with pytest.raises(Unavailable, match="went away"):
        source.watch(1.0, record)
    started = time.monotonic()
    source.close()
    source.close()
    assert time.monotonic() - started < 1.0
    assert record.events.empty()
    with pytest.raises(Unavailable, match="cannot connect"):
        wayland.open_source(compositor.socket)


def test_a_compositor_restarted_on_the_same_socket_brings_the_events_back(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from breaker.adapters.idle import wayland

    _need_sway()
    caplog.set_level(logging.INFO, logger="breaker.adapters.idle.wayland")
    runtime = sway_runtime(tmp_path)
    try:
        with sway(tmp_path, runtime) as first:
            source = wayland.open_source(first.socket, resolution_s=0.4, reconnect_s=20)
            record = Recorder()
            source.watch(0.8, record)
            assert record.next()[0] == "idle"
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait(timeout=5)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    source.seconds_idle()
                except Unavailable:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("the source never noticed the compositor went away")
        with sway(tmp_path, runtime) as second:
            assert second.socket == first.socket
            kind, _, _ = record.next(timeout=10)  # the watch runs again on the new connection
            assert kind == "idle"
            second.key()
            assert record.next()[0] == "active"
            assert source.seconds_idle() < 0.5
            source.close()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    messages = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "breaker.adapters.idle.wayland"]
    assert [level for level, _ in messages] == [logging.WARNING, logging.INFO], messages
    assert not _wayland_threads()


def test_no_wayland_display_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from breaker.adapters.idle import wayland

    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(Unavailable, match="WAYLAND_DISPLAY is not set"):
        wayland.open_source()


def test_kwin_reports_idle_and_pointer_motion_with_the_right_timing(kwin_session: Compositor) -> None:
    _idle_active_idle(kwin_session, "ext_idle_notifier_v1", "pointer")
