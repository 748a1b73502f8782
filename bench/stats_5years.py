#!/usr/bin/env python3
"""Benchmark: five years of history in a temporary database, then the time of one weekly report.

Writes bouts, away time, prompts and guided breaks the way the daemon does (through ``Storage``), then
times ``load_report`` (read the two weeks + count) for a recent week and one in the middle of the history,
and the whole ``breaker stats --json`` command as a process. Goal: one weekly report in < 100 ms.
Usage: python3 bench/stats_5years.py [--years 5] [--seed 1] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breaker.core.weekly import Week  # noqa: E402
from breaker.store.report_queries import load_report, load_trend  # noqa: E402
from breaker.store.storage import Storage  # noqa: E402

ZONE = ZoneInfo("Europe/Berlin")
LIMIT = timedelta(minutes=45)
EXERCISES = ("hinge", "wall-hinge", "hip-flexor", "hamstring", "glute", "move")


def workday(storage: Storage, day: date, rng: random.Random) -> tuple[int, int, int]:
    """One workday of bouts separated by away time, with prompts on long bouts and some guided breaks."""
    t = datetime(day.year, day.month, day.day, 8, rng.randint(0, 59), tzinfo=ZONE)
    end = t + timedelta(hours=rng.uniform(7, 10))
    counts = [0, 0, 0]
    while t < end:
        length = timedelta(minutes=rng.uniform(10, 110))
        bout_end = t + length
        due = t + LIMIT
        while due < bout_end:
            outcome = rng.choices(["completed", "abandoned", "snoozed", "skipped", "dismissed", "ignored"],
                                  [5, 1, 3, 2, 1, 2])[0]
            exercise = rng.choice(EXERCISES)
            prompt = storage.add_prompt(due, t, exercise, 1)
            answered = None if outcome == "ignored" else due + timedelta(seconds=rng.randint(5, 90))
            storage.close_prompt(prompt, outcome, answered, answered or due + timedelta(minutes=5))
            counts[1] += 1
            if outcome in ("completed", "abandoned") and answered is not None:
                bout_end = answered
                brk = storage.add_break(prompt, exercise, rng.randint(1, 4), answered)
                storage.finish_break(brk, answered + timedelta(minutes=rng.uniform(1, 4)), outcome, '{"level": "right"}')
                counts[2] += 1
                break
            due += timedelta(minutes=10 if outcome == "snoozed" else 45 if outcome == "skipped" else 5)
        storage.add_bout(t, bout_end)
        counts[0] += 1
        away = timedelta(minutes=rng.uniform(5, 60))
        storage.add_away(bout_end, bout_end + away, rng.choice(["idle", "lock"]))
        t = bout_end + away
    storage.add_away(t, t + timedelta(hours=14), "suspend")
    return counts[0], counts[1], counts[2]


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(median, worst) wall time in ms."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    first, last = date(2026 - args.years, 12, 1), date(2026, 11, 29)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.db"
        storage = Storage.open(path)
        began = time.perf_counter()
        totals = [0, 0, 0]
        with storage.transaction():
            day = first
            while day <= last:
                if day.weekday() < 5 or rng.random() < 0.1:
                    totals = [a + b for a, b in zip(totals, workday(storage, day, rng))]
                day += timedelta(days=1)
        build = time.perf_counter() - began
        storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        storage.close()
        size = path.stat().st_size
        reader = Storage.open(path, readonly=True)
        recent, middle = Week.containing(last), Week.containing(first + (last - first) / 2)
        report = load_report(reader, recent, ZONE, LIMIT)
        cold = timed(lambda: load_report(reader, recent, ZONE, LIMIT), 1)[0]
        med_recent, worst_recent = timed(lambda: load_report(reader, recent, ZONE, LIMIT), args.runs)
        med_middle, worst_middle = timed(lambda: load_report(reader, middle, ZONE, LIMIT), args.runs)
        med_trend, worst_trend = timed(lambda: load_trend(reader, recent, 52, ZONE, LIMIT), max(3, args.runs // 3))
        reader.close()
        env = {**os.environ, "TZ": "Europe/Berlin", "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "breaker", "stats", "--json", "--db", str(path), "--week", str(recent)]
        cli = timed(lambda: subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL), 5)[0]
        bare = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)[0]
    print(f"history               {first} .. {last} ({args.years} years)")
    print(f"rows                  {totals[0]:,} bouts, {totals[1]:,} prompts, {totals[2]:,} breaks")
    print(f"database              {size / 1024 / 1024:.1f} MiB, built in {build:.1f} s")
    print(f"report {recent}      {med_recent:.2f} ms median, {worst_recent:.2f} ms worst of {args.runs}"
          f" (first call {cold:.2f} ms)   goal < 100 ms")
    print(f"report {middle}      {med_middle:.2f} ms median, {worst_middle:.2f} ms worst of {args.runs}")
    print(f"trend of 52 weeks     {med_trend:.2f} ms median, {worst_trend:.2f} ms worst")
    print(f"'breaker stats --json' {cli:.0f} ms per process (median of 5; a bare 'python -c pass' takes {bare:.0f} ms)")
    print(f"check                 {recent}: {report.totals.bouts} bouts, "
          f"{report.totals.sitting_s / 3600:.1f} h sitting, {report.totals.prompts} prompts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
