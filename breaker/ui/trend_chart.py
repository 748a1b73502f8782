"""The trend of weeks (``breaker stats --trend --png/--window``) as shapes (``layout_trend`` is pure).

One bar per week: sitting within the limit of each bout and beyond it (the weekly chart's colours and
meanings), the average of the weeks shown as a dashed line, and under each week how often you moved when
asked. The hour scale stays at 40 h unless a week needs more.
"""

from __future__ import annotations

import math
from pathlib import Path

from breaker.core.i18n import _, ngettext
from breaker.core.weekly import Tally, Week
from breaker.timefmt import human_duration
from breaker.ui.shapes import (
    DONE,
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
from breaker.ui.words import hour_mark

BASE_HOURS = 40


def layout_trend(weeks: list[tuple[Week, Tally]], width: float = 900, height: float = 460) -> list[Shape]:
    """All shapes of the trend chart in a ``width`` x ``height`` frame (logical pixels)."""
    left, right, top, bottom = 52.0, 14.0, 90.0, height - 84
    shapes: list[Shape] = [Rect((0, 0, width, height), PAPER)]
    first, last = weeks[0][0], weeks[-1][0]
    shapes.append(Text((left, 10), _("Sitting week by week, {first} – {last}").format(first=first, last=last), 17,
                       bold=True))
    recorded = [t for _week, t in weeks if not t.empty]
    asked, moved = sum(t.asked for t in recorded), sum(t.moved for t in recorded)
    average = sum(t.sitting_s for t in recorded) / len(recorded) if recorded else 0.0
    fields = {"moved": moved, "asked": asked, "weeks": len(weeks), "average": human_duration(average)}
    said = (ngettext("Moved {moved} of {asked} time asked in {weeks} weeks; {average} sitting in an average "
                     "recorded week.", "Moved {moved} of {asked} times asked in {weeks} weeks; {average} sitting "
                     "in an average recorded week.", asked) if recorded else
            ngettext("Moved {moved} of {asked} time asked in {weeks} weeks; no sitting recorded.",
                     "Moved {moved} of {asked} times asked in {weeks} weeks; no sitting recorded.", asked)
            ).format(**fields)
    for n, piece in enumerate(fit_words(said, width - left - right, 13)[:2]):
        shapes.append(Text((left, 36 + 19 * n), piece, 13))
    peak = max((t.sitting_s for _week, t in weeks), default=0.0)
    hours = max(BASE_HOURS, math.ceil(peak / 3600 / 20) * 20)
    step = 10 if hours <= 60 else 20
    scale = (bottom - top) / (hours * 3600)
    for h in range(0, hours + 1, step):
        y = bottom - h * 3600 * scale
        shapes.append(Line((left, y, width - right, y), MUTED if h == 0 else GRID))
        shapes.append(Text((left - 6, y), hour_mark(h), 11, MUTED, "e"))
    column = (width - left - right) / len(weeks)
    bar = min(column * 0.6, 48)
    for i, (week, t) in enumerate(weeks):
        cx = left + column * (i + 0.5)
        every = max(1, math.ceil(len(weeks) / max(1, (width - left - right) // 64)))
        if i % every == 0 or i == len(weeks) - 1:
            # Translators: a week's label under its bar ("W48"); keep it short.
            shapes.append(Text((cx, bottom + 6), _("W{number:02d}").format(number=week.number), 11, INK, "n",
                               bold=True))
        if t.empty:
            shapes.append(Text((cx, bottom - 4), "–", 11, MUTED, "s"))
            continue
        healthy = t.sitting_s - t.over_limit_s
        shapes.append(Rect((cx - bar / 2, bottom - healthy * scale, cx + bar / 2, bottom), HEALTHY))
        if t.over_limit_s > 0:
            shapes.append(Rect((cx - bar / 2, bottom - t.sitting_s * scale, cx + bar / 2, bottom - healthy * scale),
                               OVER))
        if t.asked and (i % every == 0 or i == len(weeks) - 1):
            shapes.append(Text((cx, bottom + 24), f"{t.moved}/{t.asked}", 11, DONE if t.moved else MUTED, "n"))
    if recorded:
        y = bottom - average * scale
        shapes.append(Line((left, y, width - right, y), INK, 1.5, dash=True))
        shapes.append(Text((left + 4, y - 3), _("average {duration}").format(duration=human_duration(average)), 11,
                           INK, "sw"))
    return shapes + _legend(left, height - 24)


def _legend(x: float, y: float) -> list[Shape]:
    """The key along the bottom: the two colours, then how to read the counts under the weeks."""
    shapes: list[Shape] = []
    for color, words in ((HEALTHY, _("within the limit")), (OVER, _("beyond it"))):
        shapes += [Rect((x, y - 6, x + 12, y + 6), color), Text((x + 18, y), words, 11, MUTED, "w")]
        x += 18 + text_width(words, 11) + 24
    return [*shapes, Text((x, y), _("under each week: moved / times asked"), 11, MUTED, "w")]


def write_trend_png(weeks: list[tuple[Week, Tally]], path: Path, width: int = 900, height: int = 460) -> None:
    """The trend chart as a PNG drawn at twice the size."""
    save_png(layout_trend(weeks, width, height), path, width, height)
