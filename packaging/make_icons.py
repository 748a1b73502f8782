"""Draw breaker's application icon into the PNG sizes and the .ico shipped in ``breaker/icons``.

The geometry is the hand-drawn ``breaker/icons/breaker.svg`` (a 256-unit square), drawn with Pillow at
4x and scaled down like the tray icon. Run from the repository root: ``python packaging/make_icons.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from breaker.adapters.trayicon import FACE, GREEN, SUPERSAMPLE, TRACK, WHITE
from breaker.icons import ICON_DIR, SIZES

SWEEP = 0.75  # the green arc: three quarters of the way to the sitting limit


def draw_app_icon(size: int) -> Image.Image:
    """The application icon as an RGBA ``size`` x ``size`` image."""
    big = size * SUPERSAMPLE
    unit = big / 256  # one SVG unit
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = 10.24 * unit
    box = (margin, margin, big - margin, big - margin)
    ring = round(43.52 * unit)
    draw.ellipse(box, fill=FACE)
    draw.ellipse(box, outline=TRACK, width=ring)
    draw.arc(box, start=-90.0, end=-90.0 + SWEEP * 360.0, fill=GREEN, width=ring)
    points = [(84.48 * unit, 153.6 * unit), (128 * unit, 102.4 * unit), (171.52 * unit, 153.6 * unit)]
    stroke = round(20.48 * unit)
    draw.line(points, fill=WHITE, width=stroke, joint="curve")
    for x, y in (points[0], points[-1]):  # round caps, as in the SVG
        r = stroke / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(out: Path = ICON_DIR) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw_app_icon(size).save(out / f"breaker-{size}.png", optimize=True)
    draw_app_icon(256).save(out / "breaker.ico", sizes=[(s, s) for s in SIZES if s != 22])
    print(f"wrote {len(SIZES)} PNGs and breaker.ico to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ICON_DIR))
