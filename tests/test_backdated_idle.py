"""An ``idle`` dated before the engine's time (issue #12.1): the daemon learns that input stopped only
``idle_after`` later, and a prompt may have fallen due in between. The engine then ends the bout at the
last input, exactly as a trace in time order would, and ``breaker simulate`` (whose traces give exact
idle times) is unchanged."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from breaker.core.engine import Engine
from breaker.core.models import Action, BoutClosed, Effect, PromptClosed, PromptShown, Rules
from tests.enginekit import at, local, minutes

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "traces"
TABLES = {
    "bouts": "start, end, sit_limit_s",
    "away": "start, end, cause",
    "prompts": "at, bout_start, exercise, level, outcome, answered_at, closed_at",
    "breaks": "prompt_id, exercise, level, started, ended, result, answers",
}


def replay_record(trace: Path, tmp: Path) -> dict[str, list[list[object]]]:
    """Every row ``breaker simulate`` writes for ``trace`` (a real process, a real SQLite file)."""
    db, home = tmp / f"{trace.stem}.db", tmp / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "breaker", "simulate", str(trace), "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        return {table: [list(row) for row in conn.execute(f"SELECT {cols} FROM {table} ORDER BY id")]
                for table, cols in TABLES.items()}


@pytest.mark.parametrize("trace", sorted(TRACES.glob("*.jsonl")), ids=lambda p: p.stem)
def test_simulate_record_is_unchanged(trace: Path, tmp_path: Path) -> None:
    """The records were written by the code before back-dated idle existed (main at 976a270)."""
    expected = json.loads(trace.with_suffix(".record.json").read_text())
    assert replay_record(trace, tmp_path) == expected


# ---- the engine: daemon order (idle learned late) against trace order -----------------------------------

def effects(rows: list[tuple[datetime, str]], rules: Rules | None = None) -> list[Effect]:
    """Every effect of driving a fresh engine with ``rows`` (verbs as in tests/enginekit.py), in order."""
    engine, out = Engine(rules or Rules()), []
    for when, what in rows:
        verb, _, arg = what.partition(" ")
        if verb == "answer":
            out += engine.answer(Action(arg), when)
        elif verb == "pause":
            out += engine.pause(at(arg), when)
        elif verb == "dnd":
            out += engine.do_not_disturb(arg == "on", when)
        else:
            out += getattr(engine, verb)(when)
    return out


def in_time_order(rows: list[tuple[datetime, str]]) -> list[tuple[datetime, str]]:
    """The same day as a trace writes it: every line at the time it is about."""
    return sorted(rows, key=lambda row: row[0])


# (name, rows in the order a daemon calls the engine, bouts, prompts, outcomes with their closing times)
BACKDATED = [
    ("a prompt falls due 30 s after the last input; idle is learned a minute after it",
     [("09:00", "active"), ("09:45", "advance"), ("09:44:30", "idle"), ("10:00", "end")],
     [("09:00", "09:44:30")], ["09:45"], [("ignored", "09:49:30")]),
    ("input comes back within natural_break: one bout, the prompt stays open",
     [("09:00", "active"), ("09:45", "advance"), ("09:44:30", "idle"), ("09:47", "active"), ("09:48", "end")],
     [("09:00", "09:48")], ["09:45"], [("ignored", "09:48")]),
    ("a re-prompt falls due in the pause: the first is ignored by it, the second at the bout's end",
     [("09:00", "active"), ("09:45", "advance"), ("09:50", "advance"), ("09:49:40", "idle"), ("10:10", "end")],
     [("09:00", "09:49:40")], ["09:45", "09:50"], [("ignored", "09:50"), ("ignored", "09:54:40")]),
    ("do-not-disturb held the prompt until after the last input (a hold, not input)",
     [("09:00", "active"), ("09:44:45", "dnd on"), ("09:46", "dnd off"), ("09:44:30", "idle"), ("10:00", "end")],
     [("09:00", "09:44:30")], ["09:46"], [("ignored", "09:49:30")]),
    ("a pause held the prompt until after the last input",
     [("09:00", "active"), ("09:44:50", "pause 09:46:10"), ("09:46:20", "advance"), ("09:44:30", "idle"),
      ("10:00", "end")],
     [("09:00", "09:44:30")], ["09:46:10"], [("ignored", "09:49:30")]),
]


@pytest.mark.parametrize("rows, bouts, prompts, closed", [pytest.param(*c[1:], id=c[0]) for c in BACKDATED])
def test_backdated_idle_ends_the_bout_at_the_last_input(rows: list[tuple[str, str]], bouts: list[tuple[str, str]],
                                                          prompts: list[str], closed: list[tuple[str, str]]) -> None:
    daemon_order = [(at(t), what) for t, what in rows]
    got = effects(daemon_order)
    assert [(local(e.start), local(e.end)) for e in got if isinstance(e, BoutClosed)] == bouts
    assert [local(e.at) for e in got if isinstance(e, PromptShown)] == prompts
    assert [(e.outcome.value, local(e.at)) for e in got if isinstance(e, PromptClosed)] == closed
    assert got == effects(in_time_order(daemon_order))  # exactly what simulate records for the same day


# (name, rows, bouts): an idle that may not be dated back is moved forward to the engine's time, as before
NOT_BACKDATED = [
    ("an answer after the last input: the user was there", [
        ("09:00", "active"), ("09:45", "advance"), ("09:45:10", "answer snooze"), ("09:44:30", "idle"),
        ("10:00", "end")], [("09:00", "09:45:10")]),
    ("an idle dated before the last active: the clock never goes back", [
        ("09:00", "active"), ("09:10", "idle"), ("09:12", "active"), ("09:45", "advance"), ("09:11", "idle"),
        ("10:00", "end")], [("09:00", "09:45")]),
    ("a lock after the last input already ended input at the lock", [
        ("09:00", "active"), ("09:45", "advance"), ("09:45:20", "lock"), ("09:44:30", "idle"), ("10:00", "end")],
     [("09:00", "09:45:20")]),
]


@pytest.mark.parametrize("rows, bouts", [pytest.param(*c[1:], id=c[0]) for c in NOT_BACKDATED])
def test_idle_is_not_dated_back_past_what_happened(rows: list[tuple[str, str]], bouts: list[tuple[str, str]]) -> None:
    got = effects([(at(t), what) for t, what in rows])
    assert [(local(e.start), local(e.end)) for e in got if isinstance(e, BoutClosed)] == bouts


def test_idle_after_longer_than_natural_break_still_ends_the_bout_at_the_last_input() -> None:
    """idle_after 3 min, natural_break 1 min: the prompt was shown before input was known to have stopped.
    It did appear, so it stays; it is ignored when it was shown (the bout had already ended), never before."""
    rules = Rules(natural_break=minutes(1))
    got = effects([(at("09:00"), "active"), (at("09:45"), "advance"), (at("09:43:30"), "idle"),
                   (at("10:00"), "end")], rules)
    assert [(local(e.start), local(e.end)) for e in got if isinstance(e, BoutClosed)] == [("09:00", "09:43:30")]
    assert [local(e.at) for e in got if isinstance(e, PromptShown)] == ["09:45"]
    assert [(e.outcome.value, local(e.at)) for e in got if isinstance(e, PromptClosed)] == [("ignored", "09:45")]


def random_day(rng: random.Random) -> list[tuple[datetime, datetime, timedelta]]:
    """(input starts, input stops, how late the daemon learns that it stopped) for a random day."""
    rows, t = [], at("08:00")
    while t < at("18:00"):
        stop = t + timedelta(seconds=rng.randint(1, 90 * 60))
        pause = timedelta(seconds=rng.choice([rng.randint(1, 290), rng.randint(290, 310), rng.randint(310, 3600)]))
        late = min(pause, minutes(5)) * rng.random()  # idle_after is shorter than natural_break here
        rows.append((t, stop, late))
        t = stop + pause
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_daemon_order_equals_trace_order_on_random_days(seed: int) -> None:
    """The daemon advances to each prompt falling due while input seems to run, and learns of every stop up
    to natural_break late: the engine's effects are exactly those of the day in time order."""
    rng = random.Random(seed)
    rules = Rules(sit_limit=minutes(rng.choice([20, 45])), reprompt=minutes(rng.choice([2, 5])))
    daemon, trace = Engine(rules), Engine(rules)
    got: list[Effect] = []
    want: list[Effect] = []
    for start, stop, late in random_day(rng):
        got += daemon.active(start)
        want += trace.active(start) + trace.idle(stop)
        while (due := daemon.next_deadline()) is not None and due <= stop + late:
            got += daemon.advance(due)
        got += daemon.idle(stop)
    end = at("21:00")  # after the last stop and its natural break
    assert got + daemon.end(end) == want + trace.end(end)
