"""The application icon shipped with the package (``breaker/icons``): PNGs in the sizes desktops and
notification servers ask for, the SVG they were drawn to match, and a Windows ``.ico``."""

from __future__ import annotations

from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICON_DIR = Path(__file__).with_name("icons")


def icon_path(size: int = 64) -> Path:
    """The smallest shipped PNG at least ``size`` pixels wide (the largest when none is)."""
    best = next((s for s in SIZES if s >= size), SIZES[-1])
    return ICON_DIR / f"breaker-{best}.png"


def svg_path() -> Path:
    """The scalable icon."""
    return ICON_DIR / "breaker.svg"


def ico_path() -> Path:
    """The multi-size Windows icon (for the Startup shortcut)."""
    return ICON_DIR / "breaker.ico"
