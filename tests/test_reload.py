"""SIGHUP reloads the config: new rules apply at once; a bad file keeps the old config and says so (real daemon)."""

from __future__ import annotations

import os
import signal
import time

from tests.daemonkit import LONG_CONFIG, SHORT_CONFIG, Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

DAEMON_CONFIG = LONG_CONFIG  # sit_limit 60 s: no prompt unless the reload shortens it


def hup(daemon: Daemon) -> None:
    assert daemon.process is not None
    os.kill(daemon.process.pid, signal.SIGHUP)


def test_sighup_applies_a_new_sit_limit_and_keeps_the_old_config_on_a_bad_file(
        session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    desk, typist = session
    typist.work()
    daemon.start()
    wait_until(lambda: daemon.status()["sitting"], 10, "a bout")
    assert daemon.status()["next_prompt_in_s"] > 30
    config = daemon.home / "config.toml"
    config.write_text('[breaks]\nsit_limit = "nonsense"\n')
    hup(daemon)
    time.sleep(1)
    assert daemon.status()["next_prompt_in_s"] > 30  # still the old rules
    config.write_text(SHORT_CONFIG)  # sit_limit 6 s
    hup(daemon)
    wait_until(lambda: desk.displayed(), 15, "a prompt under the reloaded sit_limit")
    typist.work(False)
    assert daemon.stop() == 0
    out = daemon.output()
    bad = [line for line in out.splitlines() if "not reloaded" in line]
    assert len(bad) == 1 and 'sit_limit = "nonsense"' in bad[0], out
    assert any("config reloaded from" in line for line in out.splitlines()), out
    assert "Traceback" not in out
