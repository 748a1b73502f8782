"""The shared shape of the D-Bus idle sources: one method returning an idle count, read on the loop.

Threading contract: ``seconds_idle`` and ``close`` may be called from any thread except the loop's own;
they block on ``LoopThread.run`` for at most ``timeout`` seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

from dbus_fast.aio import MessageBus

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said


@dataclass(frozen=True)
class Endpoint:
    """Where an idle count lives and what one unit of it is worth in seconds."""

    service: str
    path: str
    interface: str
    method: str
    unit_s: float


class DBusIdle:
    """An :class:`~breaker.adapters.ports.IdleSource` that calls ``endpoint.method`` on each reading."""

    def __init__(self, name: str, loop: LoopThread, bus: MessageBus, endpoint: Endpoint,
                 timeout: float = 2.0) -> None:
        self.name = name
        self._loop = loop
        self._bus = bus
        self._endpoint = endpoint
        self._timeout = timeout

    async def _read(self) -> float:
        e = self._endpoint
        body = await dbus_util.call(self._bus, e.service, e.path, e.interface, e.method, timeout=self._timeout)
        return float(body[0]) * e.unit_s

    def seconds_idle(self) -> float:
        """Seconds since the last input; raises :class:`Unavailable` when the service stops answering."""
        try:
            return self._loop.run(self._read(), timeout=self._timeout + 1)
        except Exception as exc:  # noqa: BLE001 - the daemon only needs "this reading failed, and why"
            raise Unavailable(said(N_("{backend}: {reason}"), backend=self.name, reason=exc)) from exc

    def close(self) -> None:
        if self._bus.connected:
            self._bus.disconnect()


T = TypeVar("T", bound=DBusIdle)


def open_dbus_idle(name: str, loop: LoopThread | None, endpoint: Endpoint, address: str | None = None,
                   settle_s: float = 1.5, kind: type[T] = DBusIdle) -> T:  # type: ignore[assignment]
    """Connect, check the service runs and answers, and trust it only once it reports a non-zero count.

    Some services answer ``GetSessionIdleTime`` with 0 until the screensaver's own idle delay passes
    (or always); a millisecond counter that stays exactly 0 for ``settle_s`` is not a real idle clock.
    """
    if loop is None:
        raise Unavailable(said(N_("{backend}: {reason}"), backend=name, reason=said(N_("needs the asyncio loop thread"))))
    bus: MessageBus = loop.run(dbus_util.connect("session", address))
    try:
        if not loop.run(dbus_util.has_owner(bus, endpoint.service)):
            raise Unavailable(said(N_("{service} is not running on the session bus"), service=endpoint.service))
        source = kind(name, loop, bus, endpoint)
        deadline = time.monotonic() + settle_s
        while True:
            if source.seconds_idle() > 0:
                return source
            if time.monotonic() >= deadline:
                raise Unavailable(said(N_("{service} answers but its idle time stays 0 (not trusted)"),
                                       service=endpoint.service))
            time.sleep(min(0.25, settle_s / 4 or 0.01))
    except BaseException:
        bus.disconnect()
        raise
