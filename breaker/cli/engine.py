"""``breaker simulate`` and ``breaker log``: the engine's record, replayed and read back."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from breaker.cli.common import add_config, add_db, config_of, open_db, warn, write_json_lists
from breaker.core.errors import DataError, UserError
from breaker.replay.simulate import SaveError, TraceDay, replay
from breaker.replay.trace import iter_trace
from breaker.store.coach_state import chooser_for
from breaker.store.storage import default_path, dt
from breaker.timefmt import human_duration, human_time, iso_utc, plural


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sim = sub.add_parser("simulate", help="replay an activity trace into a database")
    sim.add_argument("trace", type=Path, metavar="TRACE", help="JSON-lines activity trace")
    add_config(sim)
    add_db(sim)
    sim.add_argument("--into-my-history", action="store_true",
                     help="without --db: add the replayed days to your own history (the default database)")
    sim.set_defaults(handler=_simulate)
    log = sub.add_parser("log", help="print the recorded bouts and prompts")
    add_db(log)
    log.add_argument("--json", action="store_true", help="machine-readable output")
    log.set_defaults(handler=_log)


def _simulate(args: argparse.Namespace) -> int:
    if args.db is None and not args.into_my_history:
        raise UserError(f"simulate writes made-up days: give --db FILE for a database of their own, or add "
                        f"--into-my-history to write them into your history ({default_path()})")
    config = config_of(args)
    path = args.db or default_path()
    existed = path.exists()
    storage = open_db(args)
    try:
        mark = storage.mark()
        # one pass over the trace: a bad line takes back what the replay wrote before it
        day = TraceDay(config.zone)
        report = replay(day.follow(iter_trace(args.trace)), config.rules, storage,
                        chooser_for(storage, config, today=day), str(args.trace))
    except SaveError:
        storage.close()
        raise
    except DataError:
        storage.undo(mark)
        storage.close()
        if not existed:
            for suffix in ("", "-wal", "-shm", ".lock"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    storage.close()
    for text in report.warnings:
        warn(text)
    outcomes = ", ".join(f"{n} {name}" for name, n in sorted(report.outcomes.items())) or "none"
    print(
        f"replayed {report.events} events: {plural(report.bouts, 'bout')}, {human_duration(report.sitting_s)} sitting; "
        f"prompts: {outcomes}; written to {storage.path}"
    )
    return 0


def _log(args: argparse.Namespace) -> int:
    storage = open_db(args, readonly=True)
    try:
        if args.json:  # streamed: the record of a lifetime in little memory
            write_json_lists(sys.stdout, (("bouts", map(_bout, storage.iter_rows("bouts"))),
                                          ("prompts", map(_prompt, storage.iter_rows("prompts"))),
                                          ("breaks", map(_break, storage.iter_rows("breaks")))))
            return 0
        for bout in storage.iter_rows("bouts"):
            start, end = dt(bout["start"]), dt(bout["end"])
            assert start is not None and end is not None
            print(f"{human_time(start):<16}  sat {human_duration(end - start)}")
        for p in storage.iter_rows("prompts"):
            print(f"{human_time(dt(p['at'])):<16}  prompt {p['exercise']:<22} {p['outcome'] or 'open'}")
    finally:
        storage.close()
    return 0


def _bout(b: Any) -> dict[str, Any]:
    return {"start": iso_utc(dt(b["start"])), "end": iso_utc(dt(b["end"]))}


def _prompt(p: Any) -> dict[str, Any]:
    return {
        "at": iso_utc(dt(p["at"])),
        "exercise": p["exercise"],
        "outcome": p["outcome"],
        "answered_at": iso_utc(dt(p["answered_at"])),
        "level": p["level"],
        "sitting_s": round(p["at"] - p["bout_start"], 3),
    }


def _break(b: Any) -> dict[str, Any]:
    return {
        "started": iso_utc(dt(b["started"])),
        "ended": iso_utc(dt(b["ended"])),
        "exercise": b["exercise"],
        "level": b["level"],
        "result": b["result"],
        "prompted": b["prompt_id"] is not None,
        "answers": None if b["answers"] is None else json.loads(b["answers"]),
    }
