"""``breaker run | status | pause | resume | snooze | quit``: the daemon and its remote control."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from breaker import ipc
from breaker.cli.common import add_config, add_db, config_of
from breaker.core.i18n import N_, _, from_parts, localized
from breaker.timefmt import human_duration, human_time

if TYPE_CHECKING:  # `breaker run` forgets argparse once parsed (cli/main.py)
    import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    import argparse

    run = sub.add_parser("run", help=_("start the daemon (tray icon, prompts, tracking)"))
    add_config(run)
    add_db(run)
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--console", dest="console", action="store_true", default=None,
                      help=_("prompts in this terminal with single-key answers (automatic without a desktop)"))
    mode.add_argument("--desktop", dest="console", action="store_false", help=_("force desktop mode"))
    run.add_argument("--guide-args", default="", help=argparse.SUPPRESS)
    run.set_defaults(handler=_run)
    status = sub.add_parser("status", help=_("what the running daemon sees now"))
    shape = status.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help=_("machine-readable output"))
    shape.add_argument("--window", action="store_true",
                       help=_("open the status window (starts the daemon if it is not running; "
                            "what the applications-menu entry runs)"))
    add_config(status)
    add_db(status)
    status.set_defaults(handler=_status)
    pause = sub.add_parser("pause", help=_("hold prompts for a while (tracking goes on)"))
    pause.add_argument("spec", nargs="?", default="30m", metavar="30m|1h|tomorrow",
                       help=_('how long: a duration like "30m" or "1h", or "tomorrow" (default 30m)'))
    pause.set_defaults(handler=lambda a: _remote("pause", spec=a.spec))
    resume = sub.add_parser("resume", help=_("end a pause"))
    resume.set_defaults(handler=lambda a: _remote("resume"))
    snooze = sub.add_parser("snooze", help=_("snooze the open prompt"))
    snooze.set_defaults(handler=lambda a: _remote("snooze"))
    quit_ = sub.add_parser("quit", help=_("stop the running daemon"))
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
    except ipc.NotRunning:
        print(_("breaker is not running: nothing to stop."))
        return 0
    print(_("breaker is stopping."))
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
        lines.append(_("A guided break is running."))
    elif status.get("sitting"):
        lines.append(_("Sitting for {duration}.").format(duration=human_duration(status["sitting_s"])))
    else:
        lines.append(_("Not sitting right now."))
    if status.get("paused"):
        until = status.get("paused_until")
        lines.append(_("Prompts paused until {time} (breaker resume ends it).").format(time=human_time(until))
                     if until else _("Prompts paused (breaker resume ends it)."))
    if status.get("open_prompt"):
        lines.append(_("A prompt is open: {exercise}.").format(exercise=status["open_prompt"]["exercise"]))
    waiting = [w for w in status.get("waiting_because", []) if w != "paused"]
    if status.get("next_prompt_in_s") is not None and not waiting:
        lines.append(_("Next break prompt in {duration}.").format(duration=human_duration(status["next_prompt_in_s"])))
    elif waiting and status.get("sitting"):
        lines.append(_("The next prompt waits: {reasons}.").format(reasons=", ".join(map(_waiting_text, waiting))))
    if status.get("save_problem"):
        problem = localized(from_parts(status.get("save_problem_said") or status["save_problem"]))
        lines.append(_("Records wait in memory: {problem}.").format(problem=problem))
    backends = status.get("backends", {})
    if not verbose:
        return "\n".join(lines)
    used = ", ".join(f"{k} {v if v else _('none')}" for k, v in backends.items() if k not in ("away", "modules"))
    if backends.get("away"):
        lines.append(_("Using: {adapters}, away signals from {signals}").format(
            adapters=used, signals=", ".join(backends["away"])))
    else:
        lines.append(_("Using: {adapters}").format(adapters=used))
    return "\n".join(lines)


WAITING = {
    # Translators: why the next prompt waits, listed after "The next prompt waits:"
    "screen locked": N_("screen locked"), "machine suspended": N_("machine suspended"),
    "waiting for you to be back at the keyboard": N_("waiting for you to be back at the keyboard"),
    "outside working hours": N_("outside working hours"), "do not disturb": N_("do not disturb"),
    "a break is running": N_("a break is running"),
}


def _waiting_text(reason: str) -> str:
    """A ``waiting_because`` word as shown (the JSON keeps the word itself)."""
    return _(WAITING[reason]) if reason in WAITING else reason
