"""ISO weeks (Monday to Sunday) and the local midnights that bound their days. Pure: no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from breaker.core.errors import UserError
from breaker.core.i18n import _

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


FIRST_YEAR, LAST_YEAR = 1970, 2999  # the years a trace may name (breaker.replay.trace)


@dataclass(frozen=True, order=True)
class Week:
    """An ISO-8601 week (Monday to Sunday), e.g. ``Week(2026, 48)`` = "2026-W48"."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """ "2026-W48" -> Week; anything else is a one-line ``UserError``."""
        match = _WEEK.match(text.strip())
        if not match:
            raise UserError(_("--week {text}: expected an ISO week like 2026-W48").format(text=text))
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise UserError(_("--week {text}: {year} has no week {number}").format(
                text=text, year=year, number=number)) from None
        if not FIRST_YEAR <= year <= LAST_YEAR:  # the week after 9999-W52 is past the last date Python knows
            raise UserError(_("--week {text}: choose a week in the years {first} to {last}").format(
                text=text, first=FIRST_YEAR, last=LAST_YEAR))
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def previous(self) -> Week:
        return Week.containing(self.monday - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week.containing(self.monday + timedelta(days=7))

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Local midnight starting Monday and local midnight ending Sunday."""
        return local_midnight(self.monday, zone), local_midnight(self.monday + timedelta(days=7), zone)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The instant ``day`` begins in ``zone`` (a skipped midnight maps to the end of the gap)."""
    return datetime.combine(day, time(0), zone)
