"""The counters of one day or one week of the weekly report, and their JSON form. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

OUTCOMES = ("completed", "abandoned", "snoozed", "skipped", "dismissed", "ignored")
STARTED = ("completed", "abandoned")  # outcomes of a prompt answered by starting a guided break


@dataclass
class Tally:
    """Counters for one day or one week. Durations in seconds."""

    sitting_s: float = 0.0
    bouts: int = 0
    longest_bout_s: float = 0.0
    bouts_over_limit: int = 0
    prompts: int = 0
    completed: int = 0
    abandoned: int = 0
    snoozed: int = 0
    skipped: int = 0
    dismissed: int = 0
    ignored: int = 0
    asked: int = 0  # asks: a prompt and its repeats within one bout, counted on the day of the first
    moved: int = 0  # asks that ended in a started guided break
    open: int = 0  # prompts without an outcome yet (the daemon is still waiting for an answer)
    over_limit_s: float = 0.0  # the part of sitting_s beyond the bout's sit limit
    breaks: int = 0  # guided breaks started (prompted or not)
    break_s: float = 0.0  # time spent in guided breaks
    exercises: dict[str, int] = field(default_factory=dict)  # completed breaks per exercise id
    wall_level: int | None = None  # the wall-drill level of the latest wall-drill break
    limit_assumed: int = 0  # bouts recorded before limits were stored: judged by the config's sit_limit

    @property
    def compliance(self) -> float | None:
        """Completed breaks per prompt; None when there were no prompts."""
        return None if self.prompts == 0 else self.completed / self.prompts

    @property
    def empty(self) -> bool:
        return self.sitting_s == 0 and self.prompts == 0 and self.breaks == 0

    def add(self, other: Tally) -> None:
        """Fold a later day into this total."""
        for f in fields(Tally):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name == "longest_bout_s":
                setattr(self, f.name, max(mine, theirs))
            elif f.name == "wall_level":
                setattr(self, f.name, mine if theirs is None else theirs)
            elif f.name == "exercises":
                for key, n in theirs.items():
                    mine[key] = mine.get(key, 0) + n
            else:
                setattr(self, f.name, mine + theirs)

    def to_json(self) -> dict[str, Any]:
        """The contract keys first (docs/architecture.md, Contracts), then the extras."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = number(value) if isinstance(value, float) else (
                dict(sorted(value.items())) if isinstance(value, dict) else value)
        ratio = self.compliance
        out["compliance"] = None if ratio is None else round(ratio, 4)
        return out


def total(days: list[Tally]) -> Tally:
    """The sum of ``days`` as one plain ``Tally``."""
    out = Tally()
    for day in days:
        out.add(day)
    return out


@dataclass
class DayStats(Tally):
    """One local calendar day; ``hours`` is 23 or 25 on a DST change."""

    day: date = date.min
    hours: float = 24.0
    ahead: bool = False  # after "today": nothing can have happened yet
    sit_limit_s: float | None = None  # the limit of the day's last bout (None: no bout started that day)

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        for key in ("day", "hours", "ahead"):
            body.pop(key)
        limit = body.pop("sit_limit_s")
        return {"date": self.day.isoformat(), **body, "hours": number(self.hours), "ahead": self.ahead,
                "sit_limit_s": None if limit is None else number(limit)}


def number(value: float) -> float | int:
    """Whole seconds as int, fractions to the millisecond."""
    return int(value) if float(value).is_integer() else round(value, 3)
