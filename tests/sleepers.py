"""How long each thread of a process has asked to sleep, read from the kernel (Linux x86_64, as root or parent).

A blocked thread's system call and its arguments are in ``/proc/PID/task/TID/syscall``; a timeout given as a
pointer (futex, clock_nanosleep, ppoll, ...) is read from ``/proc/PID/mem``; an armed timerfd's time left is
in ``/proc/PID/fdinfo``. Together they are the process's plan: the earliest moment anything in it can wake
by itself. Input from outside (a socket, the X server) can still wake it sooner; watch for that separately.
"""

from __future__ import annotations

import os
import platform
import re
import struct
import time
from pathlib import Path

FOREVER = float("inf")
# x86_64 system call numbers -> (which argument is the timeout, its kind)
MS, TIMESPEC, TIMEVAL, NONE = "ms", "timespec", "timeval", "none"
TIMEOUTS = {
    7: (2, MS), 232: (3, MS), 281: (3, MS),  # poll, epoll_wait, epoll_pwait
    441: (3, TIMESPEC), 271: (2, TIMESPEC), 270: (4, TIMESPEC),  # epoll_pwait2, ppoll, pselect6
    23: (4, TIMEVAL), 35: (0, TIMESPEC),  # select, nanosleep
    0: (0, NONE), 17: (0, NONE), 43: (0, NONE), 288: (0, NONE), 45: (0, NONE), 47: (0, NONE),  # read, pread64,
    61: (0, NONE), 19: (0, NONE), 34: (0, NONE),  # accept, accept4, recvfrom, recvmsg, wait4, readv, pause
}
FUTEX, CLOCK_NANOSLEEP = 202, 230
FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_CLOCK_REALTIME = 0, 9, 256


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() == "x86_64"


def _read(pid: int, address: int, size: int) -> bytes:
    with open(f"/proc/{pid}/mem", "rb") as mem:
        mem.seek(address)
        return mem.read(size)


def _timespec(pid: int, address: int) -> float:
    if address == 0:
        return FOREVER
    sec, nsec = struct.unpack("qq", _read(pid, address, 16))
    return sec + nsec / 1e9


def _sleep_of(pid: int, fields: list[str]) -> tuple[str, float]:
    """(system call, seconds until it times out) for one blocked thread's syscall line."""
    if fields[0] == "running":
        return "running", 0.0
    number = int(fields[0])
    args = [int(a, 16) for a in fields[1:7]]
    if number == FUTEX:
        op = args[1] & 127 & ~FUTEX_CLOCK_REALTIME  # without FUTEX_PRIVATE_FLAG
        if args[3] == 0:
            return "futex", FOREVER
        if op == FUTEX_WAIT:
            return "futex", _timespec(pid, args[3])
        if op == FUTEX_WAIT_BITSET:
            now = time.time() if args[1] & FUTEX_CLOCK_REALTIME else time.monotonic()
            return "futex", _timespec(pid, args[3]) - now
        return f"futex op {op}", FOREVER
    if number == CLOCK_NANOSLEEP:
        until = _timespec(pid, args[2])
        if args[1] & 1:  # TIMER_ABSTIME
            until -= time.clock_gettime(args[0])
        return "clock_nanosleep", until
    if number not in TIMEOUTS:
        return f"syscall {number}", 0.0  # unknown: counted as waking now, so the caller sees it
    place, kind = TIMEOUTS[number]
    if kind == NONE:
        return f"syscall {number}", FOREVER
    if kind == MS:
        ms = struct.unpack("i", struct.pack("I", args[place] & 0xFFFFFFFF))[0]
        return f"syscall {number}", FOREVER if ms < 0 else ms / 1000
    if args[place] == 0:
        return f"syscall {number}", FOREVER
    if kind == TIMEVAL:
        sec, usec = struct.unpack("qq", _read(pid, args[place], 16))
        return f"syscall {number}", sec + usec / 1e6
    return f"syscall {number}", _timespec(pid, args[place])


def timerfds(pid: int) -> list[float]:
    """Seconds left on each armed timerfd of the process."""
    left = []
    for info in Path(f"/proc/{pid}/fdinfo").iterdir():
        try:
            text = info.read_text()
        except OSError:
            continue
        found = re.search(r"it_value: \((\d+), (\d+)\)", text)
        if found and "clockid:" in text:
            sec, nsec = int(found[1]), int(found[2])
            if sec or nsec:
                left.append(sec + nsec / 1e9)
    return left


def plan(pid: int) -> dict[str, tuple[str, float]]:
    """Each thread (``TID name``) -> (what it waits in, seconds until it wakes by itself); timerfds as
    ``timerfd N``. A thread not blocked in a system call shows ("running", 0)."""
    out: dict[str, tuple[str, float]] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "syscall").read_text().split()
        except OSError:
            continue  # the thread ended
        out[f"{task.name} {name}"] = _sleep_of(pid, fields) if fields else ("?", 0.0)
    for n, left in enumerate(timerfds(pid)):
        out[f"timerfd {n}"] = ("timerfd", left)
    if Path(f"/proc/{pid}/timers").exists() and Path(f"/proc/{pid}/timers").read_text().strip():
        out["posix timers"] = ("timer_create", 0.0)  # their time left is not shown: counted as waking now
    return out


def soonest(pid: int) -> float:
    """Seconds until the first thread or timer of ``pid`` wakes by itself (inf: none ever does)."""
    return min((left for _, left in plan(pid).values()), default=FOREVER)


def describe(pid: int) -> str:
    return ", ".join(f"{who}: {what} {left:.1f} s" for who, (what, left) in sorted(plan(pid).items()))


if __name__ == "__main__":  # python3 -m tests.sleepers PID
    import sys

    print(describe(int(sys.argv[1])) if len(sys.argv) > 1 else describe(os.getpid()))
