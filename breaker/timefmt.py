"""How times and durations are read from people and written for people and for machines."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, tzinfo

from breaker import i18n
from breaker.core.errors import UserError
from breaker.core.i18n import _, ngettext

_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"^\s*(?:{_NUMBER}\s*h)?\s*(?:{_NUMBER}\s*m)?\s*(?:{_NUMBER}\s*s)?\s*$")
LONGEST = timedelta(days=365)  # no duration breaker reads is longer: past this it is a typo


def parse_duration(value: object, where: str, *, longest: timedelta = LONGEST, numbers: bool = False) -> timedelta:
    """ "90s", "5m", "1h30m", "2.5s" -> timedelta; with ``numbers``, a bare number means seconds.

    Anything else, zero, or more than ``longest`` is a one-line ``UserError`` starting with ``where``."""
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif not isinstance(value, str):
        raise UserError(_('{where} = {value}: expected a duration in quotes like "90s", "5m" or "1h30m"').format(
            where=where, value=shown))
    elif value.strip().startswith("-"):
        raise UserError(_("{where} = {value}: must be longer than zero").format(where=where, value=shown))
    elif (match := _DURATION.match(value)) and any(match.groups()):
        h, m, s = (float(g or 0) for g in match.groups())
        seconds = h * 3600 + m * 60 + s
    else:
        raise UserError(_('{where} = {value}: not a duration (use e.g. "90s", "5m" or "1h30m")').format(
            where=where, value=shown))
    if not math.isfinite(seconds) or seconds <= 0:
        raise UserError(_("{where} = {value}: must be longer than zero").format(where=where, value=shown))
    if seconds > longest.total_seconds():
        raise UserError(_("{where} = {value}: must be at most {longest}").format(
            where=where, value=shown, longest=human_duration(longest)))
    return timedelta(seconds=seconds)


def iso_utc(at: datetime | None) -> str | None:
    """Machine form: ISO-8601 in UTC with an explicit offset, whole seconds unless there is a fraction."""
    if at is None:
        return None
    return at.astimezone(UTC).isoformat()


def plural(n: int, word: str) -> str:
    """ "1 bout", "2 bouts", "0 bouts" (English only: translated text uses ``ngettext`` with a whole sentence)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def human_time(at: datetime | str | None, zone: tzinfo | None = None) -> str:
    """People form of a moment, in local time (``zone`` or the system's): "Mon 30 Nov 15:27" in English,
    the locale's day and clock in other languages ("Mo., 30. Nov. 15:27")."""
    if at is None:
        return "-"
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    local = moment.astimezone(zone)
    if i18n.language() == "en":
        return f"{local:%a} {local.day} {local:%b %H:%M}"
    # Translators: a day and a time of day, e.g. "Mo., 30. Nov. 15:27" (both already in your locale's form)
    return _("{day} {time}").format(day=i18n.day_text(local.date()), time=i18n.clock(local))


def human_duration(value: timedelta | float) -> str:
    """People form, the one way breaker writes a duration: "20 s", "1 min 30 s", "45 min", "2 h", "1 h 5 min".

    Seconds are kept below 10 minutes only (an exercise's length, a short snooze). Gettext only, no Babel:
    the daemon writes durations too."""
    seconds = int(round(value.total_seconds() if isinstance(value, timedelta) else value))
    if seconds < 60:
        # Translators: a duration in seconds, abbreviated (the same units everywhere breaker shows time)
        return _("{seconds} s").format(seconds=seconds)
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("{days} day", "{days} days", days).format(days=days)
    if seconds < 600 and seconds % 60:
        # Translators: a duration in minutes and seconds, abbreviated
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        # Translators: a duration in minutes, abbreviated
        return _("{minutes} min").format(minutes=minutes)
    if minutes == 0:
        # Translators: a duration in hours, abbreviated
        return _("{hours} h").format(hours=hours)
    # Translators: a duration in hours and minutes, abbreviated
    return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


def config_duration(value: timedelta) -> str:
    """Config form: "1h30m", "45m", "90s" -> round-trips through the config parser."""
    total = int(value.total_seconds())
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((h, "h"), (m, "m"), (s, "s")) if n) or "0s"
