"""``breaker run | status | pause | resume | snooze | quit``: the daemon and its remote control."""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from typing import Any

from breaker import ipc
from breaker.cli.common import add_config, add_db, config_of
from breaker.core.errors import UserError
from breaker.timefmt import human_duration, human_time


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser("run", help="start the daemon (tray icon, prompts, tracking)")
    add_config(run)
    add_db(run)
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--console", dest="console", action="store_true", default=None,
                      help="prompts in this terminal with single-key answers (automatic without a desktop)")
    mode.add_argument("--desktop", dest="console", action="store_false", help="force desktop mode")
    run.add_argument("--guide-args", default="", help=argparse.SUPPRESS)
    run.set_defaults(handler=_run)
    status = sub.add_parser("status", help="what the running daemon sees now")
    shape = status.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="machine-readable output")
    shape.add_argument("--window", action="store_true",
                       help="open the status window (starts the daemon if it is not running; "
                            "what the applications-menu entry runs)")
    add_config(status)
    add_db(status)
    status.set_defaults(handler=_status)
    pause = sub.add_parser("pause", help="hold prompts for a while (tracking goes on)")
    pause.add_argument("spec", nargs="?", default="30m", metavar="30m|1h|tomorrow",
                       help='how long: a duration like "30m" or "1h", or "tomorrow" (default 30m)')
    pause.set_defaults(handler=lambda a: _remote("pause", spec=a.spec))
    resume = sub.add_parser("resume", help="end a pause")
    resume.set_defaults(handler=lambda a: _remote("resume"))
    snooze = sub.add_parser("snooze", help="snooze the open prompt")
    snooze.set_defaults(handler=lambda a: _remote("snooze"))
    quit_ = sub.add_parser("quit", help="stop the running daemon")
    quit_.set_defaults(handler=_quit)


def _run(args: argparse.Namespace) -> int:
    from breaker.daemon.runner import run

    config = config_of(args)
    return run(config, args.db, console=args.console, verbose=args.verbose,
               guide_args=shlex.split(args.guide_args))


def _quit(args: argparse.Namespace) -> int:
    """One line either way: stopping it, or there was nothing to stop (exit 0: the daemon is not running)."""
    try:
        ipc.call("quit")
    except UserError as err:
        if not str(err).startswith("breaker is not running"):
            raise
        print("breaker is not running: nothing to stop.")
        return 0
    print("breaker is stopping.")
    return 0


def _remote(cmd: str, **extra: Any) -> int:
    result = ipc.call(cmd, extra)
    print(describe(result))
    return 0


def _status(args: argparse.Namespace) -> int:
    if args.window:
        return _window(args)
    result = ipc.call("status")
    print(json.dumps(result, indent=1) if args.json else describe(result, verbose=args.verbose))
    return 0


def _window(args: argparse.Namespace) -> int:
    """The status window runs as its own process (Tk stays out of this one)."""
    command = [sys.executable, "-m", "breaker.ui.status_window"]
    for name in ("config", "db"):
        if getattr(args, name):
            command += [f"--{name}", str(getattr(args, name))]
    return subprocess.call(command, stdout=subprocess.DEVNULL)


def describe(status: dict[str, Any], *, verbose: bool = False) -> str:
    """``breaker status`` in words; the adapters in use only when ``verbose``."""
    lines = []
    if status.get("in_break"):
        lines.append("A guided break is running.")
    elif status.get("sitting"):
        lines.append(f"Sitting for {human_duration(status['sitting_s'])}.")
    else:
        lines.append("Not sitting right now.")
    if status.get("paused"):
        until = status.get("paused_until")
        lines.append(f"Prompts paused{' until ' + human_time(until) if until else ''} (breaker resume ends it).")
    if status.get("open_prompt"):
        lines.append(f"A prompt is open: {status['open_prompt']['exercise']}.")
    waiting = [w for w in status.get("waiting_because", []) if w != "paused"]
    if status.get("next_prompt_in_s") is not None and not waiting:
        lines.append(f"Next break prompt in {human_duration(status['next_prompt_in_s'])}.")
    elif waiting and status.get("sitting"):
        lines.append(f"The next prompt waits: {', '.join(waiting)}.")
    if status.get("save_problem"):
        lines.append(f"Records wait in memory: {status['save_problem']}.")
    backends = status.get("backends", {})
    if not verbose:
        return "\n".join(lines)
    lines.append("Using: " + ", ".join(f"{k} {v if v else 'none'}" for k, v in backends.items()
                                       if k not in ("away", "modules"))
                 + (f", away signals from {', '.join(backends['away'])}" if backends.get("away") else ""))
    return "\n".join(lines)
