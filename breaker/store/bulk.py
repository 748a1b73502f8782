"""A replay's rows, gathered in memory and written table by table at each commit, many rows per INSERT.

The daemon writes each change as it happens (``Storage``'s write methods). A replay knows more: a prompt's
outcome and a break's end usually come before the next commit, so the row is inserted once, finished,
instead of inserted and then updated. A prompt or break still open at a commit is inserted as it stands
then; its later changes are UPDATEs. The rows that land are the same as the daemon's way would write.

One INSERT of many rows costs about a third of as many one-row INSERTs: SQLite checks the tables' CHECK
constraints with IN lists by building a small lookup table once per statement run.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain

from breaker.store.storage import Storage
from breaker.store.writequeue import Op

_COLUMNS = {
    "bouts": "id, start, end, sit_limit_s",
    "away": "id, start, end, cause",
    "prompts": "id, at, bout_start, exercise, level, outcome, answered_at, closed_at",
    "breaks": "id, prompt_id, exercise, level, started, ended, result, answers",
}
MAX_VARIABLES = 999  # per statement: SQLite before 3.32 allows no more
_ANSWER = "UPDATE prompts SET answered_at = ? WHERE id = ?"
_CLOSE = "UPDATE prompts SET outcome = ?, answered_at = ?, closed_at = ? WHERE id = ?"
_FINISH = "UPDATE breaks SET ended = ?, result = ?, answers = ? WHERE id = ?"


class BulkRows:
    """``Storage``'s row writes for a replay (the ``RowWriter`` a replay's ``Session`` writes to).

    ``changes`` counts row changes as the daemon's way would (an insert, an update: one each), so commits
    fall where they did. ``unit()`` hands what was gathered to the storage's write queue as one unit."""

    __slots__ = ("storage", "bouts", "away", "prompts", "breaks", "updates", "changes")

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.bouts: list[tuple[int, float, float, float | None]] = []
        self.away: list[tuple[int, float, float, str]] = []
        self.prompts: dict[int, list[object]] = {}  # id -> the row, finished in place until the commit
        self.breaks: dict[int, list[object]] = {}
        self.updates: list[Op] = []  # changes to rows an earlier commit wrote
        self.changes = 0

    def add_bout(self, start: datetime, end: datetime, sit_limit_s: float | None = None) -> int:
        return self.add_bout_ts(start.timestamp(), end.timestamp(), sit_limit_s)

    def add_bout_ts(self, start: float, end: float, sit_limit_s: float | None = None) -> int:
        """``add_bout`` with the times as UTC seconds (a piped replay); so are the other ``*_ts``."""
        ids = self.storage._ids  # the storage's own counters: ids as the daemon's way gives them
        row = ids["bouts"] = ids.get("bouts", 0) + 1
        self.bouts.append((row, start, end, sit_limit_s))
        self.changes += 1
        return row

    def add_away(self, start: datetime, end: datetime, cause: str) -> int:
        return self.add_away_ts(start.timestamp(), end.timestamp(), cause)

    def add_away_ts(self, start: float, end: float, cause: str) -> int:
        ids = self.storage._ids  # (its counters)
        row = ids["away"] = ids.get("away", 0) + 1
        self.away.append((row, start, end, cause))
        self.changes += 1
        return row

    def add_prompt(self, at: datetime, bout_start: datetime, exercise: str, level: int | None) -> int:
        return self.add_prompt_ts(at.timestamp(), bout_start.timestamp(), exercise, level)

    def add_prompt_ts(self, at: float, bout_start: float, exercise: str, level: int | None) -> int:
        ids = self.storage._ids  # (its counters)
        row = ids["prompts"] = ids.get("prompts", 0) + 1
        self.prompts[row] = [row, at, bout_start, exercise, level, None, None, None]
        self.changes += 1
        return row

    def answer_prompt(self, prompt_id: int, answered_at: datetime) -> None:
        self.answer_prompt_ts(prompt_id, answered_at.timestamp())

    def answer_prompt_ts(self, prompt_id: int, answered_at: float) -> None:
        """``answer_prompt`` with the time as UTC seconds (a piped replay)."""
        self.changes += 1
        pending = self.prompts.get(prompt_id)
        if pending is None:
            self.updates.append(Op(_ANSWER, (answered_at, prompt_id)))
        else:
            pending[6] = answered_at

    def close_prompt(self, prompt_id: int, outcome: str, answered_at: datetime | None, at: datetime) -> None:
        self.close_prompt_ts(prompt_id, outcome, None if answered_at is None else answered_at.timestamp(),
                             at.timestamp())

    def close_prompt_ts(self, prompt_id: int, outcome: str, answered: float | None, at: float) -> None:
        """``close_prompt`` with the times as UTC seconds (a piped replay)."""
        self.changes += 1
        pending = self.prompts.get(prompt_id)
        if pending is None:
            self.updates.append(Op(_CLOSE, (outcome, answered, at, prompt_id)))
        else:
            pending[5:8] = outcome, answered, at

    def add_break(self, prompt_id: int | None, exercise: str, level: int | None, started: datetime) -> int:
        return self.add_break_ts(prompt_id, exercise, level, started.timestamp())

    def add_break_ts(self, prompt_id: int | None, exercise: str, level: int | None, started: float) -> int:
        ids = self.storage._ids  # (its counters)
        row = ids["breaks"] = ids.get("breaks", 0) + 1
        self.breaks[row] = [row, prompt_id, exercise, level, started, None, None, None]
        self.changes += 1
        return row

    def finish_break(self, break_id: int, ended: datetime, result: str, answers: str | None) -> None:
        self.finish_break_ts(break_id, ended.timestamp(), result, answers)

    def finish_break_ts(self, break_id: int, ended: float, result: str, answers: str | None) -> None:
        """``finish_break`` with the time as UTC seconds (a piped replay)."""
        self.changes += 1
        pending = self.breaks.get(break_id)
        if pending is None:
            self.updates.append(Op(_FINISH, (ended, result, answers, break_id)))
        else:
            pending[5:8] = ended, result, answers

    def unit(self) -> list[Op]:
        """Everything gathered as one unit of ops (inserts by table, in id order, then updates); empties the
        buffers, so later changes to rows inserted now become updates."""
        unit: list[Op] = []
        for table, rows in (("bouts", self.bouts), ("away", self.away), ("prompts", list(self.prompts.values())),
                            ("breaks", list(self.breaks.values()))):
            unit += _inserts(table, rows)  # type: ignore[arg-type]
        unit += self.updates
        self.bouts, self.away, self.prompts, self.breaks, self.updates = [], [], {}, {}, []
        self.changes = 0
        return unit


def _inserts(table: str, rows: list[tuple[object, ...]]) -> list[Op]:
    """INSERTs of ``rows`` into ``table``, as many rows per statement as ``MAX_VARIABLES`` allows."""
    columns = _COLUMNS[table]
    width = columns.count(",") + 1
    per = MAX_VARIABLES // width
    one = "(" + ", ".join("?" * width) + ")"
    ops = []
    for first in range(0, len(rows), per):
        part = rows[first:first + per]
        ops.append(Op(f"INSERT INTO {table}({columns}) VALUES " + ", ".join([one] * len(part)),
                      tuple(chain.from_iterable(part))))
    return ops
