"""Soak: a simulated month through the real core and SQLite, and a real daemon left running with scripted input.

Memory growth is printed (goal: flat) and held under a generous bound. The daemon runs ~40 s in CI and
10 minutes with ``--full``; its PSS comes from /proc/PID/smaps_rollup.
"""

from __future__ import annotations

import importlib.util
import random
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from breaker.config import Config
from breaker.replay.simulate import replay
from breaker.store.coach_state import chooser_for
from breaker.store.storage import Storage
from tests.daemonkit import ROOT, Daemon, Desktop, Typist, desktop, need_desktop_tools
from tests.desktop import XDisplay
from tests.reliability_conftest import scale

SOAK_CONFIG = """
[breaks]
sit_limit = "3s"
natural_break = "2s"
snooze = "2s"
reprompt = "3s"
[tracking]
idle_after = "1s"
poll_max = "1s"
"""


def load_workday():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("replay_year", ROOT / "bench" / "replay_year.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.workday


def test_a_simulated_month_keeps_memory_flat(tmp_path: Path) -> None:
    workday = load_workday()
    rng = random.Random(7)
    storage = Storage.open(tmp_path / "month.db")
    chooser = chooser_for(storage, Config())
    tracemalloc.start()
    sizes, prompts, bouts = [], 0, 0
    day = date(2026, 3, 2)
    try:
        for _ in range(31):
            if day.weekday() < 5:
                result = replay(workday(day, rng, 1), Config().rules, storage, chooser, "soak")
                prompts += sum(result.outcomes.values())
                bouts += result.bouts
                sizes.append(tracemalloc.get_traced_memory()[0])
            day += timedelta(days=1)
    finally:
        tracemalloc.stop()
        storage.close()
    growth = (sizes[-1] - sizes[4]) / 1024
    print(f"simulated month: {len(sizes)} workdays, {bouts} bouts, {prompts} prompts, "
          f"Python heap {sizes[4] / 1024:.0f} KiB after day 5 -> {sizes[-1] / 1024:.0f} KiB (growth {growth:+.0f} KiB)")
    assert bouts > 20 * len(sizes) // 2
    assert growth < 1024, "the core or storage keeps something per day"
    check = Storage.open(tmp_path / "month.db")
    assert check.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


@pytest.fixture
def soak(xdisplay: XDisplay, tmp_path: Path) -> Iterator[tuple[Desktop, Typist, Daemon]]:
    need_desktop_tools()
    typist = Typist(xdisplay)
    home = tmp_path / "home"
    home.mkdir()
    with desktop(xdisplay, tmp_path) as desk:
        daemon = Daemon(desk, home, config_text=SOAK_CONFIG)
        try:
            yield desk, typist, daemon
        finally:
            daemon.kill()
            typist.stop()


def test_a_running_daemon_keeps_memory_flat(soak: tuple[Desktop, Typist, Daemon]) -> None:
    """Work in short stretches, pauses (some longer than a natural break), prompts snoozed and skipped: as
    many prompts and more bouts than the old 60 s run had (11, 2), in 40 s (a prompt every 2-3 s)."""
    desk, typist, daemon = soak
    seconds = scale(40, 600)
    rng = random.Random(11)
    daemon.start()
    assert daemon.process is not None
    pid = daemon.process.pid
    began = time.monotonic()
    samples: list[tuple[float, int]] = []
    while (elapsed := time.monotonic() - began) < seconds:
        working = rng.random() < 0.75
        typist.work(working)  # work, short pauses, natural breaks
        if desk.displayed() and rng.random() < 0.5:
            desk.choose(rng.choice(["Snooze", "Skip"]))
        samples.append((elapsed, pss_kb(pid)))
        time.sleep(rng.uniform(0.5, 1.5) if working else rng.uniform(1.0, 4.0))
    typist.work(False)
    status = daemon.status()
    assert daemon.stop() == 0
    log = daemon.log()
    warm_at = min(10.0, seconds / 4)
    warm = next(kb for t, kb in samples if t >= warm_at)
    last, peak = samples[-1][1], max(kb for _, kb in samples)
    outcomes = sorted({p["outcome"] for p in log["prompts"]} - {None})
    print(f"daemon soak {seconds} s: {len(log['bouts'])} bouts, {len(log['prompts'])} prompts ({outcomes}); PSS "
          f"{warm / 1024:.1f} MB after warm-up -> {last / 1024:.1f} MB at the end (growth "
          f"{(last - warm) / 1024:+.2f} MB, peak {peak / 1024:.1f} MB)")
    assert status["pid"] == pid
    assert len(log["bouts"]) >= 2 and len(log["prompts"]) >= 8, "fewer events than the old 60 s soak saw"
    assert last - warm < 4 * 1024, "the daemon grew by more than 4 MB"
