"""Prompts over the freedesktop Notifications spec directly (Linux and BSD desktops).

desktop-notifier hides two things a break prompt needs on Linux: ``replaces_id`` (a newer prompt takes
the older one's place on screen) and closing a notification after its button was used (some servers,
dunst among them, leave it up after a context-menu action). So on Linux we speak the spec ourselves
with dbus-fast - the same library desktop-notifier uses there. Threading contract: as ``notify.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from dbus_fast import Message, MessageType, Variant
from dbus_fast.aio import MessageBus

from breaker.adapters import dbus_util
from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import PromptText, Unavailable

log = logging.getLogger(__name__)

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CLOSED_BY_USER = 2
NOTIFY_TIMEOUT_S = 10.0
ACTIONS = ("start", "snooze", "skip")
LABELS = {"start": "Start", "snooze": "Snooze", "skip": "Skip"}


class FdoNotifier:
    """One prompt on screen at a time, with Start / Snooze / Skip and a clickable body."""

    kind = "freedesktop"
    actionable = True

    def __init__(self, loop: LoopThread, app_icon: str = "") -> None:
        self.loop, self.app_icon = loop, app_icon
        try:
            self.bus: MessageBus = loop.run(dbus_util.connect("session"), timeout=5)
            caps = loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "GetCapabilities"), timeout=5)[0]
            info = loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "GetServerInformation"), timeout=5)
        except (Unavailable, dbus_util.CallFailed) as err:
            raise Unavailable(f"no notification server on the session bus ({err})") from None
        if "actions" not in caps:
            raise Unavailable(f"the notification server {info[0]} offers no actions (buttons)")
        self.server = f"{info[0]} {info[2]}"
        self._id = 0  # the server's id of the prompt on screen (0: none)
        self._answer: Callable[[str], None] | None = None
        loop.run(self._subscribe(), timeout=5)

    async def _subscribe(self) -> None:
        for member in ("ActionInvoked", "NotificationClosed"):
            await dbus_util.add_match(self.bus, dbus_util.signal_rule(NAME, member, PATH))
        self.bus.add_message_handler(self._on_message)

    def _on_message(self, msg: Message) -> None:
        if msg.message_type != MessageType.SIGNAL or msg.interface != NAME or not msg.body:
            return
        if msg.body[0] != self._id or self._answer is None:
            return  # someone else's notification, or a prompt that was already replaced
        if msg.member == "ActionInvoked":
            key = str(msg.body[1])
            action = "start" if key == "default" else key
            if action in ACTIONS:
                self._fire(action)
                self.loop.spawn(self._close(msg.body[0]))
        elif msg.member == "NotificationClosed":
            self._id = 0
            if msg.body[1] == CLOSED_BY_USER:
                self._fire("dismiss")
            else:
                self._answer = None  # expired or closed by us: no answer, the re-prompt will come

    def _fire(self, action: str) -> None:
        answer, self._answer = self._answer, None
        if answer is not None:
            answer(action)

    def show(self, text: PromptText, on_answer: Callable[[str], None]) -> None:
        actions = ["default", "Start"]
        for action in ACTIONS:
            actions += [action, LABELS[action]]
        hints = {"urgency": Variant("y", 1), "category": Variant("s", "presence"),
                 "desktop-entry": Variant("s", "breaker"), "resident": Variant("b", False)}
        body = ["breaker", self._id, self.app_icon, text.title, text.body, actions, hints, 0]
        self._answer = None
        # GNOME Shell answers Notify on its compositor's main loop: on a busy machine that took over 2 s
        reply = self.loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "Notify", "susssasa{sv}i", body,
                                             timeout=NOTIFY_TIMEOUT_S), timeout=NOTIFY_TIMEOUT_S + 1)
        self._id, self._answer = int(reply[0]), on_answer

    def close(self) -> None:
        current, self._id, self._answer = self._id, 0, None
        if current:
            try:
                self.loop.run(self._close(current), timeout=5)
            except Exception as err:  # already gone
                log.debug("closing notification %s: %s", current, err)

    async def _close(self, nid: int) -> None:
        try:
            await dbus_util.call(self.bus, NAME, PATH, NAME, "CloseNotification", "u", [nid])
        except dbus_util.CallFailed as err:
            log.debug("CloseNotification %s: %s", nid, err)
