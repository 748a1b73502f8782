"""Real Wayland compositors for tests, and real input into them.

- :func:`sway` runs sway 1.7 with its headless backend (offers ``org_kde_kwin_idle``); input comes from
  ``wtype`` (a virtual keyboard) and ``swaymsg seat - cursor move`` (pointer motion). sway refuses to run
  as root, so under root it runs as ``nobody``.
- :func:`kwin` runs KWin 5.27 with its virtual backend (offers ``ext_idle_notifier_v1`` and
  ``org_kde_kwin_idle``) on a private session bus; input comes from ``org_kde_kwin_fake_input`` (pointer
  motion), which KWin grants only to an executable named in a desktop file's
  ``X-KDE-Wayland-Interfaces``: this Python's. kwin_wayland carries a file capability that a sandbox
  refuses, so a copy of the binary runs.

Both yield a :class:`Compositor` whose ``socket`` is an absolute path, usable as ``WAYLAND_DISPLAY``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.desktop import stop_process

FAKE_INPUT = Path(__file__).with_name("kwin_fake_input.py")


@dataclass
class Compositor:
    name: str
    socket: str
    process: subprocess.Popen[Any]
    env: dict[str, str] = field(default_factory=dict)  # what input tools need (XDG_RUNTIME_DIR, SWAYSOCK)
    as_user: list[str] = field(default_factory=list)

    def pointer(self) -> None:
        """Move the pointer by a few pixels: real input through the compositor's input path."""
        if self.name == "sway":
            cmd = [*self.as_user, "swaymsg", "seat", "-", "cursor", "move", "7", "5"]
        else:
            cmd = [sys.executable, str(FAKE_INPUT), self.socket]
        subprocess.run(cmd, env={**os.environ, **self.env}, check=True, capture_output=True, timeout=10)

    def key(self) -> None:
        """Type one key with a virtual keyboard (sway only)."""
        subprocess.run(["wtype", "a"], env={**os.environ, **self.env, "WAYLAND_DISPLAY": self.socket},
                       check=True, capture_output=True, timeout=10)


def _wait_socket(path: Path, process: subprocess.Popen[Any], log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            raise AssertionError(f"{process.args[0]} did not open {path}: {log.read_text()[-2000:]}")
        time.sleep(0.05)


AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def sway_runtime(tmp: Path) -> Path:
    """A runtime folder sway can own: under root sway runs as nobody, who cannot enter pytest's tmp."""
    if os.geteuid() != 0:
        runtime = tmp / "sway-runtime"
        runtime.mkdir(mode=0o700)
        return runtime
    runtime = Path(tempfile.mkdtemp(prefix="breaker-sway-"))
    shutil.chown(runtime, "nobody", "nogroup")
    return runtime


@contextmanager
def sway(tmp: Path, runtime: Path | None = None) -> Iterator[Compositor]:
    """sway on ``runtime`` (made and removed here unless given: a restart reuses the same socket)."""
    own = runtime is None
    runtime = sway_runtime(tmp) if runtime is None else runtime
    as_user = AS_NOBODY if os.geteuid() == 0 else []  # sway refuses to start as root
    config = runtime / "sway.cfg"
    config.write_text("xwayland disable\noutput * bg #202020 solid_color\n")
    env = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime), "WLR_BACKENDS": "headless",
           "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman", "PATH": os.environ["PATH"]}
    log = tmp / "sway.log"
    with log.open("w") as out:
        process = subprocess.Popen([*as_user, "sway", "-c", str(config)], env=env, stdout=out, stderr=out)
    try:
        socket = runtime / "wayland-1"
        ipc = f"sway-ipc.{pwd.getpwnam('nobody').pw_uid if as_user else os.getuid()}.{process.pid}.sock"
        _wait_socket(socket, process, log)
        _wait_socket(runtime / ipc, process, log)
        yield Compositor("sway", str(socket), process, {"XDG_RUNTIME_DIR": str(runtime),
                                                         "SWAYSOCK": str(runtime / ipc)}, as_user)
    finally:
        stop_process(process)
        if own:
            shutil.rmtree(runtime, ignore_errors=True)


@contextmanager
def kwin(tmp: Path, bus: str) -> Iterator[Compositor]:
    runtime, data = tmp / "kwin-runtime", tmp / "data"
    runtime.mkdir(mode=0o700, parents=True)
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "breaker-test-input.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=breaker test input\nNoDisplay=true\n"
        f"Exec={os.path.realpath(sys.executable)}\nX-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n")
    binary = tmp / "kwin_wayland"
    shutil.copy(shutil.which("kwin_wayland") or "kwin_wayland", binary)  # a copy has no file capability
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp), "XDG_DATA_HOME": str(data),
           "XDG_CACHE_HOME": str(tmp / "cache"), "XDG_CONFIG_HOME": str(tmp / "config"),
           "DBUS_SESSION_BUS_ADDRESS": bus, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DISPLAY", None)
    subprocess.run(["kbuildsycoca5"], env=env, capture_output=True, timeout=60, check=False)
    log = tmp / "kwin.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(binary), "--virtual", "--socket", "wl-breaker", "--no-lockscreen",
                                    "--no-global-shortcuts", "--no-kactivities"], env=env, stdout=out, stderr=out)
    socket = runtime / "wl-breaker"
    _wait_socket(socket, process, log)
    try:
        yield Compositor("kwin", str(socket), process, {"XDG_RUNTIME_DIR": str(runtime)})
    finally:
        stop_process(process)


@contextmanager
def kwin_checked(tmp: Path, bus: str) -> Iterator[Compositor]:
    """``kwin`` once it is known to be installed (missing, it fails the test under CI=true)."""
    from tests.conftest import need

    need(shutil.which("kwin_wayland") is not None and shutil.which("kbuildsycoca5") is not None,
         "kwin_wayland is not installed (apt-get install kwin-wayland)")
    with kwin(tmp, bus) as compositor:
        yield compositor
