"""The packaged catalogue covers the article's technique points; user entries merge and fail clearly."""

from __future__ import annotations

import pytest

from breaker.catalogue import load_catalogue
from breaker.core.errors import UserError

# Every technique point of the hip-hinge article, as the cue tags that teach it.
TECHNIQUE_TAGS = {
    "stance": "feet shoulder-width apart",
    "toes-out": "toes turned slightly out",
    "chest-up": "chest up",
    "shoulder-blades": "shoulder blades drawn back",
    "palms-at-crease": "palms up, pressing the hip crease",
    "weight-on-heels": "weight on the heels",
    "soft-knees": "knees slightly bent and steady",
    "hips-back-horizontal": "hips travel back on a horizontal line",
    "neutral-spine": "neutral spine",
    "chest-horizontal": "chest lowered toward horizontal",
    "no-rounding": "never round the back",
    "unloaded-first": "no loaded hinge before the unloaded one is comfortable",
}
REQUIRED = {"hinge", "wall-hinge", "hip-flexor", "hamstring", "glute", "move"}


def test_every_technique_point_is_taught() -> None:
    catalogue = load_catalogue()
    taught = set().union(*(ex.tags() for ex in catalogue.exercises.values()))
    assert set(TECHNIQUE_TAGS) <= taught, sorted(set(TECHNIQUE_TAGS) - taught)
    # Both hinge variants carry the whole technique, so either one teaches it completely.
    for eid in ("hinge", "wall-hinge"):
        missing = set(TECHNIQUE_TAGS) - catalogue.get(eid).tags()
        assert not missing, (eid, sorted(missing))


def test_required_exercises_are_complete() -> None:
    catalogue = load_catalogue()
    assert REQUIRED <= set(catalogue.exercises)
    for ex in catalogue.exercises.values():
        assert ex.steps and ex.duration_s > 0 and ex.targets and ex.name, ex.id
        assert all(step.cue for step in ex.steps)
        assert ex.poses, f"{ex.id} has no figure poses"
        assert all(step.motion for step in ex.steps), f"{ex.id}: every step shows a pose"
    targets = {t for ex in catalogue.exercises.values() for t in ex.targets}
    assert {"posterior chain", "hip flexors", "hamstrings", "glutes", "whole body"} <= targets


def test_wall_drill_progression_matches_the_article() -> None:
    wall = load_catalogue().get("wall-hinge")
    rep_steps = [s for s in wall.steps if s.kind == "reps"]
    assert rep_steps and 15 <= rep_steps[0].reps <= 20
    assert len(wall.levels) >= 3
    assert all(level.wall for level in wall.levels[:-1]) and not wall.levels[-1].wall
    assert "wall" in wall.props


def test_stretches_hold_per_side() -> None:
    catalogue = load_catalogue()
    for eid in ("hip-flexor", "hamstring", "glute"):
        holds = [s for s in catalogue.get(eid).steps if s.kind == "hold"]
        assert holds and all(s.sides and s.hold_s >= 20 for s in holds), eid


def test_user_can_add_and_override() -> None:
    user = {
        "neck": {"name": "Neck roll", "targets": ["neck"], "duration": "1m",
                 "steps": [{"cue": "Roll your head slowly.", "hold": 20}]},
        "hinge": {"name": "My hinge"},
        "move": {"enabled": False},
    }
    catalogue = load_catalogue(user, "my.toml")
    assert catalogue.get("neck").steps[0].hold_s == 20
    assert catalogue.get("hinge").name == "My hinge"
    assert catalogue.get("hinge").steps == load_catalogue().get("hinge").steps
    assert "move" not in {ex.id for ex in catalogue.enabled()}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"name": "X", "targets": ["a"], "duration": "1m"}, "my.toml: [exercises.bad]: missing key 'steps'"),
        ({"name": "X", "targets": ["a"], "duration": "soon", "steps": [{"cue": "c"}]},
         'my.toml: [exercises.bad] duration = "soon"'),
        ({"name": "X", "targets": ["a"], "duration": 60, "steps": [{"cue": "c", "reps": "ten"}]},
         "my.toml: [exercises.bad] steps[1] reps = 'ten'"),
        ({"name": "X", "targets": ["a"], "duration": 60, "steps": [{"cue": "c", "motion": ["nope"]}]},
         "my.toml: [exercises.bad] steps[1] motion: unknown pose 'nope'"),
        ({"name": "X", "targets": [], "duration": 60, "steps": [{"cue": "c"}]},
         "my.toml: [exercises.bad] targets: must not be empty"),
        ({"name": "X", "targets": ["a"], "duration": 60, "steps": [{"cue": "c"}], "colour": 1},
         "my.toml: [exercises.bad]: unknown key 'colour'"),
        ({"name": "X", "targets": ["a"], "duration": 60, "steps": [{"cue": "c"}], "checks": ["mood"]},
         "my.toml: [exercises.bad] checks: unknown self-check 'mood'"),
        ({"name": "X", "targets": ["a"], "duration": 60, "steps": [{"cue": "c"}],
          "poses": {"p": {"trunk": "bent"}}}, "my.toml: [exercises.bad] poses.p trunk = 'bent'"),
        ("just text", "my.toml: [exercises.bad]: must be a table"),
    ],
)
def test_bad_user_entry_is_one_line_naming_it(entry: object, expected: str) -> None:
    with pytest.raises(UserError) as info:
        load_catalogue({"bad": entry}, "my.toml")
    message = str(info.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_override_cannot_break_a_packaged_entry() -> None:
    with pytest.raises(UserError, match=r"my.toml: \[exercises.hinge\] steps"):
        load_catalogue({"hinge": {"steps": []}}, "my.toml")


def test_disabling_everything_is_an_error() -> None:
    everything = {eid: {"enabled": False} for eid in load_catalogue().exercises}
    with pytest.raises(UserError, match="keep at least one enabled"):
        load_catalogue(everything, "my.toml")


def test_every_exercise_says_mild_tension_never_pain_and_stop_if_it_hurts() -> None:
    for ex in load_catalogue().exercises.values():
        words = " ".join(c.text for c in ex.cautions if "safety" in c.tags).lower()
        assert "never" in words and "pain" in words and "stop" in words and "hurt" in words, ex.id
        assert any("it hurt" in load_catalogue().checks[c].answers for c in ex.checks), ex.id  # a way to say so
