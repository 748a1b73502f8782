"""Reads what a weekly report needs from the database and hands it to the pure ``breaker.core.weekly``."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from breaker.core.weekly import Week, WeeklyReport, weekly_report
from breaker.store.storage import Storage


def load_report(storage: Storage, week: Week, zone: tzinfo, sit_limit: timedelta,
                today: date | None = None) -> WeeklyReport:
    """The report of ``week`` (with the week before it for comparison) from ``storage``."""
    since, _ = week.previous.bounds(zone)
    _, until = week.bounds(zone)
    return weekly_report(
        week, zone, sit_limit,
        storage.rows("bouts", since, until),
        storage.rows("prompts", since, until),
        storage.rows("breaks", since, until),
        today=today,
    )
