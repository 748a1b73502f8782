"""Pillow's ``ImageDraw`` calls rasterised in pure Python, as ARGB32, the way Pillow would scale them down.

The tray icon's look is a list of ``ImageDraw`` calls on a canvas ``scale`` times the icon's size
(``trayicon.drawing``); Pillow draws them there and scales down with its Lanczos filter. Here each icon
pixel is computed from the shapes' geometry instead: how far the pixel lies inside each edge, turned into
what the Lanczos filter makes of a straight edge at that distance (``_edge``; a little sharper than plain
coverage). Only the shapes the icon uses are supported, with Pillow's conventions: coordinates are
truncated to whole canvas pixels, an integer coordinate is a pixel's centre, boxes include their last row
and column, an outline of width w lies inside the ellipse's edge, arc angles run clockwise from three
o'clock, a filled polygon includes its edges. As in ``ImageDraw`` on an RGBA image, a shape replaces what
is under it (no blending). Leading concentric ellipses and arcs are resolved into radial bands first
(``_Rings``): a rim lies exactly where its disc ends, so blending them one by one would leak.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

Coverage = Callable[[float, float], float]  # what the filter sees of a shape at the pixel centred at (x, y)
Colour = Sequence[int]
RGBA = tuple[float, float, float, float]  # premultiplied, 0..1

REACH = 2.0  # icon pixels an edge reaches; Pillow's Lanczos lobes beyond change a pixel by under 2 %
_STEPS = 64  # table entries per icon pixel
_CLEAR: RGBA = (0.0, 0.0, 0.0, 0.0)


def _lanczos(t: float) -> float:
    if t == 0.0:
        return 1.0
    return math.sin(math.pi * t) * math.sin(math.pi * t / 3) / (math.pi * math.pi * t * t / 3) if abs(t) < 3 else 0.0


def _edge_table() -> list[float]:
    """E(d) for d from -3 to 3 in steps of 1/_STEPS: the Lanczos-filtered value of a pixel ``d`` inside a
    straight edge (the running sum of the filter's weights)."""
    weights = [_lanczos(-3.0 + (i + 0.5) / _STEPS) for i in range(6 * _STEPS)]
    total, running, table = sum(weights), 0.0, [0.0]
    for weight in weights:
        running += weight
        table.append(running / total)
    return table


_EDGE = _edge_table()


def _edge(depth: float) -> float:
    """The share of a shape a pixel ``depth`` icon pixels inside one of its straight edges shows (a little
    over 1 or under 0 near the edge: Lanczos sharpens)."""
    if depth <= -REACH:
        return 0.0
    if depth >= REACH:
        return 1.0
    at = (depth + 3.0) * _STEPS
    i = int(at)
    return _EDGE[i] + (_EDGE[i + 1] - _EDGE[i]) * (at - i)


def _clamp(value: float) -> float:
    return 0.0 if value <= 0.0 else 1.0 if value >= 1.0 else value


def _premultiplied(colour: Colour) -> RGBA:
    alpha = colour[3] / 255 if len(colour) > 3 else 1.0
    return (colour[0] / 255 * alpha, colour[1] / 255 * alpha, colour[2] / 255 * alpha, alpha)


class _Shape:
    """A coverage function, the pixel rows/columns it may touch, and its premultiplied colour."""

    def __init__(self, cover: Coverage, bounds: tuple[float, float, float, float], colour: Colour) -> None:
        self.cover = cover
        x0, y0, x1, y1 = bounds
        reach = int(REACH) + 1
        self.x0, self.y0 = math.floor(x0) - reach, math.floor(y0) - reach
        self.x1, self.y1 = math.ceil(x1) + reach, math.ceil(y1) + reach
        self.colour = _premultiplied(colour)


class _Rings:
    """Concentric discs, rings and arcs as radial bands, each in the colour of the last shape over it."""

    def __init__(self, cx: float, cy: float) -> None:
        self.cx, self.cy = cx, cy
        self.layers: list[tuple[float, float, RGBA, tuple[float, float] | None]] = []
        self.bands: list[tuple[float, float, RGBA, RGBA, Callable[[float, float], float] | None]] = []
        self.reach = 0.0

    def add(self, outer: float, inner: float, colour: Colour, angles: tuple[float, float] | None = None) -> None:
        self.layers.append((outer, max(inner, 0.0), _premultiplied(colour), angles))

    def finish(self) -> None:
        """Split the plane at every radius; an arc's band keeps what lies under it for the other angles."""
        radii = sorted({r for outer, inner, _, _ in self.layers for r in (outer, inner)} | {0.0})
        for low, high in zip(radii, radii[1:]):
            covering = [layer for layer in self.layers if layer[1] <= (low + high) / 2 <= layer[0]]
            if not covering:
                continue
            on, off, arc = covering[-1][2], covering[-1][2], None
            if covering[-1][3] is not None:
                arc = _angles(*covering[-1][3])
                solid = [layer for layer in covering if layer[3] is None]
                off = solid[-1][2] if solid else _CLEAR
            self.bands.append((low, high, on, off, arc))
        self.reach = radii[-1] + REACH

    def paint(self, x: float, y: float) -> RGBA:
        dx, dy = x - self.cx, y - self.cy
        r = math.hypot(dx, dy)
        if r >= self.reach:
            return _CLEAR
        near, far = r - REACH, r + REACH
        red = green = blue = alpha = 0.0
        for low, high, on, off, arc in self.bands:
            if high <= near or low >= far:
                continue
            share = (1.0 if high >= far else _edge(high - r)) - (0.0 if low <= near else _edge(low - r))
            mix = 1.0 if arc is None else arc(dx, dy)
            if mix == 1.0:
                red, green, blue, alpha = red + share * on[0], green + share * on[1], blue + share * on[2], \
                    alpha + share * on[3]
            else:
                rest = 1.0 - mix
                red += share * (on[0] * mix + off[0] * rest)
                green += share * (on[1] * mix + off[1] * rest)
                blue += share * (on[2] * mix + off[2] * rest)
                alpha += share * (on[3] * mix + off[3] * rest)
        return (red, green, blue, alpha)


def _angles(start: float, end: float) -> Callable[[float, float], float]:
    """The share of a pixel (offset dx, dy from the centre) between ``start`` and ``end`` degrees."""
    sweep = end - start
    if sweep >= 360.0:
        return lambda dx, dy: 1.0
    a, b = math.radians(start), math.radians(end)
    # each cut is a line through the centre; positive distances lie on the arc's side of it
    n1x, n1y, n2x, n2y = -math.sin(a), math.cos(a), math.sin(b), -math.cos(b)

    def cover(dx: float, dy: float) -> float:
        c1 = _edge(dx * n1x + dy * n1y)
        c2 = _edge(dx * n2x + dy * n2y)
        return max(0.0, c1 + c2 - 1.0) if sweep <= 180.0 else min(1.0, c1 + c2)
    return cover


def _ellipse_frame(box: Sequence[float], scale: int) -> tuple[float, float, float]:
    """Centre x, centre y and radius (icon pixels) of the circle Pillow draws in ``box``."""
    x0, y0, x1, y1 = (int(v) for v in box)
    return (x0 + x1 + 1) / 2 / scale, (y0 + y1 + 1) / 2 / scale, (x1 - x0 + 1) / 2 / scale


def _disc(cx: float, cy: float, radius: float) -> Coverage:
    def cover(x: float, y: float) -> float:
        return _edge(radius - math.hypot(x - cx, y - cy))
    return cover


def _box(x0: float, y0: float, x1: float, y1: float) -> Coverage:
    def cover(x: float, y: float) -> float:
        return (_edge(x1 - x) - _edge(x0 - x)) * (_edge(y1 - y) - _edge(y0 - y))
    return cover


def _convex(points: Sequence[tuple[float, float]], grow: float) -> Coverage:
    """A convex polygon grown by ``grow``: the product of what the filter sees of each edge's half-plane."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True))
    sign = 1.0 if area > 0 else -1.0
    edges = []
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        edges.append((x0, y0, sign * -(y1 - y0) / length, sign * (x1 - x0) / length))

    def cover(x: float, y: float) -> float:
        share = 1.0
        for ex, ey, nx, ny in edges:
            share *= _edge((x - ex) * nx + (y - ey) * ny + grow)
        return share
    return cover


def _shape(call: tuple[Any, ...], scale: int) -> _Shape:
    """The shape a rectangle or polygon call paints, in icon pixels."""
    name, args, options = call
    fill = options.get("fill")
    if name == "rectangle":
        x0, y0, x1, y1 = (int(v) for v in args[0])
        box = (x0 / scale, y0 / scale, (x1 + 1) / scale, (y1 + 1) / scale)
        return _Shape(_box(*box), box, fill)
    if name == "polygon":
        points = [((int(x) + 0.5) / scale, (int(y) + 0.5) / scale) for x, y in args[0]]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        # Pillow fills a polygon and strokes its edges: half a canvas pixel more all round
        return _Shape(_convex(points, 0.5 / scale), (min(xs), min(ys), max(xs), max(ys)), fill)
    raise ValueError(f"cannot rasterise ImageDraw.{name}")


def _split(calls: Sequence[tuple[Any, ...]], scale: int) -> tuple[_Rings | None, list[_Shape]]:
    """The leading concentric ellipses and arcs as rings, and the shapes drawn over them."""
    rings: _Rings | None = None
    shapes: list[_Shape] = []
    for call in calls:
        name, args, options = call
        if name not in ("ellipse", "arc"):
            shapes.append(_shape(call, scale))
            continue
        cx, cy, radius = _ellipse_frame(args[0], scale)
        if shapes or (rings is not None and (rings.cx, rings.cy) != (cx, cy)):
            if name != "ellipse" or options.get("outline") is not None:
                raise ValueError("only concentric rings and arcs, drawn first, can be rasterised")
            bounds = (cx - radius, cy - radius, cx + radius, cy + radius)
            shapes.append(_Shape(_disc(cx, cy, radius), bounds, options["fill"]))
            continue
        rings = rings or _Rings(cx, cy)
        inner = radius - options.get("width", 1) / scale
        if name == "arc":
            rings.add(radius, inner, options["fill"], (options["start"], options["end"]))
            continue
        if options.get("fill") is not None:
            rings.add(radius, 0.0, options["fill"])
        if options.get("outline") is not None:
            rings.add(radius, inner, options["outline"])
    if rings is not None:
        rings.finish()
    return rings, shapes


def rasterize(calls: Sequence[tuple[Any, ...]], size: int, scale: int) -> bytes:
    """ARGB32 bytes (network order, row by row) of ``calls`` drawn on a ``size * scale`` canvas, at ``size``."""
    rings, shapes = _split(calls, scale)
    out = bytearray(size * size * 4)
    for row in range(size):
        y = row + 0.5
        live = [s for s in shapes if s.y0 <= row <= s.y1]
        for column in range(size):
            x = column + 0.5
            r, g, b, a = rings.paint(x, y) if rings is not None else _CLEAR
            for shape in live:
                if shape.x0 <= column <= shape.x1:
                    share = shape.cover(x, y)
                    if share != 0.0:
                        keep = 1.0 - share
                        sr, sg, sb, sa = shape.colour
                        r, g, b, a = r * keep + sr * share, g * keep + sg * share, b * keep + sb * share, \
                            a * keep + sa * share
            alpha = round(_clamp(a) * 255)
            if alpha:
                at = (row * size + column) * 4
                out[at] = alpha
                out[at + 1] = min(255, round(_clamp(r) * 65025 / alpha))
                out[at + 2] = min(255, round(_clamp(g) * 65025 / alpha))
                out[at + 3] = min(255, round(_clamp(b) * 65025 / alpha))
    return bytes(out)
