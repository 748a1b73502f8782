#!/usr/bin/env python3
"""Benchmark: replay a generated year of 8-hour workdays through the real engine and SQLite.

Prints events per second, the wall time of the replay and the database size. Goal: the year in < 5 s.
Usage: python3 bench/replay_year.py [--days 365] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from breaker.config import Config  # noqa: E402
from breaker.replay.simulate import replay  # noqa: E402
from breaker.replay.trace import TraceEvent  # noqa: E402
from breaker.store.coach_state import chooser_for  # noqa: E402
from breaker.store.storage import Storage  # noqa: E402

ZONE = ZoneInfo("Europe/Berlin")


def workday(day: date, rng: random.Random, line: int) -> list[TraceEvent]:
    """One 8-hour workday: typing with reading pauses, a meeting behind a lock, lunch, answers, suspend."""
    events: list[TraceEvent] = []
    t = datetime(day.year, day.month, day.day, 8, rng.randint(30, 59), tzinfo=ZONE)
    end = t + timedelta(hours=8, minutes=45)

    def add(kind: str, **fields: object) -> None:
        events.append(TraceEvent(line + len(events), t, kind, **fields))  # type: ignore[arg-type]

    add("resume")
    while t < end:
        t += timedelta(seconds=rng.randint(20, 90))
        add("active")
        t += timedelta(minutes=rng.uniform(2, 25))
        roll = rng.random()
        if roll < 0.12:
            add("answer", action=rng.choice(["start", "snooze", "skip", "dismiss"]))
            if events[-1].action == "start":
                t += timedelta(minutes=rng.uniform(1.5, 4))
                add("finish", result="completed" if rng.random() < 0.85 else "abandoned",
                    answers={"chest": rng.choice(["yes", "no"]), "level": rng.choice(["easy", "right", "hard"])})
        elif roll < 0.2:
            add("lock")
            t += timedelta(minutes=rng.uniform(10, 60))
            add("unlock")
        else:
            add("idle")
            t += timedelta(minutes=rng.uniform(0.5, 7))
    add("idle")
    t += timedelta(minutes=1)
    add("suspend")
    return events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    events: list[TraceEvent] = []
    day = date(2026, 1, 1)
    for _ in range(args.days):
        if day.weekday() < 5:
            events += workday(day, rng, len(events) + 1)
        day += timedelta(days=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.db"
        storage = Storage.open(path)
        chooser = chooser_for(storage, Config())
        began = time.perf_counter()
        result = replay(events, Config().rules, storage, chooser, "generated")
        elapsed = time.perf_counter() - began
        storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        storage.close()
        size = path.stat().st_size
    workdays = sum(1 for e in events if e.event == "resume")
    print(f"workdays replayed     {workdays}")
    print(f"events                {len(events)}")
    print(f"bouts / prompts       {result.bouts} / {sum(result.outcomes.values())}")
    print(f"replay time           {elapsed:.2f} s   (goal < 5 s)")
    print(f"events per second     {len(events) / elapsed:,.0f}")
    print(f"database size         {size / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
