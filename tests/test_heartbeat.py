"""The heartbeat's crash recovery on a real SQLite file: what a killed daemon left is closed, nothing is invented."""

from __future__ import annotations

import json
from pathlib import Path

from breaker.core.engine import Engine
from breaker.core.models import Action, Rules
from breaker.daemon.heartbeat import KEY, Heartbeat
from breaker.store.storage import Storage, ts
from tests.enginekit import at

RULES = Rules()  # sit_limit 45m, natural_break 5m, reprompt 5m


def restore(storage: Storage, now_hhmm: str) -> Engine:
    engine = Engine(RULES)
    with storage.transaction():
        Heartbeat(storage, RULES.natural_break).restore(engine, at(now_hhmm))
    return engine


def test_a_bout_a_break_already_ended_is_not_recorded_twice(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    # the break started at 09:46 ended the bout (row written); the heartbeat of the 09:45:30 tick still has it open
    storage.add_bout(at("09:00"), at("09:46"))
    storage.set_state(KEY, json.dumps({"at": ts(at("09:45:30")), "bout_start": ts(at("09:00")),
                                       "last_input": ts(at("09:45:30"))}))
    for now in ("09:47", "10:30"):  # a quick restart and a late one
        engine = restore(storage, now)
        assert engine.tracker.bout_start is None
        assert storage.db.execute("SELECT count(*) FROM bouts").fetchone()[0] == 1


def test_a_running_break_and_an_open_prompt_are_closed_at_the_last_heartbeat(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    answered = storage.add_prompt(at("09:45"), at("09:00"), "hinge", 1)
    storage.answer_prompt(answered, at("09:46"))
    storage.add_break(answered, "hinge", 1, at("09:46"))
    ignored = storage.add_prompt(at("11:45"), at("11:00"), "hinge", 1)
    storage.set_state(KEY, json.dumps({"at": ts(at("11:47")), "bout_start": ts(at("11:00")),
                                       "last_input": ts(at("11:47"))}))
    restore(storage, "12:30")
    rows = storage.db.execute("SELECT id, outcome, answered_at, closed_at FROM prompts ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(answered, "abandoned", ts(at("09:46")), ts(at("11:47"))),
                                        (ignored, "ignored", None, ts(at("11:47")))]
    (brk,) = storage.db.execute("SELECT ended, result FROM breaks").fetchall()
    assert tuple(brk) == (ts(at("11:47")), "abandoned")
    (bout,) = storage.db.execute("SELECT start, end, sit_limit_s FROM bouts").fetchall()
    # closed at the last input, not the restart, and judged by the limit in effect (not NULL)
    assert tuple(bout) == (ts(at("11:00")), ts(at("11:47")), RULES.sit_limit.total_seconds())


def test_pause_and_due_time_come_back(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    engine = Engine(RULES)
    beat = Heartbeat(storage, RULES.natural_break)
    engine.active(at("09:00"))
    engine.advance(at("09:45"))
    engine.answer(Action.SNOOZE, at("09:46"))  # due 09:56
    engine.pause(at("11:00"), at("09:47"))
    with storage.transaction():
        beat.beat(engine, at("09:48"))
    restored = restore(storage, "09:49")
    assert restored.policy.paused_until == at("11:00")
    assert restored.policy.due == at("09:56")
    assert restored.status(at("09:50")).next_prompt == at("11:00")  # the pause holds the snoozed prompt


def test_a_heartbeat_of_odd_values_starts_afresh(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    for value in ('{"at": "x", "bout_start": [1]}', "[1, 2]", '{"at": 1e300}', "not json", '{"paused_until": "y"}'):
        storage.set_state(KEY, value)
        engine = restore(storage, "09:00")
        assert engine.tracker.bout_start is None


def test_an_expired_pause_is_not_restored(tmp_path: Path) -> None:
    storage = Storage.open(tmp_path / "b.db")
    storage.set_state(KEY, json.dumps({"at": ts(at("09:00")), "paused_until": ts(at("09:30"))}))
    assert restore(storage, "10:00").policy.paused_until is None
    storage.set_state(KEY, json.dumps({"at": ts(at("09:00")), "paused_forever": True}))
    assert restore(storage, "10:00").policy.paused_forever


def test_nothing_open_and_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    """Away with no bout open, a tick's beat is not written again (issue 16.1: no SQLite write while
    nobody is there); anything open, or a change of intent, is written on every beat."""
    storage = Storage.open(tmp_path / "b.db")
    engine = Engine(RULES)
    beat = Heartbeat(storage, RULES.natural_break)
    engine.active(at("09:00"))
    engine.idle(at("09:10"))
    engine.advance(at("09:20"))  # the natural break ended the bout at 09:10
    assert engine.tracker.bout_start is None

    def changes_by(now: str) -> int:
        before = storage.db.total_changes
        with storage.transaction():
            beat.beat(engine, at(now))
        return storage.db.total_changes - before

    assert changes_by("09:20") == 1  # the first beat with nothing open is written
    assert [changes_by(t) for t in ("09:21", "09:22", "10:00")] == [0, 0, 0]
    engine.pause(at("11:00"), at("10:01"))
    assert changes_by("10:01") == 1  # a new intent is written at once
    assert changes_by("10:02") == 0
    on_disk = json.loads(storage.get_state(KEY) or "{}")
    assert on_disk["paused_until"] == ts(at("11:00")) and on_disk["bout_start"] is None
    engine.active(at("10:03"))  # a bout: its last input is dated by every beat
    assert [changes_by(t) for t in ("10:04", "10:05")] == [1, 1]
    restored = restore(storage, "10:06")
    assert restored.tracker.bout_start == at("10:03")
