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


class Said(str):
    """English text that remembers how it was made, so it can also be shown in the user's language.

    As a ``str`` it is the English sentence: JSON output, logs and ``str(exc)`` stay English (a contract).
    ``localized`` gives the same sentence translated, its arguments localized in turn. Build with ``said``.
    """

    template: str
    plural: str | None
    count: int | None
    args: dict[str, object]

    def __new__(cls, template: str, args: dict[str, object], plural: str | None = None,
                count: int | None = None) -> Said:
        english = plural if plural is not None and count != 1 else template
        made = super().__new__(cls, english.format(**args) if args else english)
        made.template, made.plural, made.count, made.args = template, plural, count, dict(args)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Said, (self.template, self.args, self.plural, self.count))

    def __copy__(self) -> Said:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Said:
        return self

    def parts(self) -> dict[str, object]:
        """A JSON form that ``from_parts`` turns back into the same ``Said``."""
        args = {k: v.parts() if isinstance(v, Said) else v if isinstance(v, int | float) else str(v)
                for k, v in self.args.items()}
        found: dict[str, object] = {"template": self.template, "args": args}
        if self.plural is not None:
            found.update(plural=self.plural, count=self.count)
        return found


def said(template: str, /, **args: object) -> Said:
    """``template`` (marked with ``N_``) filled with ``args``: English as a str, translatable on showing."""
    return Said(template, args)


def said_n(singular: str, plural: str, count: int, /, **args: object) -> Said:
    """Like ``said``, in the form that fits ``count`` (also the template's ``{count}``). Not wrapped in
    ``N_``: packaging/i18n.py extracts ``said_n`` calls as plural messages."""
    return Said(singular, {"count": count, **args}, plural, count)


def joined(items: list[str], sep: str = "; ") -> Said:
    """``items`` (each a ``Said`` or plain text) in a row, each localized on showing."""
    template = sep.join(f"{{p{index}}}" for index in range(len(items)))
    return Said(template, {f"p{index}": item for index, item in enumerate(items)})


def said_by(error: BaseException) -> str:
    """What ``error`` says: the ``Said`` it carries (translatable later), else its plain text."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], Said) else str(error)


def from_parts(found: object) -> str:
    """The ``Said`` that ``Said.parts`` described; a plain str (or anything else, as text) as it is."""
    if not isinstance(found, dict) or not isinstance(found.get("template"), str):
        return "" if found is None else str(found)
    raw = found.get("args") if isinstance(found.get("args"), dict) else {}
    args = {k: from_parts(v) if isinstance(v, dict) else v for k, v in raw.items()}  # type: ignore[union-attr]
    plural = found.get("plural")
    count = found.get("count")
    try:
        return Said(found["template"], args, plural if isinstance(plural, str) else None,
                    count if isinstance(count, int) else None)
    except (KeyError, IndexError, ValueError):
        return found["template"]


def localized(text: object) -> str:
    """``text`` for a person to read: a ``Said`` (or an exception carrying one) in the user's language.

    Plain text (a third-party error message, a path) is returned as it is."""
    if isinstance(text, BaseException):
        return localized(text.args[0]) if len(text.args) == 1 and isinstance(text.args[0], Said) else str(text)
    if not isinstance(text, Said):
        return str(text)
    args = {k: localized(v) if isinstance(v, Said | BaseException) else v for k, v in text.args.items()}
    if text.plural is not None and text.count is not None:
        template = ngettext(text.template, text.plural, text.count)
    else:
        template = _(text.template) if text.template else ""  # gettext("") is the catalogue's header
    try:
        return template.format(**args) if args else template
    except (KeyError, IndexError, ValueError):  # a catalogue's placeholders do not fit: the English text
        return str(text)
