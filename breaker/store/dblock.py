"""One writer per database: an exclusive lock file beside it (``<db>.lock``), held while open for writing.

The daemon's single-instance lock lives in the runtime folder, which differs between sessions; this one
lives with the data, so two daemons (or a daemon and ``breaker simulate``) never write one file twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from breaker.core.errors import DataError
from breaker.core.i18n import _
from breaker.store.faults import explain


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class DatabaseLock:
    """An advisory ``flock`` on ``<db>.lock`` (mode 0600); released by ``release`` or when the process ends."""

    def __init__(self, db: Path) -> None:
        self.path = lock_path(db)
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        """Take the lock, or raise a DataError naming the process that holds it."""
        try:
            import fcntl
        except ImportError:  # Windows: SQLite's own locking is all there is
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as err:
            raise DataError(_("{path}: cannot create the lock file: {reason}").format(
                path=self.path, reason=explain(err))) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = _read(fd)
            os.close(fd)
            raise DataError(_("{database}: in use by another breaker (pid {pid}, lock {lock}); "
                              "stop it first (breaker quit) or use another --db").format(
                database=self.path.with_name(self.path.name[:-5]), pid=owner or "?", lock=self.path)) from None
        try:  # best effort: on a full disk the pid cannot be written, the lock holds all the same
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""
