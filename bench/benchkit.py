"""Shared parts of the desktop benchmarks: a private Xvfb + D-Bus + dunst + trayer, and /proc sampling.

Everything is a real program started here and stopped on exit; nothing touches the user's desktop or home.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEBS = {"Xvfb": "xvfb", "dbus-daemon": "dbus", "dunst": "dunst", "dunstctl": "dunst", "trayer": "trayer",
        "xdotool": "xdotool", "xwininfo": "x11-utils", "xprop": "x11-utils",
        "dbus-monitor": "dbus"}
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path={socket}</listen><auth>EXTERNAL</auth>{servicedir}
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*" eavesdrop="true"/>
<allow receive_sender="*"/><allow eavesdrop="true"/></policy></busconfig>
"""
DUNSTRC = """[global]
    font = DejaVu Sans 10
    mouse_left_click = do_action, close_current
    show_age_threshold = -1
[urgency_normal]
    timeout = 0
"""


def apt_install(packages: list[str]) -> None:
    """Install Debian packages that are missing (we run as root in CI; sudo otherwise)."""
    missing = [p for p in packages if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                                     text=True).stdout.find("ok installed") < 0]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"installing Debian packages: {' '.join(missing)}", file=sys.stderr)
    lock = ["-o", "DPkg::Lock::Timeout=900"]  # other installers may hold the lock for a while
    subprocess.run([*sudo, "apt-get", *lock, "update", "-qq"], check=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", *lock, "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                   env=env, stdout=subprocess.DEVNULL)


def prepare() -> None:
    """Make a fresh clone runnable: Debian tools, then breaker and its Python dependencies."""
    apt_install(sorted({pkg for tool, pkg in DEBS.items() if shutil.which(tool) is None}))
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("apscheduler", "dbus_fast", "pystray", "Xlib")):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    # breaker's own bytecode, as an installed package has it: without it (a fresh clone, or
    # PYTHONDONTWRITEBYTECODE set) every launch compiles ~60 modules first, ~0.1 s of start-up
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "breaker")], check=True)


def wait_until(check: Callable[[], Any], timeout: float, what: str, step: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Desktop:
    display: str
    bus: str
    home: Path
    bus_pid: int = 0

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        env.update(DISPLAY=self.display, DBUS_SESSION_BUS_ADDRESS=self.bus, HOME=str(self.home))
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            path = self.home / var.lower()
            path.mkdir(mode=0o700, exist_ok=True)
            env[var] = str(path)
        return {**env, **extra}


def _stopping(stack: ExitStack, process: subprocess.Popen[Any]) -> subprocess.Popen[Any]:
    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    stack.callback(stop)
    return process


def _read_line(fd: int) -> str:
    with os.fdopen(fd, "rb") as ready:
        return ready.readline().decode().strip()


@contextmanager
def desktop(tray: bool = True, services: tuple[str, ...] = ()) -> Iterator[Desktop]:
    """Xvfb (own display), a private session bus, dunst, and trayer when ``tray``. The bus starts only the
    D-Bus ``services`` given (paths of .service files), none by default; what it starts inherits
    BENCH_BUS=<the desktop's home> from it (a started service is a child of init, not of the bus)."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="breaker-bench-") as tmp:
        home = Path(tmp)
        r, w = os.pipe()
        _stopping(stack, subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten",
                                           "tcp"], pass_fds=(w,), stderr=subprocess.DEVNULL))
        os.close(w)
        display = f":{_read_line(r)}"
        servicedir = ""
        if services:
            (home / "services").mkdir()
            for service in services:
                shutil.copy(service, home / "services")
            servicedir = f"<servicedir>{home / 'services'}</servicedir>"
        (home / "bus.conf").write_text(BUS_CONFIG.format(socket=home / "bus.sock", servicedir=servicedir))
        r, w = os.pipe()
        bus = _stopping(stack, subprocess.Popen(["dbus-daemon", f"--config-file={home / 'bus.conf'}", "--nofork",
                                                 "--nopidfile", f"--print-address={w}"], pass_fds=(w,),
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                env={**os.environ, "BENCH_BUS": str(home)}))
        os.close(w)
        desk = Desktop(display, _read_line(r), home, bus.pid)
        stack.callback(_stop_started, desk)
        (home / "dunstrc").write_text(DUNSTRC)
        _stopping(stack, subprocess.Popen(["dunst", "-config", str(home / "dunstrc")], env=desk.env(),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_until(lambda: subprocess.run(["dunstctl", "is-paused"], env=desk.env(), capture_output=True)
                   .returncode == 0, 10, "dunst")
        if tray:
            _stopping(stack, subprocess.Popen(["trayer", "--edge", "bottom", "--align", "right", "--widthtype",
                                               "request", "--height", "32"], env=desk.env(),
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_until(lambda: tray_host(display) is not None, 10, "trayer")
        yield desk


def started_by_bus(desk: Desktop) -> list[int]:
    """The processes ``desk``'s bus started (they carry its BENCH_BUS mark), and their children."""
    mark, found = f"BENCH_BUS={desk.home}".encode(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != desk.bus_pid:
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _stop_started(desk: Desktop) -> None:
    for pid in started_by_bus(desk):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


def tray_host(display: str) -> int | None:
    """The toplevel window of trayer on ``display`` (None while it has none)."""
    import Xlib.display

    d = Xlib.display.Display(display)
    try:
        for win in d.screen().root.query_tree().children:
            try:
                cls = win.get_wm_class()
            except Exception:
                continue
            if cls and "trayer" in " ".join(cls).lower():
                return int(win.id)
        return None
    finally:
        d.close()


def docked_icons(display: str) -> int:
    """How many embedded (XEmbed) icons sit inside trayer's window tree now."""
    import Xlib.display

    d = Xlib.display.Display(display)
    try:
        atom = d.intern_atom("_XEMBED_INFO")
        count, todo = 0, []
        for win in d.screen().root.query_tree().children:
            cls = win.get_wm_class() if win.get_attributes().map_state else None
            if cls and "trayer" in " ".join(cls).lower():
                todo.append(win)
        while todo:
            win = todo.pop()
            for child in win.query_tree().children:
                if child.get_full_property(atom, 0) is not None and child.get_attributes().map_state:
                    count += 1
                todo.append(child)
        return count
    except Exception:
        return 0
    finally:
        d.close()


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (via /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += parents.get(p, [])
    return found
