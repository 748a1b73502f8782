"""Security: private files, a control socket only its user can use, no network, no shell.

Runs the real daemon (Xvfb, private D-Bus, dunst). The other user is a throwaway system account made with
``useradd`` (the suite runs as root in CI); a forked child drops to it with setgid/setuid and connects.
"""

from __future__ import annotations

import logging
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need
from tests.daemonkit import ROOT, Daemon, desktop, need_desktop_tools, wait_until
from tests.desktop import XDisplay

OTHER = "breaker-test-other"
SHELL_CALLS = re.compile(r"shell\s*=\s*True|os\.system\(|os\.popen\(|getstatusoutput\(|getoutput\(|"
                         r"create_subprocess_shell\(|os\.exec\w*\(\s*['\"]/bin/sh")


@pytest.fixture
def running(xdisplay: XDisplay, tmp_path: Path) -> Iterator[Daemon]:
    need_desktop_tools()
    # a home another user can pass through (pytest's own temp folder is 0700): the test opens it up on purpose
    home = Path(tempfile.mkdtemp(prefix="breaker-security-", dir="/tmp"))
    home.chmod(0o711)
    with desktop(xdisplay, tmp_path) as desk:
        daemon = Daemon(desk, home)
        daemon.start()
        try:
            yield daemon
        finally:
            daemon.kill()
            shutil.rmtree(home, ignore_errors=True)


def other_user() -> tuple[int, int]:
    """(uid, gid) of the throwaway account, created on first use."""
    need(os.geteuid() == 0, "creating a second user needs root")
    need(shutil.which("useradd") is not None, "useradd is not installed (apt-get install passwd)")
    try:
        entry = pwd.getpwnam(OTHER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER],
                       check=True, capture_output=True)
        entry = pwd.getpwnam(OTHER)
    return entry.pw_uid, entry.pw_gid


def connect_as(uid: int, gid: int, path: Path) -> str:
    """Connect to ``path`` and ask for the status as another user (forked child); what happened."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only async-signal-simple work, then _exit
        outcome = "error"
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(str(path))
                sock.sendall(b'{"cmd": "status", "args": {}}\n')
                outcome = "answered" if sock.recv(4096) else "closed without an answer"
        except PermissionError:
            outcome = "permission denied"
        except (ConnectionResetError, BrokenPipeError):  # the server hung up without reading the request
            outcome = "closed without an answer"
        except OSError as err:
            outcome = f"error: {err}"
        finally:
            os.write(write, outcome.encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        result = pipe.read().decode()
    os.waitpid(pid, 0)
    return result


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_files_are_created_readable_by_the_user_only(running: Daemon) -> None:
    home = running.home
    config = home / "made.toml"
    assert running.cli("config", "init", str(config)).returncode == 0
    made = [running.db, config, *home.glob("xdg_state_home/**/*.log"), *home.glob("xdg_runtime_dir/breaker/*")]
    made += [p for p in (running.db.with_name("breaker.db-wal"), running.db.with_name("breaker.db-shm")) if p.exists()]
    assert any(p.name.endswith(".log") for p in made), "no log file was written"
    loose = [f"{p} {stat.filemode(p.stat().st_mode)}" for p in made if not private(p)]
    assert not loose
    folders = {p.parent for p in made if p.parent != running.db.parent}  # --db's folder is the user's choice
    assert not [f"{f} {stat.filemode(f.stat().st_mode)}" for f in folders if not private(f)]


def test_the_log_stays_private_after_rotation(tmp_path: Path) -> None:
    from breaker.logs import setup_logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    old_umask = os.umask(0o022)
    try:
        path = setup_logging(False)
        for _ in range(1300):  # 1.3 MB: past the 1 MB rotation size
            logging.getLogger("breaker.test").info("x" * 1000)
    finally:
        os.umask(old_umask)
        for handler in root.handlers[len(handlers):]:
            handler.close()
            root.removeHandler(handler)
    rotated = sorted(path.parent.glob("breaker.log*"))
    assert len(rotated) >= 2
    assert all(private(p) for p in rotated), [f"{p.name} {stat.filemode(p.stat().st_mode)}" for p in rotated]


def test_control_socket_refuses_other_users(running: Daemon) -> None:
    uid, gid = other_user()
    path = running.home / "xdg_runtime_dir" / "breaker" / "control.sock"
    assert path.exists()
    assert connect_as(os.getuid(), os.getgid(), path) == "answered"  # the owner is served
    assert connect_as(uid, gid, path) == "permission denied"  # folder 0700 and socket 0600 keep others out
    # Defence in depth: even with the folder and socket opened to everyone, SO_PEERCRED turns them away
    opened = (path.parent.parent, path.parent, path)
    modes = [stat.S_IMODE(p.stat().st_mode) for p in opened]
    for p in opened:
        os.chmod(p, 0o777 if p == path else 0o711)
    try:
        assert connect_as(uid, gid, path) == "closed without an answer"
    finally:
        for p, mode in zip(opened, modes):
            os.chmod(p, mode)
    done = running.cli("status")
    assert done.returncode == 0, done.stdout + done.stderr
    log = next(running.home.glob("xdg_state_home/**/breaker.log")).read_text()
    assert "refused a control connection from another user" in log


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def test_the_daemon_opens_no_network_sockets(running: Daemon) -> None:
    assert running.process is not None
    pid = running.process.pid
    wait_until(lambda: running.status()["backends"]["tray"] is not None or True, 5, "start-up")
    mine = socket_inodes(pid)
    assert mine, "the daemon should at least hold its control socket and D-Bus/X connections"
    network = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6"):
        proc_table = Path(f"/proc/{pid}/net/{table}")
        if proc_table.exists():
            for line in proc_table.read_text().splitlines()[1:]:
                fields = line.split()
                if len(fields) > 9:
                    network.add(fields[9])
    assert not mine & network, f"network sockets held by the daemon: {mine & network}"
    unix = {line.split()[6] for line in Path(f"/proc/{pid}/net/unix").read_text().splitlines()[1:]
            if len(line.split()) > 6}
    assert mine <= unix, f"sockets that are not Unix-domain: {mine - unix}"


def test_no_subprocess_goes_through_a_shell() -> None:
    found = []
    for path in sorted((ROOT / "breaker").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SHELL_CALLS.search(line.split("#", 1)[0]):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found
