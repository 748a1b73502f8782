"""Where an X display is and how to prove we may use it: the display name, the socket, the cookie.

Display names as Xlib and libxcb read them: ``:0``, ``:0.1``, ``unix:0``, ``host:0`` (TCP port 6000+n),
``tcp/host:0``. A local display is reached on Linux's abstract socket ``@/tmp/.X11-unix/X<n>`` first,
then on the path socket. The cookie (MIT-MAGIC-COOKIE-1) comes from ``$XAUTHORITY`` or
``~/.Xauthority``: the first entry whose family and address match the connection (or a wildcard entry)
and whose display number matches (or is empty). No entry: connect without authentication.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import struct
import sys
from dataclasses import dataclass

FAMILY_INTERNET, FAMILY_INTERNET6, FAMILY_LOCAL, FAMILY_WILD = 0, 6, 256, 0xFFFF
COOKIE = b"MIT-MAGIC-COOKIE-1"
_NAME = re.compile(r"^(?:(?P<proto>[A-Za-z]+)/)?(?P<host>[^:]*|\[[^\]]*\]):(?P<number>\d+)(?:\.(?P<screen>\d+))?$")


class XConnectionError(OSError):
    """The X server cannot be reached or used; the message is one line."""


@dataclass(frozen=True)
class Address:
    """A parsed display name."""

    host: str  # "" for a local display
    number: int
    screen: int
    tcp: bool


def parse(name: str) -> Address:
    """``name`` split into host, display number and screen; XConnectionError if it is not a display name."""
    match = _NAME.match(name)
    if match is None:
        raise XConnectionError(f"{name!r} is not an X display name (like :0 or host:0)")
    proto, host = (match["proto"] or "").lower(), match["host"].strip("[]")
    if proto not in ("", "unix", "tcp", "inet", "inet6"):
        raise XConnectionError(f"unknown X transport {proto!r} in {name!r}")
    local = proto == "unix" or (not proto and host in ("", "unix"))
    if local:
        host = ""
    elif not host:
        host = "localhost"
    return Address(host, int(match["number"]), int(match["screen"] or 0), not local)


def connect(address: Address, timeout: float) -> tuple[socket.socket, int, bytes]:
    """An open socket to the display, and the Xauthority family and address that name this connection."""
    if address.tcp:
        try:
            sock = socket.create_connection((address.host, 6000 + address.number), timeout=timeout)
        except OSError as exc:
            raise XConnectionError(f"cannot reach {address.host} port {6000 + address.number}: {_why(exc)}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return (sock, *_tcp_family(sock))
    path = f"/tmp/.X11-unix/X{address.number}"
    reasons = []
    for where in ([f"\0{path}"] if sys.platform.startswith("linux") else []) + [path]:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(where)
        except OSError as exc:
            sock.close()
            reasons.append(_why(exc))
            continue
        return sock, FAMILY_LOCAL, socket.gethostname().encode()
    raise XConnectionError(f"no X server listens on {path} ({reasons[-1]})")


def _tcp_family(sock: socket.socket) -> tuple[int, bytes]:
    """A loopback peer is named by this host's name (family local), as libxcb and Xlib do."""
    ip = ipaddress.ip_address(sock.getpeername()[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return FAMILY_LOCAL, socket.gethostname().encode()
    return (FAMILY_INTERNET if ip.version == 4 else FAMILY_INTERNET6), ip.packed


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def authority_path() -> str:
    return os.environ.get("XAUTHORITY") or os.path.join(os.path.expanduser("~"), ".Xauthority")


def entries(data: bytes) -> list[tuple[int, bytes, bytes, bytes, bytes]]:
    """(family, address, display number, auth name, auth data) of each whole entry of an Xauthority file."""
    found: list[tuple[int, bytes, bytes, bytes, bytes]] = []
    offset = 0
    try:
        while offset < len(data):
            (family,) = struct.unpack_from(">H", data, offset)
            offset += 2
            fields: list[bytes] = []
            for _ in range(4):
                (size,) = struct.unpack_from(">H", data, offset)
                if offset + 2 + size > len(data):
                    return found
                fields.append(data[offset + 2:offset + 2 + size])
                offset += 2 + size
            found.append((family, fields[0], fields[1], fields[2], fields[3]))
    except struct.error:  # a truncated file: its whole entries count
        pass
    return found


def cookie(family: int, address: bytes, number: int, path: str | None = None) -> tuple[bytes, bytes]:
    """The (name, data) to authenticate with, or (b"", b"") when no entry matches or there is no file."""
    try:
        with open(path or authority_path(), "rb") as file:
            data = file.read()
    except OSError:
        return b"", b""
    for fam, addr, num, name, value in entries(data):
        if fam != FAMILY_WILD and (fam != family or addr != address):
            continue
        if num and num != str(number).encode():
            continue
        if name == COOKIE:
            return name, value
    return b"", b""
