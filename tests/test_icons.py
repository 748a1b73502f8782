"""The shipped application icon: every PNG size, drawn by packaging/make_icons.py, matching the SVG."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageChops, ImageStat

from breaker.icons import ICON_DIR, SIZES, ico_path, icon_path, svg_path
from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent


def make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel (0-255), premultiplied so transparent pixels agree."""
    def flat(image: Image.Image) -> Image.Image:
        return image.convert("RGBA").convert("RGBa")
    return max(ImageStat.Stat(ImageChops.difference(flat(a), flat(b))).mean)


def test_every_size_ships_as_rgba_png() -> None:
    for size in SIZES:
        with Image.open(ICON_DIR / f"breaker-{size}.png") as image:
            assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (size, size))
    assert icon_path(1).name == "breaker-16.png" and icon_path(23).name == "breaker-24.png"
    assert icon_path(64).name == "breaker-64.png" and icon_path(4096).name == "breaker-256.png"
    with Image.open(ico_path()) as ico:
        assert ico.format == "ICO" and (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]


def test_committed_pngs_are_what_make_icons_draws() -> None:
    draw = make_icons().draw_app_icon
    for size in SIZES:
        with Image.open(ICON_DIR / f"breaker-{size}.png") as shipped:
            assert mean_difference(shipped, draw(size)) < 1.0, f"re-run packaging/make_icons.py ({size} px)"


def test_svg_is_well_formed_and_renders_like_the_png(tmp_path: Path) -> None:
    root = ET.parse(svg_path()).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 256 256"
    need(shutil.which("rsvg-convert") is not None, "rsvg-convert (librsvg2-bin) to render the SVG")
    out = tmp_path / "svg.png"
    subprocess.run(["rsvg-convert", "-w", "256", "-h", "256", str(svg_path()), "-o", str(out)], check=True)
    with Image.open(out) as rendered, Image.open(icon_path(256)) as drawn:
        assert mean_difference(rendered, drawn) < 4.0
