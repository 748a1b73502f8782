"""A small X11 client of our own: the connection, its setup, and request/reply/event/error framing.

The daemon's X11 adapters (idle time and SYNC alarms, the fullscreen check) need a dozen requests; this
speaks them with ``struct`` and a socket instead of loading python-xlib (~2.5 MB). Protocol:
https://www.x.org/releases/current/doc/xproto/x11protocol.html. The client declares little-endian byte
order, so the server sends every number (property data included) little-endian.

Requests are written at once (no output buffer); ``request`` waits for the reply with that sequence
number, queueing events that arrive first. ``poll_events`` reads what the socket holds without
blocking, so ``fileno()`` can sleep in ``select``. Not thread-safe: each user holds its own lock.
Every failure is an ``OSError``: :class:`XConnectionError` (no server, refused, gone, silent, malformed)
or :class:`XError` (the server's error for one request), each with a one-line message.
"""

from __future__ import annotations

import os
import select
import socket
import struct
from collections import deque
from dataclasses import dataclass
from typing import Any

from breaker.adapters import xaddr
from breaker.adapters.xaddr import XConnectionError

REPLY, ERROR, GENERIC_EVENT = 1, 0, 35
INTERN_ATOM, GET_PROPERTY, QUERY_EXTENSION = 16, 20, 98
ERRORS = ("", "BadRequest", "BadValue", "BadWindow", "BadPixmap", "BadAtom", "BadCursor", "BadFont", "BadMatch",
          "BadDrawable", "BadAccess", "BadAlloc", "BadColor", "BadGC", "BadIDChoice", "BadName", "BadLength",
          "BadImplementation")


class XError(OSError):
    """The X server's error for one request."""

    def __init__(self, message: bytes) -> None:
        self.code, self.sequence, self.value, self.minor, self.major = struct.unpack_from("<xBHIHB", message)
        name = ERRORS[self.code] if self.code < len(ERRORS) else f"error {self.code}"
        super().__init__(f"X error {name} (value {self.value:#x}) in request {self.major}.{self.minor}")


@dataclass(frozen=True)
class Screen:
    root: int
    width: int
    height: int
    depth: int


def pad(data: bytes) -> bytes:
    """``data`` padded with zeros to a multiple of four bytes."""
    return data + b"\0" * (-len(data) % 4)


class Connection:
    """One connection to an X display (default ``$DISPLAY``)."""

    def __init__(self, name: str | None = None, timeout: float = 5.0) -> None:
        name = name or os.environ.get("DISPLAY", "")
        if not name:
            raise XConnectionError("DISPLAY is not set")
        self.name, self.timeout = name, timeout
        address = xaddr.parse(name)
        self._sock, family, host = xaddr.connect(address, timeout)
        self._buf = bytearray()
        self._events: deque[bytes] = deque()
        self._sequence = self._ids = 0
        self._extensions: dict[str, tuple[int, int, int] | None] = {}
        self.errors: deque[XError] = deque(maxlen=8)  # errors of requests nobody waited for (last few)
        try:
            self._setup(*xaddr.cookie(family, host, address.number), address.screen)
            self._sock.settimeout(None)  # blocking; reads wait in select with a deadline instead
        except BaseException:
            self._sock.close()
            raise

    def _setup(self, auth_name: bytes, auth_data: bytes, screen: int) -> None:
        self._send(struct.pack("<BxHHHH2x", 0x6C, 11, 0, len(auth_name), len(auth_data))
                   + pad(auth_name) + pad(auth_data))
        head = self._read(8)
        status, reason_size, major, _minor, length = struct.unpack("<BBHHH", head)
        body = self._read(4 * length) if status in (0, 1, 2) else b""
        if status in (0, 2):
            reason = body[:reason_size] if status == 0 else body
            words = reason.rstrip(b"\0").decode("latin-1").strip().replace("\n", " ") or "no reason given"
            raise XConnectionError(f"the X server refused the connection: {words}")
        if status != 1 or major != 11:
            raise XConnectionError(f"malformed setup reply from the X server (status {status}, version {major})")
        try:
            self.screen = self._parse_setup(body, screen)
        except struct.error:
            raise XConnectionError("malformed setup reply from the X server (too short)") from None

    def _parse_setup(self, body: bytes, index: int) -> Screen:
        _release, self._id_base, self._id_mask, _motion, vendor, _max, screens, formats = \
            struct.unpack_from("<IIIIHHBB", body)
        if index >= screens:
            raise XConnectionError(f"the X display has no screen {index}")
        offset = 32 + len(pad(b"\0" * vendor)) + 8 * formats
        for number in range(screens):
            root, *_, width, height, _wmm, _hmm, _min, _max, _visual, _bs, _su, depth, depths = \
                struct.unpack_from("<IIIIIHHHHHHIBBBB", body, offset)
            if number == index:
                return Screen(root, width, height, depth)
            offset += 40
            for _ in range(depths):
                offset += 8 + 24 * struct.unpack_from("<xxH", body, offset)[0]
        raise AssertionError("unreachable")

    @property
    def root(self) -> int:
        return self.screen.root

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        self._sock.close()

    def allocate_id(self) -> int:
        """A new resource id from the range the server gave this client."""
        self._ids += 1
        shift = max(0, (self._id_mask & -self._id_mask).bit_length() - 1)
        if not self._id_mask or (self._ids << shift) & ~self._id_mask:
            raise XConnectionError("no resource ids left on this X connection")
        return self._id_base | (self._ids << shift)

    def send(self, opcode: int, data: int = 0, body: bytes = b"") -> int:
        """Write one request now; its 16-bit sequence number."""
        body = pad(body)
        self._send(struct.pack("<BBH", opcode, data, 1 + len(body) // 4) + body)
        self._sequence += 1
        return self._sequence & 0xFFFF

    def request(self, opcode: int, data: int = 0, body: bytes = b"") -> bytes:
        """Write one request and return its whole reply; XError if the server refuses it."""
        sequence = self.send(opcode, data, body)
        while True:
            message = self._message(block=True)
            assert message is not None
            if message[0] == REPLY and _sequence(message) == sequence:
                return message
            if message[0] == ERROR:
                if _sequence(message) == sequence:
                    raise XError(message)
                self.errors.append(XError(message))
            elif message[0] != REPLY:
                self._events.append(message)

    def poll_events(self) -> list[bytes]:
        """Every event that has arrived (32 bytes each, more for generic events), without blocking."""
        while (message := self._message(block=False)) is not None:
            if message[0] == ERROR:
                self.errors.append(XError(message))
            elif message[0] != REPLY:
                self._events.append(message)
        events, self._events = list(self._events), deque()
        return events

    @property
    def queued(self) -> bool:
        """Events already read from the socket (``select`` on the fd would not wake for them)."""
        return bool(self._events)

    def _message(self, block: bool) -> bytes | None:
        while True:
            if len(self._buf) >= 32:
                size = 32
                if self._buf[0] == REPLY or self._buf[0] & 0x7F == GENERIC_EVENT:
                    size += 4 * int.from_bytes(self._buf[4:8], "little")
                if len(self._buf) >= size:
                    message = bytes(self._buf[:size])
                    del self._buf[:size]
                    return message
            if not self._receive(block):
                return None

    def _receive(self, block: bool) -> bool:
        """Read what the socket holds (waiting up to ``timeout`` when ``block``); False if nothing came."""
        try:
            if block and not select.select([self._sock], [], [], self.timeout)[0]:
                raise XConnectionError(f"the X server did not answer within {self.timeout:g} s")
            chunk = self._sock.recv(1 << 16, 0 if block else socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return False
        except XConnectionError:
            raise
        except OSError as exc:
            raise XConnectionError(f"the X connection failed: {exc.strerror or exc}") from None
        if not chunk:
            raise XConnectionError("the X server closed the connection")
        self._buf += chunk
        return True

    def _read(self, size: int) -> bytes:
        while len(self._buf) < size:
            self._receive(block=True)
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data

    def _send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise XConnectionError(f"the X connection failed: {exc.strerror or exc}") from None

    def intern_atom(self, name: str, only_if_exists: bool = False) -> int:
        """The atom named ``name`` (a core request, like the two below, that the adapters share)."""
        encoded = name.encode("latin-1")
        reply = self.request(INTERN_ATOM, only_if_exists, struct.pack("<H2x", len(encoded)) + encoded)
        return int(unpack("<I", reply, 8)[0])

    def get_property(self, window: int, prop: int, kind: int = 0, longs: int = 1 << 16) -> tuple[int, int, bytes] | None:
        """(type, format, value) of a window's property, None when it has none."""
        reply = self.request(GET_PROPERTY, 0, struct.pack("<IIIII", window, prop, kind, 0, longs))
        fmt = reply[1]
        got, _after, count = unpack("<III", reply, 8)
        if got == 0:
            return None
        value = reply[32:32 + count * max(fmt, 8) // 8]
        if len(value) != count * max(fmt, 8) // 8:
            raise XConnectionError("malformed property reply from the X server")
        return got, fmt, value

    def extension(self, name: str) -> tuple[int, int, int] | None:
        """(major opcode, first event, first error) of an extension, None if the server lacks it."""
        if name not in self._extensions:
            encoded = name.encode("latin-1")
            reply = self.request(QUERY_EXTENSION, 0, struct.pack("<H2x", len(encoded)) + encoded)
            present, major, event, error = unpack("<BBBB", reply, 8)
            self._extensions[name] = (major, event, error) if present else None
        return self._extensions[name]


def _sequence(message: bytes) -> int:
    return int.from_bytes(message[2:4], "little")


def unpack(fmt: str, data: bytes, offset: int = 0) -> tuple[Any, ...]:
    """``struct.unpack_from``, a short message being the server's fault: XConnectionError."""
    try:
        return struct.unpack_from(fmt, data, offset)
    except struct.error:
        raise XConnectionError("malformed reply from the X server (too short)") from None
