"""APScheduler imported with stand-ins (daemon/apsched.py): its triggers and executors still work, and
every later import of importlib.metadata, multiprocessing or the process pool gets the real module.
Each case runs in a fresh interpreter: this test process has imported APScheduler long ago."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.daemonkit import ROOT

PROBE = r"""
import json, sys, threading, time
from datetime import datetime, timedelta, UTC
from breaker.daemon.apsched import import_apscheduler

lean = import_apscheduler()
after_import = sorted(m for m in ("importlib.metadata", "multiprocessing", "concurrent.futures.process")
                      if m in sys.modules)
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.background import BackgroundScheduler

ran = []
scheduler = BackgroundScheduler(executors={"default": DebugExecutor()}, timezone=UTC)
scheduler.start()
done = threading.Event()
scheduler.add_job(lambda: (ran.append("date"), done.set()), "date", run_date=datetime.now(UTC) + timedelta(seconds=0.2))
cron = scheduler.add_job(lambda: None, "cron", hour=0, minute=0, second=5)
interval = scheduler.add_job(lambda: None, "interval", hours=1)
done.wait(30)
scheduler.shutdown()
import importlib.metadata, multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from apscheduler.executors.pool import ProcessPoolExecutor as ApsProcessPool
pool = ApsProcessPool(max_workers=1)
print(json.dumps({
    "lean": lean, "after_import": after_import, "ran": ran,
    "triggers": [type(cron.trigger).__name__, type(interval.trigger).__name__],
    "version": importlib.metadata.version("APScheduler"),
    "cpus": multiprocessing.cpu_count() > 0,
    "broken": BrokenProcessPool.__module__,
    "real_pool": ProcessPoolExecutor.__module__,
}))
"""


def run_probe(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_apscheduler_runs_without_importlib_metadata_and_real_modules_come_back() -> None:
    out = run_probe(PROBE)
    assert out["lean"] is True
    assert out["after_import"] == []  # none of the three was loaded for APScheduler
    assert out["ran"] == ["date"]  # a "date" job fired through the stand-in's plugin table
    assert out["triggers"] == ["CronTrigger", "IntervalTrigger"]
    assert isinstance(out["version"], str) and out["version"].startswith("3.")  # the real importlib.metadata
    assert out["cpus"] is True  # the real multiprocessing
    assert out["broken"] == "concurrent.futures.process" and out["real_pool"] == "concurrent.futures.process"


def test_an_earlier_real_import_means_a_plain_import() -> None:
    out = run_probe("import importlib.metadata, json\nfrom breaker.daemon.apsched import import_apscheduler\n"
                    "print(json.dumps({'lean': import_apscheduler()}))")
    assert out["lean"] is False


def test_an_apscheduler_that_wants_more_gets_a_plain_import() -> None:
    code = ("import json, sys, types\n"
            "from breaker.daemon import apsched\n"
            "def bare():\n"
            "    return {name: types.ModuleType(name) for name in apsched.STANDS_IN}\n"
            "apsched._stand_ins = bare  # no version(), no entry_points(): APScheduler's import fails\n"
            "lean = apsched.import_apscheduler()\n"
            "from apscheduler.schedulers.background import BackgroundScheduler\n"
            "print(json.dumps({'lean': lean, 'real': 'entry_points' in dir(sys.modules['importlib.metadata']),\n"
            "                  'plugins': sorted(BackgroundScheduler._trigger_plugins)[:3]}))")
    out = run_probe(code)
    assert out["lean"] is False and out["real"] is True
    assert out["plugins"] == ["and", "calendarinterval", "cron"]  # read by the real importlib.metadata
