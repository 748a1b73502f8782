"""The guide window on real X servers of different sizes and DPI: it opens at a DPI-scaled size that fits
the screen, its type grows back after a shrink (re-fit on every resize), and the end screen summarises
and closes by itself. Each window runs in a child process (Tk keeps its X connection until exit)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys, time
from breaker.catalogue import load_catalogue
from breaker.ui.flow import Flow
from breaker.ui.guide_window import GuideWindow

cat = load_catalogue()
eid = sys.argv[1]
ex = cat.get(eid)
events = []
flow = Flow(ex, 2 if ex.levels else 1, [cat.checks[c] for c in ex.checks], hold_s=0.2)
g = GuideWindow(flow, events.append, end_s=1.0, progress=lambda a: "progress line")
g.root.deiconify()
g._begin()
def settle(s=0.3):
    end = time.monotonic() + s
    while time.monotonic() < end:
        g.root.update(); time.sleep(0.02)
settle()
out = {"size": [g.root.winfo_width(), g.root.winfo_height()], "dpi": g.root.winfo_fpixels("1i"),
       "title_px": g.fonts["title"].metrics("linespace")}
cue = lambda: g.fonts["cue"].metrics("linespace")
for geometry in ("1200x800", "560x400", "1200x800"):
    g.root.geometry(geometry); settle()
    out.setdefault("cue", []).append(cue())
for _ in range(3):
    g.press(); settle(0.05)
g.answer(0); settle(0.2)
out["last"] = events[-1]["event"]
out["summary"] = g.question.cget("text")
start, closed = time.monotonic(), []
g.root.bind("<Destroy>", lambda e: closed.append(time.monotonic() - start) if e.widget is g.root else None, add="+")
try:
    while time.monotonic() - start < 4 and not closed:
        g.root.update(); time.sleep(0.02)
except Exception:
    pass
out["closed_after"] = round(closed[0], 2) if closed else None
print(json.dumps(out))
"""


@pytest.fixture
def screen(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """A private Xvfb of the size and DPI given by the test's parameter; an environment showing on it."""
    need(shutil.which("Xvfb") is not None, "Xvfb is not installed (apt-get install xvfb)")
    width, height, dpi = request.param
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                               "-dpi", str(dpi), "-nolisten", "tcp"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as ready:
        number = ready.readline().strip().decode()
    try:
        yield {**os.environ, "DISPLAY": f":{number}", "PYTHONPATH": str(ROOT)}
    finally:
        server.kill()
        server.wait()


def probe(env: dict[str, str], eid: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, eid], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("screen", [(1280, 720, 96), (3840, 2160, 192)], indirect=True, ids=["720p", "4k-192dpi"])
def test_opens_scaled_for_the_screen_and_fits_it_and_refits(screen: dict[str, str]) -> None:
    out = probe(screen, "glute")
    width, height = out["size"]
    scale = out["dpi"] / 96
    screen_w, screen_h = (1280, 720) if scale < 1.5 else (3840, 2160)
    assert width <= screen_w and height <= screen_h
    assert width >= min(960 * scale, screen_w * 0.9) - 2  # twice the size at 192 dpi: the same look
    assert out["title_px"] >= 30 * scale * 0.9  # and type scaled with it
    large, small, again = out["cue"]
    assert small < large and again == large  # re-fitted on every resize: it does not stick small
    assert out["last"] == "completed"
    assert out["summary"].startswith("Done.") and "progress line" in out["summary"]
    assert out["closed_after"] is not None and 0.8 <= out["closed_after"] <= 2.5  # the end screen closes itself
