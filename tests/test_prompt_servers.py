"""Prompts on notification-daemon and xfce4-notifyd, not only dunst (#12 item 5 and the notification half of 3).

Each server runs on a private session bus and the test display; buttons are clicked with xdotool on the
real bubble, and every Notifications call and signal on the bus is read by dbus-monitor.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest

from breaker.adapters.aio import LoopThread
from breaker.adapters.fdo_notify import FdoNotifier
from breaker.adapters.ports import PromptText
from tests.daemonkit import Daemon, Desktop, Typist, wait_until
from tests.desktop import XDisplay
from tests.notifyservers import BusMonitor, Server, notification_server
from tests.test_signal_senders import gdbus_emit

KINDS = ["notification-daemon", "xfce4-notifyd"]


@pytest.fixture(params=KINDS)
def server(request: pytest.FixtureRequest, xdisplay: XDisplay) -> Iterator[Server]:
    with notification_server(request.param, xdisplay) as srv:
        yield srv


class Answers:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self.event = threading.Event()

    def __call__(self, action: str) -> None:
        self.seen.append(action)
        self.event.set()


def notifies_printed(monitor: BusMonitor, count: int) -> bool:
    """dbus-monitor has printed ``count`` Notify calls with their replaces_id (it prints after the call)."""
    calls = monitor.calls("Notify")
    return len(calls) >= count and all(re.search(r"uint32 \d+", call) for call in calls[:count])


def replaces_ids(monitor: BusMonitor) -> list[int]:
    """The replaces_id argument (the second) of every Notify call."""
    return [int(re.findall(r"uint32 (\d+)", call)[0]) for call in monitor.calls("Notify")]


def test_reprompt_replaces_the_bubble_and_a_click_answers_once(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", server.bus)
    monitor = BusMonitor(server.bus)
    loop = LoopThread("test-prompts")
    try:
        notifier = FdoNotifier(loop)
        first, second = Answers(), Answers()
        notifier.show(PromptText("45m in your chair", "first prompt"), first)
        live = notifier._id
        server.wait_bubbles(1)
        notifier.show(PromptText("50m in your chair", "the re-prompt"), second)  # as the daemon does
        assert notifier._id == live, "the re-prompt did not replace the bubble in place"
        wait_until(lambda: notifies_printed(monitor, 2), 15, "dbus-monitor to print both Notify calls")
        assert replaces_ids(monitor) == [0, live]
        server.wait_bubbles(1)
        server.display.screenshot(f"/tmp/breaker-{server.kind}-prompt.png")
        # a stranger's ActionInvoked for the live bubble is no answer
        gdbus_emit("session", server.bus, None, "/org/freedesktop/Notifications",
                   "org.freedesktop.Notifications.ActionInvoked", str(live), "'skip'")
        server.click("snooze")
        assert second.event.wait(15), "the click on the bubble reached no one"
        wait_until(lambda: not server.bubbles(), 15, "the bubble to go")
        notifier.close()  # the daemon closes the answered prompt: no second CloseNotification
        assert first.seen == [] and second.seen == ["snooze"]
        assert len(monitor.calls("CloseNotification")) <= 1
        # "Start" is drawn once: xfce4-notifyd draws the default action as a button of its own
        labels = re.findall(r'string "(Start|Snooze|Skip)"', monitor.calls("Notify")[0])
        drawn = labels if server.kind == "xfce4-notifyd" else labels[1:]  # notification-daemon hides "default"
        assert drawn.count("Start") == 1, labels
        # the prompt after a snooze takes the answered bubble's id (a server that left it up replaces it)
        third = Answers()
        notifier.show(PromptText("60m", "after the snooze"), third)
        wait_until(lambda: notifies_printed(monitor, 3), 15, "dbus-monitor to print the third Notify call")
        assert replaces_ids(monitor)[-1] == live
        server.wait_bubbles(1)
        server.click("start")
        assert third.event.wait(15) and third.seen == ["start"]
        notifier.close()
    finally:
        loop.stop()
        monitor.stop()


PROMPT_CONFIG = """
[breaks]
sit_limit = "5s"
natural_break = "4s"
snooze = "30s"
reprompt = "4s"
[tracking]
idle_after = "2s"
poll_max = "1s"
"""


def test_daemon_reprompt_in_place_and_the_click_is_recorded(server: Server, xdisplay: XDisplay, tmp_path) -> None:
    """The daemon's re-prompt replaces the bubble; clicking Skip on what the user sees is the answer."""
    monitor = BusMonitor(server.bus)
    typist = Typist(xdisplay)
    daemon = Daemon(Desktop(server.bus, xdisplay, tmp_path), tmp_path / "home", config_text=PROMPT_CONFIG)
    (tmp_path / "home").mkdir()
    try:
        typist.work()
        daemon.start()
        wait_until(lambda: len(monitor.calls("Notify")) >= 2, 25, "a prompt and its re-prompt")
        server.wait_bubbles(1)
        server.click("skip")
        wait_until(lambda: [p["outcome"] for p in daemon.log()["prompts"]] == ["ignored", "skipped"], 10,
                   "the click to be recorded as the answer of the live prompt")
        typist.work(False)
        assert daemon.stop() == 0
        ids = replaces_ids(monitor)
        assert ids[0] == 0 and ids[1] != 0, ids
        closes = [int(re.findall(r"uint32 (\d+)", c)[0]) for c in monitor.calls("CloseNotification")]
        assert len(closes) == len(set(closes)), f"CloseNotification twice: {closes}"
    finally:
        typist.stop()
        daemon.kill()
        monitor.stop()
