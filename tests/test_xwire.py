"""Our own X11 client (adapters/xwire.py, xaddr.py) against real X servers and against servers that
misbehave: a cookie from an Xauthority file, TCP displays, a server killed mid-watch, junk and silence."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breaker.adapters import xaddr
from breaker.adapters.idle import x11
from breaker.adapters.ports import Unavailable
from breaker.adapters.x11conn import open_wire
from breaker.adapters.xwire import Connection, XConnectionError, XError
from tests.conftest import need
from tests.daemonkit import Daemon, Desktop, wait_until
from tests.desktop import SCREEN, XDisplay, stop_process


def start_xvfb(*args: str) -> tuple[subprocess.Popen[bytes], int]:
    """A private Xvfb with ``args`` (no reset when its last client leaves); the process and its display number."""
    need(shutil.which("Xvfb") is not None, "Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-noreset", *args],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    number = b""
    with os.fdopen(read_fd, "rb") as ready:
        while not number.endswith(b"\n"):
            chunk = ready.read(1)
            if not chunk:
                stop_process(server)
                raise RuntimeError("Xvfb exited before it reported its display number")
            number += chunk
    return server, int(number)


def xauth(path: Path, *args: str) -> None:
    need(shutil.which("xauth") is not None, "xauth is not installed (apt-get install xauth)")
    subprocess.run(["xauth", "-q", "-f", str(path), *args], check=True, capture_output=True, timeout=10)


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """An Xvfb that admits only holders of its cookie: (display number, the cookie in hex)."""
    cookie = secrets.token_hex(16)
    server_file = tmp_path / "server.auth"
    xauth(server_file, "add", ":0", ".", cookie)  # the server loads every cookie in its file
    server, number = start_xvfb("-auth", str(server_file), "-nolisten", "tcp")
    try:
        yield number, cookie
    finally:
        stop_process(server)


def test_the_cookie_from_xauthority_opens_the_display(guarded, tmp_path: Path, monkeypatch) -> None:
    number, cookie = guarded
    client_file = tmp_path / "client.auth"
    xauth(client_file, "add", f":{number}", ".", cookie)
    monkeypatch.setenv("XAUTHORITY", str(client_file))
    for name in (f":{number}", f":{number}.0", f"unix:{number}"):
        conn = Connection(name)
        try:
            assert conn.screen.width == 1280 and conn.screen.height == 800 and conn.root > 0
            assert conn.intern_atom("WM_NAME") == 39  # a predefined atom: a real round trip
        finally:
            conn.close()


def test_a_wrong_or_missing_cookie_is_refused_in_one_line(guarded, tmp_path: Path, monkeypatch) -> None:
    number, _ = guarded
    client_file = tmp_path / "client.auth"
    xauth(client_file, "add", f":{number}", ".", secrets.token_hex(16))
    monkeypatch.setenv("XAUTHORITY", str(client_file))
    with pytest.raises(XConnectionError, match="refused the connection") as wrong:
        Connection(f":{number}")
    assert "\n" not in str(wrong.value)
    monkeypatch.setenv("XAUTHORITY", str(tmp_path / "none"))
    with pytest.raises(Unavailable, match=f"cannot open X display :{number}: the X server refused") as missing:
        open_wire(f":{number}")
    assert "\n" not in str(missing.value)


def test_a_wildcard_entry_matches_any_host_and_an_empty_number_any_display(tmp_path: Path) -> None:
    def entry(family: int, address: bytes, number: bytes, data: bytes) -> bytes:
        fields = (address, number, xaddr.COOKIE, data)
        return struct.pack(">H", family) + b"".join(struct.pack(">H", len(f)) + f for f in fields)

    path = tmp_path / "Xauthority"
    path.write_bytes(entry(xaddr.FAMILY_LOCAL, b"elsewhere", b"3", b"A" * 16)
                     + entry(xaddr.FAMILY_WILD, b"", b"", b"B" * 16) + b"\x01\x00\x00")  # then a torn entry
    assert xaddr.cookie(xaddr.FAMILY_LOCAL, b"elsewhere", 3, str(path)) == (xaddr.COOKIE, b"A" * 16)
    assert xaddr.cookie(xaddr.FAMILY_LOCAL, b"here", 3, str(path)) == (xaddr.COOKIE, b"B" * 16)
    assert xaddr.cookie(xaddr.FAMILY_LOCAL, b"here", 3, str(tmp_path / "missing")) == (b"", b"")
    assert xaddr.parse("tcp/example.org:2.1") == xaddr.Address("example.org", 2, 1, True)
    assert xaddr.parse("unix:7") == xaddr.Address("", 7, 0, False)
    with pytest.raises(XConnectionError, match="not an X display name"):
        xaddr.parse("nonsense")


def test_a_tcp_display_answers_on_port_6000_plus_n() -> None:
    server, number = start_xvfb("-listen", "tcp", "-ac")
    try:
        conn = Connection(f"localhost:{number}")
        try:
            assert conn.screen.width == 1280
            assert x11.screen_saver_idle_ms(conn, x11.screen_saver(conn)) >= 0
        finally:
            conn.close()
    finally:
        stop_process(server)


class Changes:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, kind: str, idle_s: float) -> None:
        self.seen.append(kind)


def test_a_server_killed_mid_watch_stops_the_watch_and_readings_say_why() -> None:
    server, number = start_xvfb("-nolisten", "tcp")
    source = x11.open_source(f":{number}")
    try:
        changes = Changes()
        source.watch(0.3, changes)
        wait_until(lambda: changes.seen == ["idle"], 10, "the idle alarm")
        server.kill()
        server.wait()
        wait_until(lambda: not source.watch_alive, 10, "the watch to notice")
        with pytest.raises(Unavailable, match="x11: the X (server closed the connection|connection failed)") as why:
            source.seconds_idle()
        assert "\n" not in str(why.value)
    finally:
        source.close()
        stop_process(server)


def fake_server(reply: Callable[[socket.socket], None]) -> tuple[str, Callable[[], None]]:
    """A listener on an abstract X socket (a display number no real server uses) that answers with ``reply``."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(50):
        number = 40000 + secrets.randbelow(20000)
        try:
            listener.bind(f"\0/tmp/.X11-unix/X{number}")
            break
        except OSError:
            continue
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                peer, _ = listener.accept()
            except OSError:
                return
            try:
                reply(peer)
                stop.wait(5)  # then hold the connection open: silence, not a close
            except OSError:
                pass
            finally:
                peer.close()

    threading.Thread(target=serve, daemon=True).start()

    def done() -> None:
        stop.set()
        listener.close()

    return f":{number}", done


SETUP = struct.pack("<BxHHH", 1, 11, 0, 18) + struct.pack("<IIIIHHBBBBBBBB4x", 1, 0x400000, 0x1FFFFF, 0, 0, 0xFFFF,
                                                         1, 0, 0, 0, 32, 32, 8, 255) \
    + struct.pack("<IIIIIHHHHHHIBBBB", 0x1E7, 0x20, 0xFFFFFF, 0, 0, 640, 480, 100, 80, 1, 1, 0x21, 0, 0, 24, 0)


@pytest.mark.parametrize(("answer", "said"), [
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", "malformed setup reply"),
    (b"", "did not answer within 1 s"),  # silence
    (struct.pack("<BxHHH", 1, 11, 0, 500) + b"\0" * 40, "did not answer within 1 s"),  # a promised body never sent
    (struct.pack("<BBHHH", 0, 7, 11, 0, 2) + b"go away\0", "refused the connection: go away"),
    (struct.pack("<BxHHH", 1, 11, 0, 2) + b"\0" * 8, "malformed setup reply"),  # too short for its fields
])
def test_a_garbage_server_is_one_line_and_no_hang(answer: bytes, said: str) -> None:
    name, done = fake_server(lambda peer: (peer.recv(64), peer.sendall(answer)) and None)
    try:
        started = time.monotonic()
        with pytest.raises(XConnectionError, match=said) as why:
            Connection(name, timeout=1)
        assert time.monotonic() - started < 4 and "\n" not in str(why.value)
    finally:
        done()


def test_a_server_gone_mid_request_or_answering_junk_is_one_line() -> None:
    def setup_then_close(peer: socket.socket) -> None:
        peer.recv(64)
        peer.sendall(SETUP)
        peer.recv(64)  # the request, unanswered
        peer.close()

    def setup_then_junk(peer: socket.socket) -> None:
        peer.recv(64)
        peer.sendall(SETUP)
        peer.recv(64)
        peer.sendall(struct.pack("<BBHIIII12x", 1, 8, 1, 0, 31, 0, 100))  # 100 bytes of STRING promised, none sent

    def setup_then_error(peer: socket.socket) -> None:
        peer.recv(64)
        peer.sendall(SETUP)
        peer.recv(64)
        peer.sendall(struct.pack("<BBHIHB21x", 0, 3, 1, 0x1234, 0, 20))

    for serve, error, said in ((setup_then_close, XConnectionError, "the X server closed the connection"),
                               (setup_then_junk, XConnectionError, "malformed property reply"),
                               (setup_then_error, XError, r"X error BadWindow \(value 0x1234\) in request 20.0")):
        name, done = fake_server(serve)
        try:
            conn = Connection(name, timeout=2)
            assert conn.root == 0x1E7 and conn.screen.width == 640
            with pytest.raises(error, match=said) as why:
                conn.get_property(conn.root, 39)
            assert isinstance(why.value, OSError) and "\n" not in str(why.value)
            conn.close()
        finally:
            done()


def test_the_daemon_goes_on_when_the_x_server_dies(tmp_path: Path) -> None:
    from tests.dbus_fixtures import private_bus

    server, number = start_xvfb("-nolisten", "tcp")
    home = tmp_path / "home"
    home.mkdir()
    try:
        with private_bus("session") as bus:
            daemon = Daemon(Desktop(bus, XDisplay(f":{number}"), tmp_path), home)
            try:
                daemon.start()
                assert daemon.status()["backends"]["idle"] == "x11"
                server.kill()
                server.wait()
                time.sleep(3)  # the watch notices at once; ticks go on reading (and failing) the idle time
                assert daemon.status()["backends"]["idle"] == "x11"
                assert daemon.stop() == 0
                assert "Traceback" not in daemon.output()
                log = (home / "xdg_state_home" / "breaker" / "log" / "breaker.log").read_text()
                assert "x11 idle events stopped: the X server closed the connection" in log, log
                assert "Traceback" not in log, log
            finally:
                daemon.kill()
    finally:
        stop_process(server)
