"""The guided-break window's words and sounds: the one-time safety notice, key hints, the end summary and
which cue each report event sounds."""

from __future__ import annotations

from breaker.core.i18n import N_, _, ngettext
from breaker.ui.flow import SIDES, Event, Flow, View

# shown through _() (translated where they are shown)
NOTICE_TITLE = N_("Before your first guided break")
NOTICE = N_(
    "These movements should feel like mild tension, never pain. If something hurts, stop: the self-check "
    "has an \"it hurt\" answer, and breaker then goes easier and rests that movement.\n\n"
    "Ask a doctor or physiotherapist first if you have a recent back injury or sciatica, a hip replacement "
    "(pulling a knee toward the opposite shoulder, as in the seated glute stretch, is a movement to avoid "
    "after one), are pregnant, have knee trouble that makes kneeling hard, or have balance problems."
)
NOTICE_KEYS = N_("Esc: not now")


def hint(view: View, auto: bool, has_pace: bool) -> str:
    """The key line under a step."""
    # Translators: key hints under a step; Space, Enter, M and Esc name keys of the keyboard.
    if view.kind == "reps":
        return (_("Counting for you · Space: next · M: count by hand · Esc: stop") if auto else
                _("Space or click: +1 rep · Enter: next · M: count for me · Esc: stop"))
    if view.kind == "hold":
        return _("Hold and breathe · Space: done early · Esc: stop")
    return _("Moves on by itself · Space: next · Esc: stop") if auto else _("Space: next · Esc: stop")


def button_text(view: View, auto: bool) -> str:
    # Translators: the main button of the guided break; "Space" is the key that does the same.
    if view.kind == "reps" and not auto:
        return _("+1 rep  (Space)")
    return _("Done  (Space)") if view.kind == "hold" else _("Next  (Space)")


def summary(flow: Flow, progress: str) -> str:
    """What was done, and the progress toward the next level, for the end screen."""
    if flow.phase != "completed":
        return _("Stopped. That is fine: any movement counts.")
    ex, parts = flow.exercise, []
    if flow.total_reps:
        parts.append(ngettext("{count} rep", "{count} reps", flow.total_reps).format(count=flow.total_reps))
    holds = sum(1 for stage in flow.stages if stage.step.kind == "hold")
    if holds:
        parts.append(ngettext("{count} timed part", "{count} timed parts", holds).format(count=holds))
    # Translators: the end screen: "Done. 12 reps, 2 timed parts."
    line = _("Done. {parts}.").format(parts=", ".join(parts)) if parts else _("Done.")
    if ex.levels:
        line += " " + _("Level {level} of {count}: {label}.").format(level=flow.level, count=len(ex.levels),
                                                                  label=ex.levels[flow.level - 1].label)
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
