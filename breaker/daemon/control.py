"""Control requests (from the CLI's socket, the tray menu or the console) turned into engine calls."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from breaker.config import Config, load_config
from breaker.core.engine import Engine
from breaker.core.errors import UserError
from breaker.core.exercise import Catalogue
from breaker.core.i18n import _
from breaker.core.models import Action
from breaker.daemon.heartbeat import Heartbeat
from breaker.store.session import Session
from breaker.timefmt import parse_duration

log = logging.getLogger(__name__)

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
    heartbeat: Heartbeat

    def status(self) -> dict[str, Any]: ...

    def request_quit(self) -> None: ...

    def replan(self, now: datetime) -> None: ...

    def refresh_tray(self) -> None: ...


def check_args(daemon: Controlled, cmd: str, args: dict[str, Any]) -> dict[str, Any]:
    """Refuse a request whose arguments are of the wrong kind, before anything is changed."""
    allowed = ARGS.get(cmd)
    if allowed is None:
        raise UserError(f"unknown control command '{cmd}'")
    for key, value in args.items():
        kinds = allowed.get(key)
        if kinds is None:
            raise UserError(f"{cmd}: unknown argument '{key}'")
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            raise UserError(f"{cmd}: '{key}' must be {KIND_NAMES[kinds]}, not {type(value).__name__}")
    if cmd == "break":
        exercise, level = args.get("exercise"), args.get("level")
        if exercise and exercise not in daemon.catalogue.exercises:
            raise UserError(_("--exercise {exercise}: unknown (see breaker exercises)").format(exercise=exercise))
        if level is not None and exercise:  # a level alone is ignored, as it always was
            count = daemon.catalogue.exercises[exercise].level_count()
            if not 1 <= level <= count:
                raise UserError(_("--level {level}: {exercise} has levels 1 to {count}").format(
                    level=level, exercise=exercise, count=count))
    return args


KIND_NAMES = {str: "text", int: "a whole number"}
ARGS: dict[str, dict[str, type]] = {
    "status": {}, "quit": {}, "resume": {}, "snooze": {}, "skip": {}, "dismiss": {}, "start": {}, "reload": {},
    "break": {"exercise": str, "level": int},
    "pause": {"spec": str},
}


def handle(daemon: Controlled, cmd: str, args: dict[str, Any]) -> Any:
    """Do what ``cmd`` asks; returns JSON-ready data. Unknown commands and bad arguments are a UserError
    raised before the engine is touched."""
    check_args(daemon, cmd, args)
    if cmd == "status":
        return daemon.status()
    if cmd == "quit":
        daemon.request_quit()
        return "stopping"
    if cmd == "reload":
        return reload_config(daemon)
    with daemon.lock:
        now = daemon.clock()
        engine = daemon.engine
        if cmd == "break":
            exercise = args.get("exercise")
            if exercise:
                daemon.session.next_exercise = (str(exercise), args.get("level"))
            daemon.session.run(lambda e: e.start_break(now))
        elif cmd == "pause":
            until = pause_until(str(args.get("spec") or "30m"), now, daemon.config.zone)
            daemon.session.run(lambda e: e.pause(until, now))
        elif cmd == "resume":
            daemon.session.run(lambda e: e.unpause(now))
        else:  # snooze, skip, dismiss, start
            if engine.policy.prompt is None:
                raise UserError(_("nothing to {command}: no prompt is open").format(command=cmd))
            daemon.session.run(lambda e: e.answer(Action(cmd), now))
        daemon.heartbeat.beat(engine, now)  # the user's intent survives a crash from this moment on
        daemon.replan(now)
    daemon.refresh_tray()
    return daemon.status()


def reload_config(daemon: Controlled) -> str:
    """Read the config file again and apply it at once (SIGHUP); a bad file keeps the old config.

    The rules and tracking take effect from now on; ``[exercises]`` changes at the next start."""
    path = daemon.config.path
    try:
        new = load_config(path)
    except UserError as err:
        log.warning("config not reloaded, the old one stays: %s", err)
        raise UserError(_("config not reloaded, the old one stays: {reason}").format(reason=err)) from None
    with daemon.lock:
        now = daemon.clock()
        daemon.session.run(lambda e: e.set_rules(new.rules, now))
        daemon.config = new
        daemon.heartbeat.natural_break = new.rules.natural_break
        daemon.replan(now)
    daemon.refresh_tray()
    log.info("config reloaded from %s", new.path or "the defaults")
    return _("config reloaded from {path}").format(path=new.path) if new.path else _("config reloaded: the defaults")
