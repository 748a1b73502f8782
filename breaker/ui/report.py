"""The weekly report window: the chart, the sentences it has no room for, and week-by-week navigation.

Runs as its own process: ``python -m breaker.ui.report [--week 2026-W48] [--trend N] [--db FILE] [--config FILE]``.
Keys: Left/PageUp = previous week, Right/PageDown = next week (up to this week), Home = this week,
Escape/q = close. Scales with the screen's DPI and redraws to fit when resized.
Reports to its parent as JSON lines on stdout: {"event": "shown"|"week", "week": ...} and {"event": "closed"}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tkinter as tk
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from breaker.config import load_config, local_zone
from breaker.core.errors import UserError
from breaker.core.i18n import _, ngettext
from breaker.core.weekly import Week, WeeklyReport
from breaker.i18n import setup as setup_language
from breaker.store.report_queries import load_report, load_trend
from breaker.store.storage import Storage
from breaker.ui.chart import layout
from breaker.ui.shapes import INK, PAPER, draw_tk
from breaker.ui.trend_chart import layout_trend
from breaker.ui.weekly_text import summary


class ReportWindow:
    """One Tk window showing one week at a time; reads the database afresh on every change of week."""

    def __init__(self, root: tk.Tk, db: Path | None, sit_limit: timedelta, zone: tzinfo, week: Week,
                 today: date, trend: int = 0) -> None:
        self.root, self.db, self.sit_limit, self.zone, self.today = root, db, sit_limit, zone, today
        self.week, self.trend = week, trend
        self.report = self._load(week)
        self.zoom = zoom_of(root)
        root.configure(background=PAPER)
        root.minsize(round(640 * self.zoom), round(420 * self.zoom))
        bar = tk.Frame(root, background=PAPER)
        bar.pack(fill="x", padx=12, pady=(10, 0))
        buttons = [(_("◀ Previous week"), self.previous), (_("This week"), self.this_week),
                   (_("Next week ▶"), self.next)]
        self.buttons = [tk.Button(bar, text=text, command=command, takefocus=False) for text, command in buttons]
        for button in self.buttons if not trend else ():
            button.pack(side="left", padx=(0, 6))
        tk.Button(bar, text=_("Close"), command=self.close, takefocus=False).pack(side="right")
        width, height = fitting(root, self.zoom)
        self.canvas = tk.Canvas(root, width=width, height=height, background=PAPER, highlightthickness=0)
        self.canvas.pack(fill="both", expand=True, padx=6)
        self.table = tk.Label(root, justify="left", anchor="nw", background=PAPER, foreground=INK,
                              font=("DejaVu Sans", -round(12 * self.zoom)), wraplength=width)
        self.table.pack(fill="x", padx=14, pady=(0, 12))
        self.canvas.bind("<Configure>", lambda _e: self._draw())
        for keys, action in ((("<Left>", "<Prior>", "p"), self.previous), (("<Right>", "<Next>", "n"), self.next),
                             (("<Home>", "t"), self.this_week), (("<Escape>", "q"), self.close)):
            for key in keys:
                root.bind(key, lambda _e, act=action: act())
        root.protocol("WM_DELETE_WINDOW", self.close)
        self._show()

    def previous(self) -> None:
        self.go(self.week.previous)

    def next(self) -> None:
        if self.week < Week.containing(self.today):  # the weeks ahead hold nothing yet
            self.go(self.week.next)

    def this_week(self) -> None:
        self.go(Week.containing(self.today))

    def go(self, week: Week) -> None:
        try:
            self.report = self._load(week)
        except UserError as err:  # the database went away meanwhile: say so, keep the window
            self.table.configure(text=str(err))
            return
        self.week = week
        self._show()
        emit("week", week=str(week))

    def close(self) -> None:
        emit("closed")
        self.root.destroy()

    def _load(self, week: Week) -> WeeklyReport:
        storage = Storage.open(self.db, readonly=True)
        try:
            return load_report(storage, week, self.zone, self.sit_limit, today=self.today)
        finally:
            storage.close()

    def _show(self) -> None:
        if self.trend:
            self.root.title(ngettext("breaker: {count} week to {week}", "breaker: {count} weeks to {week}",
                                     self.trend).format(count=self.trend, week=self.week))
            self.table.configure(text="")
        else:
            self.root.title(_("breaker: week {week}").format(week=self.week))
            said = summary(self.report, compare=False)  # what the chart does not show: prompts, guided breaks
            self.table.configure(text="\n".join(said))
        self.buttons[2].configure(state="normal" if self.week < Week.containing(self.today) else "disabled")
        self._draw()

    def _draw(self) -> None:
        self.table.configure(wraplength=max(200, self.canvas.winfo_width() - 16))
        width = max(self.canvas.winfo_width(), 200) / self.zoom
        height = max(self.canvas.winfo_height(), 200) / self.zoom
        if self.trend:
            storage = Storage.open(self.db, readonly=True)
            try:
                weeks = load_trend(storage, self.week, self.trend, self.zone, self.sit_limit)
            finally:
                storage.close()
            draw_tk(self.canvas, layout_trend(weeks, width, height), self.zoom)
        else:
            draw_tk(self.canvas, layout(self.report, width, height), self.zoom)


def zoom_of(root: tk.Tk) -> float:
    """The screen's pixels per logical pixel (96 DPI = 1), at least 1."""
    return max(1.0, round(root.winfo_fpixels("1i") / 96, 2))


def fitting(root: tk.Tk, zoom: float) -> tuple[int, int]:
    """The canvas size: 900 x 460 logical pixels, less where the screen is smaller (1280 x 720 fits)."""
    width = min(round(900 * zoom), root.winfo_screenwidth() - 60)
    height = min(round(460 * zoom), root.winfo_screenheight() - round(200 * zoom))
    return width, height


def emit(event: str, **fields: str) -> None:
    """One JSON line to the parent process."""
    print(json.dumps({"event": event, **fields}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.report", description=__doc__.splitlines()[0])
    parser.add_argument("--week", metavar="YYYY-Www")
    parser.add_argument("--trend", type=int, default=0, metavar="N")
    parser.add_argument("--db", type=Path, metavar="FILE")
    parser.add_argument("--config", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    setup_language()
    try:
        config = load_config(args.config)
        zone = config.zone or local_zone()
        today = datetime.now(zone).date()
        week = Week.parse(args.week) if args.week else Week.containing(today)
        Storage.open(args.db, readonly=True).close()  # a missing database is one line, not an empty window
        root = tk.Tk(className="breaker-report")
        try:
            window = ReportWindow(root, args.db, config.rules.sit_limit, zone, week, today, args.trend)
        except BaseException:
            root.destroy()
            raise
    except UserError as err:
        print(f"breaker: {err}", file=sys.stderr)
        return 2
    except tk.TclError as err:
        print("breaker: " + _("cannot open the report window: {reason}").format(reason=err), file=sys.stderr)
        return 1
    root.after_idle(lambda: emit("shown", week=str(window.week)))
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
