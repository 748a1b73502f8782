"""The daemon's log file: at most 1 MB, three older files kept (``.1`` the newest), each user-only.
Real files in the test's own XDG state folder (tests/conftest.py)."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path


def _lines(path: Path) -> list[int]:
    return [int(line.rsplit(" ", 2)[-2]) for line in path.read_text().splitlines()]


def test_the_log_rotates_at_1_mb_and_keeps_three_older_files() -> None:
    from breaker.logs import setup_logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    old_umask = os.umask(0o022)
    try:
        path = setup_logging(False)
        for n in range(5200):  # 5.2 MB: four rotations and a bit
            logging.getLogger("breaker.test").info("%s %d %s", "x" * 900, n, "y" * 40)
    finally:
        os.umask(old_umask)
        for handler in root.handlers[len(handlers):]:
            handler.close()
            root.removeHandler(handler)
    files = sorted(p.name for p in path.parent.glob("breaker.log*"))
    assert files == ["breaker.log", "breaker.log.1", "breaker.log.2", "breaker.log.3"]
    older = [path.with_name(f"breaker.log.{i}") for i in (3, 2, 1)] + [path]
    numbers = [_lines(p) for p in older]
    flat = [n for part in numbers for n in part]
    assert flat == list(range(flat[0], 5200))  # oldest to newest, nothing lost between the kept files
    assert all(p.stat().st_size <= 1_000_000 for p in older)
    assert all(p.stat().st_size > 900_000 for p in older[:3])  # full before each rotation
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in older)


def test_the_daemon_log_needs_no_logging_handlers_module() -> None:
    import subprocess

    code = "import sys; from breaker.logs import setup_logging; setup_logging(False); " \
           "print('logging.handlers' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
