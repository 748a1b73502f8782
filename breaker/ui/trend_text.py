"""A trend of weeks (``breaker stats --trend``) as 80-column text, JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from breaker.core.weekly import Tally, Week
from breaker.timefmt import human_duration
from breaker.ui.weekly_text import CSV_KEYS, GLYPHS

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
    lines = [f"Sitting week by week, {first} {dash} {last} ({len(weeks)} weeks)", "",
             f"{'week':8} {'sitting':<{BAR + 12}} {'bouts':>5} {'longest':>11} {'over':>4} {'moved':>9}"]
    peak = max((t.sitting_s for _, t in weeks), default=0.0)
    for week, t in weeks:
        if t.empty:
            lines.append(f"{week!s:8} {blank:<{BAR}}   nothing recorded")
            continue
        size = max(1, round(t.sitting_s / peak * BAR))
        beyond = min(size, round(t.over_limit_s / peak * BAR)) if t.over_limit_s else 0
        bar = healthy * (size - beyond) + over * beyond
        moved = f"{t.moved} of {t.asked}" if t.asked else dash
        lines.append(f"{week!s:8} {bar:<{BAR}} {human_duration(t.sitting_s):>11} {t.bouts:>5} "
                     f"{_dur(t.longest_bout_s, dash):>11} {t.bouts_over_limit:>4} {moved:>9}")
    lines += ["", f"{healthy} sitting within the limit of its bout, {over} beyond it",
              "moved: times asked to move that ended in a guided break"]
    return "\n".join(lines) + "\n"


def _dur(seconds: float, dash: str) -> str:
    return dash if seconds <= 0 else human_duration(seconds)
