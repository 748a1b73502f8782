"""Weekly sitting statistics: database rows -> a ``WeeklyReport`` of local calendar days, or a trend of weeks.

Pure: no I/O and no clock; the week, the zone, the fallback sit limit and "today" are arguments. Days are
the local calendar days of ``zone``, so a DST change gives a 23- or 25-hour day. How each row counts is
in ``breaker.core.daycount``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from breaker.core.daycount import WALL_DRILL, Row, asks, count_days
from breaker.core.tally import OUTCOMES, DayStats, Tally, number, total
from breaker.core.week import Week, local_midnight

__all__ = ["OUTCOMES", "WALL_DRILL", "DayStats", "Tally", "Week", "WeeklyReport", "local_midnight", "trend",
           "weekly_report"]


@dataclass
class WeeklyReport:
    """One week's days and totals, and the previous week's to compare with."""

    week: Week
    zone: str
    sit_limit_s: float  # the configured limit: used for bouts recorded without their own
    days: list[DayStats]
    totals: Tally
    previous: Tally
    previous_days: list[DayStats]
    to_date: int = 7  # days of the week up to "today" (7 for a past week): the fair span to compare

    @property
    def compared(self) -> tuple[Tally, Tally]:
        """(this week, last week) over the same days: the whole weeks, or Monday to today early in a week."""
        if self.to_date >= 7:
            return self.totals, self.previous
        return total(self.days[: self.to_date]), total(self.previous_days[: self.to_date])  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        totals = self.totals.to_json()
        before = self.previous.to_json()
        now_part, before_part = (part.to_json() for part in self.compared)
        return {
            "week": str(self.week),
            "first_day": self.week.monday.isoformat(),
            "last_day": self.days[-1].day.isoformat(),
            "zone": self.zone,
            "sit_limit_s": number(self.sit_limit_s),
            "days": [d.to_json() for d in self.days],
            "totals": totals,
            "previous": {"week": str(self.week.previous), "totals": before},
            "change": _change(totals, before),
            "to_date": {"days": self.to_date, "change": _change(now_part, before_part),
                        "previous_totals": before_part},
        }


_CHANGE_KEYS = ("sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", "completed", "asked",
                "moved")


def _change(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    change = {key: number(now[key] - before[key]) for key in _CHANGE_KEYS}
    ratios = now["compliance"], before["compliance"]
    change["compliance"] = None if None in ratios else round(ratios[0] - ratios[1], 4)
    return change


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
    rows = _Rows(bouts, prompts, breaks)
    limit = sit_limit.total_seconds()
    days = rows.days(week, zone, limit)
    for day in days:
        day.ahead = today is not None and day.day > today
    before = rows.days(week.previous, zone, limit)
    to_date = 7
    if today is not None and week.monday <= today < week.monday + timedelta(days=6):
        to_date = (today - week.monday).days + 1
    return WeeklyReport(week, getattr(zone, "key", None) or str(zone), limit, days, total(days),  # type: ignore[arg-type]
                        total(before), before, to_date)  # type: ignore[arg-type]


def trend(weeks: list[Week], zone: tzinfo, sit_limit: timedelta, bouts: Iterable[Row], prompts: Iterable[Row],
          breaks: Iterable[Row]) -> list[tuple[Week, Tally]]:
    """The totals of each of ``weeks``, each equal to that week's ``weekly_report(...).totals``.

    The rows must also cover the week before the first (an ask counts where its first prompt was shown)."""
    rows = _Rows(bouts, prompts, breaks)
    limit = sit_limit.total_seconds()
    return [(week, total(rows.days(week, zone, limit))) for week in weeks]  # type: ignore[arg-type]


class _Rows:
    """The rows of a span of weeks, sorted once, prompts grouped into asks once; each week reads its slice."""

    def __init__(self, bouts: Iterable[Row], prompts: Iterable[Row], breaks: Iterable[Row]) -> None:
        self.bouts = sorted(bouts, key=lambda row: float(row["start"]))
        self.prompts = sorted(prompts, key=lambda row: float(row["at"]))
        self.breaks = sorted(breaks, key=lambda row: float(row["started"]))
        self.asks = asks(self.prompts)
        self.starts = [float(row["start"]) for row in self.bouts]
        self.longest = max((float(row["end"]) - start for row, start in zip(self.bouts, self.starts, strict=True)),
                           default=0.0)
        self.times = ([float(row["at"]) for row in self.prompts], [first for first, _ in self.asks],
                      [float(row["started"]) for row in self.breaks])

    def days(self, week: Week, zone: tzinfo, limit: float) -> list[DayStats]:
        since, until = (moment.timestamp() for moment in week.bounds(zone))
        bouts = self.bouts[bisect_left(self.starts, since - self.longest):bisect_left(self.starts, until)]
        prompts, ask_list, breaks = (rows[bisect_left(at, since):bisect_left(at, until)] for rows, at in
                                     zip((self.prompts, self.asks, self.breaks), self.times, strict=True))
        return count_days(week, zone, limit, bouts, prompts, ask_list, breaks)  # type: ignore[arg-type]
