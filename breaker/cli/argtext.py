"""argparse's own words (usage, options, its error messages) in the user's language.

argparse looks its texts up through ``gettext`` in the "messages" domain, where no catalogue of ours
is; ``localise`` points its lookups at breaker's catalogue. The msgids below are argparse's own, marked
here so that they are extracted and translated with the rest.
"""

from __future__ import annotations

from breaker.core import i18n
from breaker.core.i18n import N_

ARGPARSE_TEXTS = (
    # Translators: the heading of a command's synopsis in --help; keep the colon and the space after it
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plurals(count: int) -> str:
    """Never called: marks argparse's plural message for extraction."""
    return i18n.ngettext("expected %s argument", "expected %s arguments", count)


def localise() -> None:
    """Make argparse read its texts from breaker's catalogue (English when none is chosen)."""
    import argparse  # here, not at the top: `breaker run` forgets argparse once parsed (cli/main.py)

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
