"""Argument helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from breaker.config import Config, load_config
from breaker.core.i18n import _, localized
from breaker.store.storage import Storage

if TYPE_CHECKING:  # `breaker run` forgets argparse once parsed (cli/main.py)
    import argparse


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="FILE", help=_("database file (default: the user data folder)"))


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", help=_("config file (default: the user config folder)"))


def config_of(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def open_db(args: argparse.Namespace, *, readonly: bool = False) -> Storage:
    """Open the database named by ``--db`` (or the default), telling the user about any repair."""
    storage = Storage.open(getattr(args, "db", None), readonly=readonly)
    for notice in storage.notices:
        warn(notice)
    return storage


def warn(text: str) -> None:
    print(_("breaker: warning: {text}").format(text=localized(text)), file=sys.stderr)


def write_json_lists(out: TextIO, parts: Iterable[tuple[str, Iterable[Any]]], *, ensure_ascii: bool = True) -> None:
    """One JSON object of lists written item by item (any length in little memory): the same text as
    ``json.dumps(dict(parts), indent=1)``."""
    encode = json.JSONEncoder(indent=1, ensure_ascii=ensure_ascii).encode
    out.write("{")
    for n, (name, items) in enumerate(parts):
        out.write(f'{"," if n else ""}\n {json.dumps(name)}: [')
        count = 0
        for item in items:
            out.write(f'{"," if count else ""}\n  ' + encode(item).replace("\n", "\n  "))
            count += 1
        out.write("\n ]" if count else "]")
    out.write("\n}\n")
