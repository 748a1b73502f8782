"""End to end on a real headless GNOME Shell 43 Wayland session (see tests/gnomekit.py for how it runs).

One shell serves the whole module. Input is pointer motion through Mutter's RemoteDesktop API; prompts
are answered by clicking the banner's buttons with that pointer; the lock is the shell's own
org.gnome.ScreenSaver; GNOME has no tray here, so the way in is the application entry.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need
from tests.daemonkit import LONG_CONFIG, SHORT_CONFIG, Daemon, wait_until
from tests.gnomekit import GnomeSession, gnome_session, missing_tools

ROOT = Path(__file__).resolve().parent.parent


class Mover:
    """Keeps the pointer moving a few pixels back and forth (real input, through RemoteDesktop)."""

    def __init__(self, shell: GnomeSession) -> None:
        self.shell = shell
        self._on, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        step = 4.0
        while not self._stop.is_set():
            if self._on.wait(0.1):
                self.shell.move(step, 0)
                step = -step
                time.sleep(0.25)

    def work(self, on: bool = True) -> None:
        (self._on.set if on else self._on.clear)()
        if not on:
            time.sleep(0.3)  # let a move in flight land

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class Desk:
    """What daemonkit.Daemon needs of a desktop: the environment of this session."""

    def __init__(self, shell: GnomeSession) -> None:
        self.shell = shell
        self.bus = shell.bus

    def env(self) -> dict[str, str]:
        return self.shell.env()


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GnomeSession]:
    why = missing_tools()
    need(why is None, why or "")
    started = time.monotonic()
    with gnome_session(tmp_path_factory.mktemp("gnome")) as session:
        session.started_in = time.monotonic() - started  # type: ignore[attr-defined]
        yield session


@pytest.fixture
def mover(shell: GnomeSession) -> Iterator[Mover]:
    m = Mover(shell)
    yield m
    m.stop()


@pytest.fixture
def make_daemon(shell: GnomeSession, tmp_path: Path) -> Iterator[Any]:
    made: list[Daemon] = []

    def make(config: str) -> Daemon:
        home = tmp_path / f"home{len(made)}"
        home.mkdir()
        made.append(Daemon(Desk(shell), home, config_text=config))  # type: ignore[arg-type]
        return made[-1]
    yield make
    for daemon in made:
        daemon.kill()


def test_session_starts_quickly_with_its_services(shell: GnomeSession) -> None:
    assert shell.started_in < 20, f"the GNOME session took {shell.started_in:.1f}s to start"  # type: ignore[attr-defined]
    hot = "new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.interface'}).get_boolean('enable-hot-corners')"
    assert shell.eval(hot) is False  # set in the session's own dconf: a move to (0, 0) opens no overview
    before = shell.idle_ms()
    time.sleep(0.3)
    shell.move(3, 0)
    time.sleep(0.2)
    assert shell.idle_ms() < before  # RemoteDesktop input resets Mutter's idle time


def test_doctor_sees_gnome_and_an_activatable_screensaver(shell: GnomeSession, make_daemon: Any) -> None:
    done = make_daemon(LONG_CONFIG).cli("doctor", "--json")
    probes = {(p["kind"], p["name"]): p for p in json.loads(done.stdout)["probes"]}
    assert probes[("idle", "gnome")]["ok"] and "chosen by auto" in probes[("idle", "gnome")]["detail"]
    assert probes[("notify", "freedesktop")]["ok"] and "gnome-shell" in probes[("notify", "freedesktop")]["detail"]
    saver = probes[("away", "org.gnome.ScreenSaver")]
    assert saver["ok"] and "activat" in saver["detail"], saver  # GNOME starts its proxy on demand
    assert not any(p["ok"] for p in probes.values() if p["kind"] == "tray")
    assert done.returncode == 0


def test_idle_from_mutter_records_a_bout(shell: GnomeSession, mover: Mover, make_daemon: Any) -> None:
    daemon = make_daemon(LONG_CONFIG)
    mover.work()
    daemon.start()
    wait_until(lambda: daemon.status()["sitting"], 10, "a bout from RemoteDesktop input")
    backends = daemon.status()["backends"]
    assert (backends["idle"], backends["notify"], backends["tray"]) == ("gnome", "freedesktop (else window)", None)
    time.sleep(2)
    mover.work(False)
    wait_until(lambda: not daemon.status()["sitting"], 10, "the natural break to end the bout")
    assert daemon.stop() == 0
    (bout,) = daemon.log()["bouts"]
    assert bout["end"] is not None


def test_prompt_buttons_snooze_skip_start_clicked_in_the_banner(shell: GnomeSession, mover: Mover,
                                                               make_daemon: Any) -> None:
    daemon = make_daemon(SHORT_CONFIG)
    shell.clear_notifications()
    mover.work()
    daemon.start()
    for number, (label, outcome) in enumerate((("Snooze", "snoozed"), ("Skip", "skipped"))):
        try:
            wait_until(lambda n=number: len(daemon.log()["prompts"]) > n, 20, f"prompt {number + 1}")
        except AssertionError:
            raise AssertionError(f"no prompt {number + 1}: {daemon.status()} {_daemon_log(daemon)}") from None
        mover.work(False)
        shown = wait_until(lambda: [n for n in shell.notifications() if n["source"] == "breaker"
                                    and n["actions"] == ["Start", "Snooze", "Skip"]], 5, "the prompt's buttons")
        assert "in your chair" in shown[-1]["title"]
        shell.press(label)
        wait_until(lambda n=number, o=outcome: daemon.log()["prompts"][n]["outcome"] == o, 10, f"the {label} click")
        mover.work()
    wait_until(lambda: len(daemon.log()["prompts"]) > 2, 20, "prompt 3")
    mover.work(False)
    shell.press("Start")
    try:
        wait_until(lambda: daemon.status()["in_break"], 10, "the guided break from the Start click")
    except AssertionError:
        raise AssertionError(f"no break: {shell.banner()} {shell.notifications()} {daemon.log()['prompts']} "
                             f"{shell.pointer()}") from None
    try:
        wait_until(lambda: any(t and t.startswith("breaker: ") for t in shell.windows()), 15, "the guide window")
    except AssertionError:
        raise AssertionError(f"no guide window; the shell has {shell.windows()}; {_daemon_log(daemon)}") from None
    assert daemon.stop() == 0
    prompts = daemon.log()["prompts"]
    assert [p["outcome"] for p in prompts[:2]] == ["snoozed", "skipped"]
    assert prompts[2]["answered_at"] is not None


def test_the_shell_lock_counts_as_away(shell: GnomeSession, mover: Mover, make_daemon: Any) -> None:
    daemon = make_daemon(LONG_CONFIG)
    mover.work()
    daemon.start()
    wait_until(lambda: daemon.status()["sitting"], 10, "a bout")
    mover.work(False)
    shell.screensaver("SetActive", "true")  # what the lock shortcut and the idle lock do
    wait_until(lambda: daemon.status()["locked"], 10, "the daemon to hear the lock")
    assert shell.screensaver("GetActive") == "(true,)"
    time.sleep(4)  # longer than natural_break: the lock ends the bout
    assert not daemon.status()["sitting"]
    shell.screensaver("SetActive", "false")
    wait_until(lambda: not daemon.status()["locked"], 10, "the unlock")
    assert daemon.stop() == 0
    done = daemon.cli("export", "--db", str(daemon.db), "--json")
    away = json.loads(done.stdout)["away"]
    assert any(a["cause"] == "lock" for a in away), away


def test_gnome_do_not_disturb_holds_the_prompt_until_banners_are_back(shell: GnomeSession, mover: Mover,
                                                                       make_daemon: Any) -> None:
    daemon = make_daemon(SHORT_CONFIG)
    daemon.extra_env["XDG_CONFIG_HOME"] = str(shell.config_home)  # the session's dconf database
    shell.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")  # the shell's DND switch
    try:
        banners = "new imports.gi.Gio.Settings({schema_id: 'org.gnome.desktop.notifications'}).get_boolean('show-banners')"
        wait_until(lambda: shell.eval(banners) is False, 5, "the shell to see its banners switched off")
        shell.clear_notifications()
        mover.work()
        daemon.start()
        wait_until(lambda: "do not disturb" in daemon.status()["waiting_because"], 20, "the prompt held by GNOME's DND")
        assert not [n for n in shell.notifications() if n["source"] == "breaker"]
    finally:
        shell.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "true")
    wait_until(lambda: [n for n in shell.notifications() if n["source"] == "breaker"], 20,
               "the prompt once banners are back on")
    mover.work(False)
    assert daemon.stop() == 0


def test_no_tray_the_app_entry_opens_the_status_window_and_starts_breaker(shell: GnomeSession) -> None:
    entry = shell.data_home / "applications" / "breaker.desktop"
    done = subprocess.run([sys.executable, "-m", "breaker", "autostart", "print", "launcher"], capture_output=True,
                          text=True, check=True, cwd=ROOT, timeout=30)
    entry.write_text(done.stdout)
    (shell.config_home / "breaker").mkdir(exist_ok=True)
    (shell.config_home / "breaker" / "config.toml").write_text(LONG_CONFIG)
    lookup = "imports.gi.Shell.AppSystem.get_default().lookup_app('breaker.desktop')"
    wait_until(lambda: shell.eval(f"{lookup} !== null"), 10, "the shell to find the application entry")
    found = shell.eval("imports.gi.Shell.AppSystem.search('break').flat()")
    assert "breaker.desktop" in found
    shell.eval(f"{lookup}.activate()")  # what a click on it in the app grid or the search does
    env = {**shell.env(), "XDG_RUNTIME_DIR": str(shell.runtime), "PYTHONPATH": str(ROOT)}
    try:
        status = wait_until(lambda: _status(env), 25, "the daemon the status window started")
        assert status["backends"]["tray"] is None and status["backends"]["idle"] == "gnome"
        wait_until(lambda: "breaker" in shell.windows(), 10, f"the status window (windows: {shell.windows()})")
    finally:
        shell.eval("global.get_window_actors().filter(a => a.meta_window.get_title() === 'breaker')"
                   ".forEach(a => a.meta_window.delete(global.get_current_time()))")
        subprocess.run([sys.executable, "-m", "breaker", "quit"], env=env, capture_output=True, timeout=30)


def _status(env: dict[str, str]) -> dict[str, Any] | None:
    done = subprocess.run([sys.executable, "-m", "breaker", "status", "--json"], env=env, capture_output=True,
                          text=True, timeout=30)
    return json.loads(done.stdout) if done.returncode == 0 else None



def _daemon_log(daemon: Daemon) -> str:
    path = daemon.home / "xdg_state_home" / "breaker" / "log" / "breaker.log"
    return path.read_text()[-2000:] if path.exists() else "(no daemon log)"
