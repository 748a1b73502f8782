"""The ``breaker`` command line: a thin layer that parses arguments and formats results.

Each group of subcommands lives in ``breaker.cli.<name>`` and exposes ``register(subparsers)``;
the handler it sets returns an exit code. User mistakes become one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from breaker.cli.argtext import localise
from breaker.core.errors import UserError
from breaker.i18n import setup as setup_language

if TYPE_CHECKING:
    import argparse

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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` (a module of COMMAND_MODULES) just that module's commands."""
    from breaker.cli.parser import build_parser as build  # here: `breaker run` forgets it (forget_parser)

    return build((only,) if only else COMMAND_MODULES)


def forget_parser() -> None:
    """``breaker run`` lives all day and has parsed its arguments: forget argparse and the parser, so the
    daemon's imports reuse their memory (daemon/lean.py)."""
    from breaker.daemon.lean import forget_modules

    forget_modules(("argparse", "breaker.cli.parser"))


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
    if command in LONG_LIVED:
        args = SimpleNamespace(**vars(args))  # an argparse.Namespace would keep argparse alive
        del parser
        forget_parser()
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
