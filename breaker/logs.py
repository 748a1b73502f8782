"""Logging: a rotating file in the user's log folder; ``-v`` adds the console."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs


def log_path() -> Path:
    return Path(platformdirs.user_log_dir("breaker", appauthor=False)) / "breaker.log"


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every new file is created user-only (rotation would otherwise use the umask)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def setup_logging(verbose: bool) -> Path:
    """Send breaker's log to its file (1 MB x 3, user-only) and, when ``verbose``, to stderr."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler = _PrivateRotatingHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if verbose:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("breaker: %(message)s"))
        root.addHandler(console)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return path
