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
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from breaker.core.errors import UserError
from breaker.core.i18n import _

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], Any]
_MAX_REQUEST = 64 * 1024
BACKLOG = 512  # 200 `breaker status` at once must all get in (the kernel caps it at somaxconn)
_SUN_PATH_MAX = 108  # sizeof(sockaddr_un.sun_path) on Linux, including the final NUL
CONNECTION_TIMEOUT = 5.0  # seconds a client may take to send its request and read the answer


class NotRunning(UserError):
    """No daemon answers on the control socket (told apart by type: the message is translated)."""


def runtime_dir() -> Path:
    """breaker's private folder in the user's runtime folder (created 0700; refused if someone else's)."""
    import platformdirs  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    with warnings.catch_warnings(record=True) as caught:  # platformdirs warns, with a source line, when
        warnings.simplefilter("always")  # XDG_RUNTIME_DIR is unset or unsafe: one log line instead
        try:
            path = Path(platformdirs.user_runtime_dir("breaker", appauthor=False))
        except OSError as err:
            raise UserError(_("no safe runtime folder: {reason}; set XDG_RUNTIME_DIR to a folder of your own").format(
                reason=err)) from None
    for warning in caught:
        log.info("runtime folder: %s", warning.message)
    for folder in (path.parent, path):
        try:
            folder.mkdir(exist_ok=True, mode=0o700)
        except OSError as err:
            raise UserError(_("{folder}: cannot create the runtime folder ({reason}); "
                              "set XDG_RUNTIME_DIR to a folder of your own").format(
                folder=folder, reason=err.strerror)) from None
        _own(folder)
    if hasattr(os, "getuid") and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _own(folder: Path) -> None:
    """Refuse a folder another user owns: they could read or replace the socket and the lock in it."""
    if not hasattr(os, "getuid"):
        return
    owner = folder.stat().st_uid
    if owner != os.getuid():
        raise UserError(_("{folder}: belongs to another user (uid {uid}); set XDG_RUNTIME_DIR to a folder "
                          "of your own").format(folder=folder, uid=owner))


def socket_path() -> Path:
    path = runtime_dir() / "control.sock"
    if len(os.fsencode(path)) >= _SUN_PATH_MAX:
        raise UserError(_("{path}: the control socket's path is longer than {limit} bytes "
                          "(set XDG_RUNTIME_DIR to a shorter folder)").format(path=path, limit=_SUN_PATH_MAX - 1))
    return path


class ControlServer:
    """Serves requests on a Unix socket in a daemon thread; ``handler`` does the work.

    Each connection gets its own thread and ``CONNECTION_TIMEOUT``, so a slow or silent client holds up
    nobody else; an error from accept() (out of file descriptors, ...) is waited out, never fatal."""

    def __init__(self, handler: Handler, path: Path | None = None) -> None:
        self.path = path or socket_path()
        self.handler = handler
        self._closed = threading.Event()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.sock.bind(str(self.path))
        finally:
            os.umask(old)
        self.sock.listen(BACKLOG)
        self._thread = threading.Thread(target=self._serve, name="breaker-ipc", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked accept()
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _serve(self) -> None:
        failing: str | None = None
        backoff = 0.05
        while not self._closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError as err:
                if self._closed.is_set():
                    return
                if failing != str(err):  # once per kind of failure, not once per retry
                    failing = str(err)
                    log.warning("control socket: accept failed (%s); retrying", err)
                self._closed.wait(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            if failing is not None:
                log.info("control socket: accepting again")
                failing, backoff = None, 0.05
            try:
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()
            except RuntimeError:  # no thread to be had: hang up on this one, serve the next
                conn.close()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(CONNECTION_TIMEOUT)
            if not _same_user(conn):
                log.warning("refused a control connection from another user")
                return
            try:
                cmd, args = _parse(_read_line(conn))
                reply: dict[str, Any] = {"ok": True, "result": self.handler(cmd, args)}
            except UserError as err:
                reply = {"ok": False, "error": str(err)}
            except OSError:  # the client went away or stayed silent past the timeout
                return
            except (ValueError, KeyError, TypeError) as err:
                reply = {"ok": False, "error": f"bad request: {err}"}
            except Exception as err:  # the daemon keeps running whatever one request does
                log.exception("control request failed")
                reply = {"ok": False, "error": f"internal error: {err}"}
            with contextlib.suppress(OSError):
                conn.sendall((json.dumps(reply) + "\n").encode())


def _parse(line: str) -> tuple[str, dict[str, Any]]:
    """One request line -> (command, arguments); anything else is a one-line ValueError."""
    try:
        request = json.loads(line)
    except (ValueError, RecursionError):
        raise ValueError("not a JSON line") from None
    if not isinstance(request, dict) or not isinstance(request.get("cmd"), str):
        raise ValueError('expected {"cmd": "...", "args": {...}}')
    args = request.get("args")
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ValueError("args must be an object")
    return request["cmd"], args


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
    deadline = time.monotonic() + timeout
    with _connect(path, deadline) as sock:
        try:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            sock.sendall((json.dumps({"cmd": cmd, "args": args or {}}) + "\n").encode())
            reply = json.loads(_read_line(sock) or "{}")
        except TimeoutError:
            raise UserError(_("breaker did not answer within {seconds} s (see its log)").format(
                seconds=f"{timeout:g}")) from None
        except (OSError, ValueError) as err:
            raise UserError(_("breaker's control socket failed: {reason}").format(reason=err)) from None
    if not isinstance(reply, dict) or not reply.get("ok"):
        raise UserError((reply.get("error") if isinstance(reply, dict) else None) or _("the daemon gave no answer"))
    return reply.get("result")


def _connect(path: Path, deadline: float) -> socket.socket:
    """Connect, waiting while the daemon's backlog is full (a Unix socket refuses at once with EAGAIN)."""
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        wait = max(0.05, deadline - time.monotonic())  # bounds the blocking connect (then EAGAIN)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", int(wait), int(wait % 1 * 1e6)))
        try:
            sock.connect(str(path))  # blocking: a timeout would make it non-blocking, and EAGAIN fatal
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            raise NotRunning(_("breaker is not running (start it with: breaker run)")) from None
        except BlockingIOError:
            sock.close()
            if time.monotonic() > deadline:
                raise UserError(_("breaker is too busy to answer (its control socket is full)")) from None
            time.sleep(0.02)
        except PermissionError:
            sock.close()
            raise UserError(_("{path}: permission denied (the control socket belongs to another user)").format(
                path=path)) from None
        except BaseException:
            sock.close()
            raise


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
