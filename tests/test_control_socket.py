"""The control socket never dies: accept errors, 200 clients at once, silent clients, bad requests (real daemon)."""

from __future__ import annotations

import json
import resource
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from breaker import ipc
from breaker.core.errors import UserError
from tests.daemonkit import LONG_CONFIG, ROOT, Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

DAEMON_CONFIG = LONG_CONFIG


def sock_path(daemon: Daemon) -> Path:
    return daemon.home / "xdg_runtime_dir" / "breaker" / "control.sock"


def raw(daemon: Daemon, line: bytes) -> dict[str, object]:
    """Send one raw request line, as any program could, and read the one-line reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(sock_path(daemon)))
        s.sendall(line)
        reply = s.makefile().readline()
    assert reply.endswith("\n") and reply.count("\n") == 1
    return dict(json.loads(reply))


def start_limited(daemon: Daemon, nofile: int) -> None:
    """``breaker run`` with ``ulimit -n nofile``."""
    config = daemon.home / "config.toml"
    config.write_text(daemon.config_text)
    limit = (nofile, nofile)
    daemon.process = subprocess.Popen(
        [sys.executable, "-m", "breaker", "run", "--config", str(config), "--db", str(daemon.db)],
        env=daemon.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, limit))
    wait_until(lambda: daemon.call_ok("status"), 20, "the daemon's control socket")


def test_out_of_file_descriptors_is_waited_out(daemon: Daemon) -> None:
    start_limited(daemon, 64)
    held = []
    for _ in range(80):  # half-open connections: more than the daemon has descriptors for
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(str(sock_path(daemon)))
        held.append(s)
    time.sleep(1.5)  # the daemon runs out of descriptors while accepting them
    for s in held:
        s.close()
    assert ipc.call("status", path=sock_path(daemon), timeout=15)["sitting"] is not None
    assert daemon.stop() == 0
    log = (daemon.home / "xdg_state_home" / "breaker" / "log" / "breaker.log").read_text()
    assert log.count("accept failed") == 1, "the fault was not provoked, or logged more than once"


def test_two_hundred_clients_at_once_are_all_served(daemon: Daemon) -> None:
    daemon.start()
    path = sock_path(daemon)

    def one(_: int) -> str:
        try:
            return "ok" if "sitting" in ipc.call("status", path=path, timeout=60) else "odd reply"
        except (UserError, OSError) as err:
            return f"{type(err).__name__}: {err}"

    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(one, range(200)))
    failed = [r for r in results if r != "ok"]
    assert not failed, f"{len(failed)} of 200 failed, e.g. {failed[0]}"
    assert daemon.stop() == 0


def test_a_silent_client_holds_up_nobody(daemon: Daemon) -> None:
    daemon.start()
    silent = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(20)]
    for s in silent:
        s.connect(str(sock_path(daemon)))
        s.sendall(b'{"cmd": "sta')  # half a request, then nothing
    began = time.monotonic()
    assert "sitting" in ipc.call("status", path=sock_path(daemon), timeout=10)
    assert time.monotonic() - began < 3
    assert silent[0].recv(100) == b""  # hung up on after the per-connection timeout
    for s in silent:
        s.close()
    assert daemon.stop() == 0


BAD = [
    b'{"cmd": "break", "args": {"level": {}}}\n',
    b'{"cmd": "break", "args": {"exercise": ["hinge"]}}\n',
    b'{"cmd": "break", "args": {"level": true}}\n',
    b'{"cmd": "break", "args": {"exercise": "hinge", "level": 999}}\n',
    b'{"cmd": "break", "args": []}\n',
    b'{"cmd": "pause", "args": {"spec": 5}}\n',
    b'{"cmd": "pause", "args": {"spec": "99999999999h"}}\n',
    b'{"cmd": "pause", "args": {"until": "1h"}}\n',
    b'{"cmd": {"x": 1}}\n',
    b'["break"]\n',
    b'"break"\n',
    b"[" * 60_000 + b"\n",
    b"\xff\xfe\n",
]


def test_bad_requests_are_refused_in_one_line_and_change_nothing(daemon: Daemon) -> None:
    daemon.start()
    for line in BAD:
        reply = raw(daemon, line)
        assert reply["ok"] is False, line[:60]
        error = str(reply["error"])
        assert "\n" not in error and "internal error" not in error and "Traceback" not in error, (line[:60], error)
    status = daemon.status()
    assert not status["in_break"] and not status["paused"]
    assert daemon.stop() == 0
    conn = sqlite3.connect(daemon.db)
    try:
        assert conn.execute("SELECT count(*) FROM breaks").fetchone()[0] == 0
    finally:
        conn.close()
    assert "Traceback" not in daemon.output()
