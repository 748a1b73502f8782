"""The tray icon, drawn at run time: a ring that fills as the sitting bout approaches ``sit_limit``.

Looks (``TrayView`` decides which):
- sitting: a green arc from twelve o'clock, clockwise, over a grey track; amber from 80 % on;
- over the limit (fraction >= 1): the whole ring and a centre dot in the warning red;
- paused: a grey ring with two pause bars;
- in a break: a full blue ring with a white upward chevron (stand up).

Pure: ``draw_icon`` only computes an image (safe from any thread). It draws at 4x the asked size and
scales down, so edges stay smooth at 16 px and crisp at 64 px.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from breaker.adapters.ports import TrayView

SUPERSAMPLE = 4

GREEN = (46, 160, 67, 255)
AMBER = (230, 150, 20, 255)
RED = (214, 48, 49, 255)
BLUE = (41, 121, 255, 255)
GREY = (130, 130, 130, 255)
TRACK = (130, 130, 130, 110)
FACE = (32, 36, 40, 200)  # the disc behind the ring: readable on light and dark panels
WHITE = (255, 255, 255, 255)

WARN_FROM = 0.8  # the arc turns amber from this fraction on


def ring_colour(view: TrayView) -> tuple[int, int, int, int]:
    """The colour of the progress arc for ``view``."""
    if view.in_break:
        return BLUE
    if view.paused:
        return GREY
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
    return ("paused" if view.paused else "sitting", step, ring_colour(view))


def draw_icon(view: TrayView, size: int) -> Image.Image:
    """An RGBA ``size`` x ``size`` image of ``view`` (pure; any thread)."""
    if size < 8:
        raise ValueError(f"icon size {size} is too small (need >= 8)")
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = big * 0.04
    width = max(round(big * 0.17), SUPERSAMPLE * 2)  # ring thickness: ~3 px at 16 px
    box = (margin, margin, big - margin, big - margin)

    draw.ellipse(box, fill=FACE)
    draw.ellipse(box, outline=TRACK, width=width)
    colour = ring_colour(view)
    fraction = 1.0 if view.in_break else max(0.0, view.fraction)
    if fraction >= 1.0:
        draw.ellipse(box, outline=colour, width=width)
    elif fraction > 0.0:
        # at least a visible nub, so "just started" differs from "nothing"
        sweep = max(fraction * 360.0, 12.0)
        draw.arc(box, start=-90.0, end=-90.0 + sweep, fill=colour, width=width)

    centre = big / 2
    if view.in_break:
        _chevron(draw, centre, big)
    elif view.paused:
        _pause_bars(draw, centre, big)
    elif view.fraction >= 1.0:
        r = big * 0.13
        draw.ellipse((centre - r, centre - r, centre + r, centre + r), fill=RED)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _pause_bars(draw: ImageDraw.ImageDraw, centre: float, big: int) -> None:
    half_h, bar_w, gap = big * 0.17, big * 0.09, big * 0.06
    for left in (centre - gap - bar_w, centre + gap):
        draw.rectangle((left, centre - half_h, left + bar_w, centre + half_h), fill=WHITE)


def _chevron(draw: ImageDraw.ImageDraw, centre: float, big: int) -> None:
    span, lift = big * 0.17, big * 0.1
    points = [(centre - span, centre + lift), (centre, centre - lift), (centre + span, centre + lift)]
    draw.line(points, fill=WHITE, width=max(round(big * 0.08), 2), joint="curve")


def to_argb32(image: Image.Image) -> bytes:
    """``image`` as ARGB32 in network byte order (what StatusNotifierItem's IconPixmap wants)."""
    rgba = image.convert("RGBA")
    r, g, b, a = rgba.split()
    return Image.merge("RGBA", (a, r, g, b)).tobytes()
