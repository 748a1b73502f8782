"""Break prompts as desktop notifications: actionable first, then plain, then the terminal.

- ``FdoNotifier`` (fdo_notify.py, Linux): the freedesktop spec spoken directly, see there why.
- ``ActionNotifier`` (desktop-notifier, macOS and Windows): buttons Start / Snooze / Skip, a click on the body = Start,
  closing it = dismiss; a newer prompt replaces the older one. Needs a server that offers actions.
- ``PlainNotifier`` (plyer, macOS and Windows only): text only, telling the user how to start the break
  themselves; on Linux plyer needs dbus-python (not a dependency), so it is never chosen there.
- Behind all of them, breaker's own prompt window (``adapters/prompt_window.py``) when no server answers
  or a notification fails: a prompt is never lost in silence.
Threading contract: ``show``/``close`` may be called from any daemon thread; ``on_answer`` is called
from the asyncio loop thread (desktop-notifier) and must only hand the answer to the daemon.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import Answer, Notifier, Probe, PromptText, Unavailable, action_labels
from breaker.core.i18n import N_, _, joined, said, said_by

log = logging.getLogger(__name__)

class ActionNotifier:
    """desktop-notifier with buttons; one prompt on screen at a time."""

    kind = "desktop-notifier"
    actionable = True

    def __init__(self, loop: LoopThread) -> None:
        from desktop_notifier import Capability, DesktopNotifier

        self.loop = loop
        self._notifier = DesktopNotifier(app_name="breaker")
        try:
            caps = loop.run(self._notifier.get_capabilities(), timeout=5)
        except Exception as err:  # no bus, no server: the caller falls back
            raise Unavailable(said(N_("no notification server answered ({reason})"), reason=f"{type(err).__name__}: {err}")) from None
        if Capability.BUTTONS not in caps or Capability.ON_CLICKED not in caps:
            raise Unavailable(said(N_("the notification server offers no actions (buttons or click)")))
        self._current: str | None = None
        self._serial = 0

    def show(self, text: PromptText, on_answer: Answer) -> None:
        from desktop_notifier import Button

        self.close()
        self._serial += 1
        serial = self._serial

        def answer(action: str) -> Callable[[], None]:
            def fire() -> None:
                if serial == self._serial:  # a replaced prompt's late callback is not an answer
                    on_answer(action)
            return fire

        buttons = [Button(title=label, on_pressed=answer(action)) for action, label in action_labels().items()]
        self._current = self.loop.run(self._notifier.send(
            title=text.title, message=text.body, buttons=buttons, on_clicked=answer("start"),
            on_dismissed=answer("dismiss"), timeout=0,
        ))

    def close(self) -> None:
        current, self._current = self._current, None
        self._serial += 1
        if current is not None:
            try:
                self.loop.run(self._notifier.clear(current), timeout=5)
            except Exception as err:  # already gone from the server
                log.debug("clearing notification %s: %s", current, err)


class PlainNotifier:
    """plyer: a text notification without buttons."""

    kind = "plyer"
    actionable = False

    def __init__(self) -> None:
        try:
            from plyer import notification

            self._notification = notification
        except Exception as err:
            raise Unavailable(said(N_("plyer cannot notify here: {reason}"), reason=err)) from None

    def show(self, text: PromptText, on_answer: Answer) -> None:
        body = text.body + "\n" + _("Start it from the breaker tray icon, or run: breaker break")
        try:
            self._notification.notify(title=text.title, message=body, app_name="breaker", timeout=60)
        except Exception as err:
            log.warning("plain notification failed: %s", err)

    def close(self) -> None:
        pass


def open_notifier(loop: LoopThread, app_icon: str = "") -> tuple[Notifier, list[Probe]]:
    """The best notifier that works here, with what was tried (for the log and ``breaker doctor``).

    Linux: the freedesktop spec, with breaker's own prompt window behind it (no server, or Notify fails);
    plyer is never chosen there (it needs dbus-python, and prompts would fail in silence). macOS and
    Windows: desktop-notifier with buttons, else plyer's plain text notification (its role: a
    notification through the OS's own centre when desktop-notifier cannot start), the window behind both.
    """
    from breaker.adapters.prompt_window import FallbackNotifier, WindowNotifier

    probes: list[Probe] = []
    primary: Notifier | None = None
    reopen = None
    if sys.platform not in ("win32", "darwin"):
        from breaker.adapters.fdo_notify import FdoNotifier

        def reopen() -> Notifier:
            return FdoNotifier(loop, app_icon)
        try:
            primary = fdo = FdoNotifier(loop, app_icon)
            probes.append(Probe("notify", "freedesktop", True,
                                said(N_("{server}: notifications with Start/Snooze/Skip buttons"), server=fdo.server)))
        except Unavailable as err:
            probes.append(Probe("notify", "freedesktop", False, said_by(err)))
    else:
        try:
            primary = ActionNotifier(loop)
            probes.append(Probe("notify", "desktop-notifier", True, said(N_("notifications with Start/Snooze/Skip buttons"))))
        except Unavailable as err:
            probes.append(Probe("notify", "desktop-notifier", False, said_by(err)))
            try:
                primary = PlainNotifier()
                probes.append(Probe("notify", "plyer", True, said(N_("text-only notifications; start breaks from the tray"))))
            except Unavailable as plain_err:
                probes.append(Probe("notify", "plyer", False, said_by(plain_err)))
    try:
        window = WindowNotifier()
    except Unavailable as err:
        probes.append(Probe("notify", "window", False, said_by(err)))
        if primary is None:
            raise Unavailable(joined([p.detail for p in probes])) from None
        return primary, probes
    probes.append(Probe("notify", "window", True, said(N_("breaker's own prompt window, when a notification fails"))
                        if primary else said(N_("no notification server answered: prompts appear in breaker's own "
                                                "window"))))
    return FallbackNotifier(primary, window, reopen), probes
