"""Loads the packaged movement catalogue and merges the user's additions and overrides.

The packaged ``exercises.toml`` and a user's ``[exercises]`` table share one format (see the file's
header). Every problem becomes a one-line ``UserError`` naming the source, the entry and the key.

The packaged text a person reads (names, summaries, cautions, cues, level labels, side labels, questions)
is put in the user's language here, once it is parsed; text from the user's config stays as written. Ids
stay English: exercise ids, tags, self-check answers and targets are data the coach steers by, and are
shown through ``_()`` where they are shown. Planned lengths come from the English cues, so a break lasts
the same in every language.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from breaker.core.errors import UserError
from breaker.core.exercise import POSE_KEYS, Catalogue, Caution, Check, Exercise, Level, Pose, Step, planned_seconds
from breaker.core.i18n import _
from breaker.timefmt import parse_duration

PACKAGED = "breaker/exercises.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_EXERCISE_KEYS = {"name", "summary", "targets", "duration", "pace", "props", "cautions", "checks", "levels",
                  "poses", "steps", "enabled", "kind", "alternative"}
_STEP_KEYS = {"cue", "tags", "reps", "reps_max", "hold", "sides", "motion", "cue_without_wall", "side_label"}
_KINDS = {"drill", "stretch", "move"}
_PROPS = {"wall", "chair"}


def packaged_data() -> dict[str, Any]:
    """The packaged catalogue as parsed TOML."""
    # a plain path, as for the icons: importlib.resources would cost the daemon ~0.3 MB of modules
    import tomllib  # here, not at the top: the daemon forgets it once started (daemon/lean.py)

    text = Path(__file__).with_name("exercises.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_catalogue(user: dict[str, Any] | None = None, source: str = "config", *, translate: bool = True) -> Catalogue:
    """The packaged catalogue with ``user`` (a config's ``[exercises]`` table) merged over it.

    An entry with a new id is added (it must be complete); an entry with a known id replaces only the
    keys it names. ``source`` names the user's file in error messages. With ``translate`` (the default)
    the packaged text is in the user's language; without it, English (for JSON output).
    """
    data = packaged_data()
    checks = {cid: _check(cid, raw, PACKAGED) for cid, raw in data.get("checks", {}).items()}
    merged: dict[str, tuple[dict[str, Any], str]] = {
        eid: (dict(raw), PACKAGED) for eid, raw in data.get("exercises", {}).items()
    }
    if user is not None and not isinstance(user, dict):
        raise UserError(_("{source}: 'exercises' must be a section like [exercises.my-stretch]").format(source=source))
    for eid, raw in (user or {}).items():
        where = f"{source}: [exercises.{eid}]"
        if not isinstance(raw, dict):
            raise UserError(_("{where}: must be a table of keys (name, targets, duration, steps, ...)").format(
                where=where))
        if eid in merged:
            merged[eid] = ({**merged[eid][0], **raw}, source)
        else:
            merged[eid] = (dict(raw), source)
    exercises = {eid: parse_exercise(eid, raw, origin, checks) for eid, (raw, origin) in merged.items()}
    _check_alternatives(exercises, source)
    if not any(ex.enabled for ex in exercises.values()):
        raise UserError(_("{source}: [exercises] every exercise is disabled; keep at least one enabled").format(
            source=source))
    if translate:
        own = user or {}
        exercises = {eid: _localized(ex, set(own[eid]) if eid in own else set()) for eid, ex in exercises.items()}
        checks = {cid: replace(c, question=_t(c.question), question_without_wall=_t(c.question_without_wall))
                  for cid, c in checks.items()}
    return Catalogue(exercises=exercises, checks=checks)


def _t(text: str | None) -> str | None:
    """Packaged text in the user's language (``_("")`` would give the catalogue's header)."""
    return _(text) if text else text


def _localized(ex: Exercise, own: set[str]) -> Exercise:
    """``ex`` with its packaged text translated; the keys the user's config set (``own``) stay as written."""
    changes: dict[str, Any] = {}
    if "name" not in own:
        changes["name"] = _(ex.name)
    if "summary" not in own:
        changes["summary"] = _t(ex.summary)
    if "cautions" not in own:
        changes["cautions"] = tuple(replace(c, text=_(c.text)) for c in ex.cautions)
    if "levels" not in own:
        changes["levels"] = tuple(replace(lv, label=_(lv.label)) for lv in ex.levels)
    if "steps" not in own:
        changes["steps"] = tuple(replace(s, cue=_(s.cue), cue_without_wall=_t(s.cue_without_wall),
                                         side_label=_t(s.side_label)) for s in ex.steps)
    return replace(ex, **changes)


def parse_exercise(eid: str, raw: dict[str, Any], source: str, checks: dict[str, Check]) -> Exercise:
    """Validate one catalogue entry."""
    where = f"{source}: [exercises.{eid}]"
    if not _ID.match(eid):
        raise UserError(_("{where}: id must be lowercase letters, digits, '-' or '_'").format(where=where))
    _known_keys(raw, _EXERCISE_KEYS, where)
    for key in ("name", "targets", "steps"):
        if key not in raw:
            raise UserError(_("{where}: missing key '{key}'").format(where=where, key=key))
    poses = {name: _pose(p, f"{where} poses.{name}") for name, p in _table(raw.get("poses", {}), where, "poses").items()}
    steps = raw["steps"]
    if not isinstance(steps, list) or not steps:
        raise UserError(_("{where} steps: needs at least one step like [[exercises.{eid}.steps]] with a cue").format(
            where=where, eid=eid))
    pace = _seconds(raw["pace"], f"{where} pace") if "pace" in raw else None
    parsed_steps = tuple(_step(s, f"{where} steps[{i + 1}]", poses) for i, s in enumerate(steps))
    kind = raw.get("kind", "drill")
    if kind not in _KINDS:
        raise UserError(_("{where} kind = {kind}: expected one of {known}").format(
            where=where, kind=repr(kind), known=', '.join(sorted(_KINDS))))
    exercise = Exercise(
        id=eid,
        name=_text(raw["name"], f"{where} name"),
        summary=_text(raw.get("summary", ""), f"{where} summary", allow_empty=True),
        targets=_strings(raw["targets"], f"{where} targets", nonempty=True),
        duration_s=round(_seconds(raw["duration"], f"{where} duration")) if "duration" in raw
        else planned_seconds(parsed_steps, pace),
        pace_s=pace,
        steps=parsed_steps,
        cautions=tuple(_caution(c, f"{where} cautions[{i + 1}]") for i, c in enumerate(_list(raw, "cautions", where))),
        poses=poses,
        props=_strings(raw.get("props", []), f"{where} props"),
        levels=tuple(_level(lv, f"{where} levels[{i + 1}]") for i, lv in enumerate(_list(raw, "levels", where))),
        checks=_strings(raw.get("checks", []), f"{where} checks"),
        enabled=_bool(raw.get("enabled", True), f"{where} enabled"),
        kind=kind,
        alternative=_text(raw["alternative"], f"{where} alternative") if "alternative" in raw else None,
    )
    for prop in exercise.props:
        if prop not in _PROPS:
            raise UserError(_("{where} props: unknown prop {prop} (known: {known})").format(
                where=where, prop=repr(prop), known=', '.join(sorted(_PROPS))))
    for cid in exercise.checks:
        if cid not in checks:
            raise UserError(_("{where} checks: unknown self-check {cid} (known: {known})").format(
                where=where, cid=repr(cid), known=', '.join(checks)))
    return exercise


def _check_alternatives(exercises: dict[str, Exercise], source: str) -> None:
    for ex in exercises.values():
        if ex.alternative is not None and ex.alternative not in exercises:
            raise UserError(_("{source}: [exercises.{id}] alternative: unknown exercise {alternative}").format(
                source=source, id=ex.id, alternative=repr(ex.alternative)))


def _step(raw: object, where: str, poses: dict[str, Pose]) -> Step:
    if not isinstance(raw, dict):
        raise UserError(_("{where}: must be a table with at least a cue").format(where=where))
    _known_keys(raw, _STEP_KEYS, where)
    if "cue" not in raw:
        raise UserError(_("{where}: missing key 'cue'").format(where=where))
    if "reps" in raw and "hold" in raw:
        raise UserError(_("{where}: give either reps or hold, not both").format(where=where))
    reps = raw.get("reps")
    if reps is not None and (not isinstance(reps, int) or isinstance(reps, bool) or not 1 <= reps <= 500):
        raise UserError(_("{where} reps = {reps}: expected a whole number from 1 to 500").format(
            where=where, reps=repr(reps)))
    reps_max = raw.get("reps_max")
    if reps_max is not None and (reps is None or not isinstance(reps_max, int) or isinstance(reps_max, bool)
                                 or not reps <= reps_max <= 500):
        raise UserError(_("{where} reps_max = {reps_max}: expected a whole number from reps ({reps}) to 500").format(
            where=where, reps_max=repr(reps_max), reps=reps))
    motion = _strings(raw.get("motion", []), f"{where} motion")
    for name in motion:
        if name not in poses:
            raise UserError(_("{where} motion: unknown pose {name} (defined: {poses})").format(
                where=where, name=repr(name), poses=', '.join(poses) or _("none")))
    return Step(
        cue=_text(raw["cue"], f"{where} cue"),
        tags=_strings(raw.get("tags", []), f"{where} tags"),
        reps=reps,
        hold_s=_seconds(raw["hold"], f"{where} hold") if "hold" in raw else None,
        sides=_bool(raw.get("sides", False), f"{where} sides"),
        motion=motion,
        reps_max=reps_max,
        cue_without_wall=_text(raw["cue_without_wall"], f"{where} cue_without_wall") if "cue_without_wall" in raw
        else None,
        side_label=_text(raw["side_label"], f"{where} side_label") if "side_label" in raw else None,
    )


def _pose(raw: object, where: str) -> Pose:
    if not isinstance(raw, dict):
        raise UserError(_("{where}: must be a table of angles like {{ trunk = 0, thigh = 0 }}").format(where=where))
    _known_keys(raw, set(POSE_KEYS), where)
    for key, value in raw.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not -360 <= value <= 360:
            raise UserError(_("{where} {key} = {value}: expected an angle in degrees (-360 to 360)").format(
                where=where, key=key, value=repr(value)))
    return Pose(**{k: float(v) for k, v in raw.items()})


def _check(cid: str, raw: dict[str, Any], source: str) -> Check:
    where = f"{source}: [checks.{cid}]"
    answers = _strings(raw.get("answers", []), f"{where} answers", nonempty=True)
    steer = {a: _strings(t, f"{where} steer.{a}") for a, t in _table(raw.get("steer", {}), where, "steer").items()}
    level = dict(_table(raw.get("level", {}), where, "level"))
    hurt = _strings(raw.get("hurt", []), f"{where} hurt")
    for answer in (*steer, *level, *hurt):
        if answer not in answers:
            raise UserError(_("{where}: {answer} is not one of the answers {answers}").format(
                where=where, answer=repr(answer), answers=list(answers)))
    return Check(id=cid, question=_text(raw.get("question"), f"{where} question"), answers=answers,
                 steer=steer, level={a: int(v) for a, v in level.items()}, hurt=hurt,
                 question_without_wall=raw.get("question_without_wall"))


def _caution(raw: object, where: str) -> Caution:
    if isinstance(raw, str):
        return Caution(text=_text(raw, where))
    if not isinstance(raw, dict):
        raise UserError(_("{where}: expected text or {{ text = ..., tags = [...] }}").format(where=where))
    _known_keys(raw, {"text", "tags"}, where)
    return Caution(text=_text(raw.get("text"), f"{where} text"), tags=_strings(raw.get("tags", []), f"{where} tags"))


def _level(raw: object, where: str) -> Level:
    if isinstance(raw, str):
        return Level(label=_text(raw, where))
    if not isinstance(raw, dict):
        raise UserError(_("{where}: expected {{ label = ..., wall = true|false }}").format(where=where))
    _known_keys(raw, {"label", "wall", "distance_cm"}, where)
    distance = raw.get("distance_cm")
    if distance is not None and (not isinstance(distance, int | float) or isinstance(distance, bool)
                                 or not 0 <= distance <= 100):
        raise UserError(_("{where} distance_cm = {distance}: expected centimetres from 0 to 100").format(
            where=where, distance=repr(distance)))
    return Level(label=_text(raw.get("label"), f"{where} label"), wall=_bool(raw.get("wall", True), f"{where} wall"),
                 distance_cm=None if distance is None else float(distance))


def _seconds(value: object, where: str) -> float:
    """A positive number of seconds, or a duration text like "90s", "2m", "1m30s", at most an hour."""
    return parse_duration(value, where, longest=timedelta(hours=1), numbers=True).total_seconds()


def _known_keys(raw: dict[str, Any], known: set[str], where: str) -> None:
    for key in raw:
        if key not in known:
            raise UserError(_("{where}: unknown key {key} (known: {known})").format(
                where=where, key=repr(key), known=', '.join(sorted(known))))


def _table(value: object, where: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UserError(_("{where} {key}: must be a table").format(where=where, key=key))
    return value


def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise UserError(_("{where} {key} = {value}: expected a list").format(where=where, key=key, value=repr(value)))
    return value


def _text(value: object, where: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise UserError(_("{where} = {value}: expected non-empty text in quotes").format(
            where=where, value=repr(value)))
    return value.strip()


def _strings(value: object, where: str, *, nonempty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UserError(_('{where} = {value}: expected a list of texts like ["a", "b"]').format(
            where=where, value=repr(value)))
    if nonempty and not value:
        raise UserError(_("{where}: must not be empty").format(where=where))
    return tuple(v.strip() for v in value)


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise UserError(_("{where} = {value}: expected true or false").format(where=where, value=repr(value)))
    return value
