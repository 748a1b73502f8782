"""``breaker run``: choose the adapters once, build the daemon, run until Quit or a signal."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breaker.adapters.ports import Notifier, Probe, PromptText, Unavailable
from breaker.catalogue import load_catalogue
from breaker.config import Config
from breaker.core.coach import Coach
from breaker.core.engine import Engine
from breaker.core.errors import UserError
from breaker.core.exercise import Catalogue
from breaker.core.i18n import N_, _, localized, said
from breaker.daemon.apsched import import_apscheduler
from breaker.daemon.lean import forget_modules, import_dbus_fast, lazy_sysconfig, release_free_memory, without_openssl
from breaker.icons import icon_path
from breaker.ipc import ControlServer, InstanceLock, socket_path
from breaker.logs import setup_logging
from breaker.store.coach_state import StoredCoach
from breaker.store.session import Session
from breaker.store.storage import Storage

if TYPE_CHECKING:  # imported in run(), after without_openssl(): APScheduler imports asyncio
    from breaker.daemon.service import Daemon

log = logging.getLogger(__name__)

# packages only some desktops need: which of them this daemon imported is in ``breaker status --json``
# (backends.modules), so a test can see that a StatusNotifierItem tray costs no Pillow, Wayland no Xlib,
# no daemon loads Babel (dates and numbers are written by the windows and the CLI only), and APScheduler
# brought neither importlib.metadata nor multiprocessing (daemon/apsched.py), and what only start-up needed was
# forgotten (daemon/lean.py: platformdirs, tempfile, shutil, importlib.resources, tomllib, sysconfig;
# cli/main.py: argparse); dbus-fast came without hashlib
OPTIONAL_MODULES = ("PIL", "pystray", "Xlib", "pywayland", "dbus_fast", "desktop_notifier", "plyer", "tkinter", "ssl",
                    "babel", "importlib.metadata", "multiprocessing", "platformdirs", "tempfile", "shutil",
                    "importlib.resources", "tomllib", "sysconfig", "hashlib", "argparse")


def graphical() -> bool:
    """Is there a desktop to show windows and notifications on?"""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class Adapters:
    """Everything OS-specific the daemon uses, chosen once at start-up."""

    def __init__(self, catalogue: Catalogue, config: Config, *, console: bool, guide_args: list[str]) -> None:
        from breaker.adapters.aio import LoopThread  # asyncio: after without_openssl()

        self.catalogue, self.config, self.guide_args = catalogue, config, guide_args
        self.loop = LoopThread()
        self.probes: list[Probe] = []
        self.dnd_active: str | None = None
        self.console = None
        self.notifier: Notifier
        self.tray: Any = None
        self.dnd: Any = None
        self.away: Any = None
        self.guide: Any = None
        self.idle_name: str | None = None
        self.tray_grace = float(os.environ.get("BREAKER_TRAY_WAIT", "10"))
        if console:
            from breaker.adapters.console import ConsoleUI

            self.notifier = self.console = ConsoleUI(catalogue)
            self.probes.append(Probe("notify", "console", True, said(N_("prompts in this terminal, single-key answers"))))
        else:
            from breaker.adapters.notify import open_notifier

            self.notifier, probes = open_notifier(self.loop, app_icon=str(icon_path(64)))
            self.probes += probes
        self._dnd_opened = threading.Event()  # set once the do-not-disturb checks are open (or cannot be)

    def start_watchers(self, daemon: Daemon) -> None:
        """The tray (first: the icon is what the user waits for), then do-not-disturb (asked only when a
        prompt is due: ``dnd_reason`` waits for it), the lock/suspend signals, and the tray once more
        after ``tray_grace`` when no tray host was there yet."""
        if self.console is None:
            self.tray = self._open_tray(daemon, 0.0)
        self._open_dnd()
        try:
            from breaker.adapters.power import start_away_watcher

            self.away = start_away_watcher(self.loop, daemon.away_event)
        except (ImportError, Unavailable) as err:
            log.info("lock/suspend signals unavailable (the clock-gap check still works): %s", err)
        if not daemon.watch_clock():
            log.info("no word from the OS of a set wall clock here: the scheduler looks at it every minute")
        if self.console is None and self.tray is None:  # no tray yet: give a panel starting with us time
            self.tray = self._open_tray(daemon, self.tray_grace) if self.tray_grace > 0 else None
            if self.tray is None:
                log.warning("no system tray found: breaker runs on without an icon (use breaker status)")

    def _open_tray(self, daemon: Daemon, grace: float) -> Any:
        try:
            from breaker.adapters.tray import open_tray
            from breaker.daemon.tray_actions import DaemonTrayActions

            return open_tray(DaemonTrayActions(daemon), daemon.view(), self.loop, grace=grace)
        except (ImportError, Unavailable) as err:
            log.info("tray unavailable: %s", err)
            return None

    def _open_dnd(self) -> None:
        try:
            from breaker.adapters.dnd import open_dnd

            self.dnd = open_dnd(self.loop)
        except (ImportError, Unavailable) as err:
            log.info("do-not-disturb detection unavailable: %s", err)
        finally:
            self._dnd_opened.set()

    # ---- used by the daemon ---------------------------------------------------------------------

    def notify(self, text: PromptText, answer: Any) -> None:
        self.notifier.show(text, answer)

    def close_prompt(self) -> None:
        self.notifier.close()

    def open_guide(self, exercise: str, level: int | None, done: Any) -> None:
        if self.console is not None:
            self.console.open_guide(exercise, level, done)
            return
        from breaker.adapters.guide_process import GuideProcess

        self.guide = GuideProcess(exercise, level, done, config=self.config.path, extra_args=self.guide_args)

    def update_tray(self, view: Any) -> None:
        if self.tray is not None:
            self.tray.update(view)

    def dnd_reason(self) -> str | None:
        self._dnd_opened.wait(30)  # a prompt due at start-up waits for the checks opened after docking
        try:
            return self.dnd.reason() if self.dnd is not None else None
        except Exception as err:  # never let a desktop query stop the daemon
            log.debug("dnd check failed: %s", err)
            return None

    def backends(self) -> dict[str, Any]:
        return {
            "notify": self.notifier.kind,
            "tray": getattr(self.tray, "kind", None),
            "away": list(getattr(self.away, "sources", []) or []),
            "dnd": ", ".join(getattr(self.dnd, "checks", []) or []) or None,
            "idle": self.idle_name,
            "modules": sorted(name for name in OPTIONAL_MODULES if sys.modules.get(name) is not None),
        }

    def close(self) -> None:
        for part, method in ((self.guide, "stop"), (self.tray, "stop"), (self.away, "stop"), (self.dnd, "close")):
            if part is not None:
                try:
                    getattr(part, method)()
                except Exception as err:
                    log.debug("stopping %s: %s", part, err)
        try:
            self.notifier.close()
        except Exception as err:
            log.debug("closing the notification: %s", err)
        self.loop.stop()


def started_line(config: Config, idle_name: str, adapters: Adapters, db: Path) -> str:
    """What ``breaker run`` is doing, in one line (without a desktop it says nothing else for a while)."""
    from breaker.timefmt import human_duration

    limit = human_duration(config.rules.sit_limit.total_seconds())
    tray = getattr(adapters.tray, "kind", None) or "none"
    return _("breaker is running: idle time from {idle}, a break prompt after {limit} of sitting ({notifier}), "
             "tray: {tray}, data: {db}. Stop it with Ctrl+C or: breaker quit").format(
        idle=idle_name, limit=limit, notifier=adapters.notifier.kind, tray=tray, db=db)


def open_idle(adapters: Adapters, console: bool) -> Any:
    if console:
        from breaker.adapters.idle.tty import TtyIdle

        return TtyIdle()
    from breaker.adapters.idle import open_idle_source

    return open_idle_source(adapters.loop)


def reload(daemon: Daemon) -> None:
    """SIGHUP: read the config again; a bad file keeps the old config and says so in one line."""
    try:
        print(f"breaker: {daemon.control('reload', {})}", file=sys.stderr, flush=True)
    except UserError as err:
        print(f"breaker: {err}", file=sys.stderr, flush=True)


def run(config: Config, db: Path | None, *, console: bool | None, verbose: bool, guide_args: list[str]) -> int:
    setup_logging(verbose)
    control_path = socket_path()  # a runtime folder of another user, or a path too long: one line, now
    lock = InstanceLock()
    if not lock.acquire():
        print(_("breaker is already running (pid {pid}); see breaker status").format(pid=lock.owner()),
              file=sys.stderr)
        return 1
    console = (not graphical()) if console is None else console
    storage = Storage.open(db)
    for notice in storage.notices:
        log.warning(notice)
    catalogue = load_catalogue(config.exercises, str(config.path or "config"))
    # folders, zone and catalogue are known: forget what only they needed first, so the imports below reuse its memory
    lazy_sysconfig()
    log.debug("forgotten once started: %s", " ".join(forget_modules()) or "nothing")
    without_openssl()
    import_dbus_fast()
    import_apscheduler()
    from breaker.daemon.service import Daemon

    session = Session(Engine(config.rules), storage, StoredCoach(Coach(catalogue), storage))
    try:
        # the guide window reads the coach's state (notice, reason, progress) from this daemon's database
        adapters = Adapters(catalogue, config, console=console, guide_args=[*guide_args, "--db", str(storage.path)])
    except Unavailable as err:
        print("breaker: " + _("cannot show break prompts here: {reason}").format(reason=localized(err)), file=sys.stderr)
        lock.release()
        return 1
    try:
        idle = open_idle(adapters, console)
        adapters.idle_name = idle.name
    except (ImportError, Unavailable) as err:
        log.error("no way to read the idle time here: %s", err)
        print("breaker: " + _("cannot read keyboard/mouse idle time: {reason}").format(reason=localized(err)),
              file=sys.stderr)
        adapters.close()
        lock.release()
        return 1
    daemon = Daemon(config, storage, session, idle=idle, adapters=adapters)
    server = ControlServer(daemon.control, control_path)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: daemon.request_quit())
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=reload, args=(daemon,), daemon=True).start())
    daemon.start()
    adapters.start_watchers(daemon)
    log.info("breaker running (idle: %s, notify: %s, db: %s)", idle.name, adapters.notifier.kind, storage.path)
    print(started_line(config, idle.name, adapters, storage.path), flush=True)
    release_free_memory()
    try:
        tray = adapters.tray
        if tray is not None and getattr(tray, "needs_main_thread", False):  # macOS: the icon owns the main thread
            threading.Thread(target=lambda: daemon.quit_requested.wait() or tray.stop(), daemon=True).start()
            tray.run_main()
        daemon.quit_requested.wait()
    finally:
        server.close()
        daemon.stop()
        idle.close()
        storage.close()
        lock.release()
    log.info("breaker stopped")
    return 0
