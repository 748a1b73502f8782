"""The weekly chart as shapes (``layout`` is pure) and as a PNG.

Per day: a bar of sitting split into the part within the sit limit of its bout and the part beyond, a
ghost bar behind it for the same weekday last week, and beside it a thin bar for the day's longest bout
with the sit limit marked across it (the limit applies to a bout, not to the day). Under each day: how
often you moved when asked. The hour scale stays at 10 h unless a day of this week or the last needs more.
"""

from __future__ import annotations

import math
from pathlib import Path

from breaker.core.i18n import _
from breaker.core.weekly import DayStats, WeeklyReport
from breaker.timefmt import human_duration
from breaker.ui.shapes import (
    DONE,
    GHOST,
    GRID,
    HEALTHY,
    INK,
    MUTED,
    OVER,
    PAPER,
    Line,
    Rect,
    Shape,
    Text,
    fit_words,
    save_png,
    text_width,
)
from breaker.ui.weekly_text import change_words, lead
from breaker.ui.words import day_month, hour_mark, weekday_day

BASE_HOURS = 10  # the scale every ordinary week shares


def hour_scale(peak_s: float) -> tuple[int, int]:
    """(top of the scale in hours, gridline step): 10 h, or the next multiple of 4 h above ``peak_s``."""
    hours = max(BASE_HOURS, math.ceil(peak_s / 3600 / 4) * 4)
    return hours, 2 if hours <= 12 else 4 if hours <= 24 else 8


def layout(report: WeeklyReport, width: float = 900, height: float = 460) -> list[Shape]:
    """All shapes of the chart of ``report`` in a ``width`` x ``height`` frame (logical pixels)."""
    days, total = report.days, report.totals
    first, last = days[0].day, days[-1].day
    shapes: list[Shape] = [Rect((0, 0, width, height), PAPER)]
    left, right = 52.0, 14.0
    title = _("Week {week}  ({first} – {last} {year})").format(week=report.week, first=day_month(first),
                                                               last=day_month(last), year=last.year)
    shapes.append(Text((left, 10), title, 17, bold=True))
    y = 36.0
    for line, size, color in ((lead(total), 13, INK), (_compare(report), 12, MUTED)):
        for piece in fit_words(line, width - left - right, size):
            shapes.append(Text((left, y), piece, size, color))
            y += size + 6
    legend_h = _legend(left, width - right, 0, report)[1]
    top, bottom = y + 22, height - legend_h - 58
    peak = max(d.sitting_s for d in [*days, *report.previous_days])
    hours, step = hour_scale(peak)
    scale = max(bottom - top, 40) / (hours * 3600)
    for h in range(0, hours + 1, step):
        yy = bottom - h * 3600 * scale
        shapes.append(Line((left, yy, width - right, yy), MUTED if h == 0 else GRID))
        shapes.append(Text((left - 6, yy), hour_mark(h), 11, MUTED, "e"))
    column = (width - left - right) / 7
    for i, day in enumerate(days):
        shapes += _day(day, report.previous_days[i], left + column * i, column, bottom, scale, report.sit_limit_s)
    if total.empty:
        mid = (left + width - right) / 2
        shapes.append(Text((mid, (top + bottom) / 2), _("Nothing recorded in {week}").format(week=report.week),
                           16, MUTED, "center", bold=True))
    return shapes + _legend(left, width - right, height - legend_h - 2, report)[0]


def _day(day: DayStats, before: DayStats, x: float, column: float, base: float, scale: float,
         fallback_limit: float) -> list[Shape]:
    cx = x + column * 0.42
    bar, lane = column * 0.42, max(5.0, column * 0.1)
    shapes: list[Shape] = []
    if before.sitting_s > 0:  # last week's same weekday, behind this week's bar
        ghost_x = cx - bar / 2 - 5
        shapes.append(Rect((ghost_x, base - before.sitting_s * scale, ghost_x + bar, base), GHOST))
    label = MUTED if day.ahead else INK
    shapes.append(Text((x + column / 2, base + 6), weekday_day(day.day), 12, label, "n", bold=True))
    if day.ahead:
        return shapes
    healthy = day.sitting_s - day.over_limit_s
    if healthy > 0:
        shapes.append(Rect((cx - bar / 2, base - healthy * scale, cx + bar / 2, base), HEALTHY))
    if day.over_limit_s > 0:
        shapes.append(Rect((cx - bar / 2, base - day.sitting_s * scale, cx + bar / 2, base - healthy * scale), OVER))
    if day.sitting_s > 0:
        shapes.append(Text((cx, base - day.sitting_s * scale - 3), _dur(day.sitting_s), 11, INK, "s"))
    if day.longest_bout_s > 0:  # the longest bout, against the limit of that bout
        lx = cx + bar / 2 + 4
        limit = day.sit_limit_s or fallback_limit
        within = min(day.longest_bout_s, limit)
        shapes.append(Rect((lx, base - within * scale, lx + lane, base), HEALTHY, INK, 1))
        if day.longest_bout_s > limit:
            shapes.append(Rect((lx, base - day.longest_bout_s * scale, lx + lane, base - limit * scale), OVER, INK, 1))
        shapes.append(Line((lx - 3, base - limit * scale, lx + lane + 3, base - limit * scale), INK, 2))
    if day.asked:
        color = DONE if day.moved else MUTED
        # Translators: under a day's bar: how often you moved of the times asked ("moved 2/3"); keep it short.
        moved = _("moved {moved}/{asked}").format(moved=day.moved, asked=day.asked)
        shapes.append(Text((x + column / 2, base + 24), moved, 11, color, "n"))
    return shapes


def _compare(report: WeeklyReport) -> str:
    if report.previous.empty:
        return _("Nothing recorded in {week} to compare with.").format(week=report.week.previous)
    return change_words(report)


def _legend(x0: float, x1: float, y: float, report: WeeklyReport) -> tuple[list[Shape], float]:
    """The legend from ``y`` down, flowed into as many rows as the width needs, and its height."""
    limit = human_duration(report.sit_limit_s)
    items = [((0, -6, 12, 6), HEALTHY, ""), _("sitting within the limit of its bout"), ((0, -6, 12, 6), OVER, ""),
             _("beyond it"), ((0, -6, 12, 6), GHOST, ""), _("same day last week"), ((3, -7, 9, 7), HEALTHY, INK),
             _("longest bout and the limit of that bout ({limit} now)").format(limit=limit)]
    shapes: list[Shape] = []
    x, row = x0, y
    for (box, fill, outline), words in zip(items[::2], items[1::2], strict=True):  # type: ignore[misc]
        need = 18 + text_width(str(words), 11) + 18
        if x > x0 and x + need > x1:
            x, row = x0, row + 20
        shapes.append(Rect((x + box[0], row + box[1], x + box[2], row + box[3]), fill, outline))
        if outline:
            shapes.append(Line((x, row - 1, x + 12, row - 1), INK, 2))
        shapes.append(Text((x + 18, row), str(words), 11, MUTED, "w"))
        x += need
    return shapes, row - y + 12


def _dur(seconds: float) -> str:
    return "–" if seconds <= 0 else human_duration(seconds)


def write_png(report: WeeklyReport, path: Path, width: int = 900, height: int = 460, zoom: float = 2.0) -> None:
    """The chart of ``report`` as a PNG."""
    save_png(layout(report, width, height), path, width, height, zoom)
