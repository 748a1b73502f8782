"""Replays an activity trace through the real engine and storage on a virtual clock.

Whatever would happen between two trace lines (natural breaks, due prompts, re-prompts) happens at its
exact time, because the engine catches up to each line's time before applying it. An ``end`` line stops
the virtual daemon; lines after it are a fresh start, as after a restart.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from breaker.core.engine import Engine
from breaker.core.errors import DataError
from breaker.core.i18n import N_, _, localized, said
from breaker.core.models import Action, BoutClosed, BreakResult, Effect, Notice, PromptClosed, Rules
from breaker.replay.trace import TraceEvent
from breaker.store.bulk import BulkRows
from breaker.store.coach_state import StoredCoach
from breaker.store.faults import explain
from breaker.store.session import ExerciseChooser, Session
from breaker.store.storage import Storage

BATCH = 5_000  # row changes per transaction: memory and the write lock stay bounded
COMMIT_WAIT_S = 30.0  # how long a commit waits for another program's lock


class SaveError(DataError):
    """The database refused a commit during a replay (what was committed before it stays)."""


@dataclass
class Replay:
    """What a replay did: counts for the summary, and warnings with their line numbers."""

    events: int = 0
    bouts: int = 0
    sitting_s: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    warnings: WarningSpool = field(default_factory=lambda: WarningSpool())


class WarningSpool:
    """A replay's warnings, each written out in the user's language as it comes, and read back once the
    replay has succeeded (a failed one prints none). Past 1 MB they wait in a temporary file, so a million
    answers that found no prompt cost no memory."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")
        self.count = 0
        self._known: dict[str, tuple[str, str, str]] = {}  # notice -> (itself, localized, the line's template)

    def append(self, text: str) -> None:
        self._file.write(localized(text).replace("\n", " ") + "\n")
        self.count += 1

    def add(self, source: str, line: int, notice: str) -> None:
        """``append`` of "{source}:{line}: {notice}"."""
        self._file.write(self.text(source, line, notice))
        self.count += 1

    def extend(self, lines: list[str]) -> None:
        """Lines made by ``text`` (in another process)."""
        self._file.write("".join(lines))
        self.count += len(lines)

    def text(self, source: str, line: int, notice: str) -> str:
        """The spooled line of "{source}:{line}: {notice}", made without a ``Said`` each: the notice is
        localized once for as long as the same one comes again (the engine's notices are mostly the same few)."""
        known = self._known.get(notice)
        if known is None or known[0] is not notice:
            if len(self._known) > 64:
                self._known.clear()
            known = self._known[notice] = (notice, localized(notice), _(N_("{source}:{line}: {notice}")))
        try:
            text = known[2].format(source=source, line=line, notice=known[1])
        except (KeyError, IndexError, ValueError):  # a catalogue's placeholders do not fit: English, as localized
            text = f"{source}:{line}: {notice}"
        return text.replace("\n", " ") + "\n"

    def end_text(self, source: str, notice: str) -> str:
        """The spooled line of a notice at the end of the trace (``append`` of it)."""
        return localized(said(N_("{source}: end of trace: {notice}"), source=source, notice=notice)).replace(
            "\n", " ") + "\n"

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        self._file.seek(0)
        for line in self._file:
            yield line.rstrip("\n")


def replay(
    events: Iterable[TraceEvent],
    rules: Rules,
    storage: Storage,
    chooser: ExerciseChooser,
    source: str = "trace",
    batch: int = BATCH,
) -> Replay:
    """Feed every event to a session, committing about every ``batch`` row changes (bounded transactions).

    A commit the disk refuses stops the replay with a one-line DataError saying up to where it was written.
    """
    report = Replay()
    session: Session | None = None
    rows = BulkRows(storage)
    written = "the start"
    with held_writes(storage, chooser) as coach:
        for event in events:
            if session is None:
                session = Session(Engine(rules), storage, chooser, rows=rows)
                engine = session.engine
            method = PLAIN.get(event.event)
            effects = method(engine, event.at) if method is not None else _step(event, session)
            report.events += 1
            if effects:
                session.record(effects)
                _tally(report, effects, source, event.line)
                # without effects nothing was written: the count stays below ``batch``, as it was
                if storage.pending + rows.changes + (coach is not None and coach.held is not None) >= batch:
                    commit(storage, rows, coach, written)
                    written = f"line {event.line}"
            if event.event == "end":
                session = None
        if session is not None and session.engine.now is not None:
            last = session.engine.now
            _tally(report, session.run(lambda engine: engine.end(last)), source, None)
        commit(storage, rows, coach, written)
    return report


@contextmanager
def held_writes(storage: Storage, chooser: ExerciseChooser) -> Iterator[StoredCoach | None]:
    """A replay's writes held for its bounded commits: the storage writes only when asked, and a stored
    coach keeps its newest state until each commit (yielded; None for another chooser). Released, and the
    coach's last state written, however the replay ends."""
    coach = chooser if isinstance(chooser, StoredCoach) else None
    if coach is not None:
        coach.holding = True
    storage.autoflush = storage.queue.loud = False
    try:
        yield coach
    finally:
        storage.autoflush = storage.queue.loud = True
        if coach is not None:
            coach.holding = False
            coach.write_held()


def commit(storage: Storage, rows: BulkRows, coach: StoredCoach | None, written: str) -> None:
    if coach is not None:
        coach.write_held()
    storage.queue.add(rows.unit())
    if storage.flush(COMMIT_WAIT_S):
        return
    problem = storage.queue.error
    storage.discard_waiting()
    raise SaveError(_("{path}: {reason}; the replay is written up to {written}, nothing after it").format(
        path=storage.path, reason=explain(problem) if problem else _("cannot save"), written=written))


PLAIN: dict[str, Callable[[Engine, datetime], list[Effect]]] = {
    "active": Engine.active, "idle": Engine.idle, "lock": Engine.lock, "unlock": Engine.unlock,
    "suspend": Engine.suspend, "resume": Engine.resume, "unpause": Engine.unpause, "end": Engine.end,
}


def _step(event: TraceEvent, session: Session) -> list[Effect]:
    """An event other than the plain ones (``PLAIN``) applied to the session's engine."""
    if event.event == "finish":
        session.answers = event.answers
    return step_engine(event, session.engine)


def step_engine(event: TraceEvent, engine: Engine) -> list[Effect]:
    """An event other than the plain ones (``PLAIN``) applied to an engine."""
    at, kind = event.at, event.event
    if kind == "answer":
        return engine.answer(Action(event.action), at)
    if kind == "finish":
        return engine.finish(BreakResult(event.result), at)
    if kind == "pause":
        return engine.pause(event.until, at)
    if kind == "dnd":
        return engine.do_not_disturb(bool(event.on), at)
    raise KeyError(kind)


def _tally(report: Replay, effects: list[Effect], source: str, line: int | None) -> None:
    """Count bouts and outcomes; a Notice becomes a warning naming its line (None: the end of the trace)."""
    for effect in effects:
        kind = type(effect)
        if kind is BoutClosed:
            report.bouts += 1
            report.sitting_s += effect.length.total_seconds()  # type: ignore[union-attr]
        elif kind is PromptClosed:
            report.outcomes[effect.outcome.value] += 1  # type: ignore[union-attr]
        elif kind is Notice:
            text = effect.text  # type: ignore[union-attr]
            if line is not None:
                report.warnings.add(source, line, text)
            else:
                report.warnings.extend([report.warnings.end_text(source, text)])


class TraceDay:
    """The local date of the trace line being replayed, for the coach: rest days, the daily round of
    stretches and the two-week decay then follow the trace's calendar, not the day it is replayed on."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.at: datetime | None = None
        self._day: tuple[datetime, date] | None = None  # the last answer: asked for each prompt, twice
        self.fixed = date(1970, 1, 1)  # the date while ``at`` is None (a piped replay sets it for each line)

    def follow(self, events: Iterable[TraceEvent]) -> Iterator[TraceEvent]:
        for event in events:
            self.at = event.at
            yield event

    def __call__(self) -> date:
        at = self.at
        if at is None:
            return self.fixed
        if self._day is None or self._day[0] is not at:
            self._day = (at, at.astimezone(self.zone).date())
        return self._day[1]
