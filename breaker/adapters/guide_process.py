"""Runs the guided-break window as a child process and reads its JSON-lines report.

Threading contract: ``start`` returns at once; a reader thread calls ``on_done(result, answers)`` exactly
once, when the window reports ``completed`` or ``abandoned`` or exits without saying (= abandoned).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Done = Callable[[str, dict[str, Any] | None], None]


class GuideProcess:
    """One running guided-break window."""

    def __init__(self, exercise: str, level: int | None, on_done: Done, *, config: Path | None = None,
                 extra_args: list[str] | None = None) -> None:
        argv = [sys.executable, "-m", "breaker.ui.guide", "--exercise", exercise]
        if level is not None:
            argv += ["--level", str(level)]
        if config is not None:
            argv += ["--config", str(config)]
        argv += extra_args or []
        self.on_done = on_done
        self.events: list[dict[str, Any]] = []
        self._done = False
        self._lock = threading.Lock()
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self._reader = threading.Thread(target=self._read, name="breaker-guide", daemon=True)
        self._reader.start()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Close the window (the break counts as abandoned unless it already finished)."""
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._finish("abandoned", None)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                log.warning("guide window said something that is not JSON: %r", line[:200])
                continue
            if not isinstance(event, dict):
                continue
            self.events.append(event)
            kind = event.get("event")
            if kind in ("completed", "abandoned"):
                answers = event.get("answers")
                self._finish(kind, answers if isinstance(answers, dict) else None)
            elif kind == "error":
                log.warning("guide window: %s", event.get("message"))
        self.process.wait()
        self._finish("abandoned", None)

    def _finish(self, result: str, answers: dict[str, Any] | None) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        self.on_done(result, answers)
