"""The movement catalogue as plain, immutable values (stdlib only).

Pose angles are in degrees. ``trunk``, ``thigh``, ``shin`` (and ``thigh2``/``shin2`` for the second leg)
are *leans* from vertical: positive means the segment's upper end is further forward (the figure faces
forward, to the right in drawings) than its lower end. The thigh's upper end is the hip, the shin's is the
knee, the trunk's is the shoulder. ``neck``, ``arm`` and ``elbow`` are joint angles relative to the parent
segment: ``neck`` tilts the head forward of the trunk line (0 = neutral spine), ``arm`` raises the upper arm
forward from hanging along the trunk (180 = overhead), ``elbow`` bends the forearm forward. ``foot`` is the
foot's angle above the floor direction (toes up when positive; 180 points it backward). ``thigh_len`` and
``shin_len`` shorten the near leg's drawing where it points toward the viewer (a crossed leg).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from breaker.core.i18n import pgettext

POSE_KEYS = ("trunk", "neck", "arm", "elbow", "arm2", "elbow2", "thigh", "shin", "foot", "thigh2", "shin2", "foot2",
             "thigh_len", "shin_len")


@dataclass(frozen=True)
class Pose:
    """One key pose of the side-view figure (see the module docstring for the angle conventions)."""

    trunk: float = 0.0
    neck: float = 0.0
    arm: float = 0.0
    elbow: float = 10.0
    arm2: float | None = None
    elbow2: float | None = None
    thigh: float = 0.0
    shin: float = 0.0
    foot: float = 0.0
    thigh2: float | None = None
    shin2: float | None = None
    foot2: float | None = None
    thigh_len: float = 1.0  # the near leg's drawn length (a leg crossed toward the viewer looks shorter)
    shin_len: float = 1.0

    def resolved(self) -> Pose:
        """The same pose with the second arm and leg copied from the first where not given."""
        return replace(
            self,
            arm2=self.arm if self.arm2 is None else self.arm2,
            elbow2=self.elbow if self.elbow2 is None else self.elbow2,
            thigh2=self.thigh if self.thigh2 is None else self.thigh2,
            shin2=self.shin if self.shin2 is None else self.shin2,
            foot2=self.foot if self.foot2 is None else self.foot2,
        )

    def blend(self, other: Pose, t: float) -> Pose:
        """Linear interpolation: ``t`` = 0 gives self, 1 gives ``other``."""
        a, b = self.resolved(), other.resolved()
        t = min(1.0, max(0.0, t))
        values = {f.name: getattr(a, f.name) + (getattr(b, f.name) - getattr(a, f.name)) * t for f in fields(Pose)}
        return Pose(**values)


@dataclass(frozen=True)
class Step:
    """One instruction of a guided break: a cue, and reps to count or seconds to hold (or neither)."""

    cue: str
    tags: tuple[str, ...] = ()
    reps: int | None = None
    hold_s: float | None = None
    sides: bool = False
    motion: tuple[str, ...] = ()
    reps_max: int | None = None  # reps may go on to this many (15 to 20); ``reps`` is the least
    cue_without_wall: str | None = None  # the cue at a level that has no wall
    side_label: str | None = None  # names the limb per side: "{Side} knee down" -> "Right knee down"

    @property
    def kind(self) -> str:
        """"reps", "hold" or "cue" (read it, then move on)."""
        return "reps" if self.reps else "hold" if self.hold_s else "cue"

    @property
    def timer_label(self) -> str:
        """What a timed step is called on screen: a walk is not a hold."""
        # Translators: under the clock of a timed step (a walk, or a stretch held); one short word.
        return pgettext("timer", "Walk") if "walk" in self.tags else pgettext("timer", "Hold")

    def text(self, wall: bool = True) -> str:
        """The cue for a level with or without a wall."""
        return self.cue if wall or not self.cue_without_wall else self.cue_without_wall


READY_S = 3.0  # seconds to get into position before the first hold
SWITCH_S = 8.0  # seconds to change sides between holds (at least 8: kneeling takes a moment)


def read_seconds(text: str) -> float:
    """How long a cue stays up before the break moves on by itself: about 2.5 words a second."""
    return min(16.0, max(5.0, 2.0 + len(text.split()) / 2.5))


def step_seconds(step: Step, pace_s: float | None, hold_s: float | None = None) -> float:
    """The planned length of one step: reading time, reps (as many as allowed) x pace, or holds x sides plus
    the time to get ready and to change sides. A break that runs by itself takes this long."""
    if step.kind == "reps":
        return max(3.0, read_seconds(step.cue) / 2) + (step.reps_max or step.reps or 0) * (pace_s or 3.0)
    if step.kind == "hold":
        hold = hold_s if hold_s is not None else step.hold_s or 0.0
        return READY_S + hold + (SWITCH_S + hold if step.sides else 0.0)
    return read_seconds(step.cue)


def planned_seconds(steps: tuple[Step, ...], pace_s: float | None) -> int:
    """The planned length of a whole break, rounded to 5 seconds."""
    return int(5 * round(sum(step_seconds(s, pace_s) for s in steps) / 5))


@dataclass(frozen=True)
class Caution:
    """A safety note shown before the movement, tagged like cues."""

    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Level:
    """One rung of a progression (the wall drill's distance from the wall)."""

    label: str
    wall: bool = True
    distance_cm: float | None = None  # heels to wall


@dataclass(frozen=True)
class Check:
    """A self-check question. ``steer`` maps an answer to the targets that need more work;
    ``level`` maps an answer to a progression change (+1 harder, -1 easier)."""

    id: str
    question: str
    answers: tuple[str, ...]
    steer: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    level: Mapping[str, int] = field(default_factory=dict)
    hurt: tuple[str, ...] = ()  # answers that mean it hurt: step down, rest the movement, offer an alternative
    question_without_wall: str | None = None

    def text(self, wall: bool = True) -> str:
        """The question for a level with or without a wall."""
        return self.question if wall or not self.question_without_wall else self.question_without_wall


@dataclass(frozen=True)
class Exercise:
    """A movement break: what it works, how long it takes, its steps, figure poses and self-checks."""

    id: str
    name: str
    targets: tuple[str, ...]
    duration_s: int
    steps: tuple[Step, ...]
    summary: str = ""
    pace_s: float | None = None
    cautions: tuple[Caution, ...] = ()
    poses: Mapping[str, Pose] = field(default_factory=dict)
    props: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()
    checks: tuple[str, ...] = ()
    enabled: bool = True
    kind: str = "drill"  # "drill", "stretch" or "move"
    alternative: str | None = None  # the exercise that replaces this one once it hurt (standing for kneeling)

    def level_count(self) -> int:
        """How many progression levels (1 when the exercise has none)."""
        return max(1, len(self.levels))

    def tags(self) -> set[str]:
        """Every tag of every step and caution."""
        return {tag for item in (*self.steps, *self.cautions) for tag in item.tags}


@dataclass(frozen=True)
class Catalogue:
    """All exercises (in presentation order) and the self-check questions they refer to."""

    exercises: Mapping[str, Exercise]
    checks: Mapping[str, Check] = field(default_factory=dict)

    def enabled(self) -> list[Exercise]:
        """The exercises the coach may choose, in catalogue order."""
        return [ex for ex in self.exercises.values() if ex.enabled]

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id (KeyError if unknown)."""
        return self.exercises[exercise_id]
