"""``breaker stats`` (one week or a trend of weeks: text, JSON, CSV, chart window or PNG) and ``breaker export``."""

from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from breaker.cli.common import add_config, add_db, config_of, open_db, write_json_lists
from breaker.config import local_zone
from breaker.core.errors import UserError
from breaker.core.i18n import N_, _, ngettext
from breaker.core.weekly import Tally, Week, WeeklyReport
from breaker.store.report_queries import load_report, load_trend
from breaker.store.storage import Storage, default_path, dt
from breaker.timefmt import iso_utc
from breaker.ui.trend_text import render_trend, trend_csv, trend_json
from breaker.ui.weekly_text import render, to_csv

EXPORT_COLUMNS = ("record", "id", "start", "end", "cause", "at", "bout_start", "exercise", "level", "outcome",
                  "answered_at", "closed_at", "prompt_id", "started", "ended", "result", "answers",
                  "sit_limit_s", "ask_id")
NOTHING_YET = N_("Nothing is recorded yet: breaker writes its history to {path} while it runs (breaker run).")
_TIMES = {"start", "end", "at", "bout_start", "answered_at", "closed_at", "started", "ended"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    stats = sub.add_parser("stats", help=_("one week of sitting, bouts and breaks, day by day"))
    which = stats.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="YYYY-Www", help=_("the ISO week to show, e.g. 2026-W48 (default: this week)"))
    which.add_argument("--last", action="store_true", help=_("show last week"))
    stats.add_argument("--trend", type=_weeks, nargs="?", const=12, metavar="N",
                       help=_("one line per week for the N weeks up to this one (or --week/--last; default 12)"))
    add_db(stats)
    add_config(stats)
    form = stats.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help=_("machine-readable output"))
    form.add_argument("--csv", action="store_true", help=_("one row per day and a total row, for spreadsheets"))
    form.add_argument("--window", action="store_true", help=_("open the chart window"))
    form.add_argument("--png", type=Path, metavar="FILE", help=_("write the chart to a PNG image"))
    stats.set_defaults(handler=_stats)
    export = sub.add_parser("export", help=_("print the whole history (bouts, away time, prompts, breaks)"))
    form = export.add_mutually_exclusive_group(required=True)
    form.add_argument("--csv", action="store_true", help=_("one CSV table, a 'record' column tells the kinds apart"))
    form.add_argument("--json", action="store_true", help=_("one JSON object with a list per kind"))
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
        if not Path(args.db or default_path()).exists():
            print(_(NOTHING_YET).format(path=args.db or default_path()))
            return 0
        return _window(args, week)
    storage = _open_if_any(args)
    try:
        if args.trend:
            weeks = load_trend(storage, week, args.trend, zone, config.rules.sit_limit)
            return _trend_out(args, weeks, config.rules.sit_limit.total_seconds(), storage is None)
        report = load_report(storage, week, zone, config.rules.sit_limit, today=now.date())
    finally:
        if storage is not None:
            storage.close()
    if storage is None and not (args.json or args.csv):
        print(_(NOTHING_YET).format(path=args.db or default_path()))
        return 0
    if args.json:
        print(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    elif args.csv:
        sys.stdout.write(to_csv(report))
    elif args.png:
        _png(report, args.png)
    else:
        sys.stdout.write(render(report, unicode=_can_print("▒█–×")))
    return 0


def _trend_out(args: argparse.Namespace, weeks: list[tuple[Week, Tally]], limit: float, fresh: bool) -> int:
    if args.json:
        print(json.dumps(trend_json(weeks), indent=1, ensure_ascii=False))
    elif args.csv:
        sys.stdout.write(trend_csv(weeks))
    elif fresh:
        print(_(NOTHING_YET).format(path=args.db or default_path()))
    elif args.png:
        from breaker.ui.trend_chart import write_trend_png

        try:
            write_trend_png(weeks, args.png)
        except OSError as err:
            raise UserError(_("--png {path}: cannot write the image: {reason}").format(
                path=args.png, reason=err.strerror or err)) from None
        print(ngettext("wrote the trend of {weeks} week to {path}", "wrote the trend of {weeks} weeks to {path}",
                       len(weeks)).format(weeks=len(weeks), path=args.png))
    else:
        sys.stdout.write(render_trend(weeks, unicode=_can_print("▒█–×")))
    return 0


def _weeks(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 520:
        raise argparse.ArgumentTypeError(_("{value}: expected a number of weeks from 1 to 520").format(value=repr(text)))
    return int(text)


def _open_if_any(args: argparse.Namespace) -> Storage | None:
    """The database read-only, or None on a fresh install (no file yet: nothing recorded, not an error)."""
    path = args.db or default_path()
    if not Path(path).exists():
        if args.json or args.csv:
            print(_(NOTHING_YET).format(path=path), file=sys.stderr)
        return None
    return open_db(args, readonly=True)


def _png(report: WeeklyReport, path: Path) -> None:
    from breaker.ui.chart import write_png

    try:
        write_png(report, path)
    except OSError as err:
        raise UserError(_("--png {path}: cannot write the image: {reason}").format(
            path=path, reason=err.strerror or err)) from None
    print(_("wrote the chart of {week} to {path}").format(week=report.week, path=path))


def _window(args: argparse.Namespace, week: Week) -> int:
    """The chart window runs as its own process (Tk stays out of this one)."""
    command = [sys.executable, "-m", "breaker.ui.report", "--week", str(week)]
    if args.trend:
        command += ["--trend", str(args.trend)]
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
    storage = _open_if_any(args)
    tables = ("bouts", "away", "prompts", "breaks")

    def records(name: str) -> Iterator[dict[str, Any]]:
        rows = iter(()) if storage is None else storage.iter_rows(name)
        return _with_ask_ids(map(_record, rows)) if name == "prompts" else map(_record, rows)

    try:
        out = sys.stdout
        if args.json:
            write_json_lists(out, ((name, records(name)) for name in tables), ensure_ascii=False)
            return 0
        writer = csv.DictWriter(out, EXPORT_COLUMNS, lineterminator="\n", restval="")
        writer.writeheader()
        for name in tables:
            for record in records(name):
                if record.get("answers") is not None:
                    record["answers"] = json.dumps(record["answers"], ensure_ascii=False)
                writer.writerow({"record": name.rstrip("s"), **{k: "" if v is None else v for k, v in record.items()}})
    finally:
        if storage is not None:
            storage.close()
    return 0


def _with_ask_ids(prompts: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """An ask is a prompt and its repeats within one bout, named by its first prompt's id (rows come in order)."""
    bout, first = None, None
    for prompt in prompts:
        if prompt["bout_start"] != bout or first is None:
            bout, first = prompt["bout_start"], prompt["id"]
        prompt["ask_id"] = first
        yield prompt


def _record(row: Any) -> dict[str, Any]:
    """A database row with ISO-8601 UTC times and decoded self-check answers.

    A value no breaker wrote (text or a year 10000 in a time column, NaN, bytes) is exported as text,
    as it is: one odd row must not block the export of everything else, nor make the JSON invalid."""
    out: dict[str, Any] = {}
    for key in row.keys():
        value = row[key]
        if key in _TIMES and value is not None:
            try:
                value = iso_utc(dt(float(value)))
            except (TypeError, ValueError, OverflowError, OSError):
                value = _as_text(value)
        elif key == "answers" and value is not None:
            try:
                value = json.loads(value, parse_constant=_refuse)
            except (ValueError, TypeError, RecursionError):
                value = _as_text(value)
        elif isinstance(value, bytes) or (isinstance(value, float) and not math.isfinite(value)):
            value = _as_text(value)
        out[key] = value
    return out


def _refuse(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _as_text(value: object) -> str:
    return value.hex() if isinstance(value, bytes) else str(value)


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
