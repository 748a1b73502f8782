"""The trace reader's fast path for the usual line shapes gives what json.loads gives, errors included."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from breaker.core.errors import DataError
from breaker.replay.trace import _PLAIN_LINE, _parse, _parse_json, parse_lines

TIMES = st.one_of(
    st.just("2026-11-30T09:00:00+01:00"), st.just("2026-11-30T09:00:00Z"), st.just("2026-11-30T09:00:00"),
    st.just("1970-01-01T00:00:00+01:00"), st.just("2999-12-31T23:59:59-01:00"), st.just("NaN"),
    st.text(alphabet=st.sampled_from('0123456789-:T+Z." \\\x00\x1f\x7fé\u2028'), max_size=30),
)
EVENTS = st.sampled_from(["active", "idle", "lock", "unlock", "suspend", "resume", "unpause", "end", "answer",
                          "finish", "pause", "dnd", "jump", "Active", "idle ", ""])
GAPS = st.sampled_from(["", " ", "\n", "\r\n", "\t", "  \n", "\x0b", "\u00a0"])


def outcome(parse, text: str) -> object:  # type: ignore[no-untyped-def]
    try:
        return parse(text, "t.jsonl", 3)
    except DataError as err:
        return f"error: {err}"


@settings(max_examples=600, deadline=None)
@given(at=TIMES, event=EVENTS, action=st.sampled_from([None, "start", "skip", "later", 1]), tail=GAPS, head=GAPS,
       raw=st.booleans())
def test_fast_path_matches_json(at: str, event: str, action: object, tail: str, head: str, raw: bool) -> None:
    line = {"at": at, "event": event} if action is None else {"at": at, "event": event, "action": action}
    body = json.dumps(line, ensure_ascii=not raw)
    if raw:  # the string as written, control characters and quotes unescaped: often not JSON at all
        body = body.replace(json.dumps(at, ensure_ascii=False), f'"{at}"')
    text = head + body + tail
    assert outcome(_parse, text) == outcome(_parse_json, text)


def test_fast_path_is_taken_for_the_usual_lines() -> None:
    """The fast path does run (the comparison above would pass without it)."""
    text = '{"at": "2026-11-30T09:00:00+01:00", "event": "active"}\n'
    assert _PLAIN_LINE.fullmatch(text) is not None
    assert _parse(text, "t", 1) == _parse_json(text, "t", 1)
    assert _PLAIN_LINE.fullmatch('{"at": "2026-11-30T09:00:00\\u002b01:00", "event": "active"}') is None


def test_errors_keep_their_line_numbers() -> None:
    for text, message in [('{"at": "2026-11-30T09:00:00", "event": "idle"}\n', "t:7: \"at\": "),
                          ('{"at": "", "event": "end"}', 't:7: "at": "" is not an ISO-8601 time'),
                          ('{"at": "2026-11-30T09:00:00Z", "event": "answer", "action": "later"}', "t:7: \"action\"")]:
        try:
            _parse(text, "t", 7)
        except DataError as err:
            assert str(err).startswith(message), err
        else:
            raise AssertionError(text)


def read(text: str) -> object:
    """What the reading loop (its own fast path inlined) makes of one line, errors included."""
    try:
        return list(parse_lines([text], "t.jsonl"))
    except DataError as err:
        return f"error: {err}"


def decoded(text: str) -> object:
    """The same line through json.loads, ``at`` in UTC as the reading loop gives it."""
    if text.isspace() or not text:
        return []
    try:
        event = _parse_json(text, "t.jsonl", 1)
    except DataError as err:
        return f"error: {err}"
    return [event._replace(at=event.at.astimezone(UTC))]


@settings(max_examples=600, deadline=None)
@given(at=TIMES, event=EVENTS, tail=GAPS, head=GAPS)
def test_reading_loop_matches_json(at: str, event: str, tail: str, head: str) -> None:
    text = head + json.dumps({"at": at, "event": event}) + tail
    got = read(text)
    assert got == decoded(text)
    if isinstance(got, list) and got:
        assert got[0].at.tzinfo is UTC


def test_an_earlier_time_is_named_as_written() -> None:
    lines = ['{"at": "2026-11-30T09:00:00+01:00", "event": "active"}\n',
             '{"at": "2026-11-30T08:59:00+01:00", "event": "idle"}\n']
    try:
        list(parse_lines(lines, "t.jsonl"))
    except DataError as err:
        assert str(err) == "t.jsonl:2: time 2026-11-30T08:59:00+01:00 is earlier than the line before"
    else:
        raise AssertionError("an earlier time was accepted")
