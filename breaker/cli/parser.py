"""The ``breaker`` argument parser: argparse with one-line errors, subcommands described by their summary.

Imported by ``cli/main.py`` only while it parses: ``breaker run`` then forgets this module and argparse
(``main.forget_parser``), as the daemon has no further use for them.
"""

from __future__ import annotations

import argparse
import importlib

from breaker import __version__
from breaker.core.i18n import _


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (usage is one ``--help`` away)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, _("{prog}: {message} (see {prog} --help)").format(prog=self.prog, message=message) + "\n")

    def add_subparsers(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("action", _Commands)
        return super().add_subparsers(**kwargs)


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose ``--help`` opens with their one-line summary unless they describe themselves."""

    def add_parser(self, name: str, **kwargs):  # type: ignore[no-untyped-def]
        summary = kwargs.get("help")
        if summary and not kwargs.get("description"):
            kwargs["description"] = summary[0].upper() + summary[1:].rstrip(".") + "."
        return super().add_parser(name, **kwargs)


def build_parser(modules: tuple[str, ...]) -> argparse.ArgumentParser:
    """The command line with the commands of ``modules`` (each ``breaker.cli.<name>`` with ``register``)."""
    parser = _Parser(
        prog="breaker",
        description=_("Measures how long you really sit and gets you up with the right movement."),
    )
    parser.add_argument("--version", action="version", version=f"breaker {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log to the console too"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser
