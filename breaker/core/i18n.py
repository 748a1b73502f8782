"""The one place text is translated: ``_``, ``ngettext``, ``pgettext`` and the marker ``N_``.

The core only looks words up; which language is in use is decided at start-up by ``breaker.i18n.setup``
(it reads the environment and the message catalogues) and handed in with ``use``. Until then, and for any
text a catalogue lacks, the English source text is returned unchanged.
"""

from __future__ import annotations

import gettext

_active: gettext.NullTranslations = gettext.NullTranslations()


def use(translations: gettext.NullTranslations) -> None:
    """Make ``translations`` the catalogue every later lookup reads."""
    global _active
    _active = translations


def active() -> gettext.NullTranslations:
    """The catalogue in use (a ``NullTranslations`` means English)."""
    return _active


def _(message: str) -> str:
    """``message`` in the user's language."""
    return _active.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Mark ``message`` for translation without translating it now (translate it where it is shown)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits ``count`` in the user's language."""
    return _active.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` as used in ``context`` (a short word that reads differently in different places)."""
    return _active.pgettext(context, message)


def one_stop(sentence: str) -> str:
    """``sentence`` with one full stop where an abbreviation ends it ("längste 55 Min.." -> "55 Min.")."""
    return sentence[:-1] if sentence.endswith("..") and not sentence.endswith("...") else sentence
