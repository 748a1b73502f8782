"""What a process tree costs, read from /proc: memory (smaps_rollup), CPU time, wake-ups, threads."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from benchkit import descendants


@dataclass
class Sample:
    """Counters of a process tree at one moment (memory in kB, CPU in seconds)."""

    pss_kb: int = 0
    rss_kb: int = 0
    uss_kb: int = 0  # Private_Clean + Private_Dirty: pages no other process maps (not moved by neighbours)
    cpu_s: float = 0.0
    switches: int = 0
    threads: int = 0
    processes: int = 0


def _kb(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def sample(pid: int, tree: bool = True) -> Sample:
    """Sum over ``pid`` and (when ``tree``) its children; threads' context switches come from
    /proc/PID/task/*/status."""
    total = Sample()
    for p in descendants(pid) if tree else [pid]:
        base = Path(f"/proc/{p}")
        try:
            rollup = (base / "smaps_rollup").read_text()
            tasks = list((base / "task").iterdir())
        except OSError:
            continue
        total.processes += 1
        total.pss_kb += _kb(rollup, "Pss")
        total.rss_kb += _kb(rollup, "Rss")
        total.uss_kb += _kb(rollup, "Private_Clean") + _kb(rollup, "Private_Dirty")
        for task in tasks:
            try:
                status = (task / "status").read_text()
                # time on the CPU in ns (finer than utime/stime's 10 ms ticks; live threads only)
                total.cpu_s += int((task / "schedstat").read_text().split()[0]) / 1e9
            except OSError:
                continue
            total.threads += 1
            total.switches += _kb(status, "voluntary_ctxt_switches") + _kb(status, "nonvoluntary_ctxt_switches")
    return total


def thread_switches(pid: int) -> dict[str, int]:
    """Context switches per thread name (to see which thread wakes up)."""
    out: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            status = (task / "status").read_text()
        except OSError:
            continue
        n = _kb(status, "voluntary_ctxt_switches") + _kb(status, "nonvoluntary_ctxt_switches")
        out[f"{name}/{task.name}"] = n
    return out


def thread_names(pid: int) -> dict[str, str]:
    """Python's names of the threads (``threading.Thread.name``) by thread id, from ``py-spy dump`` when
    it is installed (pip install py-spy); empty otherwise. Call it after a window: it stops the process."""
    import shutil
    import subprocess

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return {}
    try:
        dump = subprocess.run([spy, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    names = {}
    for line in dump.splitlines():  # Thread 7616 (idle): "breaker-aio"
        if line.startswith("Thread ") and '"' in line:
            tid = line.split()[1]
            names[str(int(tid, 16) if tid.startswith("0x") else int(tid))] = line.split('"')[1]
    return names


@dataclass
class Usage:
    """What a process tree used over a window of ``seconds``."""

    name: str
    pss_mb: float
    rss_mb: float
    cpu_s: float
    wakeups: int
    threads: int
    processes: int
    seconds: float
    dock_s: float | None

    def per_min(self, value: float) -> float:
        return value * 60.0 / self.seconds


def usage(name: str, before: Sample, after: Sample, seconds: float, dock_s: float | None) -> Usage:
    return Usage(name, after.pss_kb / 1024, after.rss_kb / 1024, after.cpu_s - before.cpu_s,
                 after.switches - before.switches, after.threads, after.processes, seconds, dock_s)
