"""The weekly report as text for a terminal (table with bar glyphs, then plain sentences) and as CSV."""

from __future__ import annotations

import csv
import io
import textwrap
from datetime import date

from breaker.core.weekly import OUTCOMES, DayStats, Tally, WeeklyReport
from breaker.timefmt import human_duration

BAR = 18  # characters of the longest bar
WIDTH = 88  # sentences wrap here: about the width of the table
GLYPHS = {"unicode": ("▒", "█", "·"), "ascii": ("=", "#", ".")}  # within the limit, beyond it, nothing
CSV_KEYS = ("sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", *OUTCOMES,
            "open", "over_limit_s", "breaks", "break_s", "wall_level", "compliance")


def render(report: WeeklyReport, *, unicode: bool = True) -> str:
    """The whole terminal report: heading, one row per day, totals, then what changed."""
    healthy, over, blank = GLYPHS["unicode" if unicode else "ascii"]
    dash = "–" if unicode else "-"
    limit = human_duration(report.sit_limit_s)
    first, last = report.days[0].day, report.days[-1].day
    lines = [
        f"Week {report.week}  {_date(first)} {dash} {_date(last)} {last.year}  ({report.zone}, sit limit {limit})",
        "",
        f"{'':10} {'sitting':<{BAR + 8}} {'bouts':>5} {'longest':>8} {'over':>4}"
        f" {'prompts':>7} {'done':>4} {'snooze':>6} {'skip':>4} {'other':>5}",
    ]
    scale = max((d.sitting_s for d in report.days), default=0.0) / BAR
    for day in report.days:
        label = f"{day.day:%a} {day.day.day:>2} {day.day:%b}"
        if day.ahead:
            lines.append(f"{label:10} {'(still ahead)'}")
            continue
        bar = _bar(day, scale, healthy, over) or blank
        lines.append(f"{label:10} {bar:<{BAR}} {_dur(day.sitting_s, dash):>7} " + _counts(day, dash))
    total = report.totals
    lines.append(f"{'Week':10} {'':{BAR}} {_dur(total.sitting_s, dash):>7} " + _counts(total, dash))
    lines.append(f"{'':10} {healthy} within the {limit} limit  {over} beyond it   "
                 "other = abandoned, dismissed or ignored")
    lines.append("")
    for sentence in summary(report, dash):
        lines.extend(textwrap.wrap(sentence, WIDTH, break_on_hyphens=False, subsequent_indent="  "))
    return "\n".join(lines) + "\n"


def summary(report: WeeklyReport, dash: str = "–") -> list[str]:
    """Plain sentences: the prompts and breaks of the week, then what changed against the week before."""
    now, before = report.totals, report.previous
    out: list[str] = []
    if now.empty and before.empty:
        return [f"Nothing recorded in {report.week} or the week before: no sitting, prompts or breaks. "
                "The numbers fill in while breaker runs."]
    if now.empty:
        out.append(f"Nothing recorded in {report.week}: no sitting, prompts or breaks.")
    elif now.prompts == 0:
        out.append("No break prompts this week, so there is no compliance to show.")
    else:
        rest = [f"{getattr(now, k)} {k}" for k in (*OUTCOMES[1:], "open") if getattr(now, k)]
        out.append(f"Compliance {_pct(now.compliance)}: {now.completed} of {now.prompts} prompts ended "
                   f"in a completed break" + (f"; {', '.join(rest)}." if rest else "."))
    if now.breaks:
        times = "\u00a0×" if dash == "–" else " x"  # a no-break space keeps the count with its name
        done = ", ".join(f"{name}{times}{n}" for name, n in sorted(now.exercises.items(), key=lambda kv: -kv[1]))
        level = "" if now.wall_level is None else f" Wall-drill level {now.wall_level}."
        out.append(f"Guided breaks: {now.breaks}, {human_duration(now.break_s)} in all"
                   f"{'; completed: ' + done if done else ''}.{level}")
    if before.empty:
        out.append(f"Nothing recorded in {report.week.previous}, so there is no change to show yet.")
    elif not now.empty:
        out.append(_change("Sitting", before.sitting_s, now.sitting_s) + " "
                   + _change("Longest bout", before.longest_bout_s, now.longest_bout_s))
        if now.compliance is not None and before.compliance is not None:
            out.append(f"Compliance {_pct(now.compliance)}, "
                       + ("the same as" if round(now.compliance, 2) == round(before.compliance, 2)
                          else "up from" if now.compliance > before.compliance else "down from")
                       + f" {_pct(before.compliance)} the week before.")
    return out


def to_csv(report: WeeklyReport) -> str:
    """One row per day and a final "total" row; durations in seconds, compliance as a fraction."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("week", "date", *CSV_KEYS))
    for row, label in [*((d, d.day.isoformat()) for d in report.days), (report.totals, "total")]:
        data = row.to_json()
        writer.writerow((report.week, label, *("" if data[k] is None else data[k] for k in CSV_KEYS)))
    return buffer.getvalue()


def _change(what: str, before: float, after: float) -> str:
    if round(before / 60) == round(after / 60):
        return f"{what} unchanged at {human_duration(after)}."
    way = "up" if after > before else "down"
    return f"{what} {way} from {human_duration(before)} to {human_duration(after)}."


def _bar(day: DayStats, scale: float, healthy: str, over: str) -> str:
    if scale <= 0 or day.sitting_s <= 0:
        return ""
    total = max(1, round(day.sitting_s / scale))
    beyond = min(total, round(day.over_limit_s / scale)) if day.over_limit_s > 0 else 0
    if day.over_limit_s > 0 and beyond == 0:
        beyond = 1 if total > 1 else 0  # a little over still shows
    return healthy * (total - beyond) + over * beyond


def _counts(t: Tally, dash: str) -> str:
    other = t.abandoned + t.dismissed + t.ignored
    longest = _dur(t.longest_bout_s, dash)
    return (f"{t.bouts:>5} {longest:>8} {t.bouts_over_limit:>4} {t.prompts:>7} {t.completed:>4}"
            f" {t.snoozed:>6} {t.skipped:>4} {other:>5}")


def _dur(seconds: float, dash: str) -> str:
    return dash if seconds <= 0 else human_duration(seconds)


def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


def _date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
