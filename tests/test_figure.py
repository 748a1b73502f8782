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
from breaker.ui.figure import CM, HEAD_R, INK, LIMB, SEAT, WALL, Disc, Stage, motion_pose, placed, write_png

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
    # Standing tall: shoulder over hip, knees soft (unlocked a little, not bent).
    assert abs(stand["shoulder"][0] - stand["hip"][0]) < 0.02
    assert 165 <= _angle(stand["hip"], stand["knee"], stand["ankle"]) <= 175
    # Hinged: hips pushed back behind the heels, chest close to horizontal, knees only soft.
    assert hinge["hip"][0] < hinge["heel"][0] - 0.02
    trunk = math.degrees(math.atan2(hinge["shoulder"][0] - hinge["hip"][0], hinge["shoulder"][1] - hinge["hip"][1]))
    assert 65 <= trunk <= 85
    knee_bend = 180 - _angle(hinge["hip"], hinge["knee"], hinge["ankle"])
    assert 8 <= knee_bend <= 30
    # Neutral spine: the head stays in line with the back; feet stay where they were.
    assert abs(poses["hinge"].neck) <= 10
    assert hinge["ankle"] == pytest.approx(stand["ankle"], abs=1e-9)
    # Hands stay at the hip crease (in front of the hip, on the belly side) in both poses.
    for pts, pose in ((stand, poses["stand"]), (hinge, poses["hinge"])):
        assert math.dist(pts["hand"], pts["hip"]) < 0.08
        assert _side_of_back(pts, pts["hand"]) > 0.02
        # Flat back: the upper arm lies along the back, its elbow inside the back's drawn width (no hump).
        assert abs(_side_of_back(pts, pts["elbow"])) <= 0.7 * LIMB, pose


def _side_of_back(pts: dict, point: tuple[float, float]) -> float:
    """Signed distance of ``point`` from the hip-shoulder line: + on the belly side, - on the back side."""
    (hx, hy), (sx, sy) = pts["hip"], pts["shoulder"]
    length = math.hypot(sx - hx, sy - hy)
    return ((point[0] - hx) * (sy - hy) - (point[1] - hy) * (sx - hx)) / length


def test_wall_is_drawn_at_each_levels_distance_and_the_seat_touches_it() -> None:
    ex = CATALOGUE.get("wall-hinge")
    gaps = []
    for level, lv in enumerate(ex.levels[:-1], start=1):
        stage = Stage(ex, level=level)
        heel = placed(stage.poses["stand"])["heel"][0]
        gap_cm = (heel - stage.wall_x) / CM
        assert stage.wall and gap_cm == pytest.approx(lv.distance_cm, abs=0.5)
        assert 3 <= gap_cm <= 31  # a few centimetres up to about 30: shins stay nearly upright
        hinge = placed(stage.poses["hinge"])
        assert hinge["hip"][0] - SEAT - stage.wall_x == pytest.approx(0.0, abs=0.003)  # hips reach the wall
        shin = math.degrees(math.atan2(hinge["knee"][0] - hinge["ankle"][0], hinge["knee"][1] - hinge["ankle"][1]))
        assert abs(shin) <= 12
        gaps.append(gap_cm)
    assert gaps == sorted(gaps) and len(set(gaps)) == len(gaps)
    assert not Stage(ex, level=len(ex.levels)).wall  # the last level is without a wall


def test_every_level_of_the_wall_drill_is_a_different_picture(tmp_path: Path) -> None:
    ex = CATALOGUE.get("wall-hinge")
    pictures = set()
    for level in range(1, ex.level_count() + 1):
        write_png(ex, tmp_path / f"{level}.png", level=level, panel=120)
        pictures.add((tmp_path / f"{level}.png").read_bytes())
    assert len(pictures) == ex.level_count()


def _head_clear(pts: dict) -> float:
    """The least distance from the head's centre to either arm, minus the head's radius."""
    def seg(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy or 1)))
        return math.dist(p, (a[0] + t * dx, a[1] + t * dy))
    head = pts["head"]
    return min(seg(head, pts["shoulder"], pts["elbow" + s]) for s in ("", "2")) - HEAD_R


def test_no_arm_passes_through_the_head() -> None:
    for ex in CATALOGUE.exercises.values():
        for name, pose in ex.poses.items():
            pts = placed(pose)
            clear = min(_head_clear(pts), *(math.dist(pts["head"], pts[h]) - HEAD_R for h in ("hand", "hand2")))
            assert clear >= LIMB / 2, (ex.id, name, clear)


def test_hip_flexor_stretch_raises_the_kneeling_sides_arm_with_the_trunk_upright() -> None:
    for eid, stretch in (("hip-flexor", "stretch"), ("hip-flexor-standing", "stretch")):
        pose = CATALOGUE.get(eid).poses[stretch]
        pts = placed(pose)
        assert pts["hand"][1] > pts["head"][1]  # the near arm is up
        assert pts["knee"][0] < pts["knee2"][0]  # the near leg is the back (kneeling / stepped-back) one
        assert abs(pose.trunk) <= 3  # upright, not leaning back
    kneel = placed(CATALOGUE.get("hip-flexor").poses["stretch"])
    assert kneel["knee"][1] < 0.05  # the kneeling knee is on the floor


def test_glute_stretch_is_a_seated_figure_4() -> None:
    ex = CATALOGUE.get("glute")
    pts = placed(ex.poses["stretch"])
    assert "chair" in ex.props
    assert math.dist(pts["ankle"], pts["knee2"]) < 0.06  # the crossed ankle rests on the other knee
    assert pts["knee"][1] > pts["knee2"][1]  # and the crossed knee sits higher, opened out


def test_walking_never_has_both_knees_up_or_jumps_sideways() -> None:
    ex = CATALOGUE.get("move")
    walk = [ex.poses[n] for n in ex.steps[1].motion]
    previous = None
    for i in range(201):
        pts = placed(motion_pose(walk, i / 200))
        assert not all(pts[k][1] > LIMB for k in ("ankle", "ankle2")), i  # one foot is always down
        down = min(("ankle", "ankle2"), key=lambda k: pts[k][1])
        if previous is not None:
            assert abs(pts[down][0] - previous[down][0]) < 0.01, i  # the standing foot stays put
        previous = pts


def test_mirrored_figure_is_the_other_side() -> None:
    ex = CATALOGUE.get("hip-flexor")
    stage = Stage(ex)
    plain, mirrored = stage.shapes(ex.poses["stretch"], 400, 300), stage.shapes(ex.poses["stretch"], 400, 300, mirror=True)
    for a, b in zip(plain, mirrored):
        if isinstance(a, Disc):
            assert b.center[0] == pytest.approx(400 - a.center[0]) and b.center[1] == pytest.approx(a.center[1])


def test_png_lines_are_anti_aliased(tmp_path: Path) -> None:
    write_png(CATALOGUE.get("hinge"), tmp_path / "h.png", panel=200)
    image = Image.open(tmp_path / "h.png").convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=100000) or []}
    assert len(colours) > 60  # edge pixels blend figure and paper; a hard-edged drawing has a handful


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
