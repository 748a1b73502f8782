"""The coach behind a real SQLite session: every prompt's outcome reaches it (skips too), snoozes keep the
movement, a day of prompts offers every stretch, and the safety notice is recorded once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from breaker.catalogue import load_catalogue
from breaker.core.coach import Coach
from breaker.core.models import Rules
from breaker.replay.simulate import replay
from breaker.replay.trace import TraceEvent
from breaker.store.coach_state import StoredCoach
from breaker.store.storage import Storage

RULES = Rules(sit_limit=timedelta(minutes=30), natural_break=timedelta(minutes=5), snooze=timedelta(minutes=7),
              reprompt=timedelta(minutes=4))
START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def day_of(actions: list[str]) -> list[TraceEvent]:
    """Input all day; each prompt answered with the next action (a start is finished 3 minutes later)."""
    events, now, gap = [TraceEvent(1, START, "active")], START, 31
    for action in actions:
        now += timedelta(minutes=gap)
        gap = 8 if action == "snooze" else 31
        events.append(TraceEvent(len(events) + 1, now, "answer", action=action))  # type: ignore[arg-type]
        if action == "start":
            now += timedelta(minutes=3)
            events.append(TraceEvent(len(events) + 1, now, "finish", result="completed"))  # type: ignore[arg-type]
            events.append(TraceEvent(len(events) + 1, now + timedelta(seconds=1), "active"))
    events.append(TraceEvent(len(events) + 1, now + timedelta(minutes=1), "end"))
    return events


def prompted(tmp_path: Path, actions: list[str]) -> list[tuple[str, str]]:
    storage = Storage.open(tmp_path / "b.db")
    chooser = StoredCoach(Coach(load_catalogue()), storage, today=lambda: date(2026, 11, 23))
    replay(day_of(actions), RULES, storage, chooser)
    rows = [(r["exercise"], r["outcome"]) for r in storage.rows("prompts")]
    storage.close()
    return rows


def test_skip_and_dismiss_are_followed_by_another_movement(tmp_path: Path) -> None:
    rows = prompted(tmp_path, ["skip", "dismiss", "skip", "dismiss", "skip", "skip", "skip"])
    exercises = [e for e, _ in rows]
    assert all(a != b for a, b in zip(exercises, exercises[1:])), rows


def test_snooze_keeps_the_same_movement(tmp_path: Path) -> None:
    rows = prompted(tmp_path, ["snooze", "snooze", "skip"])
    assert rows[0][0] == rows[1][0] == rows[2][0], rows


def test_a_day_of_prompts_offers_each_stretch(tmp_path: Path) -> None:
    rows = prompted(tmp_path, ["skip", "start", "dismiss", "start"])
    assert {"hip-flexor", "hamstring", "glute"} <= {e for e, _ in rows}, rows


def test_safety_notice_is_due_once_and_stays_recorded(tmp_path: Path) -> None:
    for expected in (True, False):
        storage = Storage.open(tmp_path / "b.db")
        assert StoredCoach(Coach(load_catalogue()), storage).notice_due() is expected
        storage.close()
