"""``breaker exercises`` (the catalogue, as text, JSON or a figure PNG) and ``breaker break`` (a guided break now)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from breaker.catalogue import load_catalogue
from breaker.cli.common import add_db, open_db
from breaker.core.coach import Coach
from breaker.core.errors import UserError
from breaker.core.exercise import Catalogue, Exercise
from breaker.core.i18n import _, ngettext
from breaker.timefmt import human_duration


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ex = sub.add_parser("exercises", help=_("list the movement catalogue (or draw an exercise's figure)"))
    ex.add_argument("--json", action="store_true", help=_("machine-readable output"))
    ex.add_argument("--png", nargs=2, metavar=("ID", "FILE"), help=_("write the key poses of exercise ID to a PNG"))
    ex.add_argument("--level", type=int, default=1, metavar="N", help=_("progression level for --png (default 1)"))
    ex.add_argument("--sheet", metavar="FILE", type=Path,
                    help=_("write every exercise's key poses at every level to one PNG"))
    _add_config(ex)
    ex.set_defaults(handler=_exercises)
    brk = sub.add_parser("break", help=_("take a guided movement break now"))
    brk.add_argument("--exercise", metavar="ID", help=_("which exercise (default: the coach's choice)"))
    brk.add_argument("--level", type=int, metavar="N", help=_("progression level (default: the coach's)"))
    brk.add_argument("--json", action="store_true", help=_("print the window's report lines as they come"))
    _add_config(brk)
    add_db(brk)
    brk.set_defaults(handler=_break)


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", help=_("config file (default: the user config folder)"))


def catalogue_for(args: argparse.Namespace) -> Catalogue:
    """The packaged catalogue merged with the ``[exercises]`` table of the user's config (English for --json)."""
    from breaker.config import load_config

    config = load_config(getattr(args, "config", None))
    return load_catalogue(config.exercises, str(config.path or "config"), translate=not getattr(args, "json", False))


def _find(catalogue: Catalogue, exercise_id: str, level: int | None, option: str) -> Exercise:
    if exercise_id not in catalogue.exercises:
        raise UserError(_("{option} {id}: unknown exercise (known: {known})").format(
            option=option, id=exercise_id, known=", ".join(catalogue.exercises)))
    exercise = catalogue.get(exercise_id)
    if level is not None and not 1 <= level <= exercise.level_count():
        raise UserError(_("--level {level}: {id} has levels 1 to {count}").format(
            level=level, id=exercise_id, count=exercise.level_count()))
    return exercise


def as_json(exercise: Exercise) -> dict[str, Any]:
    """One catalogue entry as plain data."""
    return {
        "id": exercise.id, "name": exercise.name, "summary": exercise.summary, "targets": list(exercise.targets),
        "duration_s": exercise.duration_s, "pace_s": exercise.pace_s, "enabled": exercise.enabled,
        "cautions": [c.text for c in exercise.cautions], "levels": [lv.label for lv in exercise.levels],
        "checks": list(exercise.checks),
        "steps": [{"cue": s.cue, "tags": list(s.tags), "reps": s.reps, "hold_s": s.hold_s, "sides": s.sides}
                  for s in exercise.steps],
    }


def _exercises(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    if args.sheet:
        from breaker.ui.sheet import write_sheet

        try:
            rows = write_sheet(catalogue, args.sheet)
        except OSError as err:
            raise UserError(_("--sheet {path}: cannot write: {reason}").format(
                path=args.sheet, reason=err.strerror or err)) from None
        print(ngettext("wrote {path} ({rows} row: every exercise at every level)",
                       "wrote {path} ({rows} rows: every exercise at every level)", rows).format(
                           path=args.sheet, rows=rows))
        return 0
    if args.png:
        from breaker.ui.figure import write_png

        exercise = _find(catalogue, args.png[0], args.level, "--png")
        path = Path(args.png[1])
        try:
            write_png(exercise, path, level=args.level)
        except OSError as err:
            raise UserError(_("--png {path}: cannot write: {reason}").format(
                path=path, reason=err.strerror or err)) from None
        poses = ", ".join(exercise.poses) or _("standing")
        print(_("wrote {path} ({poses})").format(path=path, poses=poses))
        return 0
    if args.json:
        print(json.dumps({"exercises": [as_json(ex) for ex in catalogue.exercises.values()]}, indent=2))
        return 0
    stands_in = {ex.alternative: ex.id for ex in catalogue.enabled() if ex.alternative}
    rows = list(catalogue.exercises.values())
    # columns as wide as their longest entry: names and durations are longer in some languages
    name_w = max(28, *(len(_(ex.name)) for ex in rows))
    time_w = max(10, *(len(human_duration(ex.duration_s)) for ex in rows))
    for ex in rows:
        minutes = human_duration(ex.duration_s)
        if ex.id in stands_in:
            off = "  " + _("(instead of {id} once that hurt)").format(id=stands_in[ex.id])
        else:
            # Translators: after a disabled exercise in breaker exercises
            off = "  " + _("(off)") if not ex.enabled else ""
        targets = ", ".join(_(target) for target in ex.targets)
        print(f"{ex.id:<20} {_(ex.name):<{name_w}} {minutes:>{time_w}}  {targets}{off}")
        if ex.summary:
            print(f"{'':<20} {_(ex.summary)}")
    return 0


def _break(args: argparse.Namespace) -> int:
    """A break now, at the coach's stored level: through the daemon when one runs (it records the break),
    else in this process, telling the stored coach how it went."""
    from breaker.store.coach_state import StoredCoach

    catalogue = catalogue_for(args)
    if args.exercise:
        _find(catalogue, args.exercise, args.level, "--exercise")
    storage = open_db(args)
    try:
        coach = StoredCoach(Coach(catalogue), storage)
        level = args.level or (coach.level(args.exercise) if args.exercise else None)
        if _daemon_break(args, level):
            return 0
        pick = coach.pick()
        exercise = _find(catalogue, args.exercise or pick.exercise_id, args.level, "--exercise")
        level = level or pick.level
        extra = ("--db", str(storage.path))
        result = run_guide(exercise.id, level, getattr(args, "config", None), echo=args.json, extra=extra)
        answers = result.get("answers")
        with storage.transaction():
            coach.learn(exercise.id, level, str(result.get("event")), answers if isinstance(answers, dict) else None)
    finally:
        storage.close()
    if not args.json:
        print(summary(exercise, result))
    return 0 if result.get("event") == "completed" else 1


def _daemon_break(args: argparse.Namespace, level: int | None) -> bool:
    """Ask the running daemon to open the break (so it is recorded); False when no daemon runs."""
    from breaker import ipc

    if not ipc.socket_path().exists():
        return False
    try:
        ipc.call("break", {"exercise": args.exercise, "level": level})
    except ipc.NotRunning:
        return False
    print(_("breaker: the guided break is open; the daemon records how it goes"))
    return True


def run_guide(exercise_id: str, level: int, config: Path | None, *, echo: bool = False,
              extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run the guide window process until it ends; its last report line (``completed`` or ``abandoned``).

    A window that dies without reporting (killed, its X connection broken) counts as abandoned."""
    cmd = [sys.executable, "-m", "breaker.ui.guide", "--exercise", exercise_id, "--level", str(level), *extra]
    if config is not None:
        cmd += ["--config", str(config)]
    last: dict[str, Any] = {}
    reps = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            if echo:
                print(line, end="", flush=True)
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event.get("event") in ("completed", "abandoned", "error"):
                last = event
            reps += event.get("event") == "rep"
        errors = proc.stderr.read().strip()
    if last.get("event") == "error":
        raise UserError(str(last.get("message")))
    if not last:
        detail = errors.splitlines()[-1] if errors else _("exit code {code}").format(code=proc.returncode)
        if proc.returncode == 2:
            raise UserError(_("the guided-break window failed: {reason}").format(reason=detail))
        last = {"event": "abandoned", "exercise": exercise_id, "level": level, "reps": reps, "answers": {},
                "step": None, "reason": f"window ended without a result ({detail})"}
        if echo:
            print(json.dumps(last), flush=True)
    return last


def summary(exercise: Exercise, result: dict[str, Any]) -> str:
    """One line about how the break went."""
    answers = ", ".join(f"{k}: {_(v) if isinstance(v, str) else v}" for k, v in result.get("answers", {}).items())
    name, count = _(exercise.name), int(result.get("reps") or 0)
    if result.get("event") == "completed":
        text = (ngettext("completed {name}, {reps} rep", "completed {name}, {reps} reps", count) if count
                else _("completed {name}")).format(name=name, reps=count)
        return text + (" " + _("(self-check: {answers})").format(answers=answers) if answers else "")
    return (ngettext("stopped {name} at step {step}, {reps} rep", "stopped {name} at step {step}, {reps} reps", count)
            if count else _("stopped {name} at step {step}")).format(name=name, step=result.get("step"), reps=count)
