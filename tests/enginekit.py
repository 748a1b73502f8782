"""A tiny driver for the pure engine: a day written as (time, event) rows, results as plain tuples."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from breaker.core.engine import Engine
from breaker.core.models import (
    Action,
    AwayClosed,
    BoutClosed,
    BreakResult,
    Effect,
    Notice,
    PromptClosed,
    PromptShown,
    Rules,
)

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 23)  # a Monday


def at(hhmm: str, day: date = DAY, zone: tzinfo = BERLIN) -> datetime:
    """Local wall time "HH:MM" or "HH:MM:SS" on ``day`` in ``zone``, as an aware datetime."""
    parts = [int(p) for p in hhmm.split(":")]
    return datetime.combine(day, time(*parts), tzinfo=zone)


@dataclass
class Outcome:
    bouts: list[tuple[datetime, datetime]] = field(default_factory=list)
    prompts: dict[int, datetime] = field(default_factory=dict)
    outcomes: dict[int, tuple[str, datetime | None]] = field(default_factory=dict)
    away: list[tuple[datetime, datetime, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def prompt_times(self) -> list[str]:
        return [local(t) for t in self.prompts.values()]

    def bout_times(self) -> list[tuple[str, str]]:
        return [(local(a), local(b)) for a, b in self.bouts]

    def outcome_list(self) -> list[str]:
        return [self.outcomes[n][0] if n in self.outcomes else "open" for n in self.prompts]


def local(t: datetime, zone: tzinfo = BERLIN) -> str:
    return t.astimezone(zone).strftime("%H:%M:%S").removesuffix(":00")


def collect(effects: list[Effect], out: Outcome) -> None:
    for e in effects:
        if isinstance(e, BoutClosed):
            out.bouts.append((e.start, e.end))
        elif isinstance(e, PromptShown):
            out.prompts[e.number] = e.at
        elif isinstance(e, PromptClosed):
            assert e.number not in out.outcomes, f"prompt {e.number} closed twice"
            out.outcomes[e.number] = (e.outcome.value, e.answered_at)
        elif isinstance(e, AwayClosed):
            out.away.append((e.start, e.end, e.cause.value))
        elif isinstance(e, Notice):
            out.notices.append(e.text)


def play(rows: list[tuple[datetime, str]], rules: Rules | None = None) -> Outcome:
    """Drive an engine with rows like (at("09:00"), "active") or (t, "answer snooze"); ends with 'end'."""
    engine = Engine(rules or Rules())
    out = Outcome()
    for when, what in rows:
        verb, _, arg = what.partition(" ")
        if verb == "answer":
            effects = engine.answer(Action(arg), when)
        elif verb == "finish":
            effects = engine.finish(BreakResult(arg), when)
        elif verb == "pause":
            effects = engine.pause(None if not arg else datetime.fromisoformat(arg), when)
        elif verb == "dnd":
            effects = engine.do_not_disturb(arg == "on", when)
        elif verb == "break":
            effects = engine.start_break(when)
        else:
            effects = getattr(engine, verb)(when)
        collect(effects, out)
    return out


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
