"""The figure: the hinge's key poses match the cues, and the PNG export works from the command line."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from breaker.catalogue import load_catalogue
from breaker.core.exercise import Pose
from breaker.ui.figure import INK, LIMB, WALL, Stage, motion_pose, placed

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()


def _angle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """The angle at b (degrees) between b->a and b->c."""
    v1, v2 = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


@pytest.mark.parametrize("eid", ["hinge", "wall-hinge"])
def test_hinge_pose_matches_the_cues(eid: str) -> None:
    poses = CATALOGUE.get(eid).poses
    stand, hinge = placed(poses["stand"]), placed(poses["hinge"])
    # Standing tall: shoulder over hip, straight knee.
    assert abs(stand["shoulder"][0] - stand["hip"][0]) < 0.02
    assert _angle(stand["hip"], stand["knee"], stand["ankle"]) > 175
    # Hinged: hips pushed back behind the heels, chest close to horizontal, knees only soft.
    assert hinge["hip"][0] < hinge["heel"][0] - 0.02
    trunk = math.degrees(math.atan2(hinge["shoulder"][0] - hinge["hip"][0], hinge["shoulder"][1] - hinge["hip"][1]))
    assert 65 <= trunk <= 85
    knee_bend = 180 - _angle(hinge["hip"], hinge["knee"], hinge["ankle"])
    assert 8 <= knee_bend <= 30
    # Neutral spine: the head stays in line with the back; feet stay where they were.
    assert abs(poses["hinge"].neck) <= 10
    assert hinge["ankle"] == pytest.approx(stand["ankle"], abs=1e-9)
    # Hands stay at the hip crease in both poses.
    for pts in (stand, hinge):
        assert math.dist(pts["hand"], pts["hip"]) < 0.08


def test_wall_drill_hips_touch_the_wall_at_the_bottom() -> None:
    ex = CATALOGUE.get("wall-hinge")
    stage = Stage(ex, level=1)
    hip = placed(ex.poses["hinge"])["hip"]
    assert stage.wall and hip[0] - 0.7 * LIMB - stage.wall_x == pytest.approx(0.0, abs=0.005)
    assert not Stage(ex, level=len(ex.levels)).wall  # the last level is without a wall


def test_every_pose_stands_on_the_floor() -> None:
    for ex in CATALOGUE.exercises.values():
        for name, pose in ex.poses.items():
            lowest = min(y for key, (_, y) in placed(pose).items() if key != "head")
            assert lowest == pytest.approx(LIMB / 2), (ex.id, name)


def test_motion_blends_between_key_poses() -> None:
    a, b = Pose(trunk=0), Pose(trunk=80, thigh=-20)
    assert motion_pose([a, b], 0.0).trunk == 0
    assert motion_pose([a, b], 0.5).trunk == pytest.approx(80)
    assert 0 < motion_pose([a, b], 0.25).trunk < 80
    assert motion_pose([a, b], 1.0).trunk == pytest.approx(0)
    assert motion_pose([b], 0.3) == b


def _colour_share(image: Image.Image, colour: str, box: tuple[int, int, int, int]) -> float:
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    region = image.convert("RGB").crop(box)
    pixels = [region.getpixel((x, y)) for x in range(0, region.width, 2) for y in range(0, region.height, 2)]
    return sum(1 for p in pixels if all(abs(p[i] - rgb[i]) < 12 for i in range(3))) / len(pixels)


def test_png_export_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "hinge.png"
    done = subprocess.run([sys.executable, "-m", "breaker", "exercises", "--png", "wall-hinge", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    image = Image.open(out)
    assert image.format == "PNG" and image.width == 2 * 360
    for panel in (0, 1):  # the figure is drawn in each key-pose panel, with the wall
        box = (panel * 360, 0, panel * 360 + 360, 360)
        assert _colour_share(image, INK, box) > 0.01
        assert _colour_share(image, WALL, box) > 0.01
    no_wall = tmp_path / "free.png"
    subprocess.run([sys.executable, "-m", "breaker", "exercises", "--png", "wall-hinge", str(no_wall), "--level", "5"],
                   cwd=ROOT, check=True, capture_output=True, timeout=60)
    with_wall = _colour_share(image, WALL, (0, 0, 360, 360))
    assert _colour_share(Image.open(no_wall), WALL, (0, 0, 360, 360)) < with_wall / 3  # only anti-aliased edges


def test_png_of_unknown_exercise_is_a_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "breaker", "exercises", "--png", "nope", str(tmp_path / "x.png")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "breaker: --png nope: unknown exercise (known: " + ", ".join(CATALOGUE.exercises) + ")"


def test_exercises_json_lists_the_catalogue() -> None:
    import json

    done = subprocess.run([sys.executable, "-m", "breaker", "exercises", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    data = json.loads(done.stdout)
    assert [e["id"] for e in data["exercises"]] == list(CATALOGUE.exercises)
    wall = data["exercises"][1]
    assert wall["levels"] and wall["steps"][2]["reps"] == 15
