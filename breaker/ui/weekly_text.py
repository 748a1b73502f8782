"""The weekly report as text for an 80-column terminal (table with bar glyphs, then sentences) and as CSV."""

from __future__ import annotations

import csv
import io
import textwrap

from breaker import i18n
from breaker.core.i18n import N_, _, ngettext, one_stop, pgettext
from breaker.core.weekly import OUTCOMES, DayStats, Tally, WeeklyReport
from breaker.timefmt import human_duration
from breaker.ui.words import percent, short_date

BAR = 13  # characters of the longest bar
WIDTH = 80  # no line is longer
GLYPHS = {"unicode": ("▒", "█", "·"), "ascii": ("=", "#", ".")}  # within the limit, beyond it, nothing
CSV_KEYS = ("sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", *OUTCOMES,
            "open", "over_limit_s", "breaks", "break_s", "wall_level", "compliance", "asked", "moved")
# how the prompts that did not end in a completed break ended, as counted in the week's sentence
OTHER_ENDS = {"abandoned": N_("{count} abandoned"), "snoozed": N_("{count} snoozed"),
              "skipped": N_("{count} skipped"), "dismissed": N_("{count} dismissed"),
              "ignored": N_("{count} ignored"), "open": N_("{count} open")}


def columns() -> list[tuple[str, int]]:
    """The table's count columns: (heading in the user's language, width), each at least its heading."""
    # Translators: column headings of `breaker stats`; short words keep the table within 80 columns.
    heads = [(pgettext("stats column", "bouts"), 5), (pgettext("stats column", "longest"), 11),
             (pgettext("stats column", "over"), 4), (pgettext("stats column", "asked"), 5),
             (pgettext("stats column", "moved"), 5), (pgettext("stats column", "prompts"), 7)]
    return [(head, max(width, len(head))) for head, width in heads]


def render(report: WeeklyReport, *, unicode: bool = True) -> str:
    """The whole terminal report: heading, the asks, one row per day, totals, then what changed."""
    healthy, over, blank = GLYPHS["unicode" if unicode else "ascii"]
    dash = "–" if unicode else "-"
    first, last = report.days[0].day, report.days[-1].day
    lines = [_("Week {week}  {first} {dash} {last} {year}  ({zone})").format(
        week=report.week, first=short_date(first), dash=dash, last=short_date(last), year=last.year,
        zone=report.zone)]
    lines += _wrap(lead(report.totals))
    shown = [*(d for d in report.days if not d.ahead), report.totals]
    cols = columns()
    cols[1] = (cols[1][0], max(cols[1][1], *(len(_dur(t.longest_bout_s, dash)) for t in shown)))
    sit_w = max(11, *(len(_dur(t.sitting_s, dash)) for t in shown))  # "1 Std. 25 Min." is wider than "1 h 25 min"
    total_row = pgettext("stats row", "Week")
    label_w = max(10, len(total_row), *(len(short_date(d.day)) for d in report.days))
    bar_w = BAR - max(0, label_w + 16 + sit_w + sum(w + 1 for _h, w in cols) - WIDTH)  # the bar gives way
    sitting = pgettext("stats column", "sitting")
    lines += ["", f"{'':{label_w}} {sitting:<{bar_w + sit_w + 1}} " + " ".join(f"{head:>{w}}" for head, w in cols)]
    scale = max((d.sitting_s for d in report.days), default=0.0) / bar_w
    for day in report.days:
        label = short_date(day.day)
        if day.ahead:
            lines.append(f"{label:{label_w}} " + _("(still ahead)"))
            continue
        bar = _bar(day, scale, healthy, over) or blank
        lines.append(f"{label:{label_w}} {bar:<{bar_w}} {_dur(day.sitting_s, dash):>{sit_w}} " + _counts(day, dash, cols))
    total = report.totals
    lines.append(f"{total_row:{label_w}} {'':{bar_w}} {_dur(total.sitting_s, dash):>{sit_w}} " + _counts(total, dash, cols))
    key = _("{healthy} sitting within the limit of its bout, {over} beyond it ({limit} now)").format(
        healthy=healthy, over=over, limit=human_duration(report.sit_limit_s))
    lines += textwrap.wrap(key, WIDTH, initial_indent=" " * (label_w + 1), subsequent_indent=" " * (label_w + 3))
    lines.append("")
    for sentence in summary(report, dash):
        lines += _wrap(sentence)
    return "\n".join(lines) + "\n"


def lead(t: Tally) -> str:
    """The first thing said about a week: how often the user moved when asked."""
    if t.empty:
        return _("Nothing recorded this week.")
    sitting = human_duration(t.sitting_s)
    if t.asked == 0:
        return one_stop(ngettext("Not asked to move this week; {sitting} sitting in {bouts} bout.",
                        "Not asked to move this week; {sitting} sitting in {bouts} bouts.",
                        t.bouts).format(sitting=sitting, bouts=t.bouts))
    asks = ngettext("Moved {moved} of {asked} time asked", "Moved {moved} of {asked} times asked",
                    t.asked).format(moved=t.moved, asked=t.asked)
    bouts = ngettext("{sitting} sitting in {bouts} bout, longest {longest}",
                     "{sitting} sitting in {bouts} bouts, longest {longest}",
                     t.bouts).format(sitting=sitting, bouts=t.bouts, longest=human_duration(t.longest_bout_s))
    # Translators: the week's first sentence, from its two halves ("Moved 3 of 5 times asked; 20 h sitting...").
    return one_stop(_("{asks}; {bouts}.").format(asks=asks, bouts=bouts))


def summary(report: WeeklyReport, dash: str = "–", *, compare: bool = True) -> list[str]:
    """Plain sentences: the prompts and breaks of the week, then (``compare``) what changed against the
    week before."""
    now, before = report.totals, report.previous
    out: list[str] = []
    if now.empty and before.empty:
        return [_("Nothing recorded in {week} or the week before: no sitting, prompts or breaks. "
                  "The numbers fill in while breaker runs.").format(week=report.week)]
    if now.empty:
        out.append(_("Nothing recorded in {week}: no sitting, prompts or breaks.").format(week=report.week))
    elif now.prompts == 0:
        out.append(_("No break prompts this week, so there is no compliance to show."))
    else:
        out.append(_compliance(now))
    if now.breaks:
        out.append(_guided(now, dash))
    if now.limit_assumed:
        out.append(ngettext("{count} bout from before breaker stored its limits is judged by today's {limit}.",
                            "{count} bouts from before breaker stored its limits are judged by today's {limit}.",
                            now.limit_assumed).format(count=now.limit_assumed,
                                                      limit=human_duration(report.sit_limit_s)))
    if not compare:
        return [one_stop(sentence) for sentence in out]
    if before.empty:
        out.append(_("Nothing recorded in {week}, so there is no change to show yet.").format(
            week=report.week.previous))
    elif not now.empty:
        out.append(change_words(report, dash))
    return [one_stop(sentence) for sentence in out]


def _compliance(now: Tally) -> str:
    rest = [_(OTHER_ENDS[k]).format(count=getattr(now, k)) for k in (*OUTCOMES[1:], "open") if getattr(now, k)]
    fields = {"percent": percent(now.compliance), "completed": now.completed, "prompts": now.prompts,
              "others": ", ".join(rest)}
    if rest:
        return ngettext("Compliance {percent}: {completed} of {prompts} prompt (repeats included) ended in a "
                        "completed break; {others}.",
                        "Compliance {percent}: {completed} of {prompts} prompts (repeats included) ended in a "
                        "completed break; {others}.", now.prompts).format(**fields)
    return ngettext("Compliance {percent}: {completed} of {prompts} prompt (repeats included) ended in a "
                    "completed break.",
                    "Compliance {percent}: {completed} of {prompts} prompts (repeats included) ended in a "
                    "completed break.", now.prompts).format(**fields)


def _guided(now: Tally, dash: str) -> str:
    times = "\u00a0×" if dash == "–" else " x"  # a no-break space keeps the count with its name
    done = ", ".join(f"{name}{times}{n}" for name, n in sorted(now.exercises.items(), key=lambda kv: -kv[1]))
    fields = {"count": now.breaks, "duration": human_duration(now.break_s), "done": done}
    said = (_("Guided breaks: {count}, {duration} in all; completed: {done}.") if done else
            _("Guided breaks: {count}, {duration} in all.")).format(**fields)
    if now.wall_level is not None:
        said += " " + _("Wall-drill level {level}.").format(level=now.wall_level)
    return said


def change_words(report: WeeklyReport, dash: str = "–") -> str:
    """What changed against last week, over the same days early in a week."""
    now, before = report.compared
    days = report.days
    changes = _("{sitting}, {longest}").format(
        sitting=_change(_SITTING, before.sitting_s, now.sitting_s),
        longest=_change(_LONGEST, before.longest_bout_s, now.longest_bout_s))
    asks = ngettext("moved {moved} of {asked} time asked vs {moved_before} of {asked_before}",
                    "moved {moved} of {asked} times asked vs {moved_before} of {asked_before}",
                    now.asked).format(moved=now.moved, asked=now.asked, moved_before=before.moved,
                                      asked_before=before.asked)
    fields = {"changes": changes, "asks": asks, "week": report.week.previous, "dash": dash}
    if report.to_date >= 7:
        return _("Against the week before: {changes}; {asks}.").format(**fields)
    if report.to_date > 1:
        return _("Against {first}{dash}{last} of {week}: {changes}; {asks}.").format(
            first=i18n.weekday(days[0].day), last=i18n.weekday(days[report.to_date - 1].day), **fields)
    return _("Against {weekday} of {week}: {changes}; {asks}.").format(
        weekday=i18n.weekday(days[0].day, "wide"), **fields)


def to_csv(report: WeeklyReport) -> str:
    """One row per day and a final "total" row; durations in seconds, compliance as a fraction."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("week", "date", *CSV_KEYS))
    for row, label in [*((d, d.day.isoformat()) for d in report.days), (report.totals, "total")]:
        data = row.to_json()
        writer.writerow((report.week, label, *("" if data[k] is None else data[k] for k in CSV_KEYS)))
    return buffer.getvalue()


_SITTING, _LONGEST = "sitting", "longest"
_CHANGES = {  # (what, way) -> the words, each a whole phrase for the translators
    (_SITTING, "same"): N_("sitting unchanged at {after}"),
    (_SITTING, "up"): N_("sitting up from {before} to {after}"),
    (_SITTING, "down"): N_("sitting down from {before} to {after}"),
    (_LONGEST, "same"): N_("longest bout unchanged at {after}"),
    (_LONGEST, "up"): N_("longest bout up from {before} to {after}"),
    (_LONGEST, "down"): N_("longest bout down from {before} to {after}"),
}


def _change(what: str, before: float, after: float) -> str:
    way = "same" if round(before / 60) == round(after / 60) else "up" if after > before else "down"
    return _(_CHANGES[what, way]).format(before=human_duration(before), after=human_duration(after))


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


def _counts(t: Tally, dash: str, cols: list[tuple[str, int]]) -> str:
    values = (t.bouts, _dur(t.longest_bout_s, dash), t.bouts_over_limit, t.asked, t.moved, t.prompts)
    return " ".join(f"{value:>{width}}" for value, (_head, width) in zip(values, cols, strict=True))


def _dur(seconds: float, dash: str) -> str:
    return dash if seconds <= 0 else human_duration(seconds)
