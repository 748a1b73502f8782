"""A contact sheet: every exercise's key poses at every level, one row each, in one PNG (docs, review)."""

from __future__ import annotations

from pathlib import Path

from breaker.core.exercise import Catalogue
from breaker.core.i18n import _
from breaker.ui.figure import INK, PAPER, RULE, SUPERSAMPLE, Stage, draw_pil


def write_sheet(catalogue: Catalogue, path: Path, panel: int = 220) -> int:
    """Write the sheet to ``path``; returns how many rows (exercise x level) it has."""
    from PIL import Image, ImageDraw, ImageFont

    ss = SUPERSAMPLE
    rows = [(ex, level) for ex in catalogue.exercises.values() for level in range(1, ex.level_count() + 1)]
    columns = max(len(Stage(ex, level).poses) for ex, level in rows)
    label_w, caption = panel * 2 * ss, panel * ss // 8
    cell = panel * ss
    image = Image.new("RGB", (label_w + columns * cell, len(rows) * (cell + caption)), PAPER)
    draw = ImageDraw.Draw(image)
    try:
        big, small = ImageFont.load_default(size=caption * 0.75), ImageFont.load_default(size=caption * 0.55)
    except TypeError:  # Pillow < 10.1 has a single small bitmap font
        big = small = ImageFont.load_default()
    for r, (ex, level) in enumerate(rows):
        top = r * (cell + caption)
        stage = Stage(ex, level)
        draw.text((caption, top + caption), ex.name, fill=INK, font=big)
        draw.text((caption, top + caption * 2.2), f"{ex.id} · {ex.duration_s} s", fill=INK, font=small)
        if ex.levels:
            lv = ex.levels[level - 1]
            draw.text((caption, top + caption * 3.2), _("Level {level}: {label}").format(level=level, label=lv.label), fill=INK, font=small)
        for c, (name, pose) in enumerate(stage.poses.items()):
            left = label_w + c * cell
            draw_pil(draw, stage.shapes(pose, cell, cell), offset=(left, top))
            draw.text((left + cell / 2, top + cell + caption * 0.4), name, fill=INK, font=small, anchor="mm")
        draw.line([(0, top + cell + caption - ss), (image.width, top + cell + caption - ss)], fill=RULE, width=ss)
    image.reduce(ss).save(path, "PNG")
    return len(rows)
