"""The systemd side of ``breaker autostart --systemd``: enable, disable and inspect the user unit.

``systemctl --user`` is called only when it exists and a user manager answers; otherwise breaker says
what to run instead of failing. Disabling removes the ``*.wants`` link itself when no manager answers.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from breaker.autostart.files import UNIT_NAME, is_ours
from breaker.core.i18n import N_, said

TARGET = "graphical-session.target"


def wants_link(unit: Path) -> Path:
    """Where ``systemctl --user enable`` puts the link that starts ``unit`` with the session."""
    return unit.parent / f"{TARGET}.wants" / unit.name


def _systemctl(*args: str) -> subprocess.CompletedProcess[str] | None:
    exe = shutil.which("systemctl")
    if exe is None:
        return None
    try:
        return subprocess.run([exe, "--user", *args], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        return None


def user_manager() -> bool:
    """Is there a systemd user manager to talk to?"""
    done = _systemctl("show-environment")
    return done is not None and done.returncode == 0


def enable_unit(unit: Path) -> list[str]:
    """Reload and enable ``unit`` when a user manager runs; otherwise, say what to run."""
    if not user_manager():
        return [said(N_("no systemd user manager here; in your graphical session run: {command}"),
                     command=f"systemctl --user daemon-reload && systemctl --user enable {UNIT_NAME}")]
    _systemctl("daemon-reload")
    done = _systemctl("enable", UNIT_NAME)
    if done is None or done.returncode != 0:
        reason = "" if done is None else (done.stderr.strip().splitlines() or [""])[0]
        command = f"systemctl --user enable {UNIT_NAME}"
        return [said(N_("{command} failed: {reason}"), command=command, reason=reason) if reason
                else said(N_("{command} failed"), command=command)]
    return [said(N_("enabled {unit} for {target} (to start it now: {command})"), unit=UNIT_NAME, target=TARGET,
                 command=f"systemctl --user start {UNIT_NAME}")]


def disable_unit(unit: Path) -> list[str]:
    """Disable and remove ``unit`` if breaker wrote it; leave anything else alone."""
    if not unit.exists():
        return []
    if not is_ours(unit.read_bytes()):
        return [said(N_("left {path}: not written by breaker"), path=str(unit))]
    done: list[str] = []
    if user_manager():
        _systemctl("disable", UNIT_NAME)
        done.append(said(N_("disabled {unit}"), unit=UNIT_NAME))
    link = wants_link(unit)
    if link.is_symlink() or link.exists():
        link.unlink()
        done.append(said(N_("removed {path}"), path=str(link)))
        try:
            link.parent.rmdir()
        except OSError:
            pass  # other units are wanted there too
    unit.unlink()
    done.append(said(N_("removed {path}"), path=str(unit)))
    if user_manager():
        _systemctl("daemon-reload")
    return done
