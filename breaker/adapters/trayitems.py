"""The tray menu as data, shared by every tray kind, and the dispatch of a chosen item to ``TrayActions``.

The first line is a disabled status line (the bout and the next prompt), since XEmbed trays often show no
tooltip; ``label`` gives each item's text for the current view.

Threading contract: ``dispatch`` calls the daemon's ``TrayActions`` method on the caller's thread (the
tray's own thread); it catches and logs what the daemon raises so a failing action never kills a tray.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from breaker.adapters.ports import TrayActions, TrayView
from breaker.core.i18n import N_, _
from breaker.timefmt import human_duration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuItem:
    key: str  # stable id: what the XEmbed menu process prints, what tests name
    label: str  # English; shown through ``label()``, which translates it
    separator_before: bool = False


# Translators: the tray menu's items; keep them short (a tray menu is narrow).
MENU: tuple[MenuItem, ...] = (
    MenuItem("status", "breaker"),
    MenuItem("break", N_("Start a break now"), separator_before=True),
    MenuItem("snooze", N_("Snooze")),
    MenuItem("skip", N_("Skip this break")),
    MenuItem("pause:30m", N_("Pause for 30 min"), separator_before=True),
    MenuItem("pause:1h", N_("Pause for 1 h")),
    MenuItem("pause:tomorrow", N_("Pause until tomorrow")),
    MenuItem("resume", N_("Resume")),
    MenuItem("week", N_("This week…"), separator_before=True),
    MenuItem("settings", N_("Open settings")),
    MenuItem("quit", N_("Quit"), separator_before=True),
)
KEYS = frozenset(item.key for item in MENU)


def label(key: str, view: TrayView) -> str:
    """The text of menu item ``key`` for ``view``."""
    if key == "status":
        return view.tooltip or "breaker"
    if key == "snooze" and view.snooze_s > 0:
        # Translators: a tray menu item, e.g. "Snooze 5 min".
        return _("Snooze {duration}").format(duration=human_duration(view.snooze_s))
    return _(next(item.label for item in MENU if item.key == key))


def enabled(key: str, view: TrayView) -> bool:
    """Whether a menu item makes sense now (greyed out otherwise; choosing it anyway is harmless)."""
    if key == "status":
        return False
    if key in ("snooze", "skip"):
        return view.prompt_open and not view.in_break
    if key == "resume":
        return view.paused
    if key.startswith("pause:"):
        return not view.in_break
    if key == "break":
        return not view.in_break
    return True


def _handlers(actions: TrayActions) -> dict[str, Callable[[], None]]:
    return {
        "break": actions.start_break,
        "status": lambda: None,
        "snooze": actions.snooze,
        "skip": actions.skip,
        "pause:30m": lambda: actions.pause("30m"),
        "pause:1h": lambda: actions.pause("1h"),
        "pause:tomorrow": lambda: actions.pause("tomorrow"),
        "resume": actions.resume,
        "week": actions.show_week,
        "settings": actions.open_settings,
        "quit": actions.quit,
    }


def dispatch(actions: TrayActions, key: str) -> bool:
    """Call the ``TrayActions`` method for menu item ``key``; False for an unknown key."""
    handler = _handlers(actions).get(key)
    if handler is None:
        log.warning("tray: unknown menu item %r", key)
        return False
    try:
        handler()
    except Exception:  # the daemon's bug must not take the tray down with it
        log.exception("tray: menu action %r failed", key)
    return True
