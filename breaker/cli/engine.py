"""``breaker simulate`` and ``breaker log``: the engine's record, replayed and read back."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from breaker import i18n
from breaker.cli.common import add_config, add_db, config_of, open_db, warn, write_json_lists
from breaker.core.errors import DataError, UserError
from breaker.core.i18n import N_, _, ngettext
from breaker.replay.pipeline import piped, replay_piped
from breaker.replay.simulate import SaveError, TraceDay, replay
from breaker.replay.trace import iter_trace
from breaker.store.coach_state import chooser_for
from breaker.store.storage import default_path, dt
from breaker.timefmt import human_duration, human_time, iso_utc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sim = sub.add_parser("simulate", help=_("replay an activity trace into a database"))
    sim.add_argument("trace", type=Path, metavar="TRACE", help=_("JSON-lines activity trace"))
    add_config(sim)
    add_db(sim)
    sim.add_argument("--into-my-history", action="store_true",
                     help=_("without --db: add the replayed days to your own history (the default database)"))
    sim.set_defaults(handler=_simulate)
    log = sub.add_parser("log", help=_("print the recorded bouts and prompts"))
    add_db(log)
    log.add_argument("--json", action="store_true", help=_("machine-readable output"))
    log.set_defaults(handler=_log)


def _simulate(args: argparse.Namespace) -> int:
    if args.db is None and not args.into_my_history:
        raise UserError(_("simulate writes made-up days: give --db FILE for a database of their own, or add "
                          "--into-my-history to write them into your history ({path})").format(path=default_path()))
    config = config_of(args)
    path = args.db or default_path()
    existed = path.exists()
    storage = open_db(args)
    try:
        mark = storage.mark()
        # one pass over the trace: a bad line takes back what the replay wrote before it
        day = TraceDay(config.zone)
        chooser = chooser_for(storage, config, today=day)
        if piped(args.trace):  # the engine in a second process: the replay takes about half as long
            report = replay_piped(args.trace, config.rules, storage, chooser, day, str(args.trace))
        else:
            report = replay(day.follow(iter_trace(args.trace)), config.rules, storage, chooser, str(args.trace))
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
    outcomes = ", ".join(f"{n} {outcome_text(name)}" for name, n in sorted(report.outcomes.items())) or _("none")
    print(ngettext("replayed {events} events: {bouts} bout, {sitting} sitting; prompts: {outcomes}; written to {path}",
                   "replayed {events} events: {bouts} bouts, {sitting} sitting; prompts: {outcomes}; written to {path}",
                   report.bouts).format(events=report.events, bouts=report.bouts,
                                        sitting=human_duration(report.sitting_s), outcomes=outcomes, path=storage.path))
    return 0


def _log(args: argparse.Namespace) -> int:
    storage = open_db(args, readonly=True)
    try:
        if args.json:  # streamed: the record of a lifetime in little memory
            write_json_lists(sys.stdout, (("bouts", map(_bout, storage.iter_rows("bouts"))),
                                          ("prompts", map(_prompt, storage.iter_rows("prompts"))),
                                          ("breaks", map(_break, storage.iter_rows("breaks")))))
            return 0
        width = 16 if i18n.language() == "en" else 21  # "Mon 23 Nov 15:27", "Mi., 30. Sept. 15:27"
        for bout in storage.iter_rows("bouts"):
            start, end = dt(bout["start"]), dt(bout["end"])
            assert start is not None and end is not None
            print(f"{human_time(start):<{width}}  " + _("sat {duration}").format(duration=human_duration(end - start)))
        for p in storage.iter_rows("prompts"):
            outcome = outcome_text(p["outcome"] or "open")
            print(f"{human_time(dt(p['at'])):<{width}}  " + _("prompt {exercise:<22} {outcome}").format(
                exercise=p["exercise"], outcome=outcome))
    finally:
        storage.close()
    return 0


OUTCOMES = {
    # Translators: what became of a prompt, shown in breaker log and simulate (the stored word stays English)
    "completed": N_("completed"), "abandoned": N_("abandoned"), "snoozed": N_("snoozed"),
    "skipped": N_("skipped"), "dismissed": N_("dismissed"), "ignored": N_("ignored"), "open": N_("open"),
}


def outcome_text(outcome: str) -> str:
    """A prompt's outcome as shown to a person (the stored word is data and stays English)."""
    return _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


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
