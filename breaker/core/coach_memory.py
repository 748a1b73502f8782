"""What the coach remembers between breaks: an immutable, JSON-ready value (``Coach`` reads and evolves it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATE_VERSION = 1
SKIPS = ("skipped", "dismissed", "ignored")  # the results of a prompt passed on


@dataclass(frozen=True)
class CoachState:
    """What the coach remembers between breaks. Treat the mappings as read-only."""

    breaks: int = 0
    last: str | None = None
    seen: Mapping[str, int] = field(default_factory=dict)
    needs: Mapping[str, int] = field(default_factory=dict)
    levels: Mapping[str, int] = field(default_factory=dict)
    easy: Mapping[str, int] = field(default_factory=dict)  # earned easy sets at the current level
    done_day: Mapping[str, int] = field(default_factory=dict)
    rest_until: Mapping[str, int] = field(default_factory=dict)
    swapped: tuple[str, ...] = ()  # exercises replaced by their alternative because they hurt
    day: int | None = None
    day_seen: tuple[str, ...] = ()
    last_result: str = ""
    causes: Mapping[str, str] = field(default_factory=dict)  # target -> why it needs work

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``json.dumps`` works on it as is)."""
        out: dict[str, Any] = {"version": STATE_VERSION, "breaks": self.breaks, "last": self.last}
        for name in ("seen", "needs", "levels", "easy", "done_day", "rest_until", "causes"):
            out[name] = dict(sorted(getattr(self, name).items()))
        out.update(swapped=list(self.swapped), day=self.day, day_seen=list(self.day_seen), last_result=self.last_result)
        return out

    @classmethod
    def from_dict(cls, raw: object) -> CoachState:
        """Rebuild a state from ``to_dict`` output; anything malformed falls back to a fresh value."""
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return cls()

        def good(v: object, kind: type) -> bool:
            return isinstance(v, kind) and not isinstance(v, bool)

        def table(key: str, kind: type = int) -> dict[str, Any]:
            value = raw.get(key)
            return {str(k): v for k, v in value.items() if good(v, kind)} if isinstance(value, dict) else {}

        def names(key: str) -> tuple[str, ...]:
            value = raw.get(key)
            return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

        breaks, last, day, result = raw.get("breaks"), raw.get("last"), raw.get("day"), raw.get("last_result")
        return cls(breaks=breaks if good(breaks, int) and breaks >= 0 else 0,
                   last=last if isinstance(last, str) else None, seen=table("seen"), needs=table("needs"),
                   levels=table("levels"), easy=table("easy"), done_day=table("done_day"),
                   rest_until=table("rest_until"), swapped=names("swapped"), day=day if good(day, int) else None,
                   day_seen=names("day_seen"), last_result=result if isinstance(result, str) else "",
                   causes=table("causes", str))


def evolve(state: CoachState, **changes: Any) -> CoachState:
    """``dataclasses.replace`` for the coach's state, without its per-field checks (it runs per prompt):
    a frozen dataclass sets each of its fields through ``object.__setattr__``; this copies its ``__dict__``."""
    new = object.__new__(CoachState)
    fields = new.__dict__
    fields.update(state.__dict__)
    fields.update(changes)
    return new


FIELDS = tuple(CoachState.__dataclass_fields__)


class Draft:
    """A ``CoachState`` changed in place by prompts passed on (``Coach.pass_draft``): a replay passes on
    thousands between two commits and writes only the newest state, so it need not make one per prompt.
    It reads like a state (``Coach.choose`` takes either); ``freeze`` gives the ``CoachState``."""

    __slots__ = FIELDS

    breaks: int
    last: str | None
    seen: dict[str, int]
    needs: Mapping[str, int]
    levels: Mapping[str, int]
    easy: Mapping[str, int]
    done_day: Mapping[str, int]
    rest_until: Mapping[str, int]
    swapped: tuple[str, ...]
    day: int | None
    day_seen: tuple[str, ...]
    last_result: str
    causes: Mapping[str, str]

    def __init__(self, state: CoachState) -> None:
        for name, value in state.__dict__.items():
            setattr(self, name, value)
        self.seen = dict(state.seen)  # the one mapping a pass changes: its own copy

    def freeze(self) -> CoachState:
        """The state as it stands (the draft is not to be changed after: the state shares its ``seen``)."""
        new = object.__new__(CoachState)
        object.__setattr__(new, "__dict__", {name: getattr(self, name) for name in FIELDS})
        return new
