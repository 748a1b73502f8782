"""User configuration: a TOML file read once into a frozen ``Config``.

Every problem becomes a one-line ``UserError`` naming the file, the key and the bad value.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

import tzlocal

from breaker.catalogue import load_catalogue
from breaker.core.errors import UserError
from breaker.core.hours import WEEKDAYS, WorkingHours
from breaker.core.i18n import _
from breaker.core.models import Rules
from breaker.timefmt import config_duration, parse_duration

_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_OFF = ("", "off", "none")

BREAK_DEFAULTS = {"sit_limit": "45m", "natural_break": "5m", "snooze": "10m", "reprompt": "5m"}
TRACKING_DEFAULTS = {"idle_after": "1m", "poll_max": "30s"}
SECTIONS = ("breaks", "hours", "tracking", "exercises", "guide")
PACES = ("auto", "manual")


@dataclass(frozen=True)
class Tracking:
    """How the daemon reads the desktop: input pauses shorter than ``idle_after`` are not looked at."""

    idle_after: timedelta = timedelta(minutes=1)
    poll_max: timedelta = timedelta(seconds=30)


@dataclass(frozen=True)
class Guide:
    """The guided-break window: cue sounds on or off, and whether it counts reps itself or you do."""

    sound: bool = True
    pace: str = "auto"


@dataclass(frozen=True)
class Config:
    """Everything read from the config file (defaults where a key is absent)."""

    rules: Rules = field(default_factory=Rules)
    tracking: Tracking = field(default_factory=Tracking)
    exercises: dict[str, Any] = field(default_factory=dict)
    zone: tzinfo | None = None
    path: Path | None = None
    guide: Guide = field(default_factory=Guide)


def default_path() -> Path:
    """Where the config lives when no ``--config`` is given."""
    import platformdirs  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    return Path(platformdirs.user_config_dir("breaker", appauthor=False)) / "config.toml"


def local_zone() -> tzinfo:
    """The user's zone: ``TZ`` if set, else the system's (tzlocal), as a DST-aware zoneinfo zone."""
    try:
        with warnings.catch_warnings():  # tzlocal warns when /etc/timezone and /etc/localtime disagree
            warnings.simplefilter("ignore")
            return tzlocal.get_localzone()
    except (ZoneInfoNotFoundError, ValueError, LookupError):
        name = os.environ.get("TZ", "").removeprefix(":")
        raise UserError(_("TZ={name}: unknown time zone (use a name like Europe/Berlin)").format(name=name)) from None


def example_text() -> str:
    """The commented example config shipped with the package."""
    return Path(__file__).with_name("config.example.toml").read_text(encoding="utf-8")


def load_config(path: Path | None = None, *, must_exist: bool = False) -> Config:
    """Read and validate ``path`` (default location if None). A missing default file means defaults."""
    explicit = path is not None
    path = path or default_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit or must_exist:
            raise UserError(_("{path}: config file not found (create one with: breaker config init)").format(
                path=path)) from None
        return Config(zone=local_zone())
    except OSError as err:
        raise UserError(_("{path}: cannot read config: {reason}").format(path=path, reason=err.strerror)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise UserError(_("{path}: starts with a UTF-8 byte order mark (BOM), which TOML does not allow; "
                          "save it as UTF-8 without BOM").format(path=path))
    import tomllib  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(_("{path}: not a text file (expected UTF-8 TOML)").format(path=path)) from None
    except tomllib.TOMLDecodeError as err:
        raise UserError(_("{path}: not valid TOML: {reason}").format(path=path, reason=err)) from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], source: str) -> Config:
    """Validate already-parsed TOML ``data``; ``source`` names the file in messages."""
    for key in data:
        if key not in SECTIONS:
            raise UserError(_("{file}: unknown section or key '{key}' (known: {known})").format(
                file=source, key=key, known=", ".join(SECTIONS)))
        if not isinstance(data[key], dict):
            raise UserError(_("{file}: '{key}' must be a section like [{key}]").format(file=source, key=key))
    zone = local_zone()
    breaks = _durations(data.get("breaks", {}), BREAK_DEFAULTS, source, "breaks")
    hours = _hours(data["hours"], source, zone) if "hours" in data else None
    where = f"{source}: [breaks]"
    if breaks["natural_break"] >= breaks["sit_limit"]:
        raise UserError(_("{where} natural_break = {natural_break} must be shorter than sit_limit = {sit_limit}")
                        .format(where=where, natural_break=config_duration(breaks["natural_break"]),
                                sit_limit=config_duration(breaks["sit_limit"])))
    rules = Rules(hours=hours, **breaks)
    tracking = Tracking(**_durations(data.get("tracking", {}), TRACKING_DEFAULTS, source, "tracking"))
    exercises = data.get("exercises", {})
    load_catalogue(exercises, source)  # the same check `breaker run` makes, so `config check` catches it
    return Config(rules=rules, tracking=tracking, exercises=exercises, zone=zone, path=Path(source),
                  guide=_guide(data.get("guide", {}), source))


def _guide(section: dict[str, Any], source: str) -> Guide:
    for key, value in section.items():
        if key == "sound" and not isinstance(value, bool):
            raise UserError(_("{file}: [guide] sound = {value}: expected true or false").format(
                file=source, value=_show(value)))
        if key == "pace" and value not in PACES:
            raise UserError(_('{file}: [guide] pace = {value}: expected "auto" or "manual"').format(
                file=source, value=_show(value)))
        if key not in ("sound", "pace"):
            raise UserError(_("{file}: [guide] unknown key '{key}' (known: pace, sound)").format(file=source, key=key))
    return Guide(sound=section.get("sound", True), pace=section.get("pace", "auto"))


def _durations(section: dict[str, Any], defaults: dict[str, str], source: str, name: str) -> dict[str, timedelta]:
    for key in section:
        if key not in defaults:
            raise UserError(_("{file}: [{section}] unknown key '{key}' (known: {known})").format(
                file=source, section=name, key=key, known=", ".join(defaults)))
    return {
        key: parse_duration(section.get(key, default), f"{source}: [{name}] {key}")
        for key, default in defaults.items()
    }


def _hours(section: dict[str, Any], source: str, zone: tzinfo) -> WorkingHours:
    days: list[tuple[tuple[int, int], ...]] = []
    for key in section:
        if key not in WEEKDAYS:
            raise UserError(_("{file}: [hours] unknown key '{key}' (use {known})").format(
                file=source, key=key, known=", ".join(WEEKDAYS)))
    for day in WEEKDAYS:
        value = section.get(day, "off")
        where = f"{source}: [hours] {day} = {_show(value)}"
        if not isinstance(value, str):
            raise UserError(_('{where}: expected text like "09:00-17:30" or "off"').format(where=where))
        days.append(() if value.strip().lower() in _OFF else _ranges(value, where))
    return WorkingHours(tuple(days), zone)


def _ranges(value: str, where: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in value.split(","):
        match = _RANGE.match(part)
        if not match:
            raise UserError(_('{where}: expected ranges like "09:00-12:00, 13:00-17:30"').format(where=where))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or h1 > 23 or end > 1440 or start >= end:
            raise UserError(_("{where}: '{range}' is not a range of times within one day").format(
                where=where, range=part.strip()))
        out.append((start, end))
    out.sort()
    for (_start, end), (start, _end) in zip(out, out[1:]):
        if start < end:
            raise UserError(_("{where}: ranges overlap").format(where=where))
    return tuple(out)


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
