"""The side-view stick figure: joint angles -> shapes, drawn the same way on a Tk canvas or into a PNG.

World units: the standing figure is about 1 tall, x grows forward (the figure faces right), y grows up,
the floor is y = 0. ``Stage`` fits every pose of one exercise (and its wall or chair) into a fixed frame,
so an animated figure never jumps or rescales between poses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from breaker.core.exercise import Exercise, Pose

TRUNK, NECK, HEAD_R = 0.30, 0.045, 0.065
UPPER_ARM, FOREARM, THIGH, SHIN, TOE, HEEL = 0.17, 0.16, 0.245, 0.245, 0.085, 0.03
LIMB = 0.04  # line thickness of limbs, in world units
SEAT = 0.05  # how far the seat (buttocks) reaches behind the hip joint, in world units
CM = 1 / 170  # world units per centimetre: the standing figure is about 1 tall, a person about 170 cm
INK, FAR_INK, WALL, CHAIR, FLOOR, PAPER = "#22313f", "#8b9aab", "#d6cfc4", "#a9814f", "#7a7065", "#faf8f3"
RULE, HAND = "#e9e4da", "#c8773c"  # hands in a warm colour: where they rest is part of the cue

Point = tuple[float, float]
SUPERSAMPLE = 4  # draw this many times larger, then shrink: smooth (anti-aliased) edges


@dataclass(frozen=True)
class Line:
    """A polyline with round ends; ``width`` in pixels once placed."""

    points: tuple[Point, ...]
    width: float
    color: str


@dataclass(frozen=True)
class Disc:
    """A filled circle."""

    center: Point
    radius: float
    color: str


@dataclass(frozen=True)
class Box:
    """A filled axis-aligned rectangle (x0, y0) - (x1, y1)."""

    corners: tuple[Point, Point]
    color: str


Shape = Line | Disc | Box


def _at(origin: Point, length: float, angle: float) -> Point:
    """The point ``length`` away from ``origin`` in direction ``angle`` (degrees clockwise from up)."""
    rad = math.radians(angle)
    return origin[0] + length * math.sin(rad), origin[1] + length * math.cos(rad)


def joints(pose: Pose) -> dict[str, Point]:
    """Every joint of ``pose`` relative to the hip at (0, 0), y up."""
    p = pose.resolved()
    hip = (0.0, 0.0)
    out = {"hip": hip, "shoulder": _at(hip, TRUNK, p.trunk)}
    head_dir = p.trunk + p.neck
    out["neck"] = _at(out["shoulder"], NECK, head_dir)
    out["head"] = _at(out["neck"], HEAD_R, head_dir)
    for suffix, arm, elbow in (("", p.arm, p.elbow), ("2", p.arm2, p.elbow2)):
        upper = p.trunk + 180 - arm
        out["elbow" + suffix] = _at(out["shoulder"], UPPER_ARM, upper)
        out["hand" + suffix] = _at(out["elbow" + suffix], FOREARM, upper - elbow)
    for suffix, thigh, shin, foot, lens in (("", p.thigh, p.shin, p.foot, (p.thigh_len, p.shin_len)),
                                            ("2", p.thigh2, p.shin2, p.foot2, (1.0, 1.0))):
        knee = _at(hip, THIGH * lens[0], thigh + 180)
        ankle = _at(knee, SHIN * lens[1], shin + 180)
        out["knee" + suffix], out["ankle" + suffix] = knee, ankle
        out["toe" + suffix] = _at(ankle, TOE, 90 - foot)
        out["heel" + suffix] = _at(ankle, HEEL, 270 - foot)
    return out


def placed(pose: Pose) -> dict[str, Point]:
    """Joints standing on the floor: lowest point at y = 0, the supporting ankle at x = 0."""
    pts = joints(pose)
    floor = min(y for name, (_, y) in pts.items() if name != "head") - LIMB / 2
    near, far = pts["ankle"], pts["ankle2"]
    # The foot on the floor stays put; while both are down the anchor slides smoothly between them, so
    # the figure never jumps sideways when the weight moves from one foot to the other.
    t = min(1.0, max(0.0, 0.5 + (near[1] - far[1]) / 0.06))
    anchor_x = near[0] + (far[0] - near[0]) * t
    return {name: (x - anchor_x, y - floor) for name, (x, y) in pts.items()}


def motion_pose(poses: Sequence[Pose], phase: float) -> Pose:
    """The pose at ``phase`` (0..1) of one cycle through ``poses`` and back to the first, eased."""
    if len(poses) == 1:
        return poses[0]
    phase = (phase % 1.0) * len(poses)
    index = int(phase)
    t = (1 - math.cos(math.pi * (phase - index))) / 2
    return poses[index].blend(poses[(index + 1) % len(poses)], t)


def reach_wall(pose: Pose, wall_x: float) -> Pose:
    """The hinge made deeper or shallower (the thigh's lean; the chest follows, shins stay) until the seat
    just touches a wall at ``wall_x``: the pose a user at that distance reaches."""
    def bent(extra: float) -> Pose:
        return replace(pose, thigh=pose.thigh - extra, trunk=min(86.0, pose.trunk + extra * 0.4))

    low, high = -20.0, 50.0  # degrees of extra thigh lean; more lean puts the seat further back
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if placed(bent(mid))["hip"][0] - SEAT <= wall_x else (mid, high)
    return bent(high)


class Stage:
    """The fixed frame for one exercise at one level: its poses, its wall (at that level's distance) or chair."""

    def __init__(self, exercise: Exercise, level: int = 1) -> None:
        self.exercise = exercise
        lv = exercise.levels[level - 1] if exercise.levels and 1 <= level <= len(exercise.levels) else None
        self.wall = "wall" in exercise.props and (lv is None or lv.wall)
        self.chair = "chair" in exercise.props
        self.poses = dict(exercise.poses) or {"stand": Pose()}
        heel = min(placed(pose)["heel"][0] for pose in self.poses.values())
        if self.wall and lv is not None and lv.distance_cm is not None:
            self.wall_x = heel - lv.distance_cm * CM
            self.poses = {name: reach_wall(pose, self.wall_x) if pose.trunk > 45 else pose
                          for name, pose in self.poses.items()}
        else:
            self.wall_x = min(placed(pose)["hip"][0] for pose in self.poses.values()) - SEAT
        points = [pt for pose in self.poses.values() for pt in placed(pose).values()]
        hips = [placed(pose)["hip"] for pose in self.poses.values()]
        self.seat = min(hips, key=lambda h: h[1])
        xs = [x for x, _ in points] + [self.wall_x - 0.06] * self.wall + [self.seat[0] - 0.22] * self.chair
        ys = [y for _, y in points] + [1.0] * self.wall
        self.bounds = (min(xs) - HEAD_R - 0.05, 0.0, max(xs) + HEAD_R + 0.05, max(ys) + HEAD_R + 0.06)

    def shapes(self, pose: Pose, width: float, height: float, mirror: bool = False) -> list[Shape]:
        """Everything to draw for ``pose`` in a ``width`` x ``height`` pixel area (y down); ``mirror``
        flips it left to right (the other side of a stretch)."""
        x0, y0, x1, y1 = self.bounds
        scale = min(width / (x1 - x0), height * 0.9 / (y1 - y0))
        left = (width - (x1 - x0) * scale) / 2 - x0 * scale
        floor_y = height - height * 0.05

        def px(pt: Point) -> Point:
            x = left + pt[0] * scale
            return (width - x if mirror else x), floor_y - pt[1] * scale

        j = {name: px(pt) for name, pt in placed(pose).items()}
        limb = LIMB * scale
        out: list[Shape] = []
        if self.wall:
            out.append(Box((px((self.wall_x - 0.06, 1.02)), px((self.wall_x, 0.0))), WALL))
        if self.chair:
            sx, sy = self.seat[0], self.seat[1] - LIMB / 2
            chair = [((sx - 0.2, sy), (sx + 0.03, sy)), ((sx - 0.2, sy), (sx - 0.2, 0)),
                     ((sx + 0.02, sy), (sx + 0.02, 0)), ((sx - 0.2, sy), (sx - 0.22, sy + 0.33))]
            out += [Line((px(a), px(b)), limb * 0.6, CHAIR) for a, b in chair]
        out.append(Line((px((x0 - 1, 0)), px((x1 + 1, 0))), max(2.0, limb * 0.35), FLOOR))
        far = limb * 0.9
        out.append(Line((j["shoulder"], j["elbow2"], j["hand2"]), far, FAR_INK))
        out.append(Disc(j["hand2"], far * 0.75, FAR_INK))
        out.append(Line((j["hip"], j["knee2"], j["ankle2"]), far, FAR_INK))
        out.append(Line((j["heel2"], j["toe2"]), far * 0.8, FAR_INK))
        out.append(Line((j["shoulder"], j["elbow"]), limb, INK))  # under the back: no hump on a flat back
        out.append(Line((j["hip"], j["shoulder"]), limb * 1.4, INK))
        out.append(Disc(j["hip"], SEAT * scale, INK))  # the seat: what touches the wall
        out.append(Line((j["shoulder"], j["neck"]), limb * 0.8, INK))
        out.append(Disc(j["head"], HEAD_R * scale, INK))
        out.append(Line((j["hip"], j["knee"], j["ankle"]), limb, INK))
        out.append(Line((j["heel"], j["toe"]), limb * 0.8, INK))
        out.append(Line((j["elbow"], j["hand"]), limb, INK))
        out.append(Disc(j["hand"], limb * 0.85, HAND))
        return out


def draw_tk(canvas: Any, shapes: Sequence[Shape], tag: str = "figure") -> None:
    """Draw ``shapes`` on a Tk canvas (replacing earlier ones with the same tag)."""
    canvas.delete(tag)
    for shape in shapes:
        if isinstance(shape, Line):
            flat = [c for pt in shape.points for c in pt]
            canvas.create_line(*flat, width=shape.width, fill=shape.color, capstyle="round", joinstyle="round", tags=tag)
        elif isinstance(shape, Disc):
            (x, y), r = shape.center, shape.radius
            canvas.create_oval(x - r, y - r, x + r, y + r, fill=shape.color, outline="", tags=tag)
        else:
            (ax, ay), (bx, by) = shape.corners
            canvas.create_rectangle(ax, ay, bx, by, fill=shape.color, outline="", tags=tag)


def draw_pil(draw: Any, shapes: Sequence[Shape], offset: Point = (0, 0)) -> None:
    """Draw ``shapes`` with a Pillow ``ImageDraw`` (round caps and joints drawn as discs)."""
    dx, dy = offset
    for shape in shapes:
        if isinstance(shape, Line):
            pts = [(x + dx, y + dy) for x, y in shape.points]
            draw.line(pts, fill=shape.color, width=max(1, round(shape.width)))
            r = shape.width / 2
            for x, y in pts:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=shape.color)
        elif isinstance(shape, Disc):
            (x, y), r = shape.center, shape.radius
            draw.ellipse((x + dx - r, y + dy - r, x + dx + r, y + dy + r), fill=shape.color)
        else:
            (ax, ay), (bx, by) = shape.corners
            draw.rectangle((min(ax, bx) + dx, min(ay, by) + dy, max(ax, bx) + dx, max(ay, by) + dy), fill=shape.color)


def write_png(exercise: Exercise, path: Path, level: int = 1, panel: int = 360) -> None:
    """Write the exercise's key poses side by side, each captioned with its name, as a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    ss = SUPERSAMPLE
    stage = Stage(exercise, level)
    poses = list(stage.poses.items())
    w, h, caption = panel * ss, panel * ss, panel * ss // 9
    image = Image.new("RGB", (w * len(poses), h + caption), PAPER)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=caption * 0.55)
    except TypeError:  # Pillow < 10.1 has a single small bitmap font
        font = ImageFont.load_default()
    for i, (name, pose) in enumerate(poses):
        draw_pil(draw, stage.shapes(pose, w, h), offset=(i * w, caption * 0.3))
        draw.text((i * w + w / 2, h + caption * 0.45), name, fill=INK, font=font, anchor="mm")
        if i:
            draw.line([(i * w, caption), (i * w, h)], fill=RULE, width=ss)
    image = image.resize((image.width // ss, image.height // ss), Image.LANCZOS)
    image.save(path, "PNG")
