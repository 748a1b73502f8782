"""Database rows -> the ``DayStats`` of one ISO week's local calendar days. Pure: no I/O, no clock.

A bout adds its sitting to every day it covers and counts as a bout (number, longest, over the limit) on
the day it started, judged by the sit limit stored with it (``sit_limit_s``; rows from before limits were
stored fall back to the given limit). Prompts count on the day they were shown, asks on the day of their
first prompt, guided breaks on the day they started.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import timedelta, tzinfo
from typing import Any

from breaker.core.tally import OUTCOMES, STARTED, DayStats
from breaker.core.week import Week, local_midnight

WALL_DRILL = "wall-hinge"  # catalogue id of the drill whose progression level the report follows
Row = Mapping[str, Any]  # a sqlite3.Row or a dict with the column names of the table
Ask = tuple[float, bool]  # (when its first prompt was shown, whether it ended in a started guided break)


def column(row: Row, name: str) -> Any:
    """``row[name]``, or None when the row has no such column (older databases, hand-built rows)."""
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def asks(prompts: Iterable[Row]) -> list[Ask]:
    """Group prompts into asks: every prompt of one bout (same ``bout_start``) is one ask."""
    groups: dict[Any, list[Row]] = {}
    for n, row in enumerate(prompts):
        key = column(row, "bout_start")
        groups.setdefault(("alone", n) if key is None else float(key), []).append(row)
    return sorted((min(float(r["at"]) for r in rows), any(r["outcome"] in STARTED for r in rows))
                  for rows in groups.values())


def count_days(week: Week, zone: tzinfo, sit_limit: float, bouts: Iterable[Row], prompts: Iterable[Row],
               ask_list: Iterable[Ask], breaks: Iterable[Row]) -> list[DayStats]:
    """The seven days of ``week`` (rows outside it are ignored); ``breaks`` sorted by ``started``."""
    dates = week.days + [week.monday + timedelta(days=7)]
    edges = [local_midnight(d, zone).timestamp() for d in dates]
    days = [DayStats(day=d, hours=(edges[i + 1] - edges[i]) / 3600) for i, d in enumerate(dates[:-1])]

    def index(at: float) -> int | None:
        i = bisect_right(edges, at) - 1
        return i if 0 <= i < 7 else None

    for row in bouts:
        _bout(days, edges, index, row, sit_limit)
    for row in prompts:
        i = index(float(row["at"]))
        if i is None:
            continue
        days[i].prompts += 1
        name = row["outcome"] if row["outcome"] in OUTCOMES else "open"
        setattr(days[i], name, getattr(days[i], name) + 1)
    for first, moved in ask_list:
        i = index(first)
        if i is not None:
            days[i].asked += 1
            days[i].moved += moved
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


def _bout(days: list[DayStats], edges: list[float], index: Any, row: Row, default_limit: float) -> None:
    start, end = float(row["start"]), float(row["end"])
    if end <= edges[0] or start >= edges[7]:
        return
    stored = column(row, "sit_limit_s")
    limit = default_limit if stored is None else float(stored)
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
        day.longest_bout_s = max(day.longest_bout_s, end - start)
        day.bouts_over_limit += end - start > limit
        day.limit_assumed += stored is None
        day.sit_limit_s = limit
