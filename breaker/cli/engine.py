"""``breaker simulate`` and ``breaker log``: the engine's record, replayed and read back."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from breaker.cli.common import add_config, add_db, config_of, open_db, warn
from breaker.replay.simulate import replay
from breaker.replay.trace import read_trace
from breaker.store.coach_state import chooser_for
from breaker.store.storage import dt
from breaker.timefmt import human_duration, human_time, iso_utc, plural


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sim = sub.add_parser("simulate", help="replay an activity trace into a database")
    sim.add_argument("trace", type=Path, metavar="TRACE", help="JSON-lines activity trace")
    add_config(sim)
    add_db(sim)
    sim.set_defaults(handler=_simulate)
    log = sub.add_parser("log", help="print the recorded bouts and prompts")
    add_db(log)
    log.add_argument("--json", action="store_true", help="machine-readable output")
    log.set_defaults(handler=_log)


def _simulate(args: argparse.Namespace) -> int:
    config = config_of(args)
    events = read_trace(args.trace)
    storage = open_db(args)
    try:
        report = replay(events, config.rules, storage, chooser_for(storage, config), str(args.trace))
    finally:
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
        bouts = storage.rows("bouts")
        prompts = storage.rows("prompts")
        breaks = storage.rows("breaks")
    finally:
        storage.close()
    data = {
        "bouts": [{"start": iso_utc(dt(b["start"])), "end": iso_utc(dt(b["end"]))} for b in bouts],
        "prompts": [
            {
                "at": iso_utc(dt(p["at"])),
                "exercise": p["exercise"],
                "outcome": p["outcome"],
                "answered_at": iso_utc(dt(p["answered_at"])),
                "level": p["level"],
                "sitting_s": round(p["at"] - p["bout_start"], 3),
            }
            for p in prompts
        ],
        "breaks": [
            {
                "started": iso_utc(dt(b["started"])),
                "ended": iso_utc(dt(b["ended"])),
                "exercise": b["exercise"],
                "level": b["level"],
                "result": b["result"],
                "prompted": b["prompt_id"] is not None,
                "answers": None if b["answers"] is None else json.loads(b["answers"]),
            }
            for b in breaks
        ],
    }
    if args.json:
        print(json.dumps(data, indent=1))
        return 0
    for bout in bouts:
        start, end = dt(bout["start"]), dt(bout["end"])
        assert start is not None and end is not None
        print(f"{human_time(start):<16}  sat {human_duration(end - start)}")
    for p in prompts:
        print(f"{human_time(dt(p['at'])):<16}  prompt {p['exercise']:<22} {p['outcome'] or 'open'}")
    return 0
