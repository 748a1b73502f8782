"""The tray menu's actions, as calls on the daemon (each from the tray's own thread)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from breaker.core.errors import UserError
from breaker.core.i18n import _

if TYPE_CHECKING:
    from breaker.daemon.service import Daemon

log = logging.getLogger(__name__)


class DaemonTrayActions:
    """Implements ``ports.TrayActions`` for a running daemon."""

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon

    def _control(self, cmd: str, **args: object) -> None:
        try:
            self.daemon.control(cmd, dict(args))
        except UserError as err:
            log.info("tray: %s", err)

    def start_break(self) -> None:
        self._control("break")

    def snooze(self) -> None:
        self._control("snooze")

    def skip(self) -> None:
        self._control("skip")

    def pause(self, spec: str) -> None:
        self._control("pause", spec=spec)

    def resume(self) -> None:
        self._control("resume")

    def show_week(self) -> None:
        argv = [sys.executable, "-m", "breaker", "stats", "--window", "--db", str(self.daemon.storage.path)]
        if self.daemon.config.path:
            argv += ["--config", str(self.daemon.config.path)]
        subprocess.Popen(argv, stdin=subprocess.DEVNULL)

    def open_settings(self) -> None:
        from breaker.config import default_path, example_text

        path = self.daemon.config.path or default_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(example_text(), encoding="utf-8")
        threading.Thread(target=open_with_desktop, args=(path,), name="breaker-open-settings", daemon=True).start()

    def quit(self) -> None:
        self.daemon.request_quit()


def open_with_desktop(path: Path, wait_s: float = 20.0) -> bool:
    """Open ``path`` with the desktop's default handler (xdg-open, open, startfile); when there is none or it
    fails, show the path in a small window instead. True when the handler took it."""
    import shutil  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
            return True
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        if shutil.which(opener):
            done = subprocess.run([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, timeout=wait_s)
            if done.returncode == 0:
                return True
            log.warning("%s %s failed (%s): %s", opener, path, done.returncode, done.stderr.strip()[:200])
        else:
            log.warning("no %s to open %s with", opener, path)
    except (OSError, subprocess.TimeoutExpired) as err:
        log.warning("cannot open %s: %s", path, err)
    subprocess.Popen([sys.executable, "-m", "breaker.ui.notice", "--title", _("breaker: settings"),
                      "--text", _("Your settings are in this file; open it with any text editor:"),
                      "--path", str(path)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return False
