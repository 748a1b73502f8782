"""Smooth figure drawing on a Tk canvas: the shapes are drawn with Pillow at a larger size and shrunk
(anti-aliased edges, which Tk's own canvas lines do not have on X11), then shown as one image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from breaker.ui.figure import PAPER, Shape, draw_pil, draw_tk

SUPERSAMPLE = 3  # enough for smooth edges; 2 on big canvases (a 4K screen) to stay near 20 ms a frame
BIG = 400_000  # pixels


class SmoothCanvas:
    """Draws shapes on ``canvas`` through one reused PhotoImage (falls back to plain Tk lines)."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.photo: Any = None
        self.last: tuple[Any, ...] = ()
        try:
            from PIL import Image, ImageDraw, ImageTk  # noqa: F401 - ImageTk needs Tk support in Pillow
        except ImportError:
            self.smooth = False
        else:
            self.smooth = True

    def draw(self, shapes: Sequence[Shape], width: int, height: int) -> None:
        """Replace the figure with ``shapes`` (laid out for ``width`` x ``height`` pixels); a frame that
        is the same as the last one is not drawn again."""
        key = (tuple(shapes), width, height)
        if key == self.last:
            return
        self.last = key
        if not self.smooth:
            draw_tk(self.canvas, shapes)
            return
        from PIL import Image, ImageDraw, ImageTk

        ss = SUPERSAMPLE if width * height < BIG else 2
        big = Image.new("RGB", (width * ss, height * ss), PAPER)
        draw_pil(ImageDraw.Draw(big), [scaled(shape, ss) for shape in shapes])
        image = big.reduce(ss)
        if self.photo is None or (self.photo.width(), self.photo.height()) != image.size:
            self.photo = ImageTk.PhotoImage(image)
            self.canvas.delete("figure")
            self.canvas.create_image(0, 0, image=self.photo, anchor="nw", tags="figure")
        else:
            self.photo.paste(image)


def scaled(shape: Shape, factor: float) -> Shape:
    """The same shape ``factor`` times larger (about the origin)."""
    from dataclasses import replace

    from breaker.ui.figure import Disc, Line

    if isinstance(shape, Line):
        return replace(shape, points=tuple((x * factor, y * factor) for x, y in shape.points), width=shape.width * factor)
    if isinstance(shape, Disc):
        return replace(shape, center=(shape.center[0] * factor, shape.center[1] * factor), radius=shape.radius * factor)
    (ax, ay), (bx, by) = shape.corners
    return replace(shape, corners=((ax * factor, ay * factor), (bx * factor, by * factor)))
