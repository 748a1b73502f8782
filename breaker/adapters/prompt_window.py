"""No prompt is lost in silence: breaker's own prompt window when no notification server shows one.

- ``WindowNotifier`` runs :mod:`breaker.ui.prompt_window` as a child process (like the guide window: a
  crashed window cannot take the daemon down) and reads its answer from a JSON line on stdout.
- ``FallbackNotifier`` shows a prompt through the desktop's notifier and, when there is none or its
  ``show`` fails (the server went away, ServiceUnknown, a timeout), through the window instead.
Threading contract: ``show``/``close`` from the daemon's threads; ``on_answer`` is called from a reader
thread and must only hand the answer over.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from breaker.adapters.ports import Answer, Notifier, PromptText, Unavailable
from breaker.core.i18n import N_, said

log = logging.getLogger(__name__)


def window_possible() -> str | None:
    """Why breaker's own window cannot open here (None: it can)."""
    if importlib.util.find_spec("tkinter") is None:
        return said(N_("Tk is not installed (python3-tk)"))
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return said(N_("no display"))
    return None


class WindowNotifier:
    """One prompt window at a time; a re-prompt replaces its text in place."""

    kind = "window"
    actionable = True

    def __init__(self) -> None:
        why = window_possible()
        if why is not None:
            raise Unavailable(said(N_("breaker's prompt window cannot open: {reason}"), reason=why))
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._answer: Answer | None = None

    def show(self, text: PromptText, on_answer: Answer) -> None:
        with self._lock:
            self._answer = on_answer
            process = self._process
            if process is not None and process.poll() is None and process.stdin is not None:
                try:
                    process.stdin.write(json.dumps({"title": text.title, "body": text.body}) + "\n")
                    process.stdin.flush()
                    return
                except (BrokenPipeError, OSError):
                    pass
            argv = [sys.executable, "-m", "breaker.ui.prompt_window", "--title", text.title, "--body", text.body]
            process = self._process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, args=(process,), name="breaker-prompt-window", daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict) and event.get("event") == "answer":
                with self._lock:
                    answer = self._answer if process is self._process else None
                    self._answer = None
                if answer is not None and event.get("action") in ("start", "snooze", "skip", "dismiss"):
                    answer(str(event["action"]))
            elif isinstance(event, dict) and event.get("event") == "error":
                log.warning("prompt window: %s", event.get("message"))
        process.wait()

    def close(self) -> None:
        with self._lock:
            process, self._process, self._answer = self._process, None, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()


class FallbackNotifier:
    """The desktop's notifier first; breaker's window when it is missing or fails."""

    actionable = True

    def __init__(self, primary: Notifier | None, fallback: Notifier,
                 reopen: Callable[[], Notifier] | None = None) -> None:
        self.primary, self.fallback, self._reopen = primary, fallback, reopen
        self._on_fallback = False

    @property
    def kind(self) -> str:
        return f"{self.primary.kind} (else {self.fallback.kind})" if self.primary else self.fallback.kind

    def show(self, text: PromptText, on_answer: Answer) -> None:
        if self.primary is None and self._reopen is not None:
            try:  # a notification server that started after breaker
                self.primary = self._reopen()
                log.info("notifications work now: %s", self.primary.kind)
            except Unavailable:
                pass
        if self.primary is not None:
            try:
                self.primary.show(text, on_answer)
                if self._on_fallback:
                    self.fallback.close()
                    self._on_fallback = False
                return
            except Exception as err:  # noqa: BLE001 - any failure: the prompt must still be seen
                log.warning("the notification could not be shown (%s); showing breaker's prompt window", err)
        self.fallback.show(text, on_answer)
        self._on_fallback = True

    def close(self) -> None:
        if self.primary is not None:
            try:
                self.primary.close()
            except Exception as err:  # noqa: BLE001
                log.debug("closing the notification: %s", err)
        if self._on_fallback:
            self.fallback.close()
            self._on_fallback = False
