"""The daemon's local control socket (same user only) and the CLI's client for it.

One JSON line in, one JSON line out: ``{"cmd": "status", "args": {...}}`` ->
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``. The socket lives in the user's
runtime folder (mode 0700) with mode 0600, and the server also checks the peer's uid (SO_PEERCRED).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

from breaker.core.errors import UserError

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], Any]
_MAX_REQUEST = 64 * 1024


def runtime_dir() -> Path:
    path = Path(platformdirs.user_runtime_dir("breaker", appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def socket_path() -> Path:
    return runtime_dir() / "control.sock"


class ControlServer:
    """Serves requests on a Unix socket in a daemon thread; ``handler`` does the work."""

    def __init__(self, handler: Handler, path: Path | None = None) -> None:
        self.path = path or socket_path()
        self.handler = handler
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.sock.bind(str(self.path))
        finally:
            os.umask(old)
        self.sock.listen(8)
        self._thread = threading.Thread(target=self._serve, name="breaker-ipc", daemon=True)
        self._thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            if not _same_user(conn):
                log.warning("refused a control connection from another user")
                return
            try:
                request = json.loads(_read_line(conn))
                result = self.handler(str(request["cmd"]), dict(request.get("args") or {}))
                reply: dict[str, Any] = {"ok": True, "result": result}
            except UserError as err:
                reply = {"ok": False, "error": str(err)}
            except (ValueError, KeyError, TypeError) as err:
                reply = {"ok": False, "error": f"bad request: {err}"}
            except Exception as err:  # the daemon keeps running whatever one request does
                log.exception("control request failed")
                reply = {"ok": False, "error": f"internal error: {err}"}
            with contextlib.suppress(OSError):
                conn.sendall((json.dumps(reply) + "\n").encode())


def _same_user(conn: socket.socket) -> bool:
    if not hasattr(socket, "SO_PEERCRED"):
        return True  # the 0700 folder and 0600 socket keep others out
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _read_line(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > _MAX_REQUEST:
            raise ValueError("request too long")
    return data.decode()


def call(cmd: str, args: dict[str, Any] | None = None, *, path: Path | None = None, timeout: float = 10) -> Any:
    """Send one request to the running daemon; UserError if none runs or it refuses."""
    path = path or socket_path()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise UserError("breaker is not running (start it with: breaker run)") from None
        sock.sendall((json.dumps({"cmd": cmd, "args": args or {}}) + "\n").encode())
        reply = json.loads(_read_line(sock) or "{}")
    if not reply.get("ok"):
        raise UserError(reply.get("error") or "the daemon gave no answer")
    return reply.get("result")


class InstanceLock:
    """One daemon per user: an exclusive lock on a file in the runtime folder, held while running."""

    def __init__(self) -> None:
        self.path = runtime_dir() / "daemon.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def owner(self) -> str:
        """The pid written by the running daemon (for messages)."""
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
