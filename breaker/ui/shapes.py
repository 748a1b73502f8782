"""Plain shapes drawn the same way on a Tk canvas or into a Pillow image, and the charts' one palette.

Each colour has one meaning in every chart and window: HEALTHY is sitting within the sit limit of its
bout, OVER is sitting beyond it, GHOST is last week, DONE a prompt that moved you. Every text colour reads
at 4.5:1 or better on PAPER (tests/test_chart_readable.py computes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAPER, INK, MUTED, GRID = "#faf8f3", "#22313f", "#56626e", "#e3ded4"
HEALTHY, OVER, GHOST, DONE = "#5b9bb8", "#d9694a", "#cfc8bb", "#2f7a48"
TEXT_COLORS = (INK, MUTED, DONE)


@dataclass(frozen=True)
class Rect:
    box: tuple[float, float, float, float]
    fill: str
    outline: str = ""
    width: float = 1
    round: bool = False  # drawn as an ellipse (the prompt dots)


@dataclass(frozen=True)
class Line:
    points: tuple[float, ...]
    color: str
    width: float = 1
    dash: bool = False


@dataclass(frozen=True)
class Text:
    at: tuple[float, float]
    text: str
    size: int
    color: str = INK
    anchor: str = "nw"  # Tk anchor names
    bold: bool = False


Shape = Rect | Line | Text


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` in DejaVu Sans at ``size`` pixels (for flowing legends)."""
    return len(text) * size * (0.62 if bold else 0.56)


def fit_words(line: str, width: float, size: int) -> list[str]:
    """Break ``line`` at spaces into pieces that fit ``width``."""
    out = [""]
    for word in line.split(" "):
        trial = f"{out[-1]} {word}".strip()
        if out[-1] and text_width(trial, size) > width:
            out.append(word)
        else:
            out[-1] = trial
    return out


def contrast(fg: str, bg: str) -> float:
    """The WCAG 2 contrast ratio of two "#rrggbb" colours (1 to 21)."""

    def luminance(color: str) -> float:
        channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_PIL_ANCHOR = {"nw": "la", "n": "ma", "ne": "ra", "w": "lm", "center": "mm", "e": "rm",
               "sw": "ld", "s": "md", "se": "rd"}


def draw_tk(canvas: Any, shapes: list[Shape], zoom: float = 1.0, tag: str = "chart") -> None:
    """Draw ``shapes`` on a Tk canvas at ``zoom`` (the screen's DPI / 96), replacing the same tag."""
    canvas.delete(tag)
    for s in shapes:
        if isinstance(s, Rect):
            box = [v * zoom for v in s.box]
            make = canvas.create_oval if s.round else canvas.create_rectangle
            make(*box, fill=s.fill, outline=s.outline or "", width=s.width * zoom if s.outline else 0, tags=tag)
        elif isinstance(s, Line):
            canvas.create_line(*(v * zoom for v in s.points), fill=s.color, width=s.width * zoom,
                               dash=(4, 3) if s.dash else "", tags=tag)
        else:
            font = ("DejaVu Sans", -round(s.size * zoom), "bold" if s.bold else "normal")
            canvas.create_text(s.at[0] * zoom, s.at[1] * zoom, text=s.text, fill=s.color, anchor=s.anchor,
                               font=font, tags=tag)


def draw_pil(image: Any, shapes: list[Shape], zoom: float = 1.0) -> None:
    """Draw ``shapes`` into a Pillow image, every coordinate multiplied by ``zoom``."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for s in shapes:
        if isinstance(s, Rect):
            box = tuple(v * zoom for v in s.box)
            width = max(1, round(s.width * zoom)) if s.outline else 0
            if s.round:
                draw.ellipse(box, fill=s.fill, outline=s.outline or None, width=width)
            else:
                draw.rectangle(box, fill=s.fill, outline=s.outline or None, width=width)
        elif isinstance(s, Line):
            points = [v * zoom for v in s.points]
            width = max(1, round(s.width * zoom))
            if s.dash and len(points) == 4 and points[1] == points[3]:
                x, end, step = points[0], points[2], 7 * zoom
                while x < end:
                    draw.line([x, points[1], min(x + 4 * zoom, end), points[1]], fill=s.color, width=width)
                    x += step
            else:
                draw.line(points, fill=s.color, width=width)
        else:
            font = _font(round(s.size * zoom), s.bold)
            draw.text((s.at[0] * zoom, s.at[1] * zoom), s.text, fill=s.color, font=font, anchor=_PIL_ANCHOR[s.anchor])


def _font(size: int, bold: bool) -> Any:
    from PIL import ImageFont

    for name in (("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf") if bold else
                 ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf")):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def save_png(shapes: list[Shape], path: Path, width: int, height: int, zoom: float = 2.0) -> None:
    """``shapes`` as a PNG drawn at ``zoom`` times the size (sharp on high-DPI screens)."""
    from PIL import Image

    image = Image.new("RGB", (round(width * zoom), round(height * zoom)), PAPER)
    draw_pil(image, shapes, zoom)
    image.save(path, "PNG", optimize=True)
