"""The reading half of a piped replay (``pipeline``): a child process that parses the trace, runs the
engine and sends each line's effects to its parent as plain tuples, in batches through a pipe.

A message is a 4-byte length and ``marshal`` of (kind, data): ``BATCH`` (records, warnings), then ``DONE``
(the summary) or ``ERROR`` (a bad line's one-line error) or ``CRASH`` (a defect's traceback). A record is
(line, the local day's ordinal, items); an item is a tuple whose first field says what it is (``AWAY``, ...),
its times the UTC seconds the rows store.
"""

from __future__ import annotations

import marshal
import os
import signal
import struct
import traceback
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import IO, Any

from breaker.core.engine import Engine
from breaker.core.errors import DataError
from breaker.core.models import (
    AwayClosed,
    BoutClosed,
    BreakFinished,
    BreakStarted,
    Notice,
    PromptClosed,
    PromptShown,
    Rules,
)
from breaker.replay.simulate import PLAIN, TraceDay, WarningSpool, step_engine
from breaker.replay.trace import iter_trace

LINES_PER_MESSAGE = 2_000  # records (lines with effects) per message through the pipe
FIRST_MESSAGE = 50  # the first ones smaller: the parent starts recording soon
HEAD = struct.Struct("<I")
BATCH, DONE, ERROR, CRASH = range(4)
# what an item of a record is (its first field)
AWAY, BOUT, SHOWN, CLOSED, STARTED, FINISHED, ANSWERS, END = range(8)


def run(path: Path, rules: Rules, day: TraceDay, source: str, fd: int) -> None:
    """The reading process: parse, run the engine, send records; ends with ``os._exit`` in every case."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops, then kills this process
    code = 1
    try:
        out = os.fdopen(fd, "wb", buffering=1 << 16)
        reader = Reader(rules, day.zone, source)
        try:
            for message in reader.read(path):
                send(out, BATCH, message)
            send(out, DONE, reader.summary())
            code = 0
        except DataError as err:  # a bad line: the parent raises it after recording the lines before it
            send(out, ERROR, str(err))
            code = 0
        except Exception:  # a defect: the parent raises it with this traceback
            send(out, CRASH, traceback.format_exc())
        out.flush()
    except BaseException:  # the parent is gone (a broken pipe): nothing to tell
        pass
    finally:
        os._exit(code)


def send(out: IO[bytes], kind: int, data: object) -> None:
    body = marshal.dumps((kind, data))
    out.write(HEAD.pack(len(body)))
    out.write(body)


class Reader:
    """The child's half: each line through the engine; effects as items, the summary and warnings counted."""

    def __init__(self, rules: Rules, zone: tzinfo | None, source: str) -> None:
        self.rules, self.zone, self.source = rules, zone, source
        self.events = self.bouts = 0
        self.sitting_s = 0.0
        self.outcomes: dict[str, int] = {}
        self.spool = WarningSpool()  # its line format only

    def summary(self) -> tuple[int, int, float, dict[str, int]]:
        return self.events, self.bouts, self.sitting_s, self.outcomes

    def read(self, path: Path) -> Iterator[tuple[list[Any], list[str]]]:
        """(records, warnings) in batches; a record is (line, local day ordinal, items), made for each line
        with effects (and each ``finish`` and ``end``)."""
        records: list[Any] = []
        warnings: list[str] = []
        engine: Engine | None = None
        plain, zone, encode, events, size = PLAIN.get, self.zone, self._encode, 0, FIRST_MESSAGE
        at = None
        for event in iter_trace(path):
            at, kind = event.at, event.event
            if engine is None:
                engine = Engine(self.rules)
            method = plain(kind)
            effects = method(engine, at) if method is not None else step_engine(event, engine)
            events += 1
            if effects:
                items = encode(effects, event.line, warnings)
                if kind == "finish":
                    items.insert(0, (ANSWERS, event.answers))
            elif kind == "finish":
                items = [(ANSWERS, event.answers)]
            elif kind != "end":
                continue
            else:
                items = []
            if kind == "end":
                items.append((END,))
                engine = None
            # the coach's day, unless the line only closed a bout or an away time (no coach then)
            if len(items) == 1 and items[0][0] <= BOUT:
                records.append((event.line, None, items))
            else:
                records.append((event.line, at.astimezone(zone).toordinal(), items))
            if len(records) >= size:
                yield records, warnings
                records, warnings, size = [], [], min(2 * size, LINES_PER_MESSAGE)
        self.events = events
        if engine is not None and engine.now is not None and at is not None:
            records.append((None, at.astimezone(zone).toordinal(), self._encode(engine.end(engine.now), None, warnings)))
        yield records, warnings

    def _encode(self, effects: list[Any], line: int | None, warnings: list[str]) -> list[tuple[Any, ...]]:
        """Effects as the tuples ``_Recorder`` reads (times as the rows store them); counts and warnings."""
        items: list[tuple[Any, ...]] = []
        add = items.append
        for effect in effects:
            kind = type(effect)
            if kind is AwayClosed:
                add((AWAY, effect.start.timestamp(), effect.end.timestamp(), effect.cause._value_))
            elif kind is PromptShown:
                add((SHOWN, effect.number, effect.at.timestamp(), effect.bout_start.timestamp()))
            elif kind is PromptClosed:
                outcome = effect.outcome._value_
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
                answered = effect.answered_at
                add((CLOSED, effect.number, outcome, None if answered is None else answered.timestamp(),
                     effect.at.timestamp()))
            elif kind is BoutClosed:
                start, end = effect.start, effect.end
                self.bouts += 1
                self.sitting_s += (end - start).total_seconds()  # ``BoutClosed.length``, as ``_tally`` counts
                add((BOUT, start.timestamp(), end.timestamp()))
            elif kind is Notice:
                warnings.append(self.spool.text(self.source, line, effect.text) if line is not None
                                else self.spool.end_text(self.source, effect.text))
            elif kind is BreakStarted:
                add((STARTED, effect.at.timestamp(), effect.prompt))
            elif kind is BreakFinished:
                add((FINISHED, effect.at.timestamp(), effect.result.value))
        return items
