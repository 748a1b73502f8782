"""tests/sleepers.py reads each thread's own timeout from the kernel: checked on a process whose plan is known."""

from __future__ import annotations

import subprocess
import sys
import time

from tests import sleepers
from tests.conftest import need

CHILD = """
import select, socket, threading, time
a, b = socket.socketpair()
threading.Thread(target=lambda: threading.Event().wait(30), daemon=True).start()  # futex, absolute
threading.Thread(target=lambda: select.poll().poll(20000), daemon=True).start()  # poll, milliseconds
threading.Thread(target=lambda: a.recv(1), daemon=True).start()  # no timeout
threading.Thread(target=lambda: threading.Event().wait(), daemon=True).start()  # futex, no timeout
print("ready", flush=True)
time.sleep(45)  # clock_nanosleep
"""


def test_each_threads_timeout_is_read_as_the_process_asked() -> None:
    need(sleepers.supported(), "reading threads' timeouts from /proc needs Linux on x86_64")
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(0.5)  # every thread blocked in its call
        waits = sorted((what, left) for what, left in sleepers.plan(child.pid).values())
        by_kind: dict[str, list[float]] = {}
        for what, left in waits:
            by_kind.setdefault(what, []).append(left)
        assert 40 < min(by_kind["clock_nanosleep"]) <= 45, waits
        futexes = sorted(by_kind["futex"])
        assert 25 < futexes[0] <= 30 and futexes[-1] == sleepers.FOREVER, waits
        assert 20.0 in by_kind["syscall 7"], waits  # poll's milliseconds
        assert by_kind["syscall 45"] == [sleepers.FOREVER], waits  # recvfrom
        assert 20 - 1 < sleepers.soonest(child.pid) <= 20, waits
    finally:
        child.kill()
        child.wait()
