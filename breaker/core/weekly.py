"""Weekly sitting statistics: database rows -> a ``WeeklyReport`` of local calendar days.

Pure: no I/O and no clock; the week, the zone, the sit limit and "today" are arguments. Days are the
local calendar days of ``zone``, so a DST change gives a 23- or 25-hour day. A bout adds its sitting to
every day it covers and counts as a bout (number, longest, over the limit) on the day it started. Prompts
count on the day they were shown, guided breaks on the day they started.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from breaker.core.errors import UserError

OUTCOMES = ("completed", "abandoned", "snoozed", "skipped", "dismissed", "ignored")
WALL_DRILL = "wall-hinge"  # catalogue id of the drill whose progression level the report follows
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)

Row = Mapping[str, Any]  # a sqlite3.Row or a dict with the column names of the table


FIRST_YEAR, LAST_YEAR = 1970, 2999  # the years a trace may name (breaker.replay.trace)


@dataclass(frozen=True, order=True)
class Week:
    """An ISO-8601 week (Monday to Sunday), e.g. ``Week(2026, 48)`` = "2026-W48"."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """ "2026-W48" -> Week; anything else is a one-line ``UserError``."""
        match = _WEEK.match(text.strip())
        if not match:
            raise UserError(f"--week {text}: expected an ISO week like 2026-W48")
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise UserError(f"--week {text}: {year} has no week {number}") from None
        if not FIRST_YEAR <= year <= LAST_YEAR:  # the week after 9999-W52 is past the last date Python knows
            raise UserError(f"--week {text}: choose a week in the years {FIRST_YEAR} to {LAST_YEAR}")
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def previous(self) -> Week:
        return Week.containing(self.monday - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week.containing(self.monday + timedelta(days=7))

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Local midnight starting Monday and local midnight ending Sunday."""
        return local_midnight(self.monday, zone), local_midnight(self.monday + timedelta(days=7), zone)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The instant ``day`` begins in ``zone`` (a skipped midnight maps to the end of the gap)."""
    return datetime.combine(day, time(0), zone)


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
    open: int = 0  # prompts without an outcome yet (the daemon is still waiting for an answer)
    over_limit_s: float = 0.0  # the part of sitting_s beyond sit_limit into a bout
    breaks: int = 0  # guided breaks started (prompted or not)
    break_s: float = 0.0  # time spent in guided breaks
    exercises: dict[str, int] = field(default_factory=dict)  # completed breaks per exercise id
    wall_level: int | None = None  # the wall-drill level of the latest wall-drill break

    @property
    def compliance(self) -> float | None:
        """Completed breaks per prompt; None when there were no prompts."""
        return None if self.prompts == 0 else self.completed / self.prompts

    @property
    def empty(self) -> bool:
        return self.sitting_s == 0 and self.prompts == 0 and self.breaks == 0

    def add(self, other: Tally) -> None:
        """Fold a later day into this total."""
        for f in fields(self):
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
            out[f.name] = _number(value) if isinstance(value, float) else (
                dict(sorted(value.items())) if isinstance(value, dict) else value)
        ratio = self.compliance
        out["compliance"] = None if ratio is None else round(ratio, 4)
        return out


@dataclass
class DayStats(Tally):
    """One local calendar day; ``hours`` is 23 or 25 on a DST change."""

    day: date = date.min
    hours: float = 24.0
    ahead: bool = False  # after "today": nothing can have happened yet

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        for key in ("day", "hours", "ahead"):
            body.pop(key)
        return {"date": self.day.isoformat(), **body, "hours": _number(self.hours), "ahead": self.ahead}


@dataclass
class WeeklyReport:
    """One week's days and totals, and the previous week's totals to compare with."""

    week: Week
    zone: str
    sit_limit_s: float
    days: list[DayStats]
    totals: Tally
    previous: Tally

    def to_json(self) -> dict[str, Any]:
        totals = self.totals.to_json()
        before = self.previous.to_json()
        change = {key: _number(totals[key] - before[key]) for key in _CHANGE_KEYS}
        cmp = self.totals.compliance, self.previous.compliance
        change["compliance"] = None if None in cmp else round(cmp[0] - cmp[1], 4)  # type: ignore[operator]
        return {
            "week": str(self.week),
            "first_day": self.week.monday.isoformat(),
            "last_day": self.days[-1].day.isoformat(),
            "zone": self.zone,
            "sit_limit_s": _number(self.sit_limit_s),
            "days": [d.to_json() for d in self.days],
            "totals": totals,
            "previous": {"week": str(self.week.previous), "totals": before},
            "change": change,
        }


_CHANGE_KEYS = ("sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", "completed")


def weekly_report(
    week: Week,
    zone: tzinfo,
    sit_limit: timedelta,
    bouts: Iterable[Row],
    prompts: Iterable[Row],
    breaks: Iterable[Row],
    today: date | None = None,
) -> WeeklyReport:
    """Count ``week`` and the week before from rows covering at least both weeks (extra rows are ignored)."""
    bouts, prompts = list(bouts), list(prompts)
    breaks = sorted(breaks, key=lambda row: float(row["started"]))
    limit = sit_limit.total_seconds()
    days = _count(week, zone, limit, bouts, prompts, breaks)
    for day in days:
        day.ahead = today is not None and day.day > today
    previous = Tally()
    for day in _count(week.previous, zone, limit, bouts, prompts, breaks):
        previous.add(day)
    totals = Tally()
    for day in days:
        totals.add(day)
    return WeeklyReport(week, getattr(zone, "key", None) or str(zone), limit, days, totals, previous)


def _count(week: Week, zone: tzinfo, limit: float, bouts: list[Row], prompts: list[Row],
           breaks: list[Row]) -> list[DayStats]:
    dates = week.days + [week.monday + timedelta(days=7)]
    edges = [local_midnight(d, zone).timestamp() for d in dates]
    days = [DayStats(day=d, hours=(edges[i + 1] - edges[i]) / 3600) for i, d in enumerate(dates[:-1])]

    def index(at: float) -> int | None:
        i = bisect_right(edges, at) - 1
        return i if 0 <= i < 7 else None

    for row in bouts:
        start, end = float(row["start"]), float(row["end"])
        if end <= edges[0] or start >= edges[7]:
            continue
        length = end - start
        for i in range(index(start) or 0, 7):
            lo, hi = edges[i], edges[i + 1]
            if lo >= end:
                break
            days[i].sitting_s += max(0.0, min(end, hi) - max(start, lo))
            days[i].over_limit_s += max(0.0, min(end, hi) - max(start + limit, lo))
        i = index(start)
        if i is not None:
            day = days[i]
            day.bouts += 1
            day.longest_bout_s = max(day.longest_bout_s, length)
            day.bouts_over_limit += length > limit
    for row in prompts:
        i = index(float(row["at"]))
        if i is None:
            continue
        days[i].prompts += 1
        outcome = row["outcome"]
        name = outcome if outcome in OUTCOMES else "open"
        setattr(days[i], name, getattr(days[i], name) + 1)
    for row in breaks:
        started = float(row["started"])
        i = index(started)
        if i is None:
            continue
        day = days[i]
        day.breaks += 1
        if row["ended"] is not None:
            day.break_s += max(0.0, float(row["ended"]) - started)
        if row["result"] == "completed":
            day.exercises[row["exercise"]] = day.exercises.get(row["exercise"], 0) + 1
        if row["exercise"] == WALL_DRILL and row["level"] is not None:
            day.wall_level = int(row["level"])
    return days


def _number(value: float) -> float | int:
    """Whole seconds as int, fractions to the millisecond."""
    return int(value) if float(value).is_integer() else round(value, 3)
