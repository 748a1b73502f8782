"""``replay`` over two processes: a child reads the trace and runs the engine, this process records.

The engine needs nothing back from the recording (the coach's choice and the rows do not change what it
does next), so the work splits in two about equal halves: the child parses each line, runs the engine
and counts the summary and warnings; the parent chooses exercises, makes rows and commits them. Effects
cross a pipe as plain tuples (``marshal``), times as the UTC seconds the rows store, in batches; the pipe
holds a few batches, so memory stays bounded. The parent records everything in trace order, commits where
``replay`` commits and raises a bad line's error after the lines before it, exactly as ``replay`` does.
The child ignores Ctrl-C and ends when the pipe closes; the parent kills and reaps it whatever happens.
"""

from __future__ import annotations

import json
import marshal
import os
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from breaker.core.errors import DataError
from breaker.core.i18n import _
from breaker.core.models import Rules
from breaker.replay import pipereader
from breaker.replay.pipereader import ANSWERS, AWAY, BOUT, CLOSED, END, FINISHED, SHOWN, STARTED
from breaker.replay.simulate import BATCH, Replay, TraceDay, commit, held_writes, replay
from breaker.replay.trace import iter_trace
from breaker.store.bulk import BulkRows
from breaker.store.session import ExerciseChooser
from breaker.store.storage import Storage

PIPE_BYTES = 1 << 20
MIN_BYTES = 256 * 1024  # smaller traces are replayed in one process: a second one would not pay (measured)


def piped(path: Path) -> bool:
    """Whether ``replay_piped`` should replay ``path``: a second core, fork, and a trace big enough.
    ``BREAKER_SIMULATE_PIPE=1`` asks for it whenever fork exists, ``0`` never (tests and benchmarks)."""
    wanted = os.environ.get("BREAKER_SIMULATE_PIPE", "")
    if not hasattr(os, "fork") or wanted == "0":
        return False
    if wanted == "1":
        return True
    try:
        return _cores() > 1 and path.stat().st_size >= MIN_BYTES
    except OSError:
        return False  # the one-process path says what is wrong with the file


def _cores() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def replay_piped(path: Path, rules: Rules, storage: Storage, chooser: ExerciseChooser, day: TraceDay,
                 source: str, batch: int = BATCH) -> Replay:
    """``replay(day.follow(iter_trace(path)), ...)`` with the reading and the engine in a child process."""
    read_fd, write_fd = os.pipe()
    try:  # room for several batches: the reader goes on while this process commits
        import fcntl

        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or more than this system allows: the usual 64 KB
    try:
        pid = os.fork()
    except OSError:  # no process to spare: one process does it all
        os.close(read_fd)
        os.close(write_fd)
        return replay(day.follow(iter_trace(path)), rules, storage, chooser, source, batch)
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        pipereader.run(path, rules, day, source, write_fd)
    os.close(write_fd)
    child = _Child(pid)
    try:
        with os.fdopen(read_fd, "rb", buffering=1 << 16) as pipe:
            return _record(child.messages(pipe, source), rules, storage, chooser, day, batch)
    finally:
        child.stop()


class _Child:
    """The reading process, seen from the parent."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.status: int | None = None

    def messages(self, pipe: IO[bytes], source: str) -> Iterator[tuple[int, Any]]:
        while True:
            head = pipe.read(pipereader.HEAD.size)
            size = pipereader.HEAD.unpack(head)[0] if len(head) == pipereader.HEAD.size else 0
            body = pipe.read(size) if size else b""
            if not size or len(body) != size:  # the pipe closed before a whole message: the child is gone
                raise DataError(self._gone(source))
            kind, data = marshal.loads(body)
            if kind == pipereader.ERROR:
                raise DataError(data)
            if kind == pipereader.CRASH:
                raise RuntimeError(data)
            yield kind, data

    def _gone(self, source: str) -> str:
        """The one line for a child that ended without its last message (reaped here)."""
        status = self._reap()
        if os.WIFSIGNALED(status):
            return _("{source}: the process reading the trace was killed by signal {number}; nothing was "
                     "written").format(source=source, number=os.WTERMSIG(status))
        return _("{source}: the process reading the trace ended early (exit code {code}); nothing was "
                 "written").format(source=source, code=os.waitstatus_to_exitcode(status))

    def _reap(self) -> int:
        if self.status is None:
            try:
                self.status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:  # reaped by someone else already
                self.status = 0
        return self.status

    def stop(self) -> None:
        """Kill the child if it still runs, and reap it (no zombie, no orphan)."""
        if self.status is not None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._reap()


def _record(messages: Iterator[tuple[int, Any]], rules: Rules, storage: Storage, chooser: ExerciseChooser,
            day: TraceDay, batch: int) -> Replay:
    """The parent's half: each record's items become rows (what ``Session.record`` does, from tuples)."""
    report = Replay()
    rows = BulkRows(storage)
    play = _Recorder(rows, chooser, rules.sit_limit.total_seconds())
    written, today = "the start", None
    with held_writes(storage, chooser) as coach:
        for kind, data in messages:
            if kind == pipereader.DONE:
                report.events, report.bouts, report.sitting_s, outcomes = data
                report.outcomes.update(outcomes)
                break
            records, warnings = data
            report.warnings.extend(warnings)
            for line, ordinal, items in records:
                if ordinal != today and ordinal is not None:
                    day.fixed, today = date.fromordinal(ordinal), ordinal
                if line is None:  # the end of the trace: ``Session.run``'s unit
                    with storage.transaction():
                        play(items)
                    continue
                play(items)
                if storage.pending + rows.changes + (coach is not None and coach.held is not None) >= batch:
                    commit(storage, rows, coach, written)
                    written = f"line {line}"
        commit(storage, rows, coach, written)
    return report


class _Recorder:
    """``Session``'s bookkeeping for one replay: open prompts, the running break, its answers."""

    def __init__(self, rows: BulkRows, chooser: ExerciseChooser, sit_limit_s: float) -> None:
        self.rows, self.chooser, self.sit_limit_s = rows, chooser, sit_limit_s
        self.prompts: dict[int, tuple[int, str, int | None]] = {}  # engine number -> (row, exercise, level)
        self.running: tuple[int, str, int | None] | None = None
        self.answers: dict[str, Any] | None = None

    def __call__(self, items: tuple[tuple[Any, ...], ...]) -> None:
        rows = self.rows
        for item in items:
            tag = item[0]
            if tag == CLOSED:
                closed = self.prompts.pop(item[1], None)
                if closed is not None:
                    outcome = item[2]
                    rows.close_prompt_ts(closed[0], outcome, item[3], item[4])
                    if outcome in ("skipped", "dismissed", "ignored"):
                        self.chooser.learn(closed[1], closed[2], outcome, None)
            elif tag == SHOWN:
                exercise, level = self.chooser.choose()
                self.prompts[item[1]] = (rows.add_prompt_ts(item[2], item[3], exercise, level), exercise, level)
            elif tag == AWAY:
                rows.add_away_ts(item[1], item[2], item[3])
            elif tag == BOUT:
                rows.add_bout_ts(item[1], item[2], self.sit_limit_s)
            elif tag == STARTED:
                self._start(item[1], item[2])
            elif tag == FINISHED:
                self._finish(item[1], item[2])
            elif tag == ANSWERS:
                self.answers = item[1]
            elif tag == END:  # a fresh ``Session``
                self.prompts, self.running, self.answers = {}, None, None

    def _start(self, at: float, prompt: int | None) -> None:
        rows = self.rows
        source = self.prompts.get(prompt) if prompt is not None else None
        if source is not None:
            prompt_id, exercise, level = source
            rows.answer_prompt_ts(prompt_id, at)
        else:
            (exercise, level), prompt_id = self.chooser.choose(), None
        row = rows.add_break_ts(prompt_id, exercise, level, at)
        self.running, self.answers = (row, exercise, level), None

    def _finish(self, at: float, result: str) -> None:
        if self.running is None:
            return
        (row, exercise, level), self.running = self.running, None
        answers = json.dumps(self.answers, sort_keys=True) if self.answers else None
        self.rows.finish_break_ts(row, at, result, answers)
        self.chooser.learn(exercise, level, result, self.answers)
        self.answers = None
