"""The tray icon, drawn at run time: a ring that fills as the sitting bout approaches ``sit_limit``.

Every look sits on a dark disc with a light rim, so it stands out on light and on dark panels alike.
Looks (``TrayView`` decides which):
- sitting: a green arc from twelve o'clock, clockwise, over a light grey track; amber from 80 % on;
- over the limit (fraction >= 1): the whole ring in the charts' "over the limit" orange and a white
  upward arrow (stand up) - no centre dot, which would read as a recording indicator;
- paused: a whole slate ring with two white pause bars (a complete shape: paused, not broken);
- in a break: a full blue ring with a white upward chevron.

The look is one list of drawing calls (``drawing``) with two renderers: Pillow (``draw_icon``: drawn at
4x the asked size and scaled down, for the XEmbed tray, Windows and macOS) and pure Python
(``icon_argb32`` via ``raster.py``: the StatusNotifierItem's ARGB pixmaps, so a daemon with that tray
never imports Pillow). Both are pure: they only compute pixels (safe from any thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from breaker.adapters.ports import TrayView

if TYPE_CHECKING:
    from PIL import Image

SUPERSAMPLE = 4

GREEN = (46, 160, 67, 255)
AMBER = (230, 150, 20, 255)
OVER = (217, 105, 74, 255)  # breaker.ui.shapes.OVER: one colour for "over the limit" everywhere
RED = OVER  # the name older code imports
BLUE = (41, 121, 255, 255)
SLATE = (132, 148, 166, 255)  # paused
GREY = SLATE
TRACK = (130, 130, 130, 110)  # the application icon's track and face (packaging/make_icons.py, breaker.svg)
FACE = (32, 36, 40, 200)
RING_TRACK = (150, 156, 163, 255)  # the tray's empty ring: light enough to see on the dark disc
DISC = (32, 36, 40, 235)  # the tray's disc behind the ring
RIM = (235, 238, 242, 200)  # a thin light edge around the disc: the icon's outline on a dark panel
WHITE = (255, 255, 255, 255)

WARN_FROM = 0.8  # the arc turns amber from this fraction on

Call = tuple[Any, ...]  # (ImageDraw method name, positional arguments, keyword arguments)


def ring_colour(view: TrayView) -> tuple[int, int, int, int]:
    """The colour of the progress arc for ``view``."""
    if view.in_break:
        return BLUE
    if view.paused:
        return SLATE
    if view.fraction >= 1.0:
        return RED
    if view.fraction >= WARN_FROM:
        return AMBER
    return GREEN


def appearance(view: TrayView) -> tuple[object, ...]:
    """A key that changes exactly when the drawn icon would (steps of 1/96 of the ring)."""
    if view.in_break:
        return ("break",)
    step = round(min(max(view.fraction, 0.0), 1.0) * 96)
    if view.paused:
        return ("paused",)
    return ("sitting", step, ring_colour(view))


def drawing(view: TrayView, size: int) -> list[Call]:
    """The icon as Pillow ``ImageDraw`` calls on a transparent ``size`` * SUPERSAMPLE square, in order."""
    if size < 8:
        raise ValueError(f"icon size {size} is too small (need >= 8)")
    big = size * SUPERSAMPLE
    margin = big * 0.04
    width = max(round(big * 0.17), SUPERSAMPLE * 2)  # ring thickness: ~3 px at 16 px
    box = (margin, margin, big - margin, big - margin)
    calls: list[Call] = [("ellipse", (box,), {"fill": DISC, "outline": RIM,
                                             "width": max(SUPERSAMPLE, round(big * 0.035))})]
    inner = big * 0.035
    box = (margin + inner, margin + inner, big - margin - inner, big - margin - inner)
    calls.append(("ellipse", (box,), {"outline": RING_TRACK, "width": width}))
    colour = ring_colour(view)
    fraction = 1.0 if view.in_break or view.paused else max(0.0, view.fraction)
    if fraction >= 1.0:
        calls.append(("ellipse", (box,), {"outline": colour, "width": width}))
    elif fraction > 0.0:
        # at least a visible nub, so "just started" differs from "nothing"
        sweep = max(fraction * 360.0, 12.0)
        calls.append(("arc", (box,), {"start": -90.0, "end": -90.0 + sweep, "fill": colour, "width": width}))
    centre = big / 2
    if view.in_break:
        calls += _chevron(centre, big)
    elif view.paused:
        calls += _pause_bars(centre, big)
    elif view.fraction >= 1.0:
        calls += _arrow(centre, big)
    return calls


def _pause_bars(centre: float, big: int) -> list[Call]:
    half_h, bar_w, gap = big * 0.17, big * 0.09, big * 0.06
    return [("rectangle", ((left, centre - half_h, left + bar_w, centre + half_h),), {"fill": WHITE})
            for left in (centre - gap - bar_w, centre + gap)]


def _arrow(centre: float, big: int) -> list[Call]:
    head, stem = big * 0.15, max(round(big * 0.075), 2)
    top, bottom = centre - big * 0.17, centre + big * 0.17
    return [("polygon", ([(centre, top), (centre - head, top + head), (centre + head, top + head)],), {"fill": WHITE}),
            ("rectangle", ((centre - stem / 2, top + head * 0.9, centre + stem / 2, bottom),), {"fill": WHITE})]


def _chevron(centre: float, big: int) -> list[Call]:
    """Two arms (quadrilaterals, so both renderers agree on their width) and a round tip."""
    span, lift, half = big * 0.17, big * 0.1, max(round(big * 0.08), 2) / 2
    points = [(centre - span, centre + lift), (centre, centre - lift), (centre + span, centre + lift)]
    calls: list[Call] = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        nx, ny = -(y1 - y0) / length * half, (x1 - x0) / length * half
        arm = [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)]
        calls.append(("polygon", (arm,), {"fill": WHITE}))
    tip_x, tip_y = points[1]
    calls.append(("ellipse", ((tip_x - half, tip_y - half, tip_x + half, tip_y + half),), {"fill": WHITE}))
    return calls


def draw_icon(view: TrayView, size: int) -> Image.Image:
    """An RGBA ``size`` x ``size`` Pillow image of ``view``: drawn at 4x, scaled down (pure; any thread)."""
    from PIL import Image, ImageDraw

    calls = drawing(view, size)
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for name, args, options in calls:
        getattr(draw, name)(*args, **options)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_argb32(view: TrayView, size: int) -> bytes:
    """``view`` as ``size`` x ``size`` ARGB32 bytes, drawn in pure Python (no Pillow; any thread)."""
    from breaker.adapters.raster import rasterize

    return rasterize(drawing(view, size), size, SUPERSAMPLE)


def to_argb32(image: Image.Image) -> bytes:
    """``image`` as ARGB32 in network byte order (what StatusNotifierItem's IconPixmap wants)."""
    from PIL import Image

    rgba = image.convert("RGBA")
    r, g, b, a = rgba.split()
    return Image.merge("RGBA", (a, r, g, b)).tobytes()
