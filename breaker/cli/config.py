"""``breaker config init | check | path``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from breaker.config import default_path, example_text, load_config
from breaker.core.errors import UserError
from breaker.core.i18n import _
from breaker.timefmt import config_duration


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("config", help=_("create, check or locate the config file"))
    inner = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    init = inner.add_parser("init", help=_("write the commented example config"))
    init.add_argument("file", nargs="?", type=Path, help=_("where to write it (default: the user config folder)"))
    init.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    init.set_defaults(handler=_init)
    check = inner.add_parser("check", help=_("validate a config file"))
    check.add_argument("file", nargs="?", type=Path, help=_("file to check (default: the user config file)"))
    check.set_defaults(handler=_check)
    path = inner.add_parser("path", help=_("print where the config file is read from"))
    path.set_defaults(handler=lambda args: print(default_path()) or 0)


def _init(args: argparse.Namespace) -> int:
    target: Path = args.file or default_path()
    if target.exists() and not args.force:
        raise UserError(_("{path}: already exists (use --force to overwrite it)").format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(example_text())
    print(_("wrote {path}").format(path=target))
    return 0


def _check(args: argparse.Namespace) -> int:
    path: Path = args.file or default_path()
    config = load_config(path, must_exist=True)
    rules = config.rules
    values = {"path": path, "sit_limit": config_duration(rules.sit_limit),
              "natural_break": config_duration(rules.natural_break), "snooze": config_duration(rules.snooze),
              "reprompt": config_duration(rules.reprompt)}
    if rules.hours is None:
        text = _("{path}: ok - prompt after {sit_limit} of sitting, natural break {natural_break}, "
                 "snooze {snooze}, reprompt {reprompt}")
    else:
        text = _("{path}: ok - prompt after {sit_limit} of sitting, natural break {natural_break}, "
                 "snooze {snooze}, reprompt {reprompt}, working hours set")
    print(text.format(**values))
    return 0
