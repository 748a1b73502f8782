"""Idle time in a text-only session: the newest input on any of the user's terminals.

A terminal device's access time moves when someone types on it (what ``w`` and ``who -u`` show).
Linux moves it at most every 8 seconds (so keystroke timing does not leak), which is plenty for bouts
of minutes but means ``idle_after`` should stay well above 8 s in console mode.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


class TtyIdle:
    """Seconds since the user last typed on any terminal they own."""

    name = "tty"

    def __init__(self) -> None:
        self.uid = os.getuid()

    def seconds_idle(self) -> float:
        newest = 0.0
        for folder in (Path("/dev/pts"), Path("/dev")):
            try:
                entries = list(folder.iterdir()) if folder.name == "pts" else list(folder.glob("tty[0-9]*"))
            except OSError:
                continue
            for device in entries:
                try:
                    info = device.stat()
                except OSError:
                    continue
                if info.st_uid == self.uid:
                    newest = max(newest, info.st_atime)
        return max(0.0, time.time() - newest) if newest else 0.0

    def close(self) -> None:
        pass
