"""Control requests (from the CLI's socket, the tray menu or the console) turned into engine calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from breaker.config import Config
from breaker.core.engine import Engine
from breaker.core.errors import UserError
from breaker.core.exercise import Catalogue
from breaker.core.models import Action
from breaker.store.session import Session
from breaker.timefmt import parse_duration

TOMORROW_HOUR = 4  # "until tomorrow" ends at 04:00 local: after any late evening, before any morning


def pause_until(spec: str, now: datetime, zone: Any) -> datetime | None:
    """ "30m", "1h", "1h30m" or "tomorrow" -> when the pause ends ("forever" -> None)."""
    spec = spec.strip().lower()
    if spec == "forever":
        return None
    if spec == "tomorrow":
        local = now.astimezone(zone)
        day = local.date() + timedelta(days=1 if local.hour >= TOMORROW_HOUR else 0)
        return datetime.combine(day, time(TOMORROW_HOUR), tzinfo=zone)
    return now + parse_duration(spec, f"pause {spec}")


class Controlled(Protocol):
    """What a control request needs of the daemon (the daemon satisfies it; tests may pass another)."""

    lock: threading.RLock
    clock: Callable[[], datetime]
    engine: Engine
    session: Session
    catalogue: Catalogue
    config: Config

    def status(self) -> dict[str, Any]: ...

    def request_quit(self) -> None: ...

    def replan(self, now: datetime) -> None: ...

    def refresh_tray(self) -> None: ...


def handle(daemon: Controlled, cmd: str, args: dict[str, Any]) -> Any:
    """Do what ``cmd`` asks; returns JSON-ready data. Unknown commands are a UserError."""
    if cmd == "status":
        return daemon.status()
    if cmd == "quit":
        daemon.request_quit()
        return "stopping"
    with daemon.lock:
        now = daemon.clock()
        engine = daemon.engine
        if cmd == "break":
            exercise = args.get("exercise")
            if exercise:
                if exercise not in daemon.catalogue.exercises:
                    raise UserError(f"--exercise {exercise}: unknown (see breaker exercises)")
                daemon.session.next_exercise = (str(exercise), args.get("level"))
            daemon.session.run(lambda e: e.start_break(now))
        elif cmd == "pause":
            until = pause_until(str(args.get("spec", "30m")), now, daemon.config.zone)
            daemon.session.run(lambda e: e.pause(until, now))
        elif cmd == "resume":
            daemon.session.run(lambda e: e.unpause(now))
        elif cmd in ("snooze", "skip", "dismiss", "start"):
            if engine.policy.prompt is None:
                raise UserError(f"nothing to {cmd}: no prompt is open")
            daemon.session.run(lambda e: e.answer(Action(cmd), now))
        else:
            raise UserError(f"unknown control command '{cmd}'")
        daemon.replan(now)
    daemon.refresh_tray()
    return daemon.status()
