"""End to end: the real ``breaker run`` under Xvfb, a private D-Bus session bus and a real dunst.

Durations are cut to seconds. Input is real pointer motion through xdotool; answers go through dunst
(`dunstctl action 0` = a click on the body; `dunstctl context` + a scripted menu = a button).
"""

from __future__ import annotations

from tests.daemonkit import LONG_CONFIG, Daemon, Desktop, NotifyMonitor, Typist, daemon, session, wait_until  # noqa: F401
from tests.desktop import XDisplay


def finish_guide(display: XDisplay, daemon: Daemon) -> None:
    """Work through the guided break with real key presses: Space for every step and rep, 1 for answers."""
    window = display.wait_window("^breaker: ")
    display.focus(window)
    for _ in range(120):
        display.key("space", "1", delay_ms=5)
        if not daemon.status()["in_break"]:
            return
    raise AssertionError("the guided break did not finish")


def test_prompt_click_guided_break_completed(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    desk, typist = session
    monitor = NotifyMonitor(desk.bus)
    try:
        typist.work()
        daemon.start()
        wait_until(lambda: daemon.status()["sitting"], 10, "a bout from pointer input")
        wait_until(lambda: monitor.count() >= 1, 20, "the prompt's Notify call")
        assert "in your chair" in monitor.text
        for button in ("Start", "Snooze", "Skip"):
            assert f'string "{button}"' in monitor.text
        assert desk.displayed() == 1
        desk.display.screenshot(str(daemon.home / "prompt.png"))
        typist.work(False)
        desk.dunstctl("action", "0")  # the default action: a click on the notification body
        wait_until(lambda: daemon.status()["in_break"], 10, "the guided break to start")
        finish_guide(desk.display, daemon)
        assert daemon.stop() == 0
    finally:
        monitor.stop()
    log = daemon.log()
    assert len(log["bouts"]) >= 1
    assert log["prompts"][0]["outcome"] == "completed"
    assert log["prompts"][0]["answered_at"] is not None
    (brk,) = [b for b in log["breaks"] if b["prompted"]]
    assert brk["result"] == "completed" and brk["answers"]
    first_bout = log["bouts"][0]
    assert first_bout["end"] == log["prompts"][0]["answered_at"]  # Start ended the bout


def test_snooze_then_skip(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    desk, typist = session
    monitor = NotifyMonitor(desk.bus)
    try:
        typist.work()
        daemon.start()
        wait_until(lambda: monitor.count() >= 1, 25, "the first prompt")
        wait_until(lambda: desk.displayed() == 1, 5, "dunst to show it")
        desk.choose("Snooze")
        wait_until(lambda: daemon.log()["prompts"][0]["outcome"] == "snoozed", 10, "the snooze")
        wait_until(lambda: monitor.count() >= 2, 15, "the prompt after the snooze")
        wait_until(lambda: desk.displayed() == 1, 5, "dunst to show it")
        desk.choose("Skip")
        wait_until(lambda: len(daemon.log()["prompts"]) == 2 and daemon.log()["prompts"][1]["outcome"] == "skipped",
                   10, "the skip")
        status = daemon.status()
        assert status["next_prompt_in_s"] is not None and status["next_prompt_in_s"] > 3
        assert daemon.stop() == 0
    finally:
        monitor.stop()
    prompts = daemon.log()["prompts"]
    assert [p["outcome"] for p in prompts] == ["snoozed", "skipped"]
    from datetime import datetime
    snoozed_at = datetime.fromisoformat(prompts[0]["answered_at"])
    second = datetime.fromisoformat(prompts[1]["at"])
    assert 3.5 <= (second - snoozed_at).total_seconds() <= 6  # snooze = 4 s, give or take a poll


def test_natural_break_splits_bouts_and_second_instance_refused(session: tuple[Desktop, Typist],
                                                                daemon: Daemon) -> None:
    desk, typist = session
    daemon.config_text = LONG_CONFIG
    typist.work()
    daemon.start()
    second = daemon.cli("run", "--db", str(daemon.home / "other.db"))
    assert second.returncode == 1 and "already running" in second.stderr
    wait_until(lambda: daemon.status()["sitting"], 10, "a bout")
    typist.work(False)
    wait_until(lambda: not daemon.status()["sitting"], 15, "the natural break to end the bout")
    typist.work()
    # a bout of some length: stopped right after the first move, it would run from that move to itself
    wait_until(lambda: daemon.status()["sitting_s"] >= 1.0, 20, "a new bout")
    typist.work(False)
    assert daemon.stop() == 0
    log = daemon.log()
    assert len(log["bouts"]) == 2
    from datetime import datetime
    gap = datetime.fromisoformat(log["bouts"][1]["start"]) - datetime.fromisoformat(log["bouts"][0]["end"])
    assert gap.total_seconds() >= 3


def test_doctor_reports_the_real_backends(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    import json

    done = daemon.cli("doctor", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    working = {(p["kind"], p["name"]) for p in report["probes"] if p["ok"]}
    assert ("idle", "x11") in working and ("notify", "freedesktop") in working
    assert report["ready"] is True
    text = daemon.cli("doctor").stdout
    assert "dunst" in text and "breaker is ready to run." in text
    env = {k: v for k, v in daemon.env().items() if k not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    import subprocess
    import sys

    from tests.daemonkit import ROOT
    bare = subprocess.run([sys.executable, "-m", "breaker", "doctor"], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert "missing tray" in bare.stdout and "console mode" in bare.stdout
