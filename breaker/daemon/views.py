"""What the daemon shows: prompt texts, the tray's view and ``breaker status``'s data."""

from __future__ import annotations

import gettext
import math
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from breaker.adapters.ports import PromptText, TrayView
from breaker.config import Config
from breaker.core.exercise import Catalogue
from breaker.core.i18n import Said, _, active, localized, ngettext
from breaker.core.models import Hold, Status
from breaker.store.session import Shown
from breaker.timefmt import human_duration, iso_utc


def movement_phrase(catalogue: Catalogue, exercise_id: str, level: int | None) -> str:
    """ "15–20 reps of the wall hip hinge drill (about 1½ min)"-style words, from the exercise's own steps:
    its reps when it counts them, and its length as the break will run."""
    exercise = catalogue.exercises.get(exercise_id)
    if exercise is None:
        return exercise_id
    least = sum(step.reps or 0 for step in exercise.steps)
    most = sum(step.reps_max or step.reps or 0 for step in exercise.steps)
    name = exercise.name
    if type(active()) is gettext.NullTranslations:  # English runs the name into the sentence in lower case
        name = name[0].lower() + name[1:]
    length = _about(exercise.duration_s)
    if least:
        reps = f"{least}–{most}" if most > least else f"{least}"
        # Translators: {name} is the exercise's name as in its title (only English lowers its first letter).
        return ngettext("{reps} rep of the {name} ({length})", "{reps} reps of the {name} ({length})",
                        most).format(reps=reps, name=name, length=length)
    if exercise.kind == "move":
        # Translators: a movement such as "a walk and reach"; {name} is its name as in its title.
        return _("a {name} ({length})").format(name=name, length=length)
    # Translators: a stretch such as "the seated glute stretch"; {name} is its name as in its title.
    return _("the {name} ({length})").format(name=name, length=length)


def _about(seconds: int) -> str:
    """ "about 1½ min": a break's length to the nearest half minute."""
    if seconds < 60:
        return _("about {seconds} s").format(seconds=seconds)
    halves = round(seconds / 30)
    whole = f"{halves // 2}" if halves // 2 else ""
    return _("about {minutes} min").format(minutes=f"{whole}{'½' if halves % 2 else ''}")


def prompt_text(shown: Shown, catalogue: Catalogue) -> PromptText:
    """The prompt: a short title (GNOME cuts long ones), the movement and its level in the body."""
    # Translators: a notification title; keep it under 40 characters with a sitting time of "1 h 55 min".
    title = _("{sitting} in your chair: time to move").format(sitting=human_duration(shown.effect.sitting))
    exercise = catalogue.exercises.get(shown.exercise)
    movement = movement_phrase(catalogue, shown.exercise, shown.level)
    lines = [_("Time for {movement}.").format(movement=movement)]
    lines.append(exercise.summary if exercise is not None and exercise.summary else _("A short movement break."))
    if exercise is not None and exercise.levels and shown.level:
        label = exercise.levels[min(shown.level, len(exercise.levels)) - 1].label
        lines.append(_("Level {level}: {label}.").format(level=shown.level, label=label))
    return PromptText(title, " ".join(lines))


def tray_view(status: Status, config: Config) -> TrayView:
    """The tray's icon and tooltip. The tooltip counts whole minutes, all of them from the minute the
    sitting time is in, so it changes at most once a minute (a tick every ``poll_max`` changes nothing
    visible in between, and the tray's thread is not woken for it)."""
    limit = config.rules.sit_limit.total_seconds()
    if status.in_break:
        return TrayView(0.0, _("breaker · break in progress"), in_break=True)
    paused = Hold.PAUSED in status.holds
    sitting = status.sitting.total_seconds()
    if status.bout_start is None:
        tooltip = _("breaker · not sitting right now")
    else:
        minute = sitting // 60 * 60  # the sitting time to the minute
        # Translators: the tray's tooltip and status line; the part after " · " says what comes next.
        sat = human_duration(minute) if minute else _("less than 1 min")
        if paused:
            tooltip = _("Sitting {sitting} · prompts paused").format(sitting=sat)
        elif status.open_prompt is not None:
            tooltip = _("Sitting {sitting} · time for a break").format(sitting=sat)
        elif status.next_prompt is not None and status.to_next_prompt is not None:
            left = status.to_next_prompt.total_seconds() + (sitting - minute)  # from the same minute
            tooltip = _("Sitting {sitting} · next break in {wait}").format(
                sitting=sat, wait=human_duration(max(1, math.ceil(left / 60)) * 60))
        elif status.holds:
            tooltip = _("Sitting {sitting} · break waits: {reason}").format(
                sitting=sat, reason=_(status.holds[0].value))
        else:
            tooltip = _("Sitting {sitting}").format(sitting=sat)
    return TrayView(min(sitting / limit, 1.5) if limit else 0.0, tooltip, paused=paused,
                    prompt_open=status.open_prompt is not None, snooze_s=config.rules.snooze.total_seconds())


def with_save_problem(view: TrayView, problem: str | None) -> TrayView:
    """The tray's view, its tooltip ending in "cannot save: <reason>" while records wait for the disk."""
    return view if problem is None else replace(view, tooltip=f"{view.tooltip} · {localized(problem)}")


def status_dict(status: Status, open_prompt: Shown | None, *, backends: Any, db: Path,
                config: Path | None, save_problem: str | None = None) -> dict[str, Any]:
    """The data behind ``breaker status --json``."""
    return {
        "pid": os.getpid(),
        "at": iso_utc(status.at),
        "sitting": status.bout_start is not None,
        "bout_start": iso_utc(status.bout_start),
        "sitting_s": round(status.sitting.total_seconds(), 1),
        "input_active": status.input_active,
        "locked": status.locked,
        "suspended": status.suspended,
        "next_prompt": iso_utc(status.next_prompt),
        "next_prompt_in_s": None if status.to_next_prompt is None else round(status.to_next_prompt.total_seconds()),
        "waiting_because": [h.value for h in status.holds] if status.bout_start is not None else [],
        "paused_until": iso_utc(status.paused_until) if status.paused_until else None,
        "paused": Hold.PAUSED in status.holds,
        "in_break": status.in_break,
        "open_prompt": None if open_prompt is None else {
            "id": open_prompt.prompt_id, "exercise": open_prompt.exercise, "at": iso_utc(open_prompt.effect.at),
        },
        "backends": backends,
        "db": str(db),
        "config": str(config) if config else None,
        "save_problem": save_problem,
        # the same, for showing it translated (``core.i18n.from_parts``); save_problem stays English
        "save_problem_said": save_problem.parts() if isinstance(save_problem, Said) else save_problem,
    }
