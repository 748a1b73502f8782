"""Short dates and numbers for reports and charts, in the user's language (Babel through ``breaker.i18n``)."""

from __future__ import annotations

from datetime import date

from breaker import i18n
from breaker.core.i18n import _, pgettext


def month(day: date) -> str:
    """The month's abbreviated name ("Nov", "Nov.", "nov")."""
    from babel.dates import get_month_names

    return str(get_month_names("abbreviated", "format", i18n.locale())[day.month])


def short_date(day: date) -> str:
    """Weekday, day and month: "Mon 23 Nov", "Mo. 23. Nov."."""
    # Translators: a short date; {weekday} and {month} are the locale's abbreviated names ("Mon 23 Nov").
    return _("{weekday} {day} {month}").format(weekday=i18n.weekday(day), day=day.day, month=month(day))


def weekday_day(day: date) -> str:
    """Weekday and day of the month: "Mon 23", "Mo. 23."."""
    # Translators: a chart's day label, the abbreviated weekday and the day of the month ("Mon 23").
    return _("{weekday} {day}").format(weekday=i18n.weekday(day), day=day.day)


def percent(ratio: float | None) -> str:
    """A ratio as a whole percentage ("42%", "42 %"); a dash when there is none."""
    return "–" if ratio is None else i18n.percent(ratio)


def day_month(day: date) -> str:
    """Day and month: "23 Nov", "23. Nov."."""
    # Translators: a day of the month and the month's abbreviated name ("23 Nov").
    return _("{day} {month}").format(day=day.day, month=month(day))


def hour_mark(count: int) -> str:
    """An hour mark on a chart's scale: "10 h"."""
    # Translators: a mark on a chart's hour scale ("10 h"); keep it short.
    return pgettext("chart scale", "{hours} h").format(hours=count)
