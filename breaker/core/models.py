"""Plain values the core works with: rules, observations, outcomes and the effects it returns.

Everything here is immutable and stdlib-only. Times are timezone-aware ``datetime`` objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, TypeVar, dataclass_transform

from breaker.core.hours import WorkingHours
from breaker.core.i18n import N_

_T = TypeVar("_T")


class AwayCause(enum.StrEnum):
    """Why there was no input: the user paused, the screen was locked, or the machine slept."""

    IDLE = "idle"
    LOCK = "lock"
    SUSPEND = "suspend"


class Outcome(enum.StrEnum):
    """The one outcome each prompt ends with."""

    COMPLETED = "completed"
    ABANDONED = "abandoned"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    DISMISSED = "dismissed"
    IGNORED = "ignored"


class Action(enum.StrEnum):
    """What the user chose on a prompt."""

    START = "start"
    SNOOZE = "snooze"
    SKIP = "skip"
    DISMISS = "dismiss"


class BreakResult(enum.StrEnum):
    """How a guided break ended."""

    COMPLETED = "completed"
    ABANDONED = "abandoned"


class Hold(enum.StrEnum):
    """Why a due prompt is waiting instead of being shown."""

    # the values are data (``status --json``); where a person reads one it is shown as ``_(hold.value)``
    LOCKED = N_("screen locked")
    SUSPENDED = N_("machine suspended")
    AWAY = N_("waiting for you to be back at the keyboard")
    PAUSED = N_("paused")
    OFF_HOURS = N_("outside working hours")
    DO_NOT_DISTURB = N_("do not disturb")
    IN_BREAK = N_("a break is running")


@dataclass(frozen=True)
class Rules:
    """The break rules the core applies (the [breaks] and [hours] config sections)."""

    sit_limit: timedelta = timedelta(minutes=45)
    natural_break: timedelta = timedelta(minutes=5)
    snooze: timedelta = timedelta(minutes=10)
    reprompt: timedelta = timedelta(minutes=5)
    hours: WorkingHours | None = None

    def __post_init__(self) -> None:
        for name in ("sit_limit", "natural_break", "snooze", "reprompt"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"{name} must be longer than zero")
        if self.natural_break >= self.sit_limit:
            raise ValueError("natural_break must be shorter than sit_limit")


# ---- effects: what the core asks the outside world to do or record ----------------------------


@dataclass_transform(frozen_default=True)
def _effect(cls: type[_T]) -> type[_T]:
    """A frozen dataclass whose ``__init__`` writes its fields straight into ``__dict__``: a frozen
    dataclass's own sets each field through ``object.__setattr__`` (twice as slow; a replay makes millions)."""
    cls = dataclass(frozen=True, init=False)(cls)
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    code = f"def __init__(self, {', '.join(names)}):\n    d = self.__dict__\n"
    code += "".join(f"    d[{name!r}] = {name}\n" for name in names)
    space: dict[str, Any] = {}
    exec(code, space)  # noqa: S102 - built from the class's own field names
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_effect
class BoutOpened:
    """A sitting bout started (input after a natural break, or the first input ever)."""

    start: datetime


@_effect
class BoutClosed:
    """A sitting bout is over; it lasted from ``start`` to ``end`` (the last input, or a break start)."""

    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@_effect
class AwayClosed:
    """A stretch without input, with the reason for it."""

    start: datetime
    end: datetime
    cause: AwayCause


@_effect
class PromptShown:
    """Show a break prompt. ``number`` identifies it until it is closed; it replaces any older one."""

    number: int
    at: datetime
    bout_start: datetime

    @property
    def sitting(self) -> timedelta:
        return self.at - self.bout_start


@_effect
class PromptClosed:
    """A prompt got its outcome. ``answered_at`` is None for ignored prompts."""

    number: int
    outcome: Outcome
    answered_at: datetime | None
    at: datetime


@_effect
class BreakStarted:
    """Open the guided break (``prompt`` is None when the user started it without a prompt)."""

    at: datetime
    prompt: int | None


@_effect
class BreakFinished:
    """The guided break ended."""

    at: datetime
    result: BreakResult
    prompt: int | None


@_effect
class Notice:
    """Something the user should hear about that is not an error (an answer with no prompt, ...)."""

    at: datetime
    text: str


Effect = BoutOpened | BoutClosed | AwayClosed | PromptShown | PromptClosed | BreakStarted | BreakFinished | Notice


@dataclass(frozen=True)
class Status:
    """A read-only view of the engine for the tray, ``breaker status`` and tests."""

    at: datetime
    bout_start: datetime | None
    sitting: timedelta
    input_active: bool
    locked: bool
    suspended: bool
    open_prompt: int | None
    next_prompt: datetime | None
    holds: tuple[Hold, ...] = field(default=())
    paused_until: datetime | None = None
    in_break: bool = False

    @property
    def to_next_prompt(self) -> timedelta | None:
        return None if self.next_prompt is None else max(self.next_prompt - self.at, timedelta(0))


def require_aware(at: datetime) -> datetime:
    """``at`` in UTC; naive datetimes are rejected. UTC keeps arithmetic absolute, never wall-clock."""
    if at.tzinfo is UTC:  # already (a trace's times are read in UTC): nothing to convert
        return at
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time {at.isoformat()} has no UTC offset")
    return at.astimezone(UTC)


def as_zone(at: datetime, zone: tzinfo) -> datetime:
    """``at`` expressed in ``zone`` (for local-calendar rules)."""
    return at.astimezone(zone)
