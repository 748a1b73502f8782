"""The narrow ports between the daemon and the OS adapters (the daemon depends on these, not on OSes).

Threading contract: adapters call the daemon's callbacks from their own threads; the daemon serialises
everything behind one lock, so a callback may block briefly but must never call back into the adapter
that invoked it while holding adapter locks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from breaker.core.i18n import pgettext


class Unavailable(Exception):
    """A backend cannot work here; ``str()`` says why, in one line, for ``breaker doctor``."""


@dataclass(frozen=True)
class Probe:
    """One backend as ``breaker doctor`` reports it."""

    kind: str  # "idle", "away", "notify", "tray", "dnd"
    name: str
    ok: bool
    detail: str


class IdleSource(Protocol):
    """Seconds since the last keyboard/mouse input, from the desktop."""

    name: str

    def seconds_idle(self) -> float: ...

    def close(self) -> None: ...


IdleChange = Callable[[str, float], None]  # ("idle" | "active", seconds of idle time when it was seen)


class IdleWatch(IdleSource, Protocol):
    """An idle source that also tells when input stops and starts (event-driven, no polling).

    ``watch(after_s, on_change)`` asks for ``on_change("idle", idle_s)`` once input has stopped for
    ``after_s`` seconds, and ``on_change("active", idle_s)`` at the first input after that (``idle_s`` is
    the idle time at the moment of the event, usually 0). Callbacks come from the adapter's own thread and
    must only hand the event to the daemon. Calling ``watch`` again replaces the earlier watch.
    """

    def watch(self, after_s: float, on_change: IdleChange) -> None: ...


AwayCallback = Callable[[str], None]  # called with "lock", "unlock", "suspend" or "resume"


class AwayWatcher(Protocol):
    """Reports screen lock and machine suspend as they happen."""

    sources: list[str]

    def stop(self) -> None: ...


class DoNotDisturb(Protocol):
    """Whether prompts should wait: a fullscreen window has focus, or the desktop's DND is on."""

    def reason(self) -> str | None: ...


@dataclass(frozen=True)
class TrayView:
    """What the tray shows: how full the bout is (0..1, may exceed 1), the tooltip, and the mode."""

    fraction: float
    tooltip: str
    paused: bool = False
    in_break: bool = False
    prompt_open: bool = False  # a break prompt waits for an answer (Snooze and Skip apply to it)
    snooze_s: float = 0.0  # the configured snooze, for the menu's "Snooze 10 min" (0: not known)


class TrayActions(Protocol):
    """What the tray menu can ask of the daemon. Each may be called from the tray's thread."""

    def start_break(self) -> None: ...

    def snooze(self) -> None: ...

    def skip(self) -> None: ...

    def pause(self, spec: str) -> None: ...  # "30m", "1h" or "tomorrow"

    def resume(self) -> None: ...

    def show_week(self) -> None: ...

    def open_settings(self) -> None: ...

    def quit(self) -> None: ...


class Tray(Protocol):
    kind: str  # "xembed", "sni", "win32", "darwin"

    def update(self, view: TrayView) -> None: ...

    def stop(self) -> None: ...


Answer = Callable[[str], None]  # "start", "snooze", "skip" or "dismiss"


def action_labels() -> dict[str, str]:
    """The prompt's buttons in the user's language, by action."""
    # Translators: the buttons of a break prompt (a notification): one short word each.
    return {"start": pgettext("prompt button", "Start"), "snooze": pgettext("prompt button", "Snooze"),
            "skip": pgettext("prompt button", "Skip")}


@dataclass(frozen=True)
class PromptText:
    """What a prompt says."""

    title: str
    body: str


class Notifier(Protocol):
    """Shows one break prompt at a time; answers arrive through ``on_answer``."""

    kind: str
    actionable: bool

    def show(self, text: PromptText, on_answer: Answer) -> None: ...

    def close(self) -> None: ...
