"""Why the coach chose an exercise: one sentence, translated where it is shown (the causes stay English
in the stored state)."""

from __future__ import annotations

from breaker.core.coach_memory import SKIPS, CoachState
from breaker.core.exercise import Catalogue
from breaker.core.i18n import N_, _

# why a target needs work, by the self-check that said so: kept in the state as written (data, English)
CAUSES = {"chest": "Your chest stopped short last time", "sit_back": "Your hips stopped short of the wall last time",
          "back": "Your back rounded last time", "feel": "That felt tight last time"}
SOME_CHECK = "Your last self-check"
# the reason line for each stored cause: one whole sentence, translated where it is shown
REASONS = {
    # Translators: the coach's reason for its choice; {name} is an exercise's name as in its title.
    CAUSES["chest"]: N_("Your chest stopped short last time. This helps: {name}."),
    CAUSES["sit_back"]: N_("Your hips stopped short of the wall last time. This helps: {name}."),
    CAUSES["back"]: N_("Your back rounded last time. This helps: {name}."),
    CAUSES["feel"]: N_("That felt tight last time. This helps: {name}."),
}
SOME_REASON = N_("Your last self-check asked for this: {name}.")


def reason(catalogue: Catalogue, state: CoachState, eid: str, quota: bool) -> str:
    """Why ``eid`` comes next, in one sentence with the exercise's name as it is written."""
    exercises = catalogue.exercises
    name = exercises[eid].name
    cause = next((state.causes[t] for t in exercises[eid].targets if state.needs.get(t) and t in state.causes), None)
    if cause:
        return _(REASONS.get(cause, SOME_REASON)).format(name=name)
    if state.swapped and eid in {exercises[s].alternative for s in state.swapped if s in exercises}:
        return _("Kneeling hurt last time, so instead: {name}.").format(name=name)
    if state.last_result in SKIPS and state.last in exercises:
        # Translators: {last} and {name} are exercises' names as in their titles.
        return _("You passed on {last} last time. Something else now: {name}.").format(
            last=exercises[state.last].name, name=name)
    if quota:
        # Translators: each stretch comes once a day; {name} is the stretch's name as in its title.
        return _("Not yet today: {name}.").format(name=name)
    return _("Next in the rotation: {name}.").format(name=name)
