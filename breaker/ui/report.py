"""The weekly report window: the chart, the terminal report's numbers, and week-by-week navigation.

Runs as its own process: ``python -m breaker.ui.report [--week 2026-W48] [--db FILE] [--config FILE]``.
Keys: Left/PageUp = previous week, Right/PageDown = next week, Home = this week, Escape/q = close.
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
from breaker.core.weekly import Week, WeeklyReport
from breaker.store.report_queries import load_report
from breaker.store.storage import Storage
from breaker.ui.chart import INK, PAPER, draw_tk, layout
from breaker.ui.weekly_text import render

TITLE = "breaker: week {week}"


class ReportWindow:
    """One Tk window showing one week at a time; reads the database afresh on every change of week."""

    def __init__(self, root: tk.Tk, db: Path | None, sit_limit: timedelta, zone: tzinfo, week: Week,
                 today: date) -> None:
        self.root, self.db, self.sit_limit, self.zone, self.today = root, db, sit_limit, zone, today
        self.week = week
        self.report = self._load(week)
        root.configure(background=PAPER)
        root.minsize(760, 540)
        bar = tk.Frame(root, background=PAPER)
        bar.pack(fill="x", padx=12, pady=(10, 0))
        buttons = [("◀ Previous week", self.previous), ("This week", self.this_week), ("Next week ▶", self.next)]
        for text, command in buttons:
            tk.Button(bar, text=text, command=command, takefocus=False).pack(side="left", padx=(0, 6))
        tk.Button(bar, text="Close", command=self.close, takefocus=False).pack(side="right")
        self.canvas = tk.Canvas(root, width=900, height=400, background=PAPER, highlightthickness=0)
        self.canvas.pack(fill="both", expand=True, padx=6)
        self.table = tk.Label(root, justify="left", anchor="nw", background=PAPER, foreground=INK,
                              font=("DejaVu Sans Mono", -13))
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
        self.root.title(TITLE.format(week=self.week))
        text = render(self.report).rstrip("\n").split("\n", 2)[-1]  # the heading is in the chart already
        self.table.configure(text=text)
        self._draw()

    def _draw(self) -> None:
        width, height = max(self.canvas.winfo_width(), 760), max(self.canvas.winfo_height(), 400)
        draw_tk(self.canvas, layout(self.report, width, height))


def emit(event: str, **fields: str) -> None:
    """One JSON line to the parent process."""
    print(json.dumps({"event": event, **fields}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.report", description=__doc__.splitlines()[0])
    parser.add_argument("--week", metavar="YYYY-Www")
    parser.add_argument("--db", type=Path, metavar="FILE")
    parser.add_argument("--config", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        zone = config.zone or local_zone()
        today = datetime.now(zone).date()
        week = Week.parse(args.week) if args.week else Week.containing(today)
        Storage.open(args.db, readonly=True).close()  # a missing database is one line, not an empty window
        root = tk.Tk(className="breaker-report")
        try:
            window = ReportWindow(root, args.db, config.rules.sit_limit, zone, week, today)
        except BaseException:
            root.destroy()
            raise
    except UserError as err:
        print(f"breaker: {err}", file=sys.stderr)
        return 2
    except tk.TclError as err:
        print(f"breaker: cannot open the report window: {err}", file=sys.stderr)
        return 1
    root.after_idle(lambda: emit("shown", week=str(window.week)))
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
