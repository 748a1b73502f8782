"""Import APScheduler without the modules it loads for features breaker never uses (~2.5 MB of memory).

APScheduler 3 imports ``importlib.metadata`` (with email, csv, zipfile) only to read its own version and
its own plugins' entry points, and ``multiprocessing`` with ``concurrent.futures.process`` only for its
process-pool executor. ``import_apscheduler`` imports it once with small stand-ins for those three
modules, then takes the stand-ins out of ``sys.modules``, so any later import gets the real modules:
- importlib.metadata: APScheduler's own plugin table (its ``entry_points.txt``); no version (it then
  says 3.5.0, which nothing reads);
- multiprocessing: imports the real module the first time an attribute is read (the process pool);
- concurrent.futures.process: ``BrokenProcessPool`` is its base class ``BrokenExecutor``, which the
  process pool's ``except`` still catches.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import sys
import types
from typing import Any

from breaker.daemon.lean import OnFirstUse, standing_in

PLUGINS = {
    "apscheduler.triggers": {"date": "apscheduler.triggers.date:DateTrigger",
                             "interval": "apscheduler.triggers.interval:IntervalTrigger",
                             "cron": "apscheduler.triggers.cron:CronTrigger",
                             "and": "apscheduler.triggers.combining:AndTrigger",
                             "or": "apscheduler.triggers.combining:OrTrigger",
                             "calendarinterval": "apscheduler.triggers.calendarinterval:CalendarIntervalTrigger"},
    "apscheduler.executors": {"debug": "apscheduler.executors.debug:DebugExecutor",
                              "threadpool": "apscheduler.executors.pool:ThreadPoolExecutor",
                              "processpool": "apscheduler.executors.pool:ProcessPoolExecutor",
                              "asyncio": "apscheduler.executors.asyncio:AsyncIOExecutor"},
    "apscheduler.jobstores": {"memory": "apscheduler.jobstores.memory:MemoryJobStore"},
}
STANDS_IN = ("importlib.metadata", "multiprocessing", "concurrent.futures.process")


class EntryPoint:
    """What APScheduler uses of an entry point: ``name`` and ``load()``."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value

    def load(self) -> Any:
        module, _, attr = self.value.partition(":")
        return getattr(importlib.import_module(module), attr)


class PackageNotFoundError(ModuleNotFoundError):
    """Every package is unknown to the stand-in."""


def _version(name: str) -> str:
    raise PackageNotFoundError(name)


def _entry_points(*, group: str) -> list[EntryPoint]:
    return [EntryPoint(name, value) for name, value in PLUGINS.get(group, {}).items()]


def _stand_ins() -> dict[str, types.ModuleType]:
    metadata = types.ModuleType("importlib.metadata")
    metadata.__dict__.update(PackageNotFoundError=PackageNotFoundError, version=_version, entry_points=_entry_points)
    multiprocessing = OnFirstUse("multiprocessing")  # the real one once used (after the import)
    process = types.ModuleType("concurrent.futures.process")
    process.BrokenProcessPool = concurrent.futures.BrokenExecutor  # type: ignore[attr-defined]
    return {"importlib.metadata": metadata, "multiprocessing": multiprocessing, "concurrent.futures.process": process}


def import_apscheduler() -> bool:
    """Import APScheduler's BackgroundScheduler with the stand-ins; False (a plain import) when APScheduler
    or one of the real modules is already imported, or when this APScheduler wants more of them than they
    offer (another 3.x release)."""
    if "apscheduler" in sys.modules or any(name in sys.modules for name in STANDS_IN):
        importlib.import_module("apscheduler.schedulers.background")
        return False
    try:
        with standing_in(_stand_ins()):
            importlib.import_module("apscheduler.schedulers.background")
        lean = True
    except Exception:  # noqa: BLE001 - whatever it was, the plain import below decides
        lean = False
        for name in [m for m in sys.modules if m == "apscheduler" or m.startswith("apscheduler.")]:
            del sys.modules[name]
    if not lean:
        importlib.import_module("apscheduler.schedulers.background")
    return lean
