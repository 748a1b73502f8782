"""A trend of weeks (``breaker stats --trend``) as 80-column text, JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from breaker.core.i18n import _, ngettext, pgettext
from breaker.core.weekly import Tally, Week
from breaker.timefmt import human_duration
from breaker.ui.weekly_text import CSV_KEYS, GLYPHS, WIDTH

BAR = 20  # characters of the longest week's bar
Weeks = list[tuple[Week, Tally]]


def trend_json(weeks: Weeks) -> dict[str, Any]:
    """``{"weeks": [{"week", ...that week's totals}]}``, oldest first."""
    return {"weeks": [{"week": str(week), **totals.to_json()} for week, totals in weeks]}


def trend_csv(weeks: Weeks) -> str:
    """One row per week, the same columns as ``stats --csv``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("week", *CSV_KEYS))
    for week, totals in weeks:
        data = totals.to_json()
        writer.writerow((week, *("" if data[k] is None else data[k] for k in CSV_KEYS)))
    return buffer.getvalue()


def render_trend(weeks: Weeks, *, unicode: bool = True) -> str:
    """One line per week: a bar of sitting (the part beyond the limits marked), bouts, longest, moved/asked."""
    healthy, over, blank = GLYPHS["unicode" if unicode else "ascii"]
    dash = "–" if unicode else "-"
    first, last = weeks[0][0], weeks[-1][0]
    # Translators: column headings of `breaker stats --trend`; short words keep the table within 80 columns.
    heads = [(pgettext("stats column", "bouts"), 5), (pgettext("stats column", "longest"), 11),
             (pgettext("stats column", "over"), 4), (pgettext("stats column", "moved"), 9)]
    cols = [(head, max(width, len(head))) for head, width in heads]
    cols[1] = (cols[1][0], max(cols[1][1], *(len(_dur(t.longest_bout_s, dash)) for _w, t in weeks)))
    sit_w = max(11, *(len(human_duration(t.sitting_s)) for _w, t in weeks))  # German units are wider
    week_head, sitting = pgettext("stats column", "week"), pgettext("stats column", "sitting")
    week_w = max(8, len(week_head))
    bar_w = BAR - max(0, week_w + 2 + sit_w + BAR + sum(w + 1 for _h, w in cols) - WIDTH)  # the bar gives way
    title = ngettext("Sitting week by week, {first} {dash} {last} ({count} week)",
                     "Sitting week by week, {first} {dash} {last} ({count} weeks)", len(weeks))
    lines = [title.format(first=first, dash=dash, last=last, count=len(weeks)), "",
             f"{week_head:{week_w}} {sitting:<{bar_w + sit_w + 1}} " + " ".join(f"{head:>{w}}" for head, w in cols)]
    peak = max((t.sitting_s for _week, t in weeks), default=0.0)
    for week, t in weeks:
        if t.empty:
            lines.append(f"{week!s:{week_w}} {blank:<{bar_w}}   " + _("nothing recorded"))
            continue
        size = max(1, round(t.sitting_s / peak * bar_w))
        beyond = min(size, round(t.over_limit_s / peak * bar_w)) if t.over_limit_s else 0
        bar = healthy * (size - beyond) + over * beyond
        moved = _("{moved} of {asked}").format(moved=t.moved, asked=t.asked) if t.asked else dash
        values = (t.bouts, _dur(t.longest_bout_s, dash), t.bouts_over_limit, moved)
        lines.append(f"{week!s:{week_w}} {bar:<{bar_w}} {human_duration(t.sitting_s):>{sit_w}} "
                     + " ".join(f"{value:>{w}}" for value, (_h, w) in zip(values, cols, strict=True)))
    lines += ["", _("{healthy} sitting within the limit of its bout, {over} beyond it").format(healthy=healthy,
                                                                                           over=over),
              _("moved: times asked to move that ended in a guided break")]
    return "\n".join(lines) + "\n"


def _dur(seconds: float, dash: str) -> str:
    return dash if seconds <= 0 else human_duration(seconds)
