"""The user's local time zone: ``TZ`` if set, else the system's, as a DST-aware ``tzinfo``."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from breaker.errors import UserError


def local_zone() -> tzinfo:
    """A zoneinfo zone when one can be named, else the fixed offset the system reports now."""
    name = os.environ.get("TZ", "").strip()
    if name:
        name = name.removeprefix(":")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise UserError(f"TZ={name}: unknown time zone (use a name like Europe/Berlin)") from None
    system = _system_zone_name()
    if system:
        try:
            return ZoneInfo(system)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


def _system_zone_name() -> str | None:
    """The IANA name behind /etc/localtime or /etc/timezone, if there is one."""
    link = Path("/etc/localtime")
    try:
        target = str(link.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        return Path("/etc/timezone").read_text().strip() or None
    except OSError:
        return None
