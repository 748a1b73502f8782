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
from breaker.adapters.ports import PromptText, Unavailable, action_labels
from breaker.core.i18n import N_, said

log = logging.getLogger(__name__)

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CLOSED_BY_USER = 2
NOTIFY_TIMEOUT_S = 10.0
ACTIONS = ("start", "snooze", "skip")


class FdoNotifier:
    """One prompt on screen at a time, with Start / Snooze / Skip and a clickable body.

    A re-prompt (or the prompt after a snooze) replaces the live bubble in place (``replaces_id``), so a
    server that leaves closed bubbles up (notification-daemon) never shows two. An action on any bubble
    shown for the prompt now open answers it. Signals count only from the owner of the server's name:
    anyone on the bus may emit an ActionInvoked, and GNOME Shell sends each one twice (shell and proxy).
    """

    kind = "freedesktop"
    actionable = True

    def __init__(self, loop: LoopThread, app_icon: str = "") -> None:
        self.loop, self.app_icon = loop, app_icon
        try:
            self.bus: MessageBus = loop.run(dbus_util.connect("session"), timeout=5)
            caps = loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "GetCapabilities"), timeout=5)[0]
            info = loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "GetServerInformation"), timeout=5)
        except (Unavailable, dbus_util.CallFailed) as err:
            self._disconnect()
            raise Unavailable(said(N_("no notification server on the session bus ({reason})"), reason=err)) from None
        if "actions" not in caps:
            self._disconnect()
            raise Unavailable(said(N_("the notification server {server} offers no actions (buttons)"), server=info[0]))
        self.server = f"{info[0]} {info[2]}"
        # xfce4-notifyd draws the default action as a button of its own: "Start" would show twice
        self.default_is_button = "xfce" in str(info[0]).lower()
        self._id = 0  # the server's id of the bubble on screen for the open prompt (0: none)
        self._last = 0  # the newest id we were given: the next prompt replaces it in place
        self._ids: set[int] = set()  # every bubble shown for the open prompt (answers from any count)
        self._answer: Callable[[str], None] | None = None
        self._owners = dbus_util.NameOwners(self.bus)
        loop.run(self._subscribe(), timeout=5)

    def _disconnect(self) -> None:
        bus = getattr(self, "bus", None)
        if bus is not None and bus.connected:
            self.loop.loop.call_soon_threadsafe(bus.disconnect)

    async def _subscribe(self) -> None:
        await self._owners.watch(NAME)
        for member in ("ActionInvoked", "NotificationClosed"):
            await dbus_util.add_match(self.bus, dbus_util.signal_rule(NAME, member, PATH))
        self.bus.add_message_handler(self._on_message)

    def _on_message(self, msg: Message) -> None:
        if msg.message_type != MessageType.SIGNAL or msg.interface != NAME or not msg.body:
            return
        if not self._owners.owns(msg.sender, NAME):
            return  # not from the notification server (a stranger, or GNOME's second copy)
        nid = msg.body[0]
        if nid not in self._ids or self._answer is None:
            return  # someone else's notification, or an answered prompt's
        if msg.member == "ActionInvoked":
            key = str(msg.body[1])
            action = "start" if key == "default" else key
            if action in ACTIONS:
                self._fire(action)
                if nid == self._id:
                    self._id = 0
                    self.loop.spawn(self._close(nid))  # some servers (dunst) leave it up after an action
        elif msg.member == "NotificationClosed":
            self._ids.discard(nid)
            if nid != self._id:
                return  # an older bubble of this prompt went away: the live one still asks
            self._id = 0
            if msg.body[1] == CLOSED_BY_USER:
                self._fire("dismiss")
            else:
                self._answer = None  # expired: no answer, the re-prompt will come

    def _fire(self, action: str) -> None:
        answer, self._answer = self._answer, None
        self._ids.clear()
        if answer is not None:
            answer(action)

    def show(self, text: PromptText, on_answer: Callable[[str], None]) -> None:
        """Show ``text``, replacing the bubble on screen (or the newest one we showed)."""
        labels = action_labels()
        actions = ["default", labels["start"]]
        for action in ACTIONS[int(self.default_is_button):]:
            actions += [action, labels[action]]
        hints = {"urgency": Variant("y", 1), "category": Variant("s", "presence"),
                 "desktop-entry": Variant("s", "breaker"), "resident": Variant("b", False)}
        body = ["breaker", self._id or self._last, self.app_icon, text.title, text.body, actions, hints, 0]
        self._answer = None
        # GNOME Shell answers Notify on its compositor's main loop: on a busy machine that took over 2 s
        reply = self.loop.run(dbus_util.call(self.bus, NAME, PATH, NAME, "Notify", "susssasa{sv}i", body,
                                             timeout=NOTIFY_TIMEOUT_S), timeout=NOTIFY_TIMEOUT_S + 1)
        self._id = self._last = int(reply[0])
        self._ids.add(self._id)
        self._answer = on_answer

    def close(self) -> None:
        """Take the prompt off the screen (once: a bubble already closed is not closed again)."""
        current, self._id, self._answer = self._id, 0, None
        self._ids.clear()
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
