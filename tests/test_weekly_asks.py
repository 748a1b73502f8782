"""#14 and #12.7 in the pure weekly report: asks and moved, the limit stored with each bout, comparing the
same days early in a week, the trend, one duration form and text that fits 80 columns."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from breaker.core.weekly import Week, trend, weekly_report
from breaker.timefmt import human_duration
from breaker.ui.trend_text import render_trend, trend_json
from breaker.ui.weekly_text import render
from tests.test_stats import BERLIN, LIMIT, at, bout, prompt

W48 = Week.parse("2026-W48")


def test_a_prompt_and_its_repeats_in_one_bout_are_one_ask() -> None:
    start = "2026-11-23 09:00"
    prompts = [prompt("2026-11-23 09:45", "snoozed", start), prompt("2026-11-23 09:55", "dismissed", start),
               prompt("2026-11-23 10:00", "completed", start),  # moved at the third time of asking
               *(prompt(f"2026-11-24 1{n}:00", "ignored", "2026-11-24 09:30") for n in range(4)),
               prompt("2026-11-25 09:45", "abandoned", "2026-11-25 09:00")]  # a break started counts
    rep = weekly_report(W48, BERLIN, LIMIT, [], prompts, [])
    assert [(d.asked, d.moved) for d in rep.days[:3]] == [(1, 1), (1, 0), (1, 1)]
    assert (rep.totals.asked, rep.totals.moved, rep.totals.prompts, rep.totals.completed) == (3, 2, 8, 1)
    data = rep.to_json()
    assert data["totals"]["compliance"] == 0.125  # the old key keeps its old meaning
    assert data["days"][0]["asked"] == 1 and data["totals"]["moved"] == 2
    assert render(rep).splitlines()[1].startswith("Moved 2 of 3 times asked;")


def test_an_ask_counts_on_the_day_of_its_first_prompt() -> None:
    start = "2026-11-29 23:00"  # Sunday of W48; the repeat comes on Monday of W49
    prompts = [prompt("2026-11-29 23:45", "dismissed", start), prompt("2026-11-30 00:05", "completed", start)]
    w48 = weekly_report(W48, BERLIN, LIMIT, [], prompts, [])
    w49 = weekly_report(W48.next, BERLIN, LIMIT, [], prompts, [])
    assert (w48.totals.asked, w48.totals.moved, w49.totals.asked, w49.totals.prompts) == (1, 1, 0, 1)


def test_each_bout_is_judged_by_the_limit_it_was_recorded_with() -> None:
    bouts = [{**bout("2026-11-23 09:00", "2026-11-23 09:50"), "sit_limit_s": 3600.0},  # 50 min, limit 1 h
             {**bout("2026-11-24 09:00", "2026-11-24 09:40"), "sit_limit_s": 1800.0},  # 40 min, limit 30
             bout("2026-11-25 09:00", "2026-11-25 09:50")]  # an old row: the config's 45 min
    rep = weekly_report(W48, BERLIN, LIMIT, bouts, [], [])
    assert [d.bouts_over_limit for d in rep.days[:3]] == [0, 1, 1]
    assert [d.over_limit_s for d in rep.days[:3]] == [0, 600, 300]
    assert [d.sit_limit_s for d in rep.days[:4]] == [3600, 1800, 2700, None]
    assert rep.totals.limit_assumed == 1
    assert "1 bout from before breaker stored its limits is judged by today's 45 min." in \
        " ".join(render(rep).split())
    later = weekly_report(W48, BERLIN, timedelta(minutes=20), bouts, [], [])  # the config changed since
    assert [d.bouts_over_limit for d in later.days[:2]] == [0, 1]


def test_early_in_a_week_it_compares_with_the_same_days_of_last_week() -> None:
    bouts = [bout("2026-11-16 09:00", "2026-11-16 10:00"), bout("2026-11-17 09:00", "2026-11-17 11:00"),
             bout("2026-11-19 09:00", "2026-11-20 01:00"),  # Thursday onwards: not yet comparable
             bout("2026-11-23 09:00", "2026-11-23 09:30")]
    rep = weekly_report(W48, BERLIN, LIMIT, bouts, [], [], today=date(2026, 11, 24))
    assert rep.to_date == 2
    data = rep.to_json()
    assert data["to_date"]["days"] == 2 and data["to_date"]["change"]["sitting_s"] == 1800 - 3 * 3600
    assert data["change"]["sitting_s"] == 1800 - 19 * 3600  # the whole-week key keeps its meaning
    text = " ".join(render(rep).split())
    assert "Against Mon–Tue of 2026-W47: sitting down from 3 h to 30 min" in text
    monday = weekly_report(W48, BERLIN, LIMIT, bouts, [], [], today=date(2026, 11, 23))
    assert "Against Monday of 2026-W47: sitting down from 1 h to 30 min" in " ".join(render(monday).split())
    past = weekly_report(W48, BERLIN, LIMIT, bouts, [], [], today=date(2026, 12, 2))
    assert past.to_date == 7 and "Against the week before:" in render(past)


def test_the_trend_equals_each_weeks_totals() -> None:
    weeks = [Week.parse("2026-W45")]
    while len(weeks) < 5:
        weeks.append(weeks[-1].next)
    bouts, prompts, breaks = [], [], []
    for n, monday in enumerate(w.monday for w in weeks):
        for k in range(n + 1):
            start = at(f"{monday + timedelta(days=k)} 23:20")  # bouts and asks that cross midnight
            bouts.append({"start": start, "end": start + 3600 + 600 * k, "sit_limit_s": 2700.0 - 300 * n})
            prompts += [{"at": start + 2700 + 600 * r, "outcome": o, "bout_start": start}
                        for r, o in enumerate(("snoozed", "completed" if k % 2 else "ignored"))]
            breaks.append({"started": start + 3600, "ended": start + 3800, "exercise": "wall-hinge",
                           "level": n, "result": "completed"})
    rows = sorted(bouts, key=lambda b: b["start"]), prompts, breaks
    got = trend(weeks, BERLIN, LIMIT, *rows)
    assert [str(w) for w, _ in got] == [str(w) for w in weeks]
    for week, totals in got:
        assert totals.to_json() == weekly_report(week, BERLIN, LIMIT, *rows).totals.to_json()
    assert [w["asked"] for w in trend_json(got)["weeks"]] == [1, 2, 3, 4, 5]
    assert all(len(line) <= 80 for line in render_trend(got).splitlines())


@pytest.mark.parametrize("seconds, text", [
    (20, "20 s"), (60, "1 min"), (45 * 60, "45 min"), (3600, "1 h"), (5700, "1 h 35 min"), (3900, "1 h 5 min"),
    (7200, "2 h"), (2 * 86400, "2 days"), (30 * 3600 + 60, "30 h 1 min")])
def test_durations_are_written_one_way(seconds: int, text: str) -> None:
    assert human_duration(seconds) == text


@pytest.mark.parametrize("unicode", [True, False])
def test_a_heavy_week_fits_80_columns(unicode: bool) -> None:
    bouts = [bout(f"2026-11-{23 + d} 00:01", f"2026-11-{23 + d} 23:59") for d in range(7)]
    prompts = [prompt(f"2026-11-23 {h:02d}:00", "dismissed", "2026-11-23 00:01") for h in range(1, 23)] * 50
    rep = weekly_report(W48, BERLIN, LIMIT, bouts, prompts, [], today=date(2026, 11, 27))
    text = render(rep, unicode=unicode)
    assert max(len(line) for line in text.splitlines()) <= 80 and (unicode or text.isascii())
    assert "1100" in text and "167 h 46 min" in text
