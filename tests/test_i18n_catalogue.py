"""The movement catalogue and the coach in German, Spanish and French: every shown text translated, the
numbers of a cue kept, and the coach's choices and the "it hurt" rest working on ids in every language."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from breaker import i18n
from breaker.catalogue import load_catalogue
from breaker.core.coach import Coach, CoachState
from breaker.core.exercise import Catalogue
from breaker.core.i18n import _
from breaker.store.coach_state import StoredCoach
from breaker.store.storage import Storage
from breaker.ui.flow import Flow

SPEC = importlib.util.spec_from_file_location("i18n_tool", Path(__file__).resolve().parent.parent / "packaging" / "i18n.py")
assert SPEC and SPEC.loader
tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(tool)

LANGUAGES = tool.LANGUAGES
# words that are the same in a language by nature (checked to still be exactly these)
SAME = {("es", "no")}
NUMBER = re.compile(r"\d+")
SIDE = re.compile(r"\{[A-Za-z]+\}")
ENGLISH_NAMES = ("Hip hinge", "Wall hip hinge drill", "Walk and reach", "Seated glute stretch")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.setup({})


def in_language(language: str) -> Catalogue:
    i18n.setup({"LANGUAGE": language})
    return load_catalogue()


def shown_texts(catalogue: Catalogue) -> dict[str, str]:
    """Every text of the packaged catalogue a person reads, by where it is (answers and targets as shown)."""
    out: dict[str, str] = {}
    for ex in catalogue.exercises.values():
        out[f"{ex.id}.name"], out[f"{ex.id}.summary"] = ex.name, ex.summary
        for i, caution in enumerate(ex.cautions):
            out[f"{ex.id}.cautions[{i}]"] = caution.text
        for i, level in enumerate(ex.levels):
            out[f"{ex.id}.levels[{i}]"] = level.label
        for i, step in enumerate(ex.steps):
            out[f"{ex.id}.steps[{i}].cue"] = step.cue
            if step.cue_without_wall:
                out[f"{ex.id}.steps[{i}].cue_without_wall"] = step.cue_without_wall
            if step.side_label:
                out[f"{ex.id}.steps[{i}].side_label"] = step.side_label
            if step.hold_s:
                out[f"{ex.id}.steps[{i}].timer"] = step.timer_label
        for target in ex.targets:
            out[f"{ex.id}.target {target}"] = _(target)
    for check in catalogue.checks.values():
        out[f"check {check.id}"] = check.question
        if check.question_without_wall:
            out[f"check {check.id} without wall"] = check.question_without_wall
        for answer in check.answers:
            out[f"check {check.id} answer {answer}"] = _(answer)
    return out


def test_same_by_nature_list_is_short() -> None:
    assert len(SAME) <= 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shown_text_of_the_catalogue_is_translated(language: str) -> None:
    english = shown_texts(load_catalogue())
    translated = shown_texts(in_language(language))
    assert translated.keys() == english.keys()
    same = {where: text for where, text in translated.items() if text == english[where]
            and (language, text) not in SAME}
    assert same == {}
    for language_, word in SAME:
        if language_ == language:
            assert word in english.values() and word in translated.values(), word


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_and_side_placeholders_survive_translation(language: str) -> None:
    english = shown_texts(load_catalogue())
    translated = shown_texts(in_language(language))
    numbers = {w: sorted(NUMBER.findall(t)) for w, t in english.items() if NUMBER.search(t)}
    assert numbers, "the catalogue has cues with numbers (cm, reps)"
    assert {w: sorted(NUMBER.findall(translated[w])) for w in numbers} == numbers
    sides = {w: SIDE.findall(t) for w, t in english.items() if SIDE.search(t)}
    assert sides and {w: SIDE.findall(translated[w]) for w in sides} == sides


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translated_catalogue_keeps_its_ids_timings_and_steering(language: str) -> None:
    english = load_catalogue()
    translated = in_language(language)
    for ex in english.exercises.values():
        other = translated.get(ex.id)
        assert (other.targets, other.duration_s, other.checks, other.alternative) == (
            ex.targets, ex.duration_s, ex.checks, ex.alternative)
        assert [(s.reps, s.reps_max, s.hold_s, s.tags) for s in other.steps] == [
            (s.reps, s.reps_max, s.hold_s, s.tags) for s in ex.steps]
    for check in english.checks.values():
        other = translated.checks[check.id]
        assert (other.answers, other.steer, other.level, other.hurt) == (check.answers, check.steer, check.level,
                                                                         check.hurt)


def history(coach: Coach, seed: int) -> list[tuple[str, int]]:
    """Forty picks with answers chosen by ``seed``: what was picked and at which level."""
    import random

    rng, state, day, picked = random.Random(seed), CoachState(), 700_000, []
    for _n in range(40):
        pick = coach.pick(state, day=day)
        picked.append((pick.exercise_id, pick.level))
        exercise = coach.catalogue.get(pick.exercise_id)
        answers = {cid: rng.choice(coach.catalogue.checks[cid].answers) for cid in exercise.checks}
        answers["reps"] = str(rng.choice([0, 15, 20]))
        result = rng.choice(["completed", "completed", "skipped", "abandoned"])
        state = coach.record(state, pick.exercise_id, result, answers, level=pick.level, day=day)
        day += rng.choice([0, 0, 1, 15])
    return picked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_coach_chooses_the_same_in_every_language(seed: int) -> None:
    english = history(Coach(load_catalogue()), seed)
    assert len({eid for eid, _level in english}) >= 4
    for language in LANGUAGES:
        assert history(Coach(in_language(language)), seed) == english, language


def test_reason_lines_are_whole_sentences_with_the_name_as_written() -> None:
    state = Coach(load_catalogue()).record(CoachState(), "hinge", "completed", {"back": "no"})
    assert Coach(load_catalogue()).pick(state).reason == "Your back rounded last time. This helps: Kneeling hip-flexor stretch."
    german = Coach(in_language("de"))
    reason = german.pick(state).reason
    assert german.catalogue.get("hip-flexor").name in reason and "Rücken" in reason, reason
    skipped = german.record(CoachState(), "hinge", "skipped")
    reason = german.pick(skipped).reason
    assert german.catalogue.get("hinge").name in reason and "Hip hinge" not in reason, reason
    assert not re.search(r"\b(the|last time|rotation)\b", reason), reason


def test_it_hurt_answered_in_german_rests_the_movement(tmp_path: Path) -> None:
    catalogue = in_language("de")
    exercise = catalogue.get("hip-flexor")
    flow = Flow(exercise, 1, [catalogue.checks[c] for c in exercise.checks])
    flow.start(0.0)
    while flow.phase == "step":
        flow.next(0.0)
    view = flow.view(0.0)
    shown = [_(answer) for answer in view.answers]
    assert "es tat weh" in shown and "it hurt" not in shown, shown
    flow.answer(shown.index("es tat weh"), 1.0)
    storage = Storage.open(tmp_path / "b.db")
    try:
        coach = StoredCoach(Coach(catalogue), storage, today=lambda: date(2026, 11, 23))
        progress = coach.progress(exercise.id, 1, dict(flow.answers))
        assert "ruht" in progress, progress
        with storage.transaction():
            coach.learn(exercise.id, 1, "completed", dict(flow.answers))
        state = coach.state()
        assert state.rest_until["hip-flexor"] > date(2026, 11, 23).toordinal()
        assert "hip-flexor" in state.swapped
        assert coach.pick().exercise_id != "hip-flexor"
    finally:
        storage.close()


def test_a_users_own_text_passes_through_unchanged() -> None:
    i18n.setup({"LANGUAGE": "de"})
    user = {"hinge": {"summary": "Fold at the hips with a flat back, guided by your hands."},
            "neck": {"name": "Hip hinge", "targets": ["neck"], "steps": [{"cue": "Stand up and push your chair away."}]}}
    catalogue = load_catalogue(user, "my.toml")
    assert catalogue.get("hinge").summary == "Fold at the hips with a flat back, guided by your hands."
    assert catalogue.get("hinge").name == in_language("de").get("hinge").name != "Hip hinge"
    assert catalogue.get("neck").name == "Hip hinge"
    assert catalogue.get("neck").steps[0].cue == "Stand up and push your chair away."


def run_breaker(env: dict[str, str], *args: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    environ.update(env)
    done = subprocess.run([sys.executable, "-m", "breaker", *args], env=environ, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("language", "names"), [
    ("de", ("Hüftscharnier", "Dehnung der Oberschenkelrückseite im Stand", "Gehen und Strecken")),
    ("fr", ("Charnière de hanche", "Étirement des ischio-jambiers debout", "Marcher et s’étirer")),
])
def test_breaker_exercises_reads_in_the_language_asked(tmp_path: Path, language: str, names: tuple[str, ...]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    out = run_breaker({"LANGUAGE": language, "LANG": "C.UTF-8"}, "exercises", "--config", str(config))
    i18n.setup({"LANGUAGE": language})
    for ex in load_catalogue().exercises.values():
        assert ex.name in out and ex.summary in out, ex.id
    for name in names:
        assert name in out
    for english in ENGLISH_NAMES:
        assert english not in out
    assert not re.search(r"\b(the|your|with)\b", out), out


def test_breaker_exercises_stays_english_in_c_and_as_json(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    out = run_breaker({"LANG": "C.UTF-8", "LANGUAGE": ""}, "exercises", "--config", str(config))
    for english in ENGLISH_NAMES:
        assert english in out
    data = json.loads(run_breaker({"LANGUAGE": "de"}, "exercises", "--json", "--config", str(config)))
    names = [ex["name"] for ex in data["exercises"]]
    assert "Hip hinge" in names and "Hüftbeuge" not in names
