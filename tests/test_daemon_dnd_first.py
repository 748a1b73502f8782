"""Do-not-disturb holds the first prompt too (#12 item 4), on the real daemon with a real paused dunst.

Before the fix the daemon asked about DND only once a prompt was due and advanced the engine first, so
the first prompt went out to a paused dunst (it queued it and showed it the moment DND ended).
"""

from __future__ import annotations

import time
from datetime import datetime

from tests.daemonkit import Daemon, Desktop, NotifyMonitor, Typist, daemon, session, wait_until  # noqa: F401


def test_dnd_on_from_the_start_holds_the_first_prompt(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    desk, typist = session
    monitor = NotifyMonitor(desk.bus)
    try:
        desk.dunstctl("set-paused", "true")
        typist.work()
        daemon.start()
        wait_until(lambda: daemon.status()["sitting"], 10, "a bout")
        time.sleep(9)  # sit_limit is 6 s: the prompt fell due a few seconds ago
        assert monitor.count() == 0, "a prompt went out while do-not-disturb was on"
        assert "do not disturb" in daemon.status()["waiting_because"]
        ended = datetime.now().astimezone()
        desk.dunstctl("set-paused", "false")
        wait_until(lambda: monitor.count() >= 1, 10, "the prompt once DND ended")
        typist.work(False)
        assert daemon.stop() == 0
    finally:
        monitor.stop()
        desk.dunstctl("set-paused", "false")
    (prompt, *_) = daemon.log()["prompts"]
    assert datetime.fromisoformat(prompt["at"]) >= ended.replace(microsecond=0)
