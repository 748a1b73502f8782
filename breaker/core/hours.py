"""Working hours per weekday in local wall-clock time, DST-correct.

A day maps to a list of ``(start_minute, end_minute)`` ranges, minutes since local midnight, end exclusive
(1440 means midnight at the end of the day). A day with no ranges has no working hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Range = tuple[int, int]


@dataclass(frozen=True)
class WorkingHours:
    """When prompts may be shown. ``days[i]`` holds the ranges of weekday ``i`` (0 = Monday)."""

    days: tuple[tuple[Range, ...], ...]
    zone: tzinfo

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("working hours need exactly seven weekdays")
        for ranges in self.days:
            for start, end in ranges:
                if not 0 <= start < end <= 1440:
                    raise ValueError(f"bad working-hours range {start}-{end}")

    def _spans(self, day: datetime) -> list[tuple[datetime, datetime]]:
        """The working spans of the local calendar day of ``day``, as UTC instants."""
        midnight = datetime.combine(day.date(), time(0), tzinfo=self.zone)
        spans = []
        for start, end in self.days[day.weekday()]:
            begin = (midnight + timedelta(minutes=start)).astimezone(UTC)
            finish = (midnight + timedelta(minutes=end)).astimezone(UTC)
            if end == 1440:  # midnight of the next day, whatever its offset
                nxt = datetime.combine(day.date() + timedelta(days=1), time(0), tzinfo=self.zone)
                finish = nxt.astimezone(UTC)
            spans.append((begin, finish))
        return spans

    def contains(self, at: datetime) -> bool:
        """True when ``at`` falls inside working hours."""
        return self.next_open(at) == at

    def next_open(self, at: datetime) -> datetime | None:
        """The first instant at or after ``at`` inside working hours (None if there are none at all)."""
        if not any(self.days):
            return None
        local = at.astimezone(self.zone)
        for offset in range(8):
            day = local + timedelta(days=offset)
            for begin, finish in self._spans(day):
                if begin <= at < finish:
                    return at
                if at < begin:
                    return begin.astimezone(at.tzinfo)
        return None
