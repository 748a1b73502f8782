"""How times and durations are written for people and for machines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso_utc(at: datetime | None) -> str | None:
    """Machine form: ISO-8601 in UTC with an explicit offset, whole seconds unless there is a fraction."""
    if at is None:
        return None
    return at.astimezone(UTC).isoformat()


def human_duration(value: timedelta | float) -> str:
    """People form: "45 min", "1 h 05", "2 h", "20 s"."""
    seconds = int(round(value.total_seconds() if isinstance(value, timedelta) else value))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} min"
    return f"{hours} h" if minutes == 0 else f"{hours} h {minutes:02d}"


def config_duration(value: timedelta) -> str:
    """Config form: "1h30m", "45m", "90s" -> round-trips through the config parser."""
    total = int(value.total_seconds())
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((h, "h"), (m, "m"), (s, "s")) if n) or "0s"
