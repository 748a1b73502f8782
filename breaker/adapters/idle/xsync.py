"""The few requests of the X SYNC extension that an idle watch needs, for python-xlib (which lacks SYNC).

The server's ``IDLETIME`` system counter holds the milliseconds since the last input. An alarm on it
with a comparison test makes the server send one ``AlarmNotify`` when the test becomes true (at once if
it already is), so a client learns "input stopped N ms ago" and "input came back" without asking.
Protocol: https://www.x.org/releases/current/doc/xextproto/sync.html (opcodes from syncproto.h).
"""

from __future__ import annotations

import struct
from typing import Any

from Xlib.protocol import rq

EXTENSION = "SYNC"
POSITIVE_COMPARISON, NEGATIVE_COMPARISON = 2, 3  # fire while counter >= value / counter <= value
_ALARM_NOTIFY = 1  # event offset from the extension's first event
# CreateAlarm/ChangeAlarm value mask: counter, value type, value, test type, delta, events
_MASK = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20


class _Initialize(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(0), rq.RequestLength(),
                         rq.Card8("major"), rq.Card8("minor"), rq.Pad(2))
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Card8("major"), rq.Card8("minor"), rq.Pad(22))


class _ListSystemCounters(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(1), rq.RequestLength())
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Card32("count"), rq.Pad(20), rq.String8("data"))


class _QueryCounter(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(5), rq.RequestLength(), rq.Card32("counter"))
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Int32("hi"), rq.Card32("lo"), rq.Pad(16))


class _SetAlarm(rq.Request):
    """CreateAlarm (8) and ChangeAlarm (9) share one layout: alarm id, value mask, values."""

    _request = rq.Struct(rq.Card8("opcode"), rq.Card8("minor"), rq.RequestLength(), rq.Card32("alarm"),
                         rq.Card32("mask"), rq.Card32("counter"), rq.Card32("value_type"),
                         rq.Int32("value_hi"), rq.Card32("value_lo"), rq.Card32("test"),
                         rq.Int32("delta_hi"), rq.Card32("delta_lo"), rq.Card32("events"))


class _DestroyAlarm(rq.Request):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(11), rq.RequestLength(), rq.Card32("alarm"))


class AlarmNotify(rq.Event):
    _code = None
    _fields = rq.Struct(rq.Card8("type"), rq.Card8("kind"), rq.Card16("sequence_number"),
                        rq.Card32("alarm"), rq.Int32("counter_hi"), rq.Card32("counter_lo"),
                        rq.Int32("value_hi"), rq.Card32("value_lo"), rq.Card32("time"),
                        rq.Card8("state"), rq.Pad(3))


def _split(value: int) -> tuple[int, int]:
    return value >> 32, value & 0xFFFFFFFF


class IdleCounter:
    """The ``IDLETIME`` counter of one display, and alarms on it."""

    def __init__(self, display: Any) -> None:
        info = display.query_extension(EXTENSION)
        if info is None or not info.present:
            raise LookupError("the X server has no SYNC extension")
        self.display, self.opcode = display, info.major_opcode
        self.alarm_event = info.first_event + _ALARM_NOTIFY
        display.extension_add_event(self.alarm_event, AlarmNotify)
        _Initialize(display=display.display, opcode=self.opcode, major=3, minor=1)
        self.counter = self._find("IDLETIME")

    def _find(self, name: str) -> int:
        reply = _ListSystemCounters(display=self.display.display, opcode=self.opcode)
        data = reply.data if isinstance(reply.data, bytes) else reply.data.encode("latin-1")
        offset = 0
        for _ in range(reply.count):
            counter, _res_hi, _res_lo, size = struct.unpack_from("=IiIH", data, offset)
            found = data[offset + 14: offset + 14 + size].decode("latin-1")
            if found == name:
                return int(counter)
            offset += (14 + size + 3) & ~3
        raise LookupError(f"the X server's SYNC extension has no {name} counter")

    def value_ms(self) -> int:
        reply = _QueryCounter(display=self.display.display, opcode=self.opcode, counter=self.counter)
        return (reply.hi << 32) | reply.lo

    def set_alarm(self, alarm: int | None, test: int, value_ms: int) -> int:
        """Create (``alarm`` None) or re-arm an alarm that fires once when ``test`` holds for ``value_ms``."""
        create = alarm is None
        alarm_id = self.display.display.allocate_resource_id() if create else alarm
        hi, lo = _split(max(0, value_ms))
        _SetAlarm(display=self.display.display, opcode=self.opcode, minor=8 if create else 9, alarm=alarm_id,
                  mask=_MASK, counter=self.counter, value_type=0, value_hi=hi, value_lo=lo, test=test,
                  delta_hi=0, delta_lo=0, events=1)  # delta 0: a comparison alarm fires once, then rests
        return int(alarm_id)

    def destroy_alarm(self, alarm: int) -> None:
        _DestroyAlarm(display=self.display.display, opcode=self.opcode, alarm=alarm)


def counter_value(event: Any) -> int:
    """The counter's value (ms) carried by an ``AlarmNotify``."""
    return (event.counter_hi << 32) | event.counter_lo
