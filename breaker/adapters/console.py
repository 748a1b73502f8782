"""Console mode, for a session with no graphical desktop: prompts printed, answered with one key.

Threading contract: a reader thread owns stdin; it calls ``on_answer`` / the guide's ``on_done`` from
that thread. Keys: s or Enter = start, z = snooze, k = skip, x = dismiss; during a break Enter = done,
q = stop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from breaker.adapters.ports import Answer, PromptText
from breaker.core.exercise import Catalogue
from breaker.core.i18n import _, ngettext

log = logging.getLogger(__name__)

KEYS = {"s": "start", "\r": "start", "\n": "start", "z": "snooze", "k": "skip", "x": "dismiss"}


@contextlib.contextmanager
def cbreak(stream: TextIO) -> Iterator[None]:
    """Single keys without Enter when ``stream`` is a terminal."""
    if not stream.isatty():
        yield
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class ConsoleUI:
    """Prompts and guided breaks in the terminal the daemon runs in."""

    kind = "console"
    actionable = True

    def __init__(self, catalogue: Catalogue, out: TextIO = sys.stdout, inp: TextIO = sys.stdin) -> None:
        self.catalogue, self.out, self.inp = catalogue, out, inp
        self._answer: Answer | None = None
        self._guide: Callable[[str], None] | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="breaker-console", daemon=True).start()

    def say(self, text: str) -> None:
        self.out.write(text.replace("\n", "\r\n") + "\r\n")
        self.out.flush()

    def show(self, text: PromptText, on_answer: Answer) -> None:
        with self._lock:
            self._answer = on_answer
        # Translators: the keys s, z, k and x stay as they are (they are what the user presses).
        keys = _("[s]tart  sno[z]e  s[k]ip  [x] dismiss")
        self.say(f"\a\n== {text.title}\n   {text.body}\n   {keys}")

    def close(self) -> None:
        log.debug("console prompt closed")
        with self._lock:
            self._answer = None

    def open_guide(self, exercise_id: str, level: int | None, on_done: Callable[[str, Any], None]) -> None:
        exercise = self.catalogue.exercises.get(exercise_id)
        lines = [f"== {exercise.name if exercise else exercise_id}"]
        for number, step in enumerate(exercise.steps if exercise else (), start=1):
            lines.append(f"{number}. {step.cue}{_amount(step.reps, step.hold_s, step.sides)}")
        lines.append("   " + _("Enter when you are done, q to stop."))
        self.say("\n".join(lines))

        def finish(key: str) -> None:
            on_done("abandoned" if key == "q" else "completed", None)
        with self._lock:
            self._guide = finish

    def _read(self) -> None:
        with cbreak(self.inp):
            while True:
                try:
                    key = os.read(self.inp.fileno(), 1).decode(errors="ignore").lower()
                except (OSError, ValueError):
                    return
                if not key:
                    return
                self._key(key)

    def _key(self, key: str) -> None:
        log.debug("console key %r (prompt open: %s)", key, self._answer is not None)
        with self._lock:
            guide, answer = self._guide, self._answer
            if guide is not None and key in ("\r", "\n", "q"):
                self._guide = None
            elif answer is not None and key in KEYS:
                self._answer = None
                guide = None
            else:
                return
        if guide is not None:
            self.say(_("Break stopped.") if key == "q" else _("Well done."))
            guide(key)
        elif answer is not None:
            self.say(f"-> {KEYS[key]}")
            answer(KEYS[key])


def _amount(reps: int | None, hold_s: float | None, sides: bool) -> str:
    """ " (10 reps)", " (hold 30 s each side)" or ""."""
    if reps:
        text = ngettext("{reps} rep", "{reps} reps", reps).format(reps=reps)
    elif hold_s:
        text = _("hold {seconds} s").format(seconds=f"{hold_s:.0f}")
    else:
        return ""
    return " (" + (_("{amount} each side").format(amount=text) if sides else text) + ")"
