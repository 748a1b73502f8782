"""The StatusNotifierItem tray against a real watcher (status-notifier-watcher) on a private session bus."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from dbus_fast import Variant

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from breaker.adapters.dbusmenu import INTERFACE as MENU_INTERFACE
from breaker.adapters.ports import TrayView
from breaker.adapters.sni import ITEM_INTERFACE, ITEM_PATH, WATCHER, WATCHER_PATH, SniTray
from breaker.adapters.tray import open_tray, probe_tray
from tests.conftest import need
from tests.dbus_fixtures import name_has_owner, wait_for_name
from tests.trayrecorder import Recorder, wait_until

VIEW = TrayView(0.25, "Sitting 23 min · next break in 7 min")


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread("test-sni")
    yield thread
    thread.stop()


def start_watcher(address: str) -> subprocess.Popen[bytes]:
    need(shutil.which("status-notifier-watcher") is not None,
         "status-notifier-watcher is not installed (apt-get install haskell-status-notifier-item-utils)")
    process = subprocess.Popen(["status-notifier-watcher"], env={"PATH": "/usr/bin:/bin",
                               "DBUS_SESSION_BUS_ADDRESS": address},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_name(address, WATCHER, process=process)
    return process


@pytest.fixture
def watcher(session_bus: str) -> Iterator[dict[str, Any]]:
    """A real StatusNotifierWatcher on the private session bus; ``restart()`` replaces it."""
    wait_until(lambda: not name_has_owner(session_bus, WATCHER), "no other watcher on the bus")
    state = {"process": start_watcher(session_bus)}

    def restart() -> None:
        state["process"].terminate()
        state["process"].wait(timeout=5)
        wait_until(lambda: not name_has_owner(session_bus, WATCHER), "the old watcher to go")
        state["process"] = start_watcher(session_bus)

    state["restart"] = restart
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=5)


class Host:
    """What a panel does: read the watcher, the item and its menu over D-Bus."""

    def __init__(self, loop: LoopThread) -> None:
        self.loop = loop
        self.bus = loop.run(dbus_util.connect("session"))

    def call(self, dest: str, path: str, iface: str, member: str, sig: str = "", body: Any = None) -> list[Any]:
        return self.loop.run(dbus_util.call(self.bus, dest, path, iface, member, sig, body))

    def prop(self, dest: str, path: str, iface: str, name: str) -> Any:
        return self.loop.run(dbus_util.get_property(self.bus, dest, path, iface, name))

    def registered(self) -> list[str]:
        return list(self.prop(WATCHER, WATCHER_PATH, WATCHER, "RegisteredStatusNotifierItems"))

    def close(self) -> None:
        self.bus.disconnect()


@pytest.fixture
def host(loop: LoopThread, watcher: dict[str, Any]) -> Iterator[Host]:
    panel = Host(loop)
    yield panel
    panel.close()


def test_registers_and_shows_icon_tooltip_and_status(loop, host) -> None:
    tray = open_tray(Recorder(), VIEW, loop)
    assert tray is not None and tray.kind == "sni"
    assert isinstance(tray, SniTray)
    try:
        wait_until(lambda: any(tray.name in entry for entry in host.registered()), "the item to register")
        item = (tray.name, ITEM_PATH, ITEM_INTERFACE)
        assert host.prop(*item, "Title") == "Breaker"
        assert host.prop(*item, "Status") == "Active"
        assert host.prop(*item, "ItemIsMenu") is False
        assert host.prop(*item, "Menu") == "/MenuBar"
        _, _, title, text = host.prop(*item, "ToolTip")
        assert (title, text) == ("Breaker", VIEW.tooltip)
        pixmaps = host.prop(*item, "IconPixmap")
        assert [(w, h) for w, h, _ in pixmaps][:2] == [(16, 16), (22, 22)]
        assert all(len(data) == w * h * 4 for w, h, data in pixmaps)

        tray.update(TrayView(1.1, "Sitting 33 min · break overdue"))
        wait_until(lambda: host.prop(*item, "Status") == "NeedsAttention", "the status to change")
        assert host.prop(*item, "ToolTip")[3] == "Sitting 33 min · break overdue"
        assert host.prop(*item, "IconPixmap")[-1][2] != pixmaps[-1][2]  # the ring was redrawn
    finally:
        tray.stop()


def test_every_menu_item_and_activate_reach_the_daemon(loop, host) -> None:
    actions = Recorder()
    tray = SniTray(actions, VIEW, loop)
    try:
        revision, (root, props, children) = host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetLayout",
                                                      "iias", [0, -1, []])
        assert root == 0 and props["children-display"].value == "submenu"
        items = [child.value for child in children]
        labels = {i: p["label"].value for i, p, _ in items if "label" in p}
        assert list(labels.values()) == [VIEW.tooltip, "Start a break now", "Snooze", "Skip this break",
                                         "Pause for 30 min", "Pause for 1 h", "Pause until tomorrow", "Resume",
                                         "This week…", "Open settings", "Quit"]
        assert sum(1 for _, p, _ in items if p.get("type") and p["type"].value == "separator") == 4
        status_id = next(iter(labels))
        assert not items[0][1]["enabled"].value  # the status line is information, not a command
        (group,) = host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetGroupProperties", "aias",
                          [list(labels), ["label"]])
        assert {i: p["label"].value for i, p in group} == labels
        assert host.call(tray.name, "/MenuBar", MENU_INTERFACE, "AboutToShow", "i", [0]) == [False]

        expected = [("start_break",), ("snooze",), ("skip",), ("pause", "30m"), ("pause", "1h"),
                    ("pause", "tomorrow"), ("resume",), ("show_week",), ("open_settings",), ("quit",)]
        for count, item_id in enumerate([i for i in labels if i != status_id], start=1):
            host.call(tray.name, "/MenuBar", MENU_INTERFACE, "Event", "isvu",
                      [item_id, "clicked", Variant("s", ""), 0])
            wait_until(lambda: len(actions.calls) == count, f"the action of menu item {item_id}")
        assert actions.calls == expected

        host.call(tray.name, ITEM_PATH, ITEM_INTERFACE, "Activate", "ii", [10, 10])
        wait_until(lambda: len(actions.calls) == len(expected) + 1, "Activate to start a break")
        assert actions.calls[-1] == ("start_break",)

        resume = next(i for i, text in labels.items() if text == "Resume")
        def resume_enabled() -> bool:
            return host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetProperty", "is",
                             [resume, "enabled"])[0].value
        assert not resume_enabled()
        tray.update(TrayView(0.25, VIEW.tooltip, paused=True))
        wait_until(resume_enabled, "Resume to be enabled while paused")
        new_revision = host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetLayout", "iias", [0, 0, []])[0]
        assert new_revision > revision
        tray.update(TrayView(1.0, "Sitting 45 min · time for a break", prompt_open=True, snooze_s=600))

        def status_line() -> str:
            return host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetProperty", "is", [status_id, "label"])[0].value
        wait_until(lambda: status_line() == "Sitting 45 min · time for a break", "the status line to follow the bout")
        snooze = next(i for i, text in labels.items() if text == "Snooze")
        assert host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetProperty", "is", [snooze, "label"])[0].value \
            == "Snooze 10 min"
    finally:
        tray.stop()


def test_registers_again_when_the_watcher_restarts(loop, host, watcher) -> None:
    tray = SniTray(Recorder(), VIEW, loop)
    try:
        wait_until(lambda: any(tray.name in entry for entry in host.registered()), "the first registration")
        watcher["restart"]()
        wait_until(lambda: any(tray.name in entry for entry in host.registered()), "registration with the new watcher")
    finally:
        tray.stop()


def test_probe_names_the_watcher(loop, watcher) -> None:
    probes = {probe.name: probe for probe in probe_tray(loop)}
    assert probes["sni"].ok and WATCHER in probes["sni"].detail


def test_without_a_watcher_sni_is_not_chosen(loop, session_bus, monkeypatch) -> None:
    wait_until(lambda: not name_has_owner(session_bus, WATCHER), "no watcher on the bus")
    monkeypatch.delenv("DISPLAY", raising=False)
    probes = {probe.name: probe for probe in probe_tray(loop)}
    assert not probes["sni"].ok and "nobody owns" in probes["sni"].detail
    assert not probes["xembed"].ok and "DISPLAY" in probes["xembed"].detail
    assert open_tray(Recorder(), VIEW, loop) is None


def test_the_menu_speaks_the_users_language(loop, host) -> None:
    """The labels a panel reads over D-Bus are translated (LANGUAGE=de); the keys behind them stay the same."""
    from breaker import i18n

    i18n.setup({"LANGUAGE": "de"})
    tray = SniTray(Recorder(), TrayView(1.0, "Sitzt seit 45 min · Zeit für eine Pause", prompt_open=True,
                                        snooze_s=600), loop)
    try:
        _, (_, _, children) = host.call(tray.name, "/MenuBar", MENU_INTERFACE, "GetLayout", "iias", [0, -1, []])
        labels = [p["label"].value for _, p, _ in (child.value for child in children) if "label" in p]
        assert labels[2].startswith("10 ") and labels[2].endswith(" später")  # "Snooze 10 min"
        assert labels[:2] + labels[3:] == [
            "Sitzt seit 45 min · Zeit für eine Pause", "Jetzt eine Pause machen", "Diese Pause auslassen",
            "30 Min. aussetzen", "1 Std. aussetzen", "Bis morgen aussetzen", "Fortsetzen", "Diese Woche…",
            "Einstellungen öffnen", "Beenden"]
    finally:
        tray.stop()
        i18n.setup({})


def test_registers_with_the_panel_sizes_then_offers_every_size(loop, host) -> None:
    """Start-up draws only the sizes panels use (16-32 px) before registering; 48 and 64 px follow at once,
    announced with NewIcon, so a HiDPI panel gets a sharp icon a moment later (issue 16.4)."""
    from breaker.adapters.sni import FIRST_SIZES, PIXMAP_SIZES, StatusNotifierItem

    first = StatusNotifierItem(VIEW, lambda: None)
    assert [w for w, _, _ in first.IconPixmap] == list(FIRST_SIZES)  # what registration waits for
    tray = open_tray(Recorder(), VIEW, loop)
    assert isinstance(tray, SniTray)
    try:
        wait_until(lambda: any(tray.name in entry for entry in host.registered()), "the item to register")
        item = (tray.name, ITEM_PATH, ITEM_INTERFACE)
        wait_until(lambda: [w for w, _, _ in host.prop(*item, "IconPixmap")] == list(PIXMAP_SIZES),
                   "every size to be offered")
        offered = host.prop(*item, "IconPixmap")
        assert [tuple(p) for p in offered[:4]] == [tuple(p) for p in first.IconPixmap]  # the same drawing
        assert all(len(data) == w * h * 4 for w, h, data in offered)
    finally:
        tray.stop()
