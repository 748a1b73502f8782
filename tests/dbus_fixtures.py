"""Private D-Bus buses, a real dunst on them, and a helper to host test services.

Fixtures (session-scoped, exposed to every test by ``tests/conftest.py``):

- ``session_bus``: a private ``dbus-daemon`` used as the session bus; yields its address (a ``str``) and
  sets ``DBUS_SESSION_BUS_ADDRESS`` to it while the session runs, so code under test and child
  processes (``env=os.environ``) never reach the real desktop's bus.
- ``system_bus``: likewise, a second private bus standing in for the system bus (``DBUS_SYSTEM_BUS_ADDRESS``).
- ``dunst``: a real dunst on ``session_bus`` and ``xdisplay``, owning ``org.freedesktop.Notifications``,
  configured with ``timeout = 0`` and ``mouse_left_click = do_action, close_current``; yields a
  :class:`Dunst` (``ctl("action", "0")``, ``reset()``). Tests that change its state call ``reset()``.

The buses load no service directories, so nothing is ever D-Bus-activated: only what a test starts runs.
:class:`BusServices` exports ``ServiceInterface`` objects on a bus from a loop thread of its own.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from tests.desktop import stop_process

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
"""

DUNSTRC = """[global]
    monitor = 0
    follow = none
    font = Monospace 10
    mouse_left_click = do_action, close_current
    mouse_middle_click = close_current
    mouse_right_click = close_all
    show_age_threshold = -1
    sticky_history = no
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""


@contextmanager
def private_bus(kind: str = "session", directory: str | None = None) -> Iterator[str]:
    """Run a ``dbus-daemon`` with its own config (no service dirs) and yield its address."""
    from tests.conftest import need

    need(shutil.which("dbus-daemon") is not None, "dbus-daemon is not installed (apt-get install dbus)")
    with tempfile.TemporaryDirectory(prefix=f"breaker-{kind}-bus-", dir=directory) as tmp:
        config = Path(tmp) / "bus.conf"
        config.write_text(BUS_CONFIG.format(kind=kind, socket=Path(tmp) / "socket"))
        read_fd, write_fd = os.pipe()
        daemon = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile", f"--print-address={write_fd}"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        os.close(write_fd)
        try:
            with os.fdopen(read_fd, "rb") as ready:
                address = ready.readline().decode().strip()
            if not address:
                err = daemon.stderr.read().decode() if daemon.stderr and daemon.poll() is not None else ""
                raise RuntimeError(f"dbus-daemon ({kind}) did not report an address: {err.strip()}")
            yield address
        finally:
            stop_process(daemon)
            if daemon.stderr:
                daemon.stderr.close()


@contextmanager
def _env(var: str, value: str) -> Iterator[None]:
    old = os.environ.get(var)
    os.environ[var] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = old


def name_has_owner(address: str, name: str) -> bool:
    """Whether ``name`` is owned on the bus at ``address`` (a one-off connection)."""
    async def check() -> bool:
        bus = await dbus_util.connect("session", address)
        try:
            return await dbus_util.has_owner(bus, name)
        finally:
            bus.disconnect()
    return asyncio.run(check())


def wait_for_name(address: str, name: str, timeout: float = 10.0, process: subprocess.Popen[Any] | None = None) -> None:
    """Wait until ``name`` has an owner on the bus (fail early if ``process`` exits first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name_has_owner(address, name):
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited ({process.returncode}) before owning {name}")
        time.sleep(0.05)
    raise AssertionError(f"nobody owned {name} on {address} within {timeout}s")


@pytest.fixture(scope="session")
def session_bus() -> Iterator[str]:
    """A private session bus for the whole test run; DBUS_SESSION_BUS_ADDRESS points at it meanwhile."""
    with private_bus("session") as address, _env("DBUS_SESSION_BUS_ADDRESS", address):
        yield address


@pytest.fixture(scope="session")
def system_bus() -> Iterator[str]:
    """A private bus standing in for the system bus; DBUS_SYSTEM_BUS_ADDRESS points at it meanwhile."""
    with private_bus("system") as address, _env("DBUS_SYSTEM_BUS_ADDRESS", address):
        yield address


@dataclass
class Dunst:
    """A running dunst: its bus address, X display, process and a ``dunstctl`` bound to them."""

    address: str
    display: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address, "DISPLAY": self.display}

    def ctl(self, *args: str) -> str:
        """Run ``dunstctl ARGS`` against this dunst and return its stdout."""
        done = subprocess.run(["dunstctl", *args], env=self.env, capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise AssertionError(f"dunstctl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def reset(self) -> None:
        """Unpause and close every notification, so the next test starts clean."""
        self.ctl("set-paused", "false")
        self.ctl("close-all")


@pytest.fixture(scope="session")
def dunst(session_bus: str, xdisplay: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dunst]:
    """A real dunst on the private session bus and the test X display (see the module docstring)."""
    from tests.conftest import need

    need(shutil.which("dunst") is not None, "dunst is not installed (apt-get install dunst)")
    need(shutil.which("dunstctl") is not None, "dunstctl is not installed (comes with dunst)")
    home = tmp_path_factory.mktemp("dunst")
    rc = home / "dunstrc"
    rc.write_text(DUNSTRC)
    log = home / "dunst.log"
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": session_bus, "DISPLAY": xdisplay.name}
    env.pop("WAYLAND_DISPLAY", None)
    with log.open("wb") as out:
        process = subprocess.Popen(["dunst", "-config", str(rc)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_name(session_bus, "org.freedesktop.Notifications", process=process)
        yield Dunst(session_bus, xdisplay.name, process, log)
    finally:
        stop_process(process)


@dataclass
class BusServices:
    """Test services on one bus, served from their own loop thread: export, own names, emit signals."""

    address: str
    loop: LoopThread = field(default_factory=lambda: LoopThread("test-services"))
    bus: MessageBus | None = None

    def __post_init__(self) -> None:
        self.bus = self.loop.run(dbus_util.connect("session", self.address, unix_fd=True))

    def export(self, path: str, interface: ServiceInterface) -> ServiceInterface:
        assert self.bus is not None
        self.bus.export(path, interface)
        return interface

    def own(self, name: str) -> None:
        assert self.bus is not None
        self.loop.run(self.bus.request_name(name))

    def call_soon(self, fn: Any, *args: Any) -> None:
        """Run ``fn(*args)`` (e.g. a signal method) on the services' loop, waiting until it has run."""
        async def run() -> None:
            fn(*args)
        self.loop.run(run())

    def close(self) -> None:
        if self.bus is not None and self.bus.connected:
            self.bus.disconnect()
        self.loop.stop()


@contextmanager
def services(address: str) -> Iterator[BusServices]:
    """``BusServices`` on ``address`` for the duration of a ``with`` block."""
    hosted = BusServices(address)
    try:
        yield hosted
    finally:
        hosted.close()
