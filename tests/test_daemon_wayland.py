"""``breaker run`` and ``breaker doctor`` on a KDE Wayland session (KWin 5.27, nothing but Wayland): run
starts, reads idle time from KWin and records the bout that real pointer input makes; doctor names the
Wayland source, and its advice names the Wayland path (issue 15.2: run exited 1, doctor said "install KDE")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.compositors import Compositor, kwin_checked
from tests.daemonkit import SHORT_CONFIG, wait_until

ROOT = Path(__file__).resolve().parent.parent
CONFIG = SHORT_CONFIG.replace('sit_limit = "6s"', 'sit_limit = "60s"')  # no prompt in the way


@pytest.fixture(scope="module")
def kde(tmp_path_factory: pytest.TempPathFactory, session_bus: str) -> Iterator[Compositor]:
    with kwin_checked(tmp_path_factory.mktemp("kwin"), session_bus) as compositor:
        yield compositor


def _env(compositor: Compositor, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        (home / var.lower()).mkdir(mode=0o700, parents=True, exist_ok=True)
        env[var] = str(home / var.lower())
    return {**env, "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE", "WAYLAND_DISPLAY": compositor.socket,
            "PYTHONPATH": str(ROOT), "BREAKER_TRAY_WAIT": "0"}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=30)


def test_breaker_run_on_kde_wayland_records_the_bout_kwin_input_makes(kde: Compositor, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(kde, home)
    (home / "config.toml").write_text(CONFIG)
    db = home / "breaker.db"
    daemon = subprocess.Popen([sys.executable, "-m", "breaker", "run", "--config", str(home / "config.toml"),
                               "--db", str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, cwd=ROOT)
    try:
        def up() -> bool:
            if daemon.poll() is not None:
                raise AssertionError(f"breaker run exited {daemon.returncode}: {daemon.communicate()[0]}")
            return _cli(env, "status").returncode == 0

        wait_until(up, 20, "the daemon's control socket")
        status = json.loads(_cli(env, "status", "--json").stdout)
        assert status["backends"]["idle"] == "wayland (ext_idle_notifier_v1)", status
        time.sleep(3.5)  # longer than natural_break: whatever the start looked like is over
        moved: list[float] = []
        stop = threading.Event()

        def keep_moving() -> None:  # each move is a fake-input process: slow on a busy machine
            while not stop.is_set():
                before = time.time()
                kde.pointer()
                moved.append((before, time.time()))  # the move happened in between
                time.sleep(0.25)
        first = time.time()
        mover = threading.Thread(target=keep_moving, daemon=True)
        mover.start()
        try:
            # asked while the input runs: it counts as active only until idle_after (1 s) after the last move,
            # less than one `breaker status` takes on a busy machine
            try:
                wait_until(lambda: json.loads(_cli(env, "status", "--json").stdout)["input_active"], 20, "input seen")
            except AssertionError:
                took = [round(b - a, 2) for a, b in moved]
                log = next(home.glob("**/breaker.log")).read_text()[-3000:]
                raise AssertionError(f"input never seen active; {len(moved)} moves, each took {took}; "
                                     f"{_cli(env, 'status', '--json').stdout}; log: {log}") from None
            time.sleep(max(0.0, first + 4.0 - time.time()))  # input for 4 s at least
        finally:
            stop.set()
            mover.join(timeout=30)
        (first, first_done), (last_began, last) = moved[0], moved[-1]
        # idle_after + natural_break after the last move the bout is over; waited for, not slept
        wait_until(lambda: json.loads(_cli(env, "status", "--json").stdout)["bout_start"] is None, 30,
                   "the natural break to end the bout")
        assert _cli(env, "quit").returncode == 0
        assert daemon.wait(timeout=20) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    bouts = json.loads(_cli(env, "log", "--db", str(db), "--json").stdout)["bouts"]
    spans = [(datetime.fromisoformat(b["start"]).timestamp(), datetime.fromisoformat(b["end"]).timestamp())
             for b in bouts if b["end"]]
    ours = [(s, e) for s, e in spans if e > first - 1]
    assert len(ours) == 1, (bouts, first, last)
    start, end = ours[0]
    assert first - 1.5 < start < first_done + 1.5 and last_began - 2.5 < end < last + 2.5, (moved[0], start, moved[-1], end)


def _doctor(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "breaker", "doctor"], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def test_doctor_on_kde_wayland_names_the_wayland_source(kde: Compositor) -> None:
    plasma = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE", "WAYLAND_DISPLAY": kde.socket}
    text = _doctor(plasma)
    assert "ok  idle" in text and "wayland (ext_idle_notifier_v1): idle" in text, text
    assert "missing idle" not in text, text
    broken = _doctor({**plasma, "WAYLAND_DISPLAY": kde.socket + "-gone"})
    assert "cannot connect to the Wayland display" in broken, broken
    missing = next(line for line in broken.splitlines() if line.startswith("missing idle"))
    assert "ext-idle-notify-v1" in missing and "install an X server session, GNOME (Mutter) or KDE" not in missing
