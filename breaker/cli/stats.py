"""``breaker stats`` (one week: text, JSON, CSV, chart window or PNG) and ``breaker export`` (all history)."""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from breaker.cli.common import add_config, add_db, config_of, open_db, write_json_lists
from breaker.config import local_zone
from breaker.core.errors import UserError
from breaker.core.weekly import Week, WeeklyReport
from breaker.store.report_queries import load_report
from breaker.store.storage import dt
from breaker.timefmt import iso_utc
from breaker.ui.weekly_text import render, to_csv

EXPORT_COLUMNS = ("record", "id", "start", "end", "cause", "at", "bout_start", "exercise", "level", "outcome",
                  "answered_at", "closed_at", "prompt_id", "started", "ended", "result", "answers")
_TIMES = {"start", "end", "at", "bout_start", "answered_at", "closed_at", "started", "ended"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    stats = sub.add_parser("stats", help="one week of sitting, bouts and breaks, day by day")
    which = stats.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="YYYY-Www", help="the ISO week to show, e.g. 2026-W48 (default: this week)")
    which.add_argument("--last", action="store_true", help="show last week")
    add_db(stats)
    add_config(stats)
    form = stats.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="machine-readable output")
    form.add_argument("--csv", action="store_true", help="one row per day and a total row, for spreadsheets")
    form.add_argument("--window", action="store_true", help="open the chart window")
    form.add_argument("--png", type=Path, metavar="FILE", help="write the chart to a PNG image")
    stats.set_defaults(handler=_stats)
    export = sub.add_parser("export", help="print the whole history (bouts, away time, prompts, breaks)")
    form = export.add_mutually_exclusive_group(required=True)
    form.add_argument("--csv", action="store_true", help="one CSV table, a 'record' column tells the kinds apart")
    form.add_argument("--json", action="store_true", help="one JSON object with a list per kind")
    add_db(export)
    export.set_defaults(handler=_export)


def chosen_week(args: argparse.Namespace, now: datetime) -> Week:
    """``--week``, ``--last`` or the week containing ``now`` (local)."""
    if args.week:
        return Week.parse(args.week)
    this = Week.containing(now.date())
    return this.previous if args.last else this


def _stats(args: argparse.Namespace) -> int:
    config = config_of(args)
    zone = config.zone or local_zone()
    now = datetime.now(zone)
    week = chosen_week(args, now)
    if args.window:
        return _window(args, week)
    storage = open_db(args, readonly=True)
    try:
        report = load_report(storage, week, zone, config.rules.sit_limit, today=now.date())
    finally:
        storage.close()
    if args.json:
        print(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    elif args.csv:
        sys.stdout.write(to_csv(report))
    elif args.png:
        _png(report, args.png)
    else:
        sys.stdout.write(render(report, unicode=_can_print("▒█–×")))
    return 0


def _png(report: WeeklyReport, path: Path) -> None:
    from breaker.ui.chart import write_png

    try:
        write_png(report, path)
    except OSError as err:
        raise UserError(f"--png {path}: cannot write the image: {err.strerror or err}") from None
    print(f"wrote the chart of {report.week} to {path}")


def _window(args: argparse.Namespace, week: Week) -> int:
    """The chart window runs as its own process (Tk stays out of this one)."""
    command = [sys.executable, "-m", "breaker.ui.report", "--week", str(week)]
    for name in ("db", "config"):
        if getattr(args, name):
            command += [f"--{name}", str(getattr(args, name))]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        return child.wait()
    finally:
        if child.poll() is None:  # interrupted: do not leave the window behind
            child.terminate()
            child.wait(timeout=5)


def _export(args: argparse.Namespace) -> int:
    """Stream the history row by row (a lifetime of rows in little memory), as one JSON object or one CSV."""
    storage = open_db(args, readonly=True)
    try:
        tables = ("bouts", "away", "prompts", "breaks")
        out = sys.stdout
        if args.json:
            write_json_lists(out, ((name, map(_record, storage.iter_rows(name))) for name in tables),
                             ensure_ascii=False)
            return 0
        writer = csv.DictWriter(out, EXPORT_COLUMNS, lineterminator="\n", restval="")
        writer.writeheader()
        for name in tables:
            for row in storage.iter_rows(name):
                record = _record(row)
                if record.get("answers") is not None:
                    record["answers"] = json.dumps(record["answers"], ensure_ascii=False)
                writer.writerow({"record": name.rstrip("s"), **{k: "" if v is None else v for k, v in record.items()}})
    finally:
        storage.close()
    return 0


def _record(row: Any) -> dict[str, Any]:
    """A database row with ISO-8601 UTC times and decoded self-check answers."""
    out: dict[str, Any] = {}
    for key in row.keys():
        value = row[key]
        if key in _TIMES:
            value = iso_utc(dt(value))
        elif key == "answers" and value is not None:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        out[key] = value
    return out


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
