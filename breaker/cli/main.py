"""The ``breaker`` command line: a thin layer that parses arguments and formats results.

Each group of subcommands lives in ``breaker.cli.<name>`` and exposes ``register(subparsers)``;
the handler it sets returns an exit code. User mistakes become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from breaker import __version__
from breaker.cli.argtext import localise
from breaker.core.errors import UserError
from breaker.core.i18n import _
from breaker.i18n import setup as setup_language

COMMAND_MODULES = (
    "breaker.cli.engine",
    "breaker.cli.config",
    "breaker.cli.daemon",
    "breaker.cli.exercises",
    "breaker.cli.stats",
    "breaker.cli.doctor",
    "breaker.cli.autostart",
)
# `breaker run` is the one command that stays in memory all day: it registers only its own module, so
# the daemon does not carry the other commands' imports (replay, reports, doctor...)
LONG_LIVED = {"run": "breaker.cli.daemon"}


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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` (a module of COMMAND_MODULES) just that module's commands."""
    parser = _Parser(
        prog="breaker",
        description=_("Measures how long you really sit and gets you up with the right movement."),
    )
    parser.add_argument("--version", action="version", version=f"breaker {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log to the console too"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (only,) if only else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    setup_language()
    localise()
    command = next((word for word in words if not word.startswith("-")), None)
    parser = build_parser(LONG_LIVED.get(command or ""))
    args = parser.parse_args(words)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except UserError as err:
        print(f"breaker: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def main_gui() -> int:
    """Entry point without a console window (Windows): runs the daemon."""
    return main(["run"])


if __name__ == "__main__":
    sys.exit(main())
