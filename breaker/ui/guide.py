"""The guided-break window as its own process; reports JSON lines on stdout.

    python -m breaker.ui.guide --exercise ID [--level N] [--pace auto|manual] [--no-sound] [--db FILE]
                               [--hold-seconds S] [--config FILE]

Lines (one JSON object each, flushed): ``notice`` (the one-time safety notice was shown), ``started``,
``step`` (each screen), ``rep``, ``hold`` (a side's hold ended), ``check`` (a self-check answer), and last
``completed`` or ``abandoned`` (its ``answers`` carry ``"reps"`` too when reps were counted). A bad argument
or config prints ``{"event": "error", "message": ...}`` and the message on stderr, and exits with 2.
Exit status: 0 completed, 1 abandoned.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from breaker.core.errors import UserError
from breaker.core.i18n import _
from breaker.ui.childio import emit


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.guide", description="Guided break window.")
    parser.add_argument("--exercise", required=True, metavar="ID", help="exercise id from the catalogue")
    parser.add_argument("--level", type=int, default=1, metavar="N", help="progression level (1 = first)")
    parser.add_argument("--pace", choices=("auto", "manual"), help="count reps by itself or by hand (default: config)")
    parser.add_argument("--no-sound", action="store_true", help="no sound cues (default: config [guide] sound)")
    parser.add_argument("--db", type=Path, metavar="FILE", help="database with the coach's state (default: the user's)")
    parser.add_argument("--hold-seconds", type=float, metavar="S", help="use S seconds for every hold (tests, demos)")
    parser.add_argument("--ready-seconds", type=float, default=3.0, metavar="S", help="get-ready time before a hold")
    parser.add_argument("--switch-seconds", type=float, default=8.0, metavar="S", help="time to change sides")
    parser.add_argument("--end-seconds", type=float, default=8.0, metavar="S", help="how long the end screen stays")
    parser.add_argument("--config", type=Path, metavar="FILE", help="config file with [exercises] additions")
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace) -> tuple[Any, Any]:
    """The ``Flow`` and the config for these arguments (``UserError`` for anything wrong)."""
    from breaker.catalogue import load_catalogue
    from breaker.config import load_config
    from breaker.ui.flow import Flow

    config = load_config(args.config)
    catalogue = load_catalogue(config.exercises, str(config.path or "config"))
    if args.exercise not in catalogue.exercises:
        raise UserError(_("--exercise {exercise}: unknown exercise (known: {known})").format(
            exercise=args.exercise, known=", ".join(catalogue.exercises)))
    exercise = catalogue.get(args.exercise)
    if not 1 <= args.level <= exercise.level_count():
        raise UserError(_("--level {level}: {exercise} has levels 1 to {last}").format(
            level=args.level, exercise=exercise.id, last=exercise.level_count()))
    if args.hold_seconds is not None and args.hold_seconds <= 0:
        raise UserError(_("--hold-seconds {seconds}: must be more than 0").format(seconds=args.hold_seconds))
    checks = [catalogue.checks[c] for c in exercise.checks]
    auto = (args.pace or config.guide.pace) == "auto"
    flow = Flow(exercise, args.level, checks, hold_s=args.hold_seconds, ready_s=max(0.0, args.ready_seconds),
                auto=auto, switch_s=max(0.0, args.switch_seconds))
    return flow, config


def extras_for(args: argparse.Namespace, config: Any, flow: Any, wait_s: float = 1.5) -> dict[str, Any]:
    """The stored coach's extras for the window: the one-time notice, the reason line and the progress
    line. The break never waits on the database for long: a locked or unreadable one means no extras."""
    found: dict[str, Any] = {}

    def look() -> None:
        from breaker.store.coach_state import chooser_for
        from breaker.store.storage import Storage

        try:
            coach = chooser_for(Storage.open(args.db), config)
            reason = coach.reason(flow.exercise.id)
            found.update(notice=coach.notice_due(), reason=reason,
                         progress=lambda answers: coach.progress(flow.exercise.id, flow.level, answers))
        except Exception:  # noqa: BLE001 - the break works without its extras
            found.clear()

    worker = threading.Thread(target=look, name="breaker-coach", daemon=True)
    worker.start()
    worker.join(wait_s)
    return {} if worker.is_alive() else dict(found)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from breaker.i18n import setup

    setup()
    try:
        flow, config = prepare(args)
    except UserError as err:
        emit({"event": "error", "message": str(err)})
        print(f"breaker: {err}", file=sys.stderr)
        return 2
    import tkinter

    from breaker.adapters.sound import Sounds
    from breaker.ui.guide_window import GuideWindow

    extras = extras_for(args, config, flow)
    sounds = Sounds(enabled=config.guide.sound and not args.no_sound)
    try:
        window = GuideWindow(flow, emit, play=sounds.play, end_s=max(0.0, args.end_seconds), **extras)
    except tkinter.TclError as err:
        message = _("cannot open the guided-break window: {reason}").format(reason=err)
        emit({"event": "error", "message": message})
        print(f"breaker: {message}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: window.root.after(0, lambda: window.stop("signal")))
    window.run()
    sounds.close()
    return 0 if flow.phase == "completed" else 1


if __name__ == "__main__":
    sys.exit(main())
