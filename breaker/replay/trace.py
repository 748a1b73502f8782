"""Activity traces (JSON lines, docs/architecture.md): parsing with one-line errors naming the line.

Extensions beyond the contract: ``finish`` may carry ``"answers": {...}`` (the self-check), and
``{"event": "pause", "until": ...}`` (``until`` optional), ``{"event": "unpause"}`` and
``{"event": "dnd", "on": true|false}`` drive pause and do-not-disturb.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from breaker.core.errors import DataError
from breaker.core.i18n import _

PLAIN_EVENTS = ("active", "idle", "lock", "unlock", "suspend", "resume", "unpause", "end")
ACTIONS = ("start", "snooze", "skip", "dismiss")
RESULTS = ("completed", "abandoned")
EVENTS = PLAIN_EVENTS + ("answer", "finish", "pause", "dnd")
INPUT_STOPS = ("idle", "lock", "suspend", "end")
MAX_CONTINUOUS_INPUT = timedelta(days=7)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


class TraceEvent(NamedTuple):
    """One line of a trace (a named tuple: a million of them are made in a replay)."""

    line: int
    at: datetime
    event: str
    action: str | None = None
    result: str | None = None
    answers: dict[str, Any] | None = None
    until: datetime | None = None
    on: bool | None = None


def read_trace(path: Path) -> list[TraceEvent]:
    """Parse a whole trace file (all of it is checked before anything is replayed)."""
    return list(iter_trace(path))


def iter_trace(path: Path) -> Iterator[TraceEvent]:
    """``read_trace`` one event at a time: a trace of any length in little memory."""
    try:
        with path.open(encoding="utf-8") as handle:
            yield from parse_lines(handle, str(path))
    except FileNotFoundError:
        raise DataError(_("{path}: trace file not found").format(path=path)) from None
    except UnicodeDecodeError:
        raise DataError(_("{path}: not a text file (expected JSON lines)").format(path=path)) from None
    except OSError as err:
        raise DataError(_("{path}: cannot read trace: {reason}").format(path=path, reason=err.strerror)) from None


def parse_lines(lines: Iterable[str], source: str = "trace") -> Iterator[TraceEvent]:
    """Parse JSON lines; blank lines are skipped; times must not go backwards. ``at`` comes out in UTC
    (the engine's time); ``until`` as written.

    Input that runs on without a pause for more than ``MAX_CONTINUOUS_INPUT`` is refused: no desk day
    looks like that, and it would ask for a re-prompt every few minutes across the whole stretch.
    """
    previous: datetime | None = None
    input_since: tuple[datetime, int] | None = None
    input_limit: datetime | None = None  # input_since's time + MAX_CONTINUOUS_INPUT
    plain, fromiso = _PLAIN_LINE.fullmatch, datetime.fromisoformat
    made = tuple.__new__  # TraceEvent(...) without its keyword-capable __new__: the fields all given
    for number, text in enumerate(lines, start=1):
        match = plain(text)  # the usual line, read here: two calls less for most lines
        if match is not None:
            value = match[1]
            try:
                written = fromiso(value)
            except ValueError:
                written = _time(value, source, number, "at")  # says what is wrong with it
            zone = written.tzinfo
            if zone is None or type(zone) is not timezone or not 1970 < written.year < 2999:
                written = _time(value, source, number, "at")  # the other checks: refused or the edge years
            at = written.astimezone(UTC)
            event = made(TraceEvent, (number, at, match[2], None, None, None, None, None))
        elif text.isspace() or not text:
            continue
        else:
            event = _parse(text, source, number)
            written = event.at
            at = written.astimezone(UTC)
            event = event._replace(at=at)
        if previous is not None and at < previous:
            raise DataError(_("{source}:{number}: time {time} is earlier than the line before").format(
                source=source, number=number, time=written.isoformat()))
        previous = at
        if input_limit is not None and at > input_limit:
            assert input_since is not None
            raise DataError(_("{source}:{number}: input has run without a pause since line {line} "
                              "(more than {days} days); add an idle line where it stopped").format(
                source=source, number=number, line=input_since[1], days=MAX_CONTINUOUS_INPUT.days))
        kind = event.event
        if kind == "active":
            if input_since is None:
                input_since, input_limit = (at, number), at + MAX_CONTINUOUS_INPUT
        elif kind in INPUT_STOPS:
            input_since = input_limit = None
        yield event


# The usual line shapes (as json.dumps writes them), read without the JSON decoder; anything else, even
# the same object spaced or escaped differently, goes through json.loads. A JSON string holds no raw
# control character, no quote and (here) no backslash: the captured text is the decoded string.
_STRING = r'"([^"\\\x00-\x1f]*)"'
_PLAIN_LINE = re.compile(r'\{"at": ' + _STRING + r', "event": "(' + "|".join(PLAIN_EVENTS) + r')"\}[ \t\n\r]*')
_ANSWER_LINE = re.compile(r'\{"at": ' + _STRING + r', "event": "answer", "action": "(' + "|".join(ACTIONS)
                          + r')"\}[ \t\n\r]*')


def _parse(text: str, source: str, number: int) -> TraceEvent:
    match = _PLAIN_LINE.fullmatch(text)
    if match is not None:
        return TraceEvent(number, _time(match[1], source, number, "at"), match[2])
    match = _ANSWER_LINE.fullmatch(text)
    if match is not None:
        return TraceEvent(number, _time(match[1], source, number, "at"), "answer", match[2])
    return _parse_json(text, source, number)


def _parse_json(text: str, source: str, number: int) -> TraceEvent:
    try:
        if text.startswith("\ufeff"):  # what json.loads says (the decoder itself would not say it)
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        obj = _decode(text)
    except _NotJsonNumber as err:
        raise DataError(_("{source}:{number}: {value} is not a JSON number (JSON has no NaN or Infinity)").format(
            source=source, number=number, value=err)) from None
    except json.JSONDecodeError as err:
        raise DataError(_("{source}:{number}: not valid JSON ({reason} at column {column})").format(
            source=source, number=number, reason=err.msg, column=err.colno)) from None
    except RecursionError:
        raise DataError(_("{source}:{number}: nested too deeply (a trace line is one flat JSON object)").format(
            source=source, number=number)) from None
    if type(obj) is not dict:
        raise DataError(_('{source}:{number}: expected a JSON object like {{"at": ..., "event": ...}}').format(
            source=source, number=number))
    kind = obj.get("event")
    if kind in PLAIN_EVENTS:  # most lines: no other field to read
        return TraceEvent(number, _time(obj.get("at"), source, number, "at"), kind)
    where = f"{source}:{number}"
    if kind not in EVENTS:
        raise DataError(_("{where}: unknown event {event} (known: {known})").format(
            where=where, event=json.dumps(kind), known=", ".join(EVENTS)))
    at = _time(obj.get("at"), source, number, "at")
    fields: dict[str, Any] = {}
    if kind == "answer":
        fields["action"] = _choice(obj, "action", ACTIONS, where)
    elif kind == "finish":
        fields["result"] = _choice(obj, "result", RESULTS, where)
        answers = obj.get("answers")
        if answers is not None and not isinstance(answers, dict):
            raise DataError(_('{where}: "answers" must be an object').format(where=where))
        fields["answers"] = answers
    elif kind == "pause":
        fields["until"] = None if obj.get("until") is None else _time(obj["until"], source, number, "until")
    elif kind == "dnd":
        if not isinstance(obj.get("on"), bool):
            raise DataError(_('{where}: "on" must be true or false').format(where=where))
        fields["on"] = obj["on"]
    return TraceEvent(number, at, kind, **fields)


class _NotJsonNumber(ValueError):
    pass


def _no_constant(name: str) -> object:
    """NaN and Infinity are not JSON (Python reads them; exported, JSON.parse would reject them)."""
    raise _NotJsonNumber(name)


_decode = json.JSONDecoder(parse_constant=_no_constant).decode  # one decoder for every line


def _time(value: object, source: str, number: int, key: str) -> datetime:
    if type(value) is not str:
        raise DataError(_('{source}:{number}: "{key}" must be an ISO-8601 time with a UTC offset').format(
            source=source, number=number, key=key))
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise DataError(_('{source}:{number}: "{key}": {value} is not an ISO-8601 time').format(
            source=source, number=number, key=key, value=json.dumps(value))) from None
    zone = at.tzinfo
    if zone is None or (type(zone) is not timezone and at.utcoffset() is None):
        raise DataError(_('{source}:{number}: "{key}": {value} has no UTC offset (add e.g. +01:00 or Z)').format(
            source=source, number=number, key=key, value=json.dumps(value)))
    # an offset is less than a day: only the first and the last year need the exact comparison
    if not (1970 < at.year < 2999 or EARLIEST <= at <= LATEST):
        raise DataError(_('{source}:{number}: "{key}": {value} is outside the years 1970 to 2999').format(
            source=source, number=number, key=key, value=json.dumps(value)))
    return at


def _choice(obj: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = obj.get(key)
    if value not in allowed:
        raise DataError(_('{where}: "{key}" must be one of {allowed}, not {value}').format(
            where=where, key=key, allowed=", ".join(allowed), value=json.dumps(value)))
    return str(value)
