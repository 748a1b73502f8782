"""Errors meant for the user: one line, no traceback, exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input (file, key, value or argument). ``str()`` is the whole message."""

    exit_code = 2


class DataError(UserError):
    """A data file (database, trace) cannot be used as it is."""
