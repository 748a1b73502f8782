"""Writes that wait for the disk: units of row changes, committed in order once the database allows.

Each engine step's rows form one *unit*; a unit lands whole or not at all. When a commit fails because
of the disk or another program (full, locked, read-only, I/O), every unit stays queued in memory, in
order, and the next write or tick tries again. While writes fail the queue is bounded: past
``MAX_PENDING`` row changes a new unit is not kept (it is counted and reported); the units already
queued, the older record, stay whole. Pending writes to one ``state`` key are merged (only the newest
value matters), so a tick's heartbeat never grows the queue, and a replay that changes the coach's state
at every prompt writes it once per commit. A ``Later`` value is turned into text only when it is written.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from breaker.core.i18n import N_, said, said_n
from breaker.store.faults import reason

log = logging.getLogger(__name__)

MAX_PENDING = 10_000  # row changes kept in memory while the database cannot be written
RETRY_S = 3.0  # after a refused commit, later writes only queue until this much time has passed


_BAD_DATA = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError)


def _kept() -> str:
    """The bound as the save problem names it ("10,000")."""
    return f"{MAX_PENDING:,}"


@dataclass
class Op:
    sql: str
    args: tuple[Any, ...]
    state_key: str | None = None  # set for writes of one ``state`` row (merged while pending)


class Later:
    """A state value made into text only when it is written (or read as text): of a value replaced many
    times before a commit, only the last one costs its making."""

    __slots__ = ("make", "_text")

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make
        self._text: str | None = None

    def text(self) -> str:
        if self._text is None:
            self._text = self.make()
        return self._text

    def __conform__(self, protocol: object) -> str:
        """What sqlite3 binds in its place."""
        return self.text()


@dataclass
class WriteQueue:
    """Units waiting for their commit, and what the user should be told about them."""

    db: sqlite3.Connection
    units: deque[list[Op]] = field(default_factory=deque)
    ops: int = 0
    dropped: int = 0
    problem: str | None = None
    error: BaseException | None = None  # the error behind ``problem``
    state: dict[str, str | Later | None] = field(default_factory=dict)  # pending values of ``state`` keys
    loud: bool = True  # log each new problem (the daemon); a replay reports its own
    retry_at: float = 0.0  # monotonic time of the next attempt while there is a problem
    _keyed: dict[str, tuple[list[Op], Op]] = field(default_factory=dict)  # the pending op of each state key

    def add(self, unit: list[Op]) -> None:
        """Queue one unit; a pending write of a state key the unit writes again is dropped from its own
        unit (only the newest value matters, and all of them would land in one transaction)."""
        if len(unit) == 1 and self.problem is None:  # one row, or one state value (a replay's coach)
            self._add_one(unit)
            return
        newest: dict[str, Op] = {}
        for op in unit:
            if op.state_key is not None:
                newest[op.state_key] = op
        if not newest and self.problem is None:  # most units: rows only, and the disk takes them
            if unit:
                self.units.append(unit)
                self.ops += len(unit)
            return
        if not unit:
            return
        if newest and len(newest) < sum(op.state_key is not None for op in unit):  # a key written twice
            unit[:] = [op for op in unit if op.state_key is None or newest[op.state_key] is op]
        older = {key: self._keyed[key] for key in newest if key in self._keyed}
        if self.problem is not None and self.ops - len(older) + len(unit) > MAX_PENDING:
            self.dropped += len(unit)
            log.error("cannot save and %d changes are waiting already: a change was not kept", self.ops)
            return
        for old_unit, old_op in older.values():
            old_unit[:] = [op for op in old_unit if op is not old_op]
        self.ops -= len(older)
        self.units.append(unit)
        self.ops += len(unit)
        for key, op in newest.items():
            self._keyed[key] = (unit, op)
            self.state[key] = op.args[1] if len(op.args) > 1 else None

    def _add_one(self, unit: list[Op]) -> None:
        """``add`` of a one-op unit while the disk takes writes (what ``add`` does, in fewer steps)."""
        op = unit[0]
        key = op.state_key
        if key is not None:
            older = self._keyed.get(key)
            if older is not None:
                old_unit, old_op = older
                old_unit[:] = [o for o in old_unit if o is not old_op]
                self.ops -= 1
            self._keyed[key] = (unit, op)
            self.state[key] = op.args[1] if len(op.args) > 1 else None
        self.units.append(unit)
        self.ops += 1

    def flush(self, wait_s: float, force: bool = True) -> bool:
        """Commit every queued unit in one transaction, each in order; False (all kept) if the disk refused.

        A unit SQLite rejects as bad data (a constraint) is dropped on its own and its error raised after
        the others are committed: retrying it could never succeed and would hold up everything after it.
        Without ``force``, a queue that was refused less than ``RETRY_S`` ago does not try again yet.
        """
        if not self.units:
            return True
        if not force and self.problem is not None and time.monotonic() < self.retry_at:
            return False  # the daemon stays responsive: one wait for the lock per RETRY_S, not per write
        bad: sqlite3.Error | None = None
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for unit in self.units:
                    for op in unit:
                        self.db.execute(op.sql, op.args)
            except _BAD_DATA:  # find the bad unit: again, each unit on its own savepoint
                self.db.execute("ROLLBACK")
                self.db.execute("BEGIN IMMEDIATE")
                bad = self._one_by_one()
            self.db.execute("COMMIT")
        except sqlite3.Error as err:
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            text = said(N_("cannot save: {reason}"), reason=reason(err))
            if text != self.problem and self.loud:
                log.warning("%s; %d changes wait in memory and are written once it can", text, self.ops)
            self.problem, self.error = text, err
            self.retry_at = time.monotonic() + RETRY_S
            return False
        if self.problem:
            log.warning("saving works again: %d waiting changes written", self.ops)
        self.units.clear()
        self.state.clear()
        self._keyed.clear()
        self.ops, self.problem, self.error = 0, None, None
        if bad is not None:
            raise bad
        return True

    def _one_by_one(self) -> sqlite3.Error | None:
        bad = None
        for unit in self.units:
            self.db.execute("SAVEPOINT unit")
            try:
                for op in unit:
                    self.db.execute(op.sql, op.args)
            except _BAD_DATA as err:
                self.db.execute("ROLLBACK TO unit")
                bad = err
            self.db.execute("RELEASE unit")
        return bad

    def discard(self) -> int:
        """Forget every waiting unit (a replay that stops); returns how many row changes that was."""
        lost, self.ops = self.ops, 0
        self.units.clear()
        self.state.clear()
        self._keyed.clear()
        return lost

    def describe(self) -> str | None:
        """"cannot save: the disk is full (12 changes wait)" or None when everything is written."""
        if self.problem is None and not self.dropped:
            return None
        if self.problem is None:
            return said_n("{count} change was lost while saving failed (past the {kept} kept)",
                          "{count} changes were lost while saving failed (past the {kept} kept)",
                          self.dropped, kept=_kept())
        text: str = self.problem
        if self.ops:
            text = said_n("{problem} ({count} change waits in memory)",
                          "{problem} ({count} changes wait in memory)", self.ops, problem=text)
        if self.dropped:
            text = said_n("{problem}; {count} change past the {kept} kept was lost",
                          "{problem}; {count} changes past the {kept} kept were lost", self.dropped,
                          problem=text, kept=_kept())
        return text
