"""The user's language: which message catalogue to use, and dates, weekdays and numbers in its locale.

Messages follow ``LANGUAGE`` (a colon-separated list), then ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``, as
gettext does; "C" and "POSIX" mean English. Dates and numbers are written in the language of the messages,
so a German sentence never carries an English weekday; the region (``de_CH``, ``en_GB``) comes from
``LC_ALL``, ``LC_TIME`` / ``LC_NUMERIC`` or ``LANG`` when it names the same language.

Formatting uses Babel (the Unicode CLDR data for every locale, without the system locales that Python's
``locale`` module needs compiled on the machine). It is imported only when something is formatted, so the
daemon, which writes no dates, never loads it.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from breaker.core import i18n

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "breaker"
LOCALE_DIR = Path(__file__).with_name("locale")
_state = {"language": "en", "region": ""}


def _tag(value: str) -> str:
    """``de_DE.UTF-8@euro`` -> ``de_DE``; "C" and "POSIX" (and empty) -> ""."""
    tag = value.split(".", 1)[0].split("@", 1)[0].strip()
    return "" if tag in ("", "C", "POSIX") else tag


def requested_languages(environ: Mapping[str, str]) -> list[str]:
    """The languages the environment asks for, most wanted first (``["de_AT", "de"]``...)."""
    wanted = [_tag(part) for part in environ.get("LANGUAGE", "").split(":")]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            wanted.append(_tag(environ[name]))
            break
    result: list[str] = []
    for tag in filter(None, wanted):
        for candidate in (tag, tag.split("_", 1)[0]):
            if candidate not in result:
                result.append(candidate)
    return result


def available_languages() -> list[str]:
    """The languages breaker has a message catalogue for, English (the source) first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ["en", *found]


def setup(environ: Mapping[str, str] | None = None) -> str:
    """Choose the message catalogue and formatting locale from ``environ``; return the language in use."""
    env = os.environ if environ is None else environ
    have = set(available_languages())
    language = next((tag for tag in requested_languages(env) if tag.split("_")[0] in have), "en")
    language = language.split("_")[0]
    if language == "en":
        i18n.use(gettext.NullTranslations())
    else:
        i18n.use(gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[language], fallback=True))
    region = ""
    for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC", "LANG"):
        tag = _tag(env.get(name, ""))
        if tag:
            if tag.split("_")[0] == language and "_" in tag:
                region = tag.split("_", 1)[1]
            break
    _state.update(language=language, region=region)
    return language


def language() -> str:
    """The language of the messages in use ("en", "de", ...)."""
    return _state["language"]


@lru_cache(maxsize=8)
def _locale(language: str, region: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(f"{language}_{region}" if region else language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def locale() -> Locale:
    """The Babel locale that dates and numbers are written in."""
    return _locale(_state["language"], _state["region"])


def weekday(day: date, width: str = "abbreviated") -> str:
    """The weekday's name: ``width`` is "abbreviated" (Mon), "wide" (Monday) or "short" (Mo)."""
    from babel.dates import get_day_names

    return str(get_day_names(width, "format", locale())[day.weekday()])


def day_text(day: date) -> str:
    """A day with its weekday and month, the locale's way ("Mon, Nov 30", "Mo., 30. Nov.")."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MMMEd", day, locale=locale()))


def long_date(day: date) -> str:
    """A full date with the year, the locale's way ("Nov 30, 2026", "30.11.2026")."""
    from babel.dates import format_date

    return str(format_date(day, "medium", locale=locale()))


def clock(moment: datetime | time) -> str:
    """A time of day, hours and minutes, the locale's way ("2:05 PM", "14:05")."""
    from babel.dates import format_time

    return str(format_time(moment, "short", locale=locale()))


def number(value: float, decimals: int = 0) -> str:
    """``value`` with ``decimals`` places and the locale's separators ("1,234.5", "1.234,5")."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, pattern, locale=locale()))


def percent(fraction: float) -> str:
    """``fraction`` (0.42) as a whole percentage the locale's way ("42%", "42 %")."""
    from babel.numbers import format_percent

    return str(format_percent(fraction, locale=locale()))
