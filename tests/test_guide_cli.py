"""`breaker break` and `breaker exercises` around the guide: the coach's stored level without a daemon, the
prompt's words from the exercise's steps, the [guide] config section and the contact sheet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from breaker.catalogue import load_catalogue
from breaker.config import parse_config
from breaker.core.coach import CoachState
from breaker.core.errors import UserError
from breaker.daemon.views import movement_phrase
from breaker.store.coach_state import NOTICE_KEY, STATE_KEY
from breaker.store.storage import Storage
from tests.desktop import XDisplay

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()


def test_prompt_words_come_from_the_steps() -> None:
    assert movement_phrase(CATALOGUE, "hinge", None).startswith("15–20 reps of the hip hinge")
    assert movement_phrase(CATALOGUE, "wall-hinge", 2).startswith("15–20 reps of the wall hip hinge drill")
    assert movement_phrase(CATALOGUE, "move", None).startswith("a walk and reach")
    for ex in CATALOGUE.exercises.values():
        phrase = movement_phrase(CATALOGUE, ex.id, 1)
        minutes = ex.duration_s / 60
        shown = float(phrase.split("about ")[1].split(" min")[0].replace("½", ".5").replace(" ", "") or "0.5")
        assert abs(shown - minutes) <= 0.25, (ex.id, phrase, ex.duration_s)


@pytest.mark.parametrize(("section", "message"), [
    ({"sound": "yes"}, 'x.toml: [guide] sound = "yes": expected true or false'),
    ({"pace": "fast"}, 'x.toml: [guide] pace = "fast": expected "auto" or "manual"'),
    ({"volume": 3}, "x.toml: [guide] unknown key 'volume' (known: pace, sound)"),
])
def test_guide_section_errors_name_the_key(section: dict, message: str) -> None:
    with pytest.raises(UserError) as err:
        parse_config({"guide": section}, "x.toml")
    assert str(err.value) == message
    assert parse_config({"guide": {"sound": False, "pace": "manual"}}, "x.toml").guide.pace == "manual"


def test_break_without_a_daemon_opens_at_the_stored_level_and_tells_the_coach(xdisplay: XDisplay,
                                                                              tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    storage = Storage.open(db)
    with storage.transaction():
        storage.set_state(STATE_KEY, json.dumps(CoachState(levels={"wall-hinge": 3}).to_dict()))
        storage.set_state(NOTICE_KEY, "2026-11-30")
    storage.close()
    cli = subprocess.Popen([sys.executable, "-m", "breaker", "break", "--exercise", "wall-hinge", "--db", str(db),
                            "--json"], cwd=ROOT, env={**xdisplay.env, "PYTHONPATH": str(ROOT)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert cli.stdout is not None
        started = json.loads(cli.stdout.readline())
        assert started["event"] == "started" and started["level"] == 3  # not level 1
        win = xdisplay.wait_window("^breaker: Wall hip hinge drill$")  # exact: other windows may begin "breaker: "
        xdisplay.focus(win)
        xdisplay.key("Escape")
        out, err = cli.communicate(timeout=20)
    finally:
        cli.kill()
    assert cli.returncode == 1, err
    assert json.loads(out.splitlines()[-1])["event"] == "abandoned"
    storage = Storage.open(db)
    state = CoachState.from_dict(json.loads(storage.get_state(STATE_KEY) or "{}"))
    storage.close()
    assert state.last == "wall-hinge" and state.levels["wall-hinge"] == 3 and state.breaks == 1


def test_contact_sheet_has_every_exercise_at_every_level(tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    done = subprocess.run([sys.executable, "-m", "breaker", "exercises", "--sheet", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = sum(ex.level_count() for ex in CATALOGUE.exercises.values())
    assert f"({rows} rows" in done.stdout
    assert abs(Image.open(out).height - rows * 220 * 9 / 8) <= 2  # one row of key poses per exercise and level


def test_the_guide_doc_names_the_cue_for_every_technique_point() -> None:
    from tests.test_catalogue import TECHNIQUE_TAGS

    doc = (ROOT / "docs" / "guided-breaks.md").read_text()
    table = [line for line in doc.splitlines() if line.startswith("| ") and "step" in line]
    for tag in TECHNIQUE_TAGS:
        rows = [line for line in table if f"`{tag}`" in line]
        assert rows, f"no line in docs/guided-breaks.md says which cue carries {tag!r}"
        for row in rows:  # and the cue it names really carries the tag
            if "cautions" in row:
                assert any(tag in c.tags for c in CATALOGUE.get("hinge").cautions), (tag, row)
            elif "hinge step" in row:
                step = int(row.split("hinge step ")[1][0])
                assert tag in CATALOGUE.get("hinge").steps[step - 1].tags, (tag, row)
            if "wall drill step" in row and "cautions" not in row:
                step = int(row.split("wall drill step ")[1][0])
                assert tag in CATALOGUE.get("wall-hinge").steps[step - 1].tags, (tag, row)
