"""The guided-break window's words and sounds: the one-time safety notice, key hints, the end summary and
which cue each report event sounds."""

from __future__ import annotations

from breaker.ui.flow import SIDES, Event, Flow, View

NOTICE_TITLE = "Before your first guided break"
NOTICE = (
    "These movements should feel like mild tension, never pain. If something hurts, stop: the self-check "
    "has an \"it hurt\" answer, and breaker then goes easier and rests that movement.\n\n"
    "Ask a doctor or physiotherapist first if you have a recent back injury or sciatica, a hip replacement "
    "(pulling a knee toward the opposite shoulder, as in the seated glute stretch, is a movement to avoid "
    "after one), are pregnant, have knee trouble that makes kneeling hard, or have balance problems."
)
NOTICE_KEYS = "Esc: not now"


def hint(view: View, auto: bool, has_pace: bool) -> str:
    """The key line under a step."""
    if view.kind == "reps":
        keys = "Counting for you · Space: next · M: count by hand" if auto else \
            "Space or click: +1 rep · Enter: next · M: count for me"
    elif view.kind == "hold":
        keys = "Hold and breathe · Space: done early"
    else:
        keys = "Moves on by itself · Space: next" if auto else "Space: next"
    return keys + " · Esc: stop"


def button_text(view: View, auto: bool) -> str:
    if view.kind == "reps" and not auto:
        return "+1 rep  (Space)"
    return "Done  (Space)" if view.kind == "hold" else "Next  (Space)"


def summary(flow: Flow, progress: str) -> str:
    """What was done, and the progress toward the next level, for the end screen."""
    if flow.phase != "completed":
        return "Stopped. That is fine: any movement counts."
    ex, parts = flow.exercise, ["Done."]
    if flow.total_reps:
        parts.append(f"{flow.total_reps} reps")
    holds = sum(1 for stage in flow.stages if stage.step.kind == "hold")
    if holds:
        parts.append(f"{holds} timed {'part' if holds == 1 else 'parts'}")
    line = parts[0] + " " + ", ".join(parts[1:]) + ("." if parts[1:] else "")
    if ex.levels:
        line += f" Level {flow.level} of {len(ex.levels)}: {ex.levels[flow.level - 1].label}."
    return line + (f"\n{progress}" if progress else "")


def sound_for(event: Event) -> str | None:
    """The cue to sound for a report event (None: silent): "rep" for each counted rep, "switch" when the
    first side's hold ends (change sides now), "hold-end" when a hold is over, "end" when the break is."""
    kind = event.get("event")
    if kind == "rep":
        return "rep"
    if kind == "hold" and not event.get("early"):
        return "switch" if event.get("side") == SIDES[0] else "hold-end"
    return "end" if kind == "completed" else None
