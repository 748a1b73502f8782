"""Reads what a weekly report or a trend needs from the database and hands it to the pure core."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from breaker.core.tally import Tally
from breaker.core.weekly import Week, WeeklyReport, trend, weekly_report
from breaker.store.storage import Storage

TABLES = ("bouts", "prompts", "breaks")


def load_report(storage: Storage | None, week: Week, zone: tzinfo, sit_limit: timedelta,
                today: date | None = None) -> WeeklyReport:
    """The report of ``week`` (with the week before it for comparison); ``None``: nothing recorded yet."""
    since, _ = week.previous.bounds(zone)
    _, until = week.bounds(zone)
    rows = [[] if storage is None else storage.rows(name, since, until) for name in TABLES]
    return weekly_report(week, zone, sit_limit, *rows, today=today)


def load_trend(storage: Storage | None, last: Week, count: int, zone: tzinfo,
               sit_limit: timedelta) -> list[tuple[Week, Tally]]:
    """The totals of the ``count`` weeks ending with ``last``, oldest first."""
    weeks = [last]
    while len(weeks) < count:
        weeks.insert(0, weeks[0].previous)
    since, _ = weeks[0].previous.bounds(zone)
    _, until = last.bounds(zone)
    rows = [[] if storage is None else storage.rows(name, since, until) for name in TABLES]
    return trend(weeks, zone, sit_limit, *rows)
