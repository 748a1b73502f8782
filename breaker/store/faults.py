"""What a SQLite error means for the user: a damaged file, or a fault of the disk or of another program.

Only damage (not a database, a failed integrity check) may ever move a file aside. Everything else
(locked, full, read-only, I/O) leaves the file where it is and is told in one line with its fix.
"""

from __future__ import annotations

import errno
import sqlite3

from breaker.core.i18n import N_, _, said

# primary result codes (https://www.sqlite.org/rescode.html)
_PERM, _BUSY, _LOCKED, _NOMEM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 7, 8, 10, 11, 13, 14, 26

_FAULTS = {
    _BUSY: (N_("the database is locked by another program"),
            N_("close the program that holds it (an sqlite3 shell, a backup or sync tool) and try again")),
    _LOCKED: (N_("the database is locked by another program"),
              N_("close the program that holds it (an sqlite3 shell, a backup or sync tool) and try again")),
    _FULL: (N_("the disk is full"), N_("free some space on that disk")),
    _READONLY: (N_("the database is on a read-only file system or file"),
                N_("make the folder and file writable (or remount the disk read-write)")),
    _IOERR: (N_("the disk reported an I/O error"), N_("check the disk (dmesg, smartctl) and its free space")),
    _CANTOPEN: (N_("the database file cannot be opened"),
                N_("check that its folder exists and is writable by you (or that the disk is not full or read-only)")),
    _PERM: (N_("permission denied"), N_("make the file and its folder yours and writable")),
    _NOMEM: (N_("out of memory"), N_("close other programs and try again")),
}
_ERRNO = {
    errno.ENOSPC: _FULL, errno.EDQUOT: _FULL, errno.EROFS: _READONLY, errno.EACCES: _PERM, errno.EPERM: _PERM,
    errno.EIO: _IOERR,
}


def code(err: sqlite3.Error) -> int | None:
    """The primary SQLite result code of ``err`` (None when SQLite gave none)."""
    value = getattr(err, "sqlite_errorcode", None)
    return None if value is None else int(value) & 0xFF


def is_damage(err: sqlite3.Error) -> bool:
    """Does ``err`` say the file itself is damaged (rather than the disk or another program)?"""
    return code(err) in (_CORRUPT, _NOTADB)


def is_busy(err: BaseException) -> bool:
    """Is another program holding the database (a wait may help)?"""
    return isinstance(err, sqlite3.Error) and (code(err) in (_BUSY, _LOCKED) or "locked" in str(err))


def reason(err: BaseException) -> str:
    """A few words for ``breaker status``: "the disk is full", "the database is locked by another program".

    English as a str: it travels as data (the ``save_problem`` of the status JSON); a known fault is a
    ``Said``, shown translated. SQLite's own words stay as they are."""
    cause, fix = _describe(err)
    return said(cause) if fix else cause


def explain(err: BaseException) -> str:
    """Cause and fix in one line: "the disk is full; free some space on that disk ..."."""
    cause, fix = _describe(err)  # the known ones are marked; SQLite's own words stay as they are
    cause = _(cause) if cause else cause
    # Translators: a fault and its fix, e.g. "the disk is full; free some space on that disk"
    return _("{cause}; {fix}").format(cause=cause, fix=_(fix)) if fix else cause


def _describe(err: BaseException) -> tuple[str, str]:
    if isinstance(err, sqlite3.Error):
        found = _FAULTS.get(code(err) or -1)
        if found is not None:
            return found
        text = str(err)
        if "locked" in text:
            return _FAULTS[_BUSY]
        return text, ""
    if isinstance(err, OSError):
        found = _FAULTS.get(_ERRNO.get(err.errno or -1, -1))
        if found is not None:
            return found
        return err.strerror or str(err), ""
    return str(err), ""
