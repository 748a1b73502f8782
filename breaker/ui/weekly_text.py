"""The weekly report as text for an 80-column terminal (table with bar glyphs, then sentences) and as CSV."""

from __future__ import annotations

import csv
import io
import textwrap
from datetime import date

from breaker.core.weekly import OUTCOMES, DayStats, Tally, WeeklyReport
from breaker.timefmt import human_duration, plural

BAR = 13  # characters of the longest bar
WIDTH = 80  # no line is longer
GLYPHS = {"unicode": ("▒", "█", "·"), "ascii": ("=", "#", ".")}  # within the limit, beyond it, nothing
CSV_KEYS = ("sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", *OUTCOMES,
            "open", "over_limit_s", "breaks", "break_s", "wall_level", "compliance", "asked", "moved")


def render(report: WeeklyReport, *, unicode: bool = True) -> str:
    """The whole terminal report: heading, the asks, one row per day, totals, then what changed."""
    healthy, over, blank = GLYPHS["unicode" if unicode else "ascii"]
    dash = "–" if unicode else "-"
    limit = human_duration(report.sit_limit_s)
    first, last = report.days[0].day, report.days[-1].day
    lines = [f"Week {report.week}  {_date(first)} {dash} {_date(last)} {last.year}  ({report.zone})"]
    lines += _wrap(lead(report.totals))
    lines += ["", f"{'':10} {'sitting':<{BAR + 12}} {'bouts':>5} {'longest':>11} {'over':>4}"
                  f" {'asked':>5} {'moved':>5} {'prompts':>7}"]
    scale = max((d.sitting_s for d in report.days), default=0.0) / BAR
    for day in report.days:
        label = f"{day.day:%a} {day.day.day:>2} {day.day:%b}"
        if day.ahead:
            lines.append(f"{label:10} (still ahead)")
            continue
        bar = _bar(day, scale, healthy, over) or blank
        lines.append(f"{label:10} {bar:<{BAR}} {_dur(day.sitting_s, dash):>11} " + _counts(day, dash))
    total = report.totals
    lines.append(f"{'Week':10} {'':{BAR}} {_dur(total.sitting_s, dash):>11} " + _counts(total, dash))
    lines.append(f"{'':10} {healthy} sitting within the limit of its bout, {over} beyond it ({limit} now)")
    lines.append("")
    for sentence in summary(report, dash):
        lines += _wrap(sentence)
    return "\n".join(lines) + "\n"


def lead(t: Tally) -> str:
    """The first thing said about a week: how often the user moved when asked."""
    if t.empty:
        return "Nothing recorded this week."
    if t.asked == 0:
        return f"Not asked to move this week; {human_duration(t.sitting_s)} sitting in {plural(t.bouts, 'bout')}."
    return (f"Moved {t.moved} of {plural(t.asked, 'time')} asked; {human_duration(t.sitting_s)} sitting in "
            f"{plural(t.bouts, 'bout')}, longest {human_duration(t.longest_bout_s)}.")


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
        out.append(f"Compliance {_pct(now.compliance)}: {now.completed} of {plural(now.prompts, 'prompt')} "
                   "(repeats included) ended in a completed break" + (f"; {', '.join(rest)}." if rest else "."))
    if now.breaks:
        times = "\u00a0×" if dash == "–" else " x"  # a no-break space keeps the count with its name
        done = ", ".join(f"{name}{times}{n}" for name, n in sorted(now.exercises.items(), key=lambda kv: -kv[1]))
        level = "" if now.wall_level is None else f" Wall-drill level {now.wall_level}."
        out.append(f"Guided breaks: {now.breaks}, {human_duration(now.break_s)} in all"
                   f"{'; completed: ' + done if done else ''}.{level}")
    if now.limit_assumed:
        out.append(f"{plural(now.limit_assumed, 'bout')} from before breaker stored its limits "
                   f"{'is' if now.limit_assumed == 1 else 'are'} judged by today's {human_duration(report.sit_limit_s)}.")
    if before.empty:
        out.append(f"Nothing recorded in {report.week.previous}, so there is no change to show yet.")
    elif not now.empty:
        out.append(change_words(report, dash))
    return out


def change_words(report: WeeklyReport, dash: str = "–") -> str:
    """What changed against last week, over the same days early in a week."""
    now, before = report.compared
    days = report.days
    span = ("the week before" if report.to_date >= 7 else
            f"{days[0].day:%a}{dash}{days[report.to_date - 1].day:%a} of {report.week.previous}"
            if report.to_date > 1 else f"{days[0].day:%A} of {report.week.previous}")
    parts = [_change("sitting", before.sitting_s, now.sitting_s),
             _change("longest bout", before.longest_bout_s, now.longest_bout_s)]
    asks = f"moved {now.moved} of {plural(now.asked, 'time')} asked vs {before.moved} of {before.asked}"
    return f"Against {span}: {', '.join(parts)}; {asks}."


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
        return f"{what} unchanged at {human_duration(after)}"
    way = "up" if after > before else "down"
    return f"{what} {way} from {human_duration(before)} to {human_duration(after)}"


def _wrap(sentence: str) -> list[str]:
    return textwrap.wrap(sentence, WIDTH, break_on_hyphens=False, subsequent_indent="  ")


def _bar(day: DayStats, scale: float, healthy: str, over: str) -> str:
    if scale <= 0 or day.sitting_s <= 0:
        return ""
    total = max(1, round(day.sitting_s / scale))
    beyond = min(total, round(day.over_limit_s / scale)) if day.over_limit_s > 0 else 0
    if day.over_limit_s > 0 and beyond == 0:
        beyond = 1 if total > 1 else 0  # a little over still shows
    return healthy * (total - beyond) + over * beyond


def _counts(t: Tally, dash: str) -> str:
    return (f"{t.bouts:>5} {_dur(t.longest_bout_s, dash):>11} {t.bouts_over_limit:>4} {t.asked:>5} {t.moved:>5}"
            f" {t.prompts:>7}")


def _dur(seconds: float, dash: str) -> str:
    return dash if seconds <= 0 else human_duration(seconds)


def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


def _date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
