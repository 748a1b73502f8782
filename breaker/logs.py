"""Logging: a rotating file in the user's log folder; ``-v`` adds the console."""

from __future__ import annotations

import logging
import os
from pathlib import Path

MAX_BYTES, BACKUPS = 1_000_000, 3


def log_path() -> Path:
    import platformdirs  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    return Path(platformdirs.user_log_dir("breaker", appauthor=False)) / "breaker.log"


class _PrivateRotatingHandler(logging.FileHandler):
    """A log of at most ``MAX_BYTES`` with ``BACKUPS`` older files (``.1`` the newest), every file created
    user-only. The rotation of ``logging.handlers.RotatingFileHandler``, without importing that module
    (pickle, queue and the network handlers: ~0.4 MB of the daemon's memory)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, mode="a", encoding="utf-8")

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
            super().emit(record)
        except Exception:  # noqa: BLE001 - logging must never stop the daemon
            self.handleError(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if not os.path.isfile(self.baseFilename):  # never rotate a device or a pipe
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)
        return self.stream.tell() + len(self.format(record)) + 1 >= MAX_BYTES

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        for i in range(BACKUPS - 1, 0, -1):
            older = f"{self.baseFilename}.{i}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{i + 1}")
        os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_logging(verbose: bool) -> Path:
    """Send breaker's log to its file (1 MB x 3, user-only) and, when ``verbose``, to stderr."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler = _PrivateRotatingHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if verbose:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("breaker: %(message)s"))
        root.addHandler(console)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return path
