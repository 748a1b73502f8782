"""The tray menu's actions, as calls on the daemon (each from the tray's own thread)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from breaker.core.errors import UserError

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
        opener = {"darwin": ["open"], "win32": ["explorer"]}.get(sys.platform) or ["xdg-open"]
        if shutil.which(opener[0]):
            subprocess.Popen([*opener, str(path)], stdin=subprocess.DEVNULL)
        else:
            log.warning("no program to open %s with", path)

    def quit(self) -> None:
        self.daemon.request_quit()
