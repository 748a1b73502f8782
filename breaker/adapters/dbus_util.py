"""Small helpers over dbus-fast's low-level API, shared by the D-Bus adapters.

Every coroutine here runs on the shared :class:`~breaker.adapters.aio.LoopThread`; adapters reach them
through ``LoopThread.run`` from their caller's thread. Calls go out without introspection and with
``NO_AUTOSTART``: a probe reports what is running, it never D-Bus-activates a service.
"""

from __future__ import annotations

import asyncio
from typing import Any

from dbus_fast import BusType, Message, MessageFlag, MessageType
from dbus_fast.aio import MessageBus

from breaker.adapters.ports import Unavailable
from breaker.core.i18n import N_, said

DBUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
PROPERTIES = "org.freedesktop.DBus.Properties"


class CallFailed(Exception):
    """A D-Bus call returned an error (``name``) or did not answer in time."""

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(f"{name}: {text}" if text else name)
        self.name = name


async def connect(bus: str = "session", address: str | None = None, unix_fd: bool = False) -> MessageBus:
    """Connect to the ``"session"`` or ``"system"`` bus (``address`` overrides the environment)."""
    kind = BusType.SYSTEM if bus == "system" else BusType.SESSION
    try:
        conn = MessageBus(bus_address=address, bus_type=kind, negotiate_unix_fd=unix_fd)
        return await asyncio.wait_for(conn.connect(), 3.0)
    except Exception as exc:  # noqa: BLE001 - any failure means "no such bus here"
        why = str(exc).split(" and could not")[0] or type(exc).__name__  # dbus-fast's text runs long
        template = N_("no system D-Bus: {reason}") if bus == "system" else N_("no session D-Bus: {reason}")
        raise Unavailable(said(template, reason=why)) from exc


async def call(
    bus: MessageBus, dest: str, path: str, iface: str, member: str,
    signature: str = "", body: list[Any] | None = None, timeout: float = 2.0,
) -> list[Any]:
    """Call a method and return the reply's body; raise :class:`CallFailed` on an error reply."""
    msg = Message(destination=dest, path=path, interface=iface, member=member, signature=signature,
                  body=body or [], flags=MessageFlag.NO_AUTOSTART)
    try:
        reply = await asyncio.wait_for(bus.call(msg), timeout)
    except asyncio.TimeoutError as exc:
        raise CallFailed("timeout", f"{dest} did not answer {member} within {timeout:g}s") from exc
    if reply is None:
        raise CallFailed("no-reply", member)
    if reply.message_type == MessageType.ERROR:
        text = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
        raise CallFailed(reply.error_name or "error", text)
    if reply.unix_fds:  # fds arrive as indexes into unix_fds; hand back the fds themselves
        return [reply.unix_fds[v] if sig == "h" else v for v, sig in zip(reply.body, _types(reply.signature))]
    return list(reply.body)


def _types(signature: str) -> list[str]:
    from dbus_fast.signature import get_signature_tree

    return [t.signature for t in get_signature_tree(signature).types]


async def get_property(bus: MessageBus, dest: str, path: str, iface: str, prop: str) -> Any:
    """One property's value (unwrapped from its Variant)."""
    (variant,) = await call(bus, dest, path, PROPERTIES, "Get", "ss", [iface, prop])
    return variant.value


async def has_owner(bus: MessageBus, name: str) -> bool:
    """Whether some connection owns ``name`` right now."""
    (owned,) = await call(bus, *DBUS, "NameHasOwner", "s", [name])
    return bool(owned)


async def add_match(bus: MessageBus, rule: str) -> None:
    """Ask the bus to route signals matching ``rule`` to this connection."""
    await call(bus, *DBUS, "AddMatch", "s", [rule])


def signal_rule(interface: str, member: str, path: str | None = None, sender: str | None = None,
                arg0: str | None = None) -> str:
    """A match rule for one signal."""
    parts = ["type='signal'", f"interface='{interface}'", f"member='{member}'"]
    if path:
        parts.append(f"path='{path}'")
    if sender:
        parts.append(f"sender='{sender}'")
    if arg0:
        parts.append(f"arg0='{arg0}'")
    return ",".join(parts)


class NameOwners:
    """Who owns some well-known names right now, kept current from ``NameOwnerChanged``.

    A signal's ``sender`` is the unique name of the connection that sent it; anyone on the bus can send
    a signal with any interface and member. Signals that stand for a service (logind's PrepareForSleep, a
    screensaver's ActiveChanged, the notification server's ActionInvoked) count only when their sender owns
    that service's name. ``watch`` runs on the loop; ``owns`` on the loop thread (signal handlers).
    """

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self.owner: dict[str, str] = {}  # well-known name -> unique name of its owner
        self._listening = False

    async def watch(self, *names: str) -> None:
        """Track ``names``: subscribe to their owner changes first, then read their owners now."""
        if not self._listening:
            self.bus.add_message_handler(self._on_message)
            self._listening = True
        for name in names:
            await add_match(self.bus, signal_rule(DBUS[2], "NameOwnerChanged", DBUS[1], DBUS[0], arg0=name))
            try:
                (owner,) = await call(self.bus, *DBUS, "GetNameOwner", "s", [name])
            except CallFailed:  # nobody owns it (yet)
                continue
            self.owner.setdefault(name, str(owner))

    def _on_message(self, msg: Message) -> None:
        if (msg.message_type == MessageType.SIGNAL and msg.member == "NameOwnerChanged"
                and msg.sender == DBUS[0] and msg.interface == DBUS[2] and len(msg.body) == 3):
            name, _old, new = msg.body
            if new:
                self.owner[name] = new
            else:
                self.owner.pop(name, None)

    def owns(self, sender: str | None, *names: str) -> bool:
        """Whether ``sender`` (a unique name) owns one of ``names`` right now."""
        return sender is not None and any(self.owner.get(name) == sender for name in names)
