"""Keeping the daemon's memory small: what it never loads, what it forgets once started, what it gives back.

The daemon runs all day; every module it has imported stays in its memory (code, docstrings, dicts).
Some are needed only while it starts: platformdirs computes its folders once (with tempfile, shutil,
bz2 and lzma behind it), tomllib reads the config and the catalogue, zoneinfo loads
``importlib.resources`` when tzlocal asks for a zone by a name the system's zone folder does not have, and
reads its zone path from ``sysconfig`` (the interpreter's build settings) once (``lazy_sysconfig``). ``forget_modules`` takes such modules out of
``sys.modules`` once the daemon runs; one still in use is put back as it was, so a later import never
makes a second copy of a module something holds. A later ``import`` of a forgotten module (a reload,
the tray's "Settings") simply imports it again. Forgotten before the daemon imports asyncio, dbus-fast and
APScheduler: Python keeps freed objects' memory for new objects, so those imports reuse it.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

# needed only while the daemon starts (paths, the local zone): see the module's docstring; "x*": every
# module whose name starts with x
START_ONLY = ("platformdirs", "importlib.resources", "importlib.readers", "tempfile", "shutil", "bz2", "lzma",
              "tomllib", "sysconfig", "_sysconfigdata_*")


def without_openssl() -> None:
    """The daemon does no cryptography: keep OpenSSL's libcrypto (~1 MB PSS) and ssl out of its memory.

    Importing ``ssl`` or ``_hashlib`` fails in this process from now on (a ``None`` in ``sys.modules``):
    asyncio runs without TLS, and ``hashlib`` (dbus-fast hashes its introspection cache keys) falls back
    to the interpreter's own SHA-2. Both are the standard library's paths for a Python built without
    OpenSSL. Linux only, where it is measured and tested.
    """
    if sys.platform.startswith("linux"):
        for name in ("ssl", "_ssl", "_hashlib"):
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def import_dbus_fast() -> bool:
    """Import dbus-fast with a ``hashlib`` that has only ``sha256``, the one function it calls (to key its
    introspection cache), taken from the interpreter's own ``_sha256`` (``_sha2`` from Python 3.12): the
    real hashlib would load six hash modules (md5, sha1, sha3, blake2...). The stand-in leaves
    ``sys.modules`` at once, so any later ``import hashlib`` is the real one. Without OpenSSL (see
    ``without_openssl``) the real ``hashlib.sha256`` is this same function. False (nothing done, or a plain
    import) when hashlib or dbus-fast is already imported or the interpreter has neither module."""
    if "hashlib" in sys.modules or "dbus_fast" in sys.modules or sys.modules.get("_hashlib", False) is not None:
        return False
    for name in ("_sha256", "_sha2"):
        try:
            sha256 = importlib.import_module(name).sha256
            break
        except (ImportError, AttributeError):
            continue
    else:
        return False
    stand_in = types.ModuleType("hashlib")
    stand_in.sha256 = sha256  # type: ignore[attr-defined]
    try:
        with standing_in({"hashlib": stand_in}):
            importlib.import_module("dbus_fast")
        return True
    except ImportError:  # not installed: the adapters say so when they need it
        return False


@contextmanager
def standing_in(modules: dict[str, types.ModuleType]) -> Iterator[None]:
    """Stand-in modules in ``sys.modules`` for the imports made inside, taken out again after (those still
    there), so every later import gets the real module."""
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class OnFirstUse(types.ModuleType):
    """Stands in for a module: imports the real one when one of its attributes is first read."""

    def __getattr__(self, attr: str) -> object:
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_sysconfig() -> bool:
    """zoneinfo keeps ``sysconfig`` only to read the zone path again if ``zoneinfo.reset_tzpath()`` is
    called: give it a stand-in that imports sysconfig on that call, so sysconfig can be forgotten (about
    0.17 MB with its build settings). False when this Python's zoneinfo keeps no such module."""
    tzpath = sys.modules.get("zoneinfo._tzpath")
    held = getattr(tzpath, "sysconfig", None)
    if not isinstance(held, types.ModuleType) or isinstance(held, OnFirstUse) or held.__name__ != "sysconfig":
        return False
    tzpath.sysconfig = OnFirstUse("sysconfig")  # type: ignore[union-attr]
    return True


def _named(name: str, roots: tuple[str, ...]) -> bool:
    return any(name.startswith(root[:-1]) if root.endswith("*") else name == root or name.startswith(root + ".")
               for root in roots)


def forget_modules(roots: tuple[str, ...] = START_ONLY) -> list[str]:
    """Take the modules ``roots`` (and their submodules) out of ``sys.modules`` and free them; put back
    any that something still holds. Returns the names forgotten for good, sorted. Call it before other
    threads start: an import running meanwhile could miss a module for a moment."""
    taken = {name: module for name, module in list(sys.modules.items())
             if _named(name, roots) and module is not None}
    for name in taken:
        del sys.modules[name]
        parent, _, child = name.rpartition(".")
        holder = sys.modules.get(parent) if parent else None
        if holder is not None and getattr(holder, child, None) is taken[name]:
            delattr(holder, child)  # importlib.resources is also an attribute of importlib
    alive = {name: weakref.ref(module) for name, module in taken.items()}
    del taken
    gc.collect()  # modules are cycles (their functions refer to their globals)
    forgotten = []
    for name, ref in alive.items():
        module = ref()
        if module is None:
            forgotten.append(name)
            continue
        sys.modules[name] = module  # still in use: the same module, importable again
        parent, _, child = name.rpartition(".")
        if parent in sys.modules and sys.modules[parent] is not None:
            setattr(sys.modules[parent], child, module)
    return sorted(forgotten)


def release_free_memory() -> None:
    """Give back to the system what start-up allocated and freed (imports, parsing): glibc keeps freed
    heap pages mapped until ``malloc_trim`` (about 0.5 MB of the daemon's PSS). Linux with glibc only."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # another C library (musl has no malloc_trim)
            pass
