"""#14.4 and #14.2 on the charts: readable colours, one scale from week to week, the limit where it applies,
nothing outside the frame at any size, and the window on a small high-DPI screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from breaker.core.weekly import Week, trend, weekly_report
from breaker.ui.chart import layout
from breaker.ui.shapes import GHOST, HEALTHY, INK, OVER, PAPER, TEXT_COLORS, Line, Rect, Text, contrast, text_width
from breaker.ui.trend_chart import layout_trend
from tests.desktop import XDisplay, stop_process
from tests.test_stats import BERLIN, LIMIT, bout, prompt

W48 = Week.parse("2026-W48")
BOUTS = [bout("2026-11-16 09:00", "2026-11-16 12:00"), bout("2026-11-23 08:00", "2026-11-23 09:30"),
         {**bout("2026-11-24 09:00", "2026-11-24 10:30"), "sit_limit_s": 3600.0},
         bout("2026-11-25 22:00", "2026-11-26 07:00")]
PROMPTS = [prompt("2026-11-23 08:45", "snoozed", "2026-11-23 08:00"), prompt("2026-11-23 09:00", "completed",
                                                                             "2026-11-23 08:00")]


def reports() -> list:  # type: ignore[type-arg]
    busy = weekly_report(W48, BERLIN, LIMIT, BOUTS, PROMPTS, [], today=date(2026, 11, 26))
    quiet = weekly_report(W48.next, BERLIN, LIMIT, [], [], [])
    return [busy, quiet]


def all_layouts(width: float, height: float) -> list[list]:  # type: ignore[type-arg]
    weeks = [W48.previous, W48, W48.next]
    return [layout(r, width, height) for r in reports()] + \
        [layout_trend(trend(weeks, BERLIN, LIMIT, BOUTS, PROMPTS, []), width, height)]


def test_every_chart_text_reads_at_4_5_to_1() -> None:
    used = {s.color for shapes in all_layouts(900, 460) for s in shapes if isinstance(s, Text)}
    assert used <= set(TEXT_COLORS)
    for color in used:
        assert contrast(color, PAPER) >= 4.5, color
    assert contrast(INK, GHOST) >= 4.5  # a day's duration label can sit on last week's ghost bar
    assert contrast("#7d8a96", PAPER) < 4.5  # the grey used before: the computation does tell them apart


@pytest.mark.parametrize("width, height", [(640, 420), (900, 460), (1220, 420), (1400, 800)])
def test_nothing_is_cut_at_any_window_size(width: float, height: float) -> None:
    for shapes in all_layouts(width, height):
        for s in shapes:
            if isinstance(s, Text):
                x, y = s.at
                w = text_width(s.text, s.size, s.bold)
                lo = x - {"w": 0, "nw": 0, "sw": 0, "e": w, "ne": w, "se": w}.get(s.anchor, w / 2)
                assert 0 <= lo and lo + w <= width + 1, (s.text, lo, w, width)
                assert s.size <= y <= height - s.size / 2 or s.anchor in ("nw", "n", "ne"), s.text
                assert 0 <= y <= height, s.text
            elif isinstance(s, Rect):
                assert 0 <= s.box[0] <= s.box[2] <= width and 0 <= s.box[1] <= s.box[3] <= height


def test_the_scale_stays_put_and_the_limit_sits_on_the_longest_bout() -> None:
    busy, quiet = (layout(r) for r in reports())

    def hours(shapes: list) -> list[str]:  # type: ignore[type-arg]
        return [s.text for s in shapes if isinstance(s, Text) and s.text.endswith(" h") and s.anchor == "e"]

    assert hours(busy) == hours(quiet) == [f"{h} h" for h in range(0, 11, 2)]
    base = next(s.points[1] for s in busy if isinstance(s, Line) and s.points[0] == 52 and s.color != INK
                and any(t.text == "0 h" and abs(t.at[1] - s.points[1]) < 1 for t in busy if isinstance(t, Text)))
    ten = next(t.at[1] for t in busy if isinstance(t, Text) and t.text == "10 h")
    per_s = (base - ten) / 36000
    limits = sorted(round((base - s.points[1]) / per_s) for s in busy
                    if isinstance(s, Line) and s.width == 2 and s.points[1] < base)
    assert limits[:3] == [2700, 2700, 3600]  # Mon and Wed by 45 min, Tue by the 1 h stored with its bout
    over = [s for s in busy if isinstance(s, Rect) and s.fill == OVER and s.outline == INK]
    assert len(over) == 3  # each longest bout past its limit shows the excess in the "over" colour
    ghosts = [s for s in busy if isinstance(s, Rect) and s.fill == GHOST and s.box[3] == base]
    assert len(ghosts) == 1 and round((ghosts[0].box[3] - ghosts[0].box[1]) / per_s) == 3 * 3600
    tall = weekly_report(W48, BERLIN, LIMIT, [bout("2026-11-23 00:00", "2026-11-23 13:00")], [], [])
    assert hours(layout(tall))[-1] == "16 h"
    assert any(s.fill == HEALTHY for s in busy if isinstance(s, Rect))


@pytest.fixture()
def small_hidpi() -> Iterator[XDisplay]:
    """A 1280x720 screen at 144 DPI (a zoom of 1.5), on its own Xvfb."""
    from tests.conftest import need

    need(shutil.which("Xvfb") is not None, "Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x720x24", "-dpi", "144",
                               "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as ready:
            number = ready.readline()
        yield XDisplay(f":{int(number)}")
    finally:
        stop_process(server)


def test_window_fits_a_small_hidpi_screen_and_stops_at_this_week(small_hidpi: XDisplay, tmp_path: Path) -> None:
    from tests.test_report_window import TRACES, Window

    db = tmp_path / "w.db"
    assert subprocess.run([sys.executable, "-m", "breaker", "simulate", str(TRACES / "two_weeks.jsonl"), "--db",
                           str(db)], capture_output=True).returncode == 0
    this = Week.containing(date.today() + timedelta(days=0))
    win = Window(small_hidpi, "--db", str(db), "--week", str(this))
    try:
        win.expect("shown", str(this))
        wid = small_hidpi.wait_window(f"^breaker: week {this}$")
        x, y, width, height = small_hidpi.geometry(wid)
        assert x + width <= 1280 and y + height <= 720 and width >= 900  # scaled up, still on screen
        small_hidpi.focus(wid)
        small_hidpi.key("Right", "Left")  # no week after this one: Right does nothing
        win.expect("week", str(this.previous))
        shot = tmp_path / "hidpi.png"
        small_hidpi.screenshot(str(shot))
        small_hidpi.key("Escape")
        win.expect("closed")
    finally:
        win.stop()
