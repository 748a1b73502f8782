"""Wall-clock jumps on the running daemon, through libfaketime (Debian's faketime package).

The daemon runs under ``LD_PRELOAD=libfaketime`` with ``FAKETIME_TIMESTAMP_FILE`` + ``FAKETIME_NO_CACHE=1``, so
the test moves its wall clock while it runs. ``FAKETIME_DONT_FAKE_MONOTONIC=1`` keeps CLOCK_MONOTONIC real:
libfaketime fakes it too by default, and then the daemon's gap check (wall clock against time.monotonic) would
see no gap at all. A jump forward is a suspend nobody announced; a jump back is an NTP correction.
Checks: no sitting invented, no negative durations, no prompt storm, and the daemon keeps working.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import need
from tests.daemonkit import ROOT, Daemon, Desktop, Typist, desktop, need_desktop_tools, wait_until
from tests.desktop import XDisplay

LIBFAKETIME = [Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
               Path("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
               Path("/usr/lib/faketime/libfaketime.so.1")]
CONFIG = """
[breaks]
sit_limit = "8s"
natural_break = "3s"
snooze = "4s"
reprompt = "5s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""
JUMP_S = 3600


class FakeClockDaemon(Daemon):
    """``breaker run`` under libfaketime; the CLI calls of the test run on the real clock."""

    clock_file: Path | None = None

    def start(self, *args: str) -> None:
        lib = next((p for p in LIBFAKETIME if p.exists()), None)
        need(lib is not None, "libfaketime is not installed (apt-get install faketime)")
        self.clock_file = self.home / "faketime"
        self.shift(0)
        config = self.home / "config.toml"
        config.write_text(self.config_text)
        env = {**self.env(), "LD_PRELOAD": str(lib), "FAKETIME_TIMESTAMP_FILE": str(self.clock_file),
               "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "breaker", "run", "--config", str(config), "--db", str(self.db), *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        wait_until(lambda: self.call_ok("status"), 20, "the daemon's control socket")

    def shift(self, seconds: int) -> None:
        """Set the daemon's wall clock to real time + ``seconds`` (read again on every clock call)."""
        assert self.clock_file is not None
        self.clock_file.write_text(f"{seconds:+d}\n")


@pytest.fixture
def daemon(xdisplay: XDisplay, tmp_path: Path) -> Iterator[tuple[Desktop, Typist, FakeClockDaemon]]:
    need_desktop_tools()
    typist = Typist(xdisplay)
    home = tmp_path / "home"
    home.mkdir()
    with desktop(xdisplay, tmp_path) as desk:
        d = FakeClockDaemon(desk, home, config_text=CONFIG)
        try:
            yield desk, typist, d
        finally:
            d.kill()
            typist.stop()


def spans(rows: list[dict[str, str]], a: str, b: str) -> list[float]:
    return [(datetime.fromisoformat(r[b]) - datetime.fromisoformat(r[a])).total_seconds() for r in rows]


def test_clock_jumps_forward_and_back_invent_nothing(daemon: tuple[Desktop, Typist, FakeClockDaemon]) -> None:
    _desk, typist, d = daemon
    began = time.monotonic()
    typist.work()
    d.start()
    wait_until(lambda: d.status()["sitting"], 10, "a bout from pointer input")
    time.sleep(2)
    d.shift(JUMP_S)  # forward: an hour passes on the wall clock in no time (a suspend without a signal)
    time.sleep(3)
    status = d.status()
    assert status["sitting"] and status["sitting_s"] < 10, status  # a new bout, not one hour of sitting
    d.shift(0)  # back: the wall clock steps back an hour (an NTP correction)
    time.sleep(3)
    typist.work(False)
    # the daemon keeps working on the stepped-back clock: the natural break still ends the bout
    wait_until(lambda: not d.status()["sitting"], 15, "the bout to end after the step back")
    typist.work()
    wait_until(lambda: d.status()["sitting"], 10, "a bout after the step back")
    time.sleep(2)
    typist.work(False)
    assert d.stop() == 0
    elapsed = time.monotonic() - began
    log = d.log()
    bouts = spans(log["bouts"], "start", "end")
    assert bouts and min(bouts) >= 0, log["bouts"]  # no negative durations
    assert sum(bouts) <= elapsed + 1, (sum(bouts), elapsed, log["bouts"])  # no sitting invented
    prompts = log["prompts"]
    assert len(prompts) <= elapsed / 5 + 1, prompts  # no storm: at most one per reprompt interval
    answered = [p for p in prompts if p["answered_at"]]
    assert min(spans(answered, "at", "answered_at"), default=0) >= 0
    print(f"{elapsed:.0f} s real, {len(bouts)} bouts, {sum(bouts):.0f} s sitting, {len(prompts)} prompts")
