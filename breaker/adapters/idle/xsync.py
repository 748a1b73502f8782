"""The few requests of the X SYNC extension that an idle watch needs, on our own X client (xwire).

The server's ``IDLETIME`` system counter holds the milliseconds since the last input. An alarm on it
with a comparison test makes the server send one ``AlarmNotify`` when the test becomes true (at once if
it already is), so a client learns "input stopped N ms ago" and "input came back" without asking.
Protocol: https://www.x.org/releases/current/doc/xextproto/sync.html (opcodes from syncproto.h).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from breaker.adapters.xwire import Connection, unpack

EXTENSION = "SYNC"
POSITIVE_COMPARISON, NEGATIVE_COMPARISON = 2, 3  # fire while counter >= value / counter <= value
_ALARM_NOTIFY = 1  # event offset from the extension's first event
_INITIALIZE, _LIST_SYSTEM_COUNTERS, _QUERY_COUNTER, _CREATE_ALARM, _CHANGE_ALARM, _DESTROY_ALARM = 0, 1, 5, 8, 9, 11
# CreateAlarm/ChangeAlarm value mask: counter, value type, value, test type, delta, events
_MASK = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20


@dataclass(frozen=True)
class AlarmNotify:
    alarm: int
    counter_ms: int  # the counter's value when the alarm fired


def _split(value: int) -> tuple[int, int]:
    return value >> 32, value & 0xFFFFFFFF


class IdleCounter:
    """The ``IDLETIME`` counter of one display, and alarms on it."""

    def __init__(self, display: Connection) -> None:
        info = display.extension(EXTENSION)
        if info is None:
            raise LookupError("the X server has no SYNC extension")
        self.display, self.opcode = display, info[0]
        self.alarm_event = info[1] + _ALARM_NOTIFY
        display.request(self.opcode, _INITIALIZE, struct.pack("<BB2x", 3, 1))
        self.counter = self._find("IDLETIME")

    def _find(self, name: str) -> int:
        reply = self.display.request(self.opcode, _LIST_SYSTEM_COUNTERS)
        (count,) = unpack("<I", reply, 8)
        data, offset = reply[32:], 0
        for _ in range(count):
            counter, _res_hi, _res_lo, size = unpack("<IiIH", data, offset)
            found = data[offset + 14: offset + 14 + size].decode("latin-1")
            if found == name:
                return int(counter)
            offset += (14 + size + 3) & ~3
        raise LookupError(f"the X server's SYNC extension has no {name} counter")

    def value_ms(self) -> int:
        hi, lo = unpack("<iI", self.display.request(self.opcode, _QUERY_COUNTER, struct.pack("<I", self.counter)), 8)
        return (hi << 32) | lo

    def set_alarm(self, alarm: int | None, test: int, value_ms: int) -> int:
        """Create (``alarm`` None) or re-arm an alarm that fires once when ``test`` holds for ``value_ms``."""
        alarm_id = self.display.allocate_id() if alarm is None else alarm
        hi, lo = _split(max(0, value_ms))
        # value type 0 (absolute); delta 0: a comparison alarm fires once, then rests; events on
        body = struct.pack("<IIIIiIIiII", alarm_id, _MASK, self.counter, 0, hi, lo, test, 0, 0, 1)
        self.display.send(self.opcode, _CREATE_ALARM if alarm is None else _CHANGE_ALARM, body)
        return alarm_id

    def destroy_alarm(self, alarm: int) -> None:
        self.display.send(self.opcode, _DESTROY_ALARM, struct.pack("<I", alarm))

    def alarm_notify(self, event: bytes) -> AlarmNotify | None:
        """The event as an ``AlarmNotify``, None for any other event."""
        if event[0] & 0x7F != self.alarm_event:
            return None
        alarm, hi, lo = unpack("<IiI", event, 4)
        return AlarmNotify(alarm, (hi << 32) | lo)
