#!/usr/bin/env python3
"""Benchmark: ``breaker simulate`` of one million trace events, then ``breaker export`` of the database.

Each command runs in a child process of its own; the numbers are its wall time, its CPU time (with the
processes it starts: simulate's reading process, read from /proc every 20 ms) and its peak RSS
(``ru_maxrss`` of the waited child, read in a wrapper process so no other child counts).
The critical path is the CPU of simulate's busiest process: the wall time on an idle 2-core machine.
Goals (issue 11, item 10): simulate <= 15 s and <= 150 MB; export streams, <= 100 MB.
Usage: python3 bench/simulate_million.py [--events 1000000] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from replay_year import workday  # noqa: E402

MEASURE = """
import os, resource, subprocess, sys, time
tick = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    except (OSError, IndexError):
        return None
def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(n) for n in open(f"/proc/{pid}/task/{task}/children").read().split()]
    except OSError:
        pass
    return found
began = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
seen = {}  # the CPU seconds of each process below the command, as last read (every 20 ms)
while child.poll() is None:
    for pid in children(child.pid):
        seconds = cpu(pid)
        if seconds is not None:
            seen[pid] = seconds
    time.sleep(0.02)
wall = time.perf_counter() - began
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(child.returncode, wall, use.ru_utime + use.ru_stime, use.ru_maxrss, max(seen.values(), default=0.0))
"""


def write_trace(path: Path, events: int, seed: int) -> int:
    """Workdays from 1980 on until ``events`` lines are written (an ``end`` closes every 1000th day)."""
    rng = random.Random(seed)
    day, written = date(1980, 1, 1), 0
    with path.open("w") as out:
        while written < events:
            if day.weekday() < 5:
                for event in workday(day, rng, written + 1):
                    line = {"at": event.at.isoformat(), "event": event.event}
                    if event.action:
                        line["action"] = event.action
                    if event.result:
                        line["result"] = event.result
                    if event.answers:
                        line["answers"] = event.answers
                    out.write(json.dumps(line) + "\n")
                    written += 1
                    if written >= events:
                        break
            day += timedelta(days=1)
    return written


def measure(*argv: str) -> tuple[int, float, float, float, float]:
    """(exit code, wall seconds, CPU seconds, peak RSS in MB, CPU seconds of its busiest child process) of
    one command: the CPU counts the command and every process it started (simulate's reading process),
    the peak RSS is the largest one's."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *argv], capture_output=True, text=True, check=True)
    code, seconds, cpu, kib, helper = done.stdout.split()
    return int(code), float(seconds), float(cpu), int(kib) / 1024, float(helper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the trace and database here (and keep them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="breaker-million-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        trace, db = folder / "million.jsonl", folder / "million.db"
        db.unlink(missing_ok=True)
        count = write_trace(trace, args.events, args.seed)
        breaker = [sys.executable, "-m", "breaker"]
        code, sim_s, sim_cpu, sim_mb, reader_cpu = measure(*breaker, "simulate", str(trace), "--db", str(db))
        if code != 0:
            print(f"simulate failed with exit code {code}", file=sys.stderr)
            return 1
        size = db.stat().st_size / 2**20
        code_j, json_s, json_cpu, json_mb, _ = measure(*breaker, "export", "--json", "--db", str(db))
        code_c, csv_s, csv_cpu, csv_mb, _ = measure(*breaker, "export", "--csv", "--db", str(db))
    print(f"trace events          {count:,} ({trace.name})")
    print(f"simulate              {sim_s:6.1f} s   CPU {sim_cpu:6.1f} s   peak RSS {sim_mb:6.1f} MB   "
          "(goal <= 15 s, <= 150 MB)")
    main_cpu = sim_cpu - reader_cpu
    print(f"  simulate's processes  CPU {main_cpu:6.1f} s main (recording, SQLite), {reader_cpu:6.1f} s reader "
          f"(trace, engine); critical path {max(main_cpu, reader_cpu):6.1f} s")
    print(f"database              {size:6.1f} MB")
    print(f"export --json         {json_s:6.1f} s   CPU {json_cpu:6.1f} s   peak RSS {json_mb:6.1f} MB   "
          f"(goal <= 100 MB)  exit {code_j}")
    print(f"export --csv          {csv_s:6.1f} s   CPU {csv_cpu:6.1f} s   peak RSS {csv_mb:6.1f} MB   "
          f"(goal <= 100 MB)  exit {code_c}")
    print(f"load average          {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs: wall times stretch under load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
