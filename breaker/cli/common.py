"""Argument helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from breaker.config import Config, load_config
from breaker.store.storage import Storage


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="FILE", help="database file (default: the user data folder)")


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file (default: the user config folder)")


def config_of(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def open_db(args: argparse.Namespace, *, readonly: bool = False) -> Storage:
    """Open the database named by ``--db`` (or the default), telling the user about any repair."""
    storage = Storage.open(getattr(args, "db", None), readonly=readonly)
    for notice in storage.notices:
        warn(notice)
    return storage


def warn(text: str) -> None:
    print(f"breaker: warning: {text}", file=sys.stderr)
