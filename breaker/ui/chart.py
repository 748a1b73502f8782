"""The weekly chart as plain shapes, drawn the same way on a Tk canvas or into a Pillow image (PNG).

Per day: a bar of sitting split into the part within the sit limit and the part beyond it, a tick at the
day's longest bout, and one dot per prompt (filled: ended in a completed break). ``layout`` is pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breaker.core.weekly import WeeklyReport
from breaker.timefmt import human_duration

PAPER, INK, MUTED, GRID = "#faf8f3", "#22313f", "#7d8a96", "#e3ded4"
HEALTHY, OVER, DONE, LONGEST = "#5b9bb8", "#d9694a", "#3f8f5a", "#22313f"
MAX_DOTS = 8  # more prompts than this on a day are written as "3/12" instead of dots


@dataclass(frozen=True)
class Rect:
    box: tuple[float, float, float, float]
    fill: str
    outline: str = ""
    width: float = 1


@dataclass(frozen=True)
class Line:
    points: tuple[float, ...]
    color: str
    width: float = 1


@dataclass(frozen=True)
class Text:
    at: tuple[float, float]
    text: str
    size: int
    color: str = INK
    anchor: str = "nw"  # Tk anchor names
    bold: bool = False


Shape = Rect | Line | Text


def layout(report: WeeklyReport, width: float = 900, height: float = 440) -> list[Shape]:
    """All shapes of the chart of ``report`` in a ``width`` x ``height`` pixel frame."""
    left, right, top, bottom = 58.0, 16.0, 64.0, 118.0
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    days, total = report.days, report.totals
    shapes: list[Shape] = [Rect((0, 0, width, height), PAPER)]
    first, last = days[0].day, days[-1].day
    shapes.append(Text((left, 12), f"Sitting per day, week {report.week}  "
                       f"({first.day} {first:%b} – {last.day} {last:%b %Y})", 17, bold=True))
    shapes.append(Text((left, 38), _subtitle(report), 12, MUTED))
    peak = max([d.sitting_s for d in days] + [d.longest_bout_s for d in days] + [3600.0])
    hours = math.ceil(peak / 3600)
    step = 1 if hours <= 8 else 2 if hours <= 16 else 4
    hours = math.ceil(hours / step) * step
    scale = plot_h / (hours * 3600)
    for h in range(0, hours + 1, step):
        y = base - h * 3600 * scale
        shapes.append(Line((left, y, left + plot_w, y), GRID if h else MUTED))
        shapes.append(Text((left - 8, y), f"{h} h", 11, MUTED, "e"))
    column = plot_w / 7
    bar = column * 0.5
    for i, day in enumerate(days):
        cx = left + column * (i + 0.5)
        color = MUTED if day.ahead else INK
        shapes.append(Text((cx, base + 8), f"{day.day:%a} {day.day.day}", 12, color, "n", bold=True))
        if day.ahead:
            shapes.append(Text((cx, base - 6), "ahead", 11, MUTED, "s"))
            continue
        healthy = day.sitting_s - day.over_limit_s
        y_healthy = base - healthy * scale
        if healthy > 0:
            shapes.append(Rect((cx - bar / 2, y_healthy, cx + bar / 2, base), HEALTHY))
        if day.over_limit_s > 0:
            shapes.append(Rect((cx - bar / 2, base - day.sitting_s * scale, cx + bar / 2, y_healthy), OVER))
        if day.sitting_s > 0:
            shapes.append(Text((cx, base - day.sitting_s * scale - 4), _dur(day.sitting_s), 11, INK, "s"))
        if day.longest_bout_s > 0:
            y = base - day.longest_bout_s * scale
            shapes.append(Line((cx - bar / 2 - 7, y, cx + bar / 2 + 7, y), LONGEST, 3))
            shapes.append(Text((cx, base + 27), f"longest {_dur(day.longest_bout_s)}", 10, MUTED, "n"))
        shapes.extend(_dots(day.prompts, day.completed, cx, base + 48))
    if total.empty:
        shapes.append(Text((left + plot_w / 2, top + plot_h / 2 - 12), f"Nothing recorded in {report.week}", 16,
                           MUTED, "center", bold=True))
        shapes.append(Text((left + plot_w / 2, top + plot_h / 2 + 14),
                           "Sitting, prompts and breaks appear here while breaker runs.", 12, MUTED, "center"))
    shapes.extend(_legend(left, height - 26, report))
    return shapes


def _subtitle(report: WeeklyReport) -> str:
    total = report.totals
    if total.empty:
        return "No sitting, prompts or breaks recorded"
    prompts = ("no prompts" if total.compliance is None else
               f"{total.completed} of {total.prompts} prompts completed (compliance {total.compliance:.0%})")
    return (f"{_dur(total.sitting_s)} sitting · {total.bouts} bouts · longest {_dur(total.longest_bout_s)} · "
            f"{total.bouts_over_limit} over the {human_duration(report.sit_limit_s)} limit · {prompts}")


def _dots(prompts: int, completed: int, cx: float, y: float) -> list[Shape]:
    if prompts == 0:
        return []
    if prompts > MAX_DOTS:
        return [Text((cx, y - 2), f"{completed}/{prompts} done", 10, DONE if completed else MUTED, "n")]
    gap, r = 11.0, 4.0
    x0 = cx - gap * (prompts - 1) / 2
    out: list[Shape] = []
    for k in range(prompts):
        x = x0 + k * gap
        fill = DONE if k < completed else PAPER
        out.append(Rect((x - r, y + 4 - r, x + r, y + 4 + r), fill, DONE if k < completed else MUTED, 1.5))
    return out


def _legend(x: float, y: float, report: WeeklyReport) -> list[Shape]:
    limit = human_duration(report.sit_limit_s)
    items: list[Shape] = [
        Rect((x, y - 6, x + 12, y + 6), HEALTHY), Text((x + 18, y), f"within the {limit} limit", 11, MUTED, "w"),
        Rect((x + 170, y - 6, x + 182, y + 6), OVER), Text((x + 188, y), "beyond it", 11, MUTED, "w"),
        Line((x + 268, y, x + 290, y), LONGEST, 3), Text((x + 296, y), "longest bout", 11, MUTED, "w"),
        Rect((x + 396, y - 4, x + 404, y + 4), DONE, DONE, 1.5), Text((x + 410, y), "break completed", 11, MUTED, "w"),
        Rect((x + 528, y - 4, x + 536, y + 4), PAPER, MUTED, 1.5), Text((x + 542, y), "prompt not completed", 11, MUTED, "w"),
    ]
    return items


def _dur(seconds: float) -> str:
    return "–" if seconds <= 0 else human_duration(seconds)


# ---- drawing --------------------------------------------------------------------------------------

_PIL_ANCHOR = {"nw": "la", "n": "ma", "ne": "ra", "w": "lm", "center": "mm", "e": "rm",
               "sw": "ld", "s": "md", "se": "rd"}


def draw_tk(canvas: Any, shapes: list[Shape], tag: str = "chart") -> None:
    """Draw ``shapes`` on a Tk canvas, replacing what was drawn with the same tag."""
    canvas.delete(tag)
    for s in shapes:
        if isinstance(s, Rect):
            if s.outline and s.box[2] - s.box[0] <= 10:  # the dots: round on screen
                canvas.create_oval(*s.box, fill=s.fill, outline=s.outline, width=1, tags=tag)
            else:
                canvas.create_rectangle(*s.box, fill=s.fill, outline=s.outline or "", width=s.width, tags=tag)
        elif isinstance(s, Line):
            canvas.create_line(*s.points, fill=s.color, width=s.width, tags=tag)
        else:
            font = ("DejaVu Sans", -s.size, "bold" if s.bold else "normal")
            canvas.create_text(*s.at, text=s.text, fill=s.color, anchor=s.anchor, font=font, tags=tag)


def draw_pil(image: Any, shapes: list[Shape], zoom: float = 1.0) -> None:
    """Draw ``shapes`` into a Pillow image, every coordinate multiplied by ``zoom``."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for s in shapes:
        if isinstance(s, Rect):
            box = tuple(v * zoom for v in s.box)
            if s.outline and s.box[2] - s.box[0] <= 10:
                draw.ellipse(box, fill=s.fill, outline=s.outline, width=max(1, round(s.width * zoom)))
            else:
                draw.rectangle(box, fill=s.fill, outline=s.outline or None)
        elif isinstance(s, Line):
            draw.line([v * zoom for v in s.points], fill=s.color, width=max(1, round(s.width * zoom)))
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


def write_png(report: WeeklyReport, path: Path, width: int = 900, height: int = 440, zoom: float = 2.0) -> None:
    """The chart of ``report`` as a PNG (drawn at ``zoom`` times the size, sharp on high-DPI screens)."""
    from PIL import Image

    image = Image.new("RGB", (round(width * zoom), round(height * zoom)), PAPER)
    draw_pil(image, layout(report, width, height), zoom)
    image.save(path, "PNG", optimize=True)
