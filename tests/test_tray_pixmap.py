"""The StatusNotifierItem's pixmaps, drawn in pure Python, look like the Pillow icon and need no Pillow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from breaker.adapters.ports import TrayView
from breaker.adapters.trayicon import draw_icon, icon_argb32, to_argb32

LOOKS = {
    "empty": TrayView(0.0, ""), "just started": TrayView(0.02, ""), "a quarter": TrayView(0.25, ""),
    "half": TrayView(0.5, ""), "two thirds": TrayView(0.67, ""), "amber": TrayView(0.85, ""),
    "over": TrayView(1.3, ""), "paused": TrayView(0.4, "", paused=True), "in a break": TrayView(0.4, "", in_break=True),
}
PANELS = ((0, 0, 0), (255, 255, 255), (128, 128, 128), (36, 31, 49))


def shown(argb: bytes, panel: tuple[int, int, int]) -> list[tuple[int, ...]]:
    """Every pixel as a panel would show it: the icon composited over ``panel``."""
    pixels = []
    for at in range(0, len(argb), 4):
        alpha = argb[at]
        pixels.append(tuple(round((argb[at + 1 + i] * alpha + panel[i] * (255 - alpha)) / 255) for i in range(3)))
    return pixels


def differences(ours: bytes, pillow: bytes) -> list[int]:
    """Per pixel, the largest difference in any channel on any panel, or in alpha."""
    worst = [abs(a - b) for a, b in zip(ours[::4], pillow[::4], strict=True)]
    for panel in PANELS:
        for i, (a, b) in enumerate(zip(shown(ours, panel), shown(pillow, panel), strict=True)):
            worst[i] = max(worst[i], *(abs(x - y) for x, y in zip(a, b, strict=True)))
    return worst


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48])
@pytest.mark.parametrize("look", list(LOOKS))
def test_the_pure_python_pixmap_matches_the_pillow_icon(look: str, size: int) -> None:
    view = LOOKS[look]
    ours, pillow = icon_argb32(view, size), to_argb32(draw_icon(view, size))
    assert len(ours) == len(pillow) == size * size * 4
    diff = differences(ours, pillow)
    # edges differ by a few levels (Pillow rasterises at 4x, then Lanczos); a shape out of place or a
    # wrong colour shows as whole pixels off by far more (a green arc's end one pixel off: ~150)
    assert max(diff) <= 56, f"{look} at {size} px: a pixel differs by {max(diff)}"
    assert sum(diff) / len(diff) <= 7, f"{look} at {size} px: pixels differ by {sum(diff) / len(diff):.1f} on average"


def test_a_small_change_in_the_look_shows_in_the_comparison() -> None:
    """The comparison can fail: one step of the ring (1/96) and the next colour are both caught."""
    pillow = to_argb32(draw_icon(TrayView(0.5, ""), 32))
    assert max(differences(icon_argb32(TrayView(0.5 + 4 / 96, ""), 32), pillow)) > 56
    assert sum(differences(icon_argb32(TrayView(0.85, ""), 32), to_argb32(draw_icon(TrayView(0.75, ""), 32)))) \
        / (32 * 32) > 7


def test_the_sni_pixmaps_import_neither_pillow_nor_pystray() -> None:
    code = ("import sys; from breaker.adapters.sni import pixmaps; from breaker.adapters.ports import TrayView; "
            "drawn = pixmaps(TrayView(1.2, 'x')); assert [w for w, h, data in drawn] == [16, 22, 24, 32, 48, 64]; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PIL', 'pystray')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
