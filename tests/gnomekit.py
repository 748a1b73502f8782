"""A real headless GNOME Shell 43 Wayland session for end-to-end tests, and ways to act in it.

``gnome_session(tmp)`` starts, in this order: a private system bus with a display-manager stand-in
(``org.gnome.DisplayManager`` with a ``Version``: the shell's lock screen asks for it), a private session
bus with the stock session config (D-Bus activation on: the shell's notification and screensaver proxies
are activated services), and ``gnome-shell --headless --wayland --virtual-monitor 1280x800`` in a mode
that enables one test extension. The extension only turns on the shell's unsafe mode, so the test can
read the shell's state through ``org.gnome.Shell.Eval``; every action it takes goes through the shell's
own D-Bus APIs or Mutter's RemoteDesktop input (``MUTTER_DEBUG_RESET_IDLETIME=1`` lets that input reset
the idle time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from tests.dbus_fixtures import private_bus, services, wait_for_name
from tests.desktop import stop_process

EXTENSION = "breaker-test@breaker.invalid"
MODE = {"parentMode": "user", "enabledExtensions": [EXTENSION]}
METADATA = {"uuid": EXTENSION, "name": "breaker test", "description": "unsafe mode for tests",
            "shell-version": ["43"]}
EXTENSION_JS = """
class Extension {
    enable() { global.context.unsafe_mode = true; }
    disable() {}
}
function init() { return new Extension(); }
"""
BTN_LEFT = 0x110
BANNER_JS = """(() => {
    const banner = Main.messageTray._banner;
    if (!banner) return null;
    const boxes = [];
    const walk = actor => {
        if (actor === banner || actor instanceof imports.gi.St.Button && typeof actor.label === 'string') {
            const [x, y] = actor.get_transformed_position();
            boxes.push([actor === banner ? '' : actor.label, x, y, actor.width, actor.height]);
        }
        actor.get_children().forEach(walk);
    };
    walk(banner);
    return boxes;
})()"""
SHELL = ("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell")
REMOTE = ("org.gnome.Mutter.RemoteDesktop", "/org/gnome/Mutter/RemoteDesktop")
SESSION_IFACE = "org.gnome.Mutter.RemoteDesktop.Session"
SCREENSAVER = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")
PACKAGES = "gnome-shell gjs"


class DisplayManager(ServiceInterface):
    """What the shell asks GDM before it offers a lock screen: only the version."""

    def __init__(self) -> None:
        super().__init__("org.gnome.DisplayManager.Manager")

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> "s":  # type: ignore[name-defined]  # noqa: F821 - dbus-fast signature
        return "43.0"


@dataclass
class GnomeSession:
    """A running shell: its buses, Wayland socket, Xwayland display and a RemoteDesktop session."""

    bus: str
    system_bus: str
    runtime: Path
    data_home: Path
    config_home: Path
    display: str
    xauthority: str
    process: subprocess.Popen[bytes]
    log: Path
    loop: LoopThread
    conn: Any = None
    remote: str = ""

    def env(self) -> dict[str, str]:
        """An environment for clients of this session (the daemon, the CLI, Tk windows via Xwayland)."""
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.bus, "DBUS_SYSTEM_BUS_ADDRESS": self.system_bus,
                "WAYLAND_DISPLAY": str(self.runtime / "wayland-0"), "DISPLAY": self.display,
                "XAUTHORITY": self.xauthority,
                "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"}

    def call(self, dest: str, path: str, iface: str, member: str, signature: str = "",
             body: list[Any] | None = None, timeout: float = 5.0) -> list[Any]:
        return self.loop.run(dbus_util.call(self.conn, dest, path, iface, member, signature, body, timeout),
                             timeout=timeout + 1)

    def eval(self, code: str) -> Any:
        """Run JavaScript in the shell (read-only looks at its state) and return the JSON result."""
        ok, text = self.call(*SHELL, "Eval", "s", [code])
        if not ok:
            raise AssertionError(f"shell Eval failed: {text or 'unsafe mode is off'}")
        return json.loads(text) if text else None

    # -- input through Mutter's RemoteDesktop API ------------------------------------------------------

    def start_input(self) -> None:
        (self.remote,) = self.call(*REMOTE, "org.gnome.Mutter.RemoteDesktop", "CreateSession")
        self.call(REMOTE[0], self.remote, SESSION_IFACE, "Start")

    def move(self, dx: float, dy: float) -> None:
        self.call(REMOTE[0], self.remote, SESSION_IFACE, "NotifyPointerMotionRelative", "dd", [dx, dy])

    def pointer(self) -> tuple[int, int]:
        x, y, _mods = self.eval("global.get_pointer()")
        return int(x), int(y)

    def move_to(self, x: int, y: int) -> None:
        for _ in range(5):
            px, py = self.pointer()
            if (px, py) == (x, y):
                return
            self.move(x - px, y - py)
            time.sleep(0.05)
        raise AssertionError(f"the pointer did not reach ({x}, {y}); it is at {self.pointer()}")

    def click(self, x: int, y: int) -> None:
        self.move_to(x, y)
        for pressed in (True, False):
            self.call(REMOTE[0], self.remote, SESSION_IFACE, "NotifyPointerButton", "ib", [BTN_LEFT, pressed])
            time.sleep(0.05)

    # -- the shell's notifications --------------------------------------------------------------------

    def notifications(self) -> list[dict[str, Any]]:
        """Every notification in the shell's message tray: source, title and action labels."""
        return self.eval("Main.messageTray.getSources().flatMap(s => s.notifications.map("
                         "n => ({source: s.title, title: n.title, actions: n.actions.map(a => a.label)})))") or []

    def clear_notifications(self) -> None:
        """Remove the shell's own notices (unsafe mode, privileged user) so the next banner is ours."""
        self.eval("Main.messageTray.getSources().forEach(s => s.destroy())")

    def banner(self) -> dict[str, list[float]]:
        """The banner on screen: its box and each button's box (x, y, width, height) by label."""
        found = self.eval(BANNER_JS)
        return {str(label): box for label, *box in found or []}

    def press(self, label: str) -> None:
        """Click the banner's ``label`` button with the pointer, as a user does: hover (the banner shows
        its buttons when it expands), then click the button's middle."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            boxes = self.banner()
            time.sleep(0.2)
            # positions are NaN (null) until laid out, and move while the banner slides in
            if "" in boxes and None not in boxes[""] and self.banner().get("") == boxes[""]:
                x, y, w, h = boxes[""]
                self.move_to(int(x + w / 2), int(y + h / 3))
                time.sleep(0.5)  # the banner expands under the pointer; wait until its buttons stay put
                box, again = self.banner().get(label), None
                while box and None not in box and box != again:
                    time.sleep(0.2)
                    box, again = self.banner().get(label), box
                if box and None not in box:  # laid out (hidden buttons have no position)
                    self.click(int(box[0] + box[2] / 2), int(box[1] + box[3] / 2))
                    return
            time.sleep(0.2)
        raise AssertionError(f"no banner with a {label!r} button appeared: {self.banner()}")

    def windows(self) -> list[str]:
        """The titles of the windows the shell manages (Wayland and Xwayland clients)."""
        return self.eval("global.get_window_actors().map(a => a.meta_window.get_title())") or []

    def gsettings(self, *args: str) -> str:
        """``gsettings ARGS`` in this session (its own dconf database, through its dconf service)."""
        env = {**self.env(), "XDG_CONFIG_HOME": str(self.config_home), "XDG_RUNTIME_DIR": str(self.runtime)}
        done = subprocess.run(["gsettings", *args], env=env, capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, f"gsettings {' '.join(args)}: {done.stderr.strip()}"
        return done.stdout.strip()

    def screensaver(self, method: str, *args: str) -> str:
        """Call org.gnome.ScreenSaver as GNOME's own clients do: by name, starting its proxy on demand."""
        done = subprocess.run(["gdbus", "call", "--session", "--dest", SCREENSAVER[0], "--object-path",
                               SCREENSAVER[1], "--method", f"{SCREENSAVER[2]}.{method}", *args],
                              env=self.env(), capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, f"{method}: {done.stderr.strip()}"
        return done.stdout.strip()

    def idle_ms(self) -> int:
        return int(self.call("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                             "org.gnome.Mutter.IdleMonitor", "GetIdletime")[0])


def _prepare(base: Path) -> dict[str, Path]:
    dirs = {name: base / name for name in ("runtime", "home", "config", "data", "sysdata", "cache")}
    for path in dirs.values():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    (dirs["data"] / "applications").mkdir()  # there from the start, so the shell watches it
    modes = dirs["sysdata"] / "gnome-shell" / "modes"
    modes.mkdir(parents=True)
    (modes / "breaker-test.json").write_text(json.dumps(MODE))
    ext = dirs["data"] / "gnome-shell" / "extensions" / EXTENSION
    ext.mkdir(parents=True)
    (ext / "metadata.json").write_text(json.dumps(METADATA))
    (ext / "extension.js").write_text(EXTENSION_JS)
    return dirs


@contextmanager
def _session_bus(base: Path, env: dict[str, str]) -> Iterator[str]:
    """A session bus with the stock config (activation of the installed services), on our own socket.
    Activated services (dconf, the shell's proxies) inherit ``env``: the session's private folders."""
    socket = base / "session-bus"
    read_fd, write_fd = os.pipe()
    daemon = subprocess.Popen(
        ["dbus-daemon", "--config-file=/usr/share/dbus-1/session.conf", f"--address=unix:path={socket}",
         "--nofork", "--nopidfile", f"--print-address={write_fd}"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as ready:
            address = ready.readline().decode().strip()
        assert address, "the session dbus-daemon reported no address"
        yield address
    finally:
        stop_process(daemon)


def _wait_xwayland(runtime: Path, process: subprocess.Popen[bytes], shell: GnomeSession) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gnome-shell exited ({process.returncode}): {shell.log.read_text()[-3000:]}")
        try:
            display = shell.eval("imports.gi.GLib.getenv('DISPLAY')")
        except (AssertionError, dbus_util.CallFailed):
            display = None
        if display:
            return str(display)
        time.sleep(0.1)
    raise AssertionError("gnome-shell started no Xwayland display within 20s")


@contextmanager
def gnome_session(base: Path) -> Iterator[GnomeSession]:
    """The whole session (see the module docstring); everything is stopped again afterwards."""
    dirs = _prepare(base)
    with ExitStack() as stack:
        system = stack.enter_context(private_bus("system"))
        dm = stack.enter_context(services(system))
        dm.export("/org/gnome/DisplayManager/Manager", DisplayManager())
        dm.own("org.gnome.DisplayManager")
        env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": system,
               "XDG_RUNTIME_DIR": str(dirs["runtime"]), "HOME": str(dirs["home"]),
               "XDG_CONFIG_HOME": str(dirs["config"]), "XDG_DATA_HOME": str(dirs["data"]),
               "XDG_CACHE_HOME": str(dirs["cache"]),
               "XDG_DATA_DIRS": f"{dirs['sysdata']}:/usr/local/share:/usr/share",
               "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME",
               "MUTTER_DEBUG_RESET_IDLETIME": "1", "NO_AT_BRIDGE": "1"}
        for var in ("DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(var, None)
        bus = env["DBUS_SESSION_BUS_ADDRESS"] = stack.enter_context(_session_bus(base, env))
        subprocess.run(["gsettings", "set", "org.gnome.desktop.interface", "enable-hot-corners", "false"],
                       env=env, check=False, timeout=20)
        log = base / "gnome-shell.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["gnome-shell", "--headless", "--wayland", "--virtual-monitor", "1280x800",
                 "--mode=breaker-test"], env=env, stdout=out, stderr=subprocess.STDOUT)
        stack.callback(stop_process, process)
        wait_for_name(bus, "org.gnome.Shell", timeout=30, process=process)
        loop = LoopThread("gnome-test")
        stack.callback(loop.stop)
        conn = loop.run(dbus_util.connect("session", bus))
        stack.callback(conn.disconnect)
        shell = GnomeSession(bus, system, dirs["runtime"], dirs["data"], dirs["config"], "", "", process, log,
                             loop, conn)
        shell.display = _wait_xwayland(dirs["runtime"], process, shell)
        shell.xauthority = str(shell.eval("imports.gi.GLib.getenv('XAUTHORITY')") or "")
        shell.start_input()
        yield shell


def missing_tools() -> str | None:
    """Why a GNOME session cannot run here (None when it can)."""
    for tool in ("gnome-shell", "gjs", "dbus-daemon", "gsettings", "gdbus"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install {PACKAGES})"
    return None

