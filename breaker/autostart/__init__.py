"""Start breaker at login the way each desktop expects, and only when the user asks (``breaker autostart``).

- Linux: an XDG autostart entry in ``$XDG_CONFIG_HOME/autostart`` (default), or a systemd user unit in
  ``$XDG_CONFIG_HOME/systemd/user`` enabled for ``graphical-session.target`` (``systemd=True``).
- macOS: a LaunchAgent in ``~/Library/LaunchAgents``.
- Windows: a shortcut in the Startup folder (written by PowerShell's WScript.Shell).

Only files that carry breaker's marker are ever replaced or removed; one method is active at a time.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from breaker.autostart import files
from breaker.autostart.systemd import disable_unit, enable_unit, wants_link
from breaker.core.errors import UserError
from breaker.core.i18n import N_, _, joined, said
from breaker.icons import ico_path, icon_path


@dataclass(frozen=True)
class Entry:
    """One start-up file: which method, where, whether breaker wrote it, and what it starts."""

    method: str
    path: Path
    ours: bool
    target: str
    note: str = ""

    @property
    def ok(self) -> bool:
        """False when the program it starts is gone (breaker moved or was reinstalled elsewhere)."""
        return not self.target or Path(self.target).exists()


@dataclass(frozen=True)
class AutostartState:
    """What ``breaker doctor`` and ``breaker autostart status`` show."""

    kind: str
    detail: str
    ok: bool
    entries: tuple[Entry, ...]


NEXT_LOGIN = N_("breaker starts at your next login (to start it now: {command})")


def launch_command(platform: str = sys.platform) -> list[str]:
    """The command that starts this installation's daemon: its own script first, then PATH, then -m."""
    here = Path(sys.executable).parent
    if platform == "win32":
        for folder in (here, here / "Scripts"):
            if (folder / "breaker-tray.exe").exists():
                return [str(folder / "breaker-tray.exe")]
        found = shutil.which("breaker-tray")
        if found:
            return [found]
        pythonw = here / "pythonw.exe"
        return [str(pythonw if pythonw.exists() else sys.executable), "-m", "breaker", "run"]
    script = here / "breaker"
    if script.exists():
        return [str(script), "run"]
    found = shutil.which("breaker")
    return [found, "run"] if found else [sys.executable, "-m", "breaker", "run"]


def xdg_config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def linux_paths() -> dict[str, Path]:
    base = xdg_config_home()
    return {"xdg": base / "autostart" / files.DESKTOP_NAME, "systemd": base / "systemd" / "user" / files.UNIT_NAME}


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / files.AGENT_NAME


def startup_dir(env: dict[str, str] | os._Environ[str] = os.environ) -> PureWindowsPath:
    """The per-user Startup folder (``%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup``)."""
    appdata = env.get("APPDATA") or str(PureWindowsPath(Path.home()) / "AppData" / "Roaming")
    return PureWindowsPath(appdata) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"


def _paths(platform: str) -> dict[str, Path]:
    if platform == "darwin":
        return {"launchagent": launch_agent_path()}
    if platform == "win32":
        return {"startup": Path(startup_dir()) / files.SHORTCUT_NAME}
    return linux_paths()


# -- reading what is there ------------------------------------------------------------------------------

def _target_of(method: str, data: bytes) -> str:
    """The program a start-up file runs ('' when it cannot be read, e.g. a binary .lnk)."""
    try:
        if method == "launchagent":
            import plistlib

            return str(plistlib.loads(data).get("ProgramArguments", [""])[0])
        if method == "startup":
            return ""
        key = "TryExec=" if method == "xdg" else "ExecStart="
        for line in data.decode("utf-8", "replace").splitlines():
            if line.startswith(key):
                value = line[len(key):].strip()
                return value.replace("\\\\", "\\") if method == "xdg" else shlex.split(value)[0]
    except (ValueError, IndexError, AttributeError):
        pass
    return ""


def entries(platform: str = sys.platform) -> list[Entry]:
    """Every start-up file for breaker this platform would honour, ours or not."""
    found = []
    for method, path in _paths(platform).items():
        if path.exists():
            try:
                data = path.read_bytes()
            except OSError as err:
                found.append(Entry(method, path, False, "", said(N_("unreadable: {reason}"), reason=err.strerror)))
                continue
            note = ""
            if method == "systemd":
                note = said(N_("enabled")) if wants_link(path).exists() else said(
                    N_("not enabled ({command})"), command="systemctl --user enable breaker")
            found.append(Entry(method, path, files.is_ours(data), _target_of(method, data), note))
    if platform.startswith("linux"):
        for folder in (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":"):
            path = Path(folder) / "autostart" / files.DESKTOP_NAME
            if folder and path.exists():
                found.append(Entry("xdg", path, False, _target_of("xdg", path.read_bytes()), said(N_("system-wide"))))
    return found


def status(platform: str = sys.platform) -> AutostartState:
    """A one-line summary of the start-up files (used by ``breaker doctor``)."""
    found = entries(platform)
    if not found:
        return AutostartState("off", said(N_("breaker does not start at login (turn on: {command})"),
                                          command="breaker autostart on"), True, ())
    first = found[0]
    text: str = joined([said(N_("{path} ({note})"), path=str(e.path), note=e.note) if e.note else str(e.path)
                        for e in found])
    stale = [e for e in found if not e.ok]
    if stale:
        text = said(N_("{entries}; starts {target}, which is gone: run {command} again"), entries=text,
                    target=stale[0].target, command="breaker autostart on")
    return AutostartState(first.method, text, not stale, tuple(found))


# -- changing it -----------------------------------------------------------------------------------------

def _write(path: Path, data: bytes) -> str:
    """Write ``data`` unless the same is there; refuse to replace a file breaker did not write."""
    if path.exists():
        old = path.read_bytes()
        if not files.is_ours(old):
            raise UserError(_("{path}: exists and was not written by breaker (leaving it alone)").format(path=path))
        if old == data:
            return said(N_("already on: {path}"), path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return said(N_("updated {path}") if existed else N_("wrote {path}"), path=str(path))


def _remove(path: Path) -> list[str]:
    if not path.exists():
        return []
    if not files.is_ours(path.read_bytes()):
        return [said(N_("left {path}: not written by breaker"), path=str(path))]
    path.unlink()
    return [said(N_("removed {path}"), path=str(path))]


def enable(*, systemd: bool = False, platform: str = sys.platform) -> list[str]:
    """Turn autostart on (idempotent); returns what was done, one line each."""
    argv = launch_command(platform)
    if platform == "darwin":
        return [_write(launch_agent_path(), files.launch_agent(argv)), said(NEXT_LOGIN, command="breaker run")]
    if platform == "win32":
        return _enable_windows(argv)
    paths = linux_paths()
    if systemd:
        done = [_write(paths["systemd"], files.systemd_unit(argv).encode("utf-8"))]
        done += _remove(paths["xdg"])
        return done + enable_unit(paths["systemd"])
    entry = files.desktop_entry(argv, str(icon_path(256)), autostart=True)
    done = [_write(paths["xdg"], entry.encode("utf-8"))]
    if paths["systemd"].exists():
        done += disable_unit(paths["systemd"])
    return done + [said(NEXT_LOGIN, command="breaker run")]


def disable(platform: str = sys.platform) -> list[str]:
    """Turn autostart off: remove every start-up file breaker wrote (and nothing else)."""
    done: list[str] = []
    for method, path in _paths(platform).items():
        done += disable_unit(path) if method == "systemd" else _remove(path)
    return done or [said(N_("autostart was already off"))]


def _enable_windows(argv: list[str]) -> list[str]:
    link = startup_dir() / files.SHORTCUT_NAME
    existing = Path(link)
    if existing.exists() and not files.is_ours(existing.read_bytes()):
        raise UserError(_("{path}: exists and was not written by breaker (leaving it alone)").format(path=link))
    script = files.shortcut_script(link, argv, str(ico_path()))
    try:
        done = subprocess.run(files.powershell_argv(script), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UserError(_("cannot run PowerShell to write {path}: {reason}").format(path=link, reason=err)) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [_("unknown error")])[0]
        raise UserError(_("PowerShell could not write {path}: {reason}").format(path=link, reason=reason))
    return [said(N_("wrote {path}"), path=str(link)), said(NEXT_LOGIN, command="breaker-tray")]

