"""Console mode in a real terminal (tmux): the prompt is printed, a single key answers it, it is recorded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import need
from tests.daemonkit import ROOT, wait_until

CONFIG = """
[breaks]
sit_limit = "21s"
natural_break = "20s"
snooze = "30s"
reprompt = "40s"
[tracking]
idle_after = "10s"
poll_max = "1s"
"""


class Tmux:
    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=10)
        self.last_error = done.stderr
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "breaker")


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    need(shutil.which("tmux") is not None, "tmux is not installed (apt-get install tmux)")
    t = Tmux(tmp_path / "tmux.sock")
    yield t
    t("kill-server")


def test_console_prompt_answered_with_one_key(tmux: Tmux, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "b.db"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env.update(XDG_RUNTIME_DIR=str(runtime), PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(tmp_path / "state"))
    command = f"{sys.executable} -m breaker -v run --config {config} --db {db}"
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "breaker", "-x", "120", "-y", "30", "-e",
         f"XDG_RUNTIME_DIR={runtime}", "-e", f"PYTHONPATH={ROOT}", "-e", f"XDG_STATE_HOME={tmp_path / 'state'}",
         "-e", "DISPLAY=", "-e", "WAYLAND_DISPLAY=", command)
    # typing in the terminal (Linux moves a terminal's access time at most every 8 s, hence the long limits) is the input console mode sees (its tty's access time)
    def typed_until_prompt() -> bool:
        tmux("send-keys", "-t", "breaker", "a")
        time.sleep(0.3)
        return "in your chair" in tmux.screen()
    wait_until(typed_until_prompt, 40, "the prompt in the terminal")
    screen = tmux.screen()
    assert "[s]tart" in screen and "sno[z]e" in screen and "s[k]ip" in screen
    tmux("send-keys", "-t", "breaker", "z")
    sent = f"send-keys: {tmux.last_error!r}\n"
    try:
        wait_until(lambda: "-> snooze" in tmux.screen(), 10, "the answer to be taken")
    except AssertionError:
        logs = list((tmp_path / "state").rglob("*.log"))
        raise AssertionError(sent + tmux.screen() + "\n".join(p.read_text() for p in logs)) from None
    status = subprocess.run([sys.executable, "-m", "breaker", "status", "--json"], env=env, capture_output=True,
                            text=True, cwd=ROOT)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["backends"]["notify"] == "console"
    quit_ = subprocess.run([sys.executable, "-m", "breaker", "quit"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert quit_.returncode == 0
    wait_until(lambda: "breaker" not in tmux("list-sessions"), 15, "the daemon to stop")
    log = subprocess.run([sys.executable, "-m", "breaker", "log", "--db", str(db), "--json"], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    prompts = json.loads(log.stdout)["prompts"]
    assert prompts[0]["outcome"] == "snoozed" and prompts[0]["answered_at"] is not None
