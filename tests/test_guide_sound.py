"""The guide's sound cues on a real PulseAudio server with a null sink: the sink's monitor is recorded
during a short break and each cue must sound (an energy burst) right when the window reports its moment,
with a sound of its own kind, and nothing sounds in between."""

from __future__ import annotations

import array
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breaker.adapters.sound import Sounds
from tests.conftest import need
from tests.desktop import XDisplay
from tests.test_guide_window import Guide

RATE, CHUNK = 8000, 80  # 10 ms chunks, time-stamped as they arrive
CONFIG = """
[guide]
sound = true
[exercises.cues]
name = "Cue test"
targets = ["test"]
pace = 0.7
checks = ["feel"]
poses.stand = { trunk = 0 }
steps = [
  { cue = "Three quick reps.", reps = 3, motion = ["stand"] },
  { cue = "Hold each side.", hold = 1.5, sides = true, side_label = "{Side} knee down", motion = ["stand"] },
]
"""


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private PulseAudio server whose default sink is a null sink named ``cues``."""
    need(shutil.which("pulseaudio") is not None and shutil.which("parec") is not None,
         "pulseaudio and parec are not installed (apt-get install pulseaudio pulseaudio-utils)")
    need(Path("/usr/share/sounds/freedesktop/stereo/complete.oga").exists(),
         "the freedesktop sound theme is not installed (apt-get install sound-theme-freedesktop)")
    runtime, home = tmp_path / "pulse", tmp_path / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PULSE_RUNTIME_PATH", str(runtime))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{runtime}/native")
    server = subprocess.Popen(["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--disallow-exit",
                               "--load=module-null-sink sink_name=cues", "--load=module-native-protocol-unix"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], capture_output=True).returncode != 0:
            assert time.monotonic() < deadline and server.poll() is None, "pulseaudio did not start"
            time.sleep(0.1)
        subprocess.run(["pactl", "set-default-sink", "cues"], check=True, capture_output=True)
        yield "cues"
    finally:
        server.kill()
        server.wait()


class Recorder:
    """``parec`` on the sink's monitor; each 10 ms chunk's peak, stamped with the time it arrived."""

    def __init__(self, sink: str) -> None:
        self.proc = subprocess.Popen(["parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le", f"--rate={RATE}",
                                      "--channels=1", "--latency-msec=10"], stdout=subprocess.PIPE)
        self.peaks: list[tuple[float, int]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while block := self.proc.stdout.read(CHUNK * 2):
            self.peaks.append((time.monotonic(), max(abs(v) for v in array.array("h", block))))

    def bursts(self, gap: float = 0.15) -> list[tuple[float, float]]:
        """(start, end) of each stretch of sound, stretches less than ``gap`` apart joined."""
        out: list[list[float]] = []
        for at, peak in self.peaks:
            if peak > 300:
                if out and at - out[-1][1] <= gap:
                    out[-1][1] = at
                else:
                    out.append([at, at])
        return [(a, b) for a, b in out]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        self.thread.join(2)


def test_player_reaches_the_sound_server(pulse: str) -> None:
    sounds = Sounds()
    assert sounds.kind in ("canberra-gtk-play", "paplay", "pw-play")
    rec = Recorder(pulse)
    time.sleep(0.3)
    sounds.play("end")
    sounds.close()
    time.sleep(0.3)
    rec.stop()
    assert len(rec.bursts()) == 1


def test_cues_sound_at_their_moments(pulse: str, xdisplay: XDisplay, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    rec = Recorder(pulse)
    time.sleep(0.3)
    g = Guide(xdisplay, "--exercise", "cues", "--config", str(config), "--ready-seconds", "0", "--switch-seconds",
              "1.5", "--end-seconds", "2")
    moments: list[tuple[float, str]] = []
    try:
        g.wait_for("started")
        for count in (1, 2, 3):
            g.wait_for("rep", timeout=10, count=count)
            moments.append((time.monotonic(), "rep"))
        g.wait_for("hold", timeout=10, side="left")
        moments.append((time.monotonic(), "switch"))
        g.wait_for("hold", timeout=10, side="right")
        moments.append((time.monotonic(), "hold-end"))
        time.sleep(1.5)
        for _ in range(8):  # on a busy machine the self-check may still be drawing: a key before it is lost
            xdisplay.focus(g.window())
            xdisplay.key("1")
            try:
                g.wait_for("completed", timeout=2)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError("the self-check never took an answer")
        moments.append((time.monotonic(), "end"))
        g.finish(timeout=15)
        time.sleep(0.5)
    finally:
        g.close()
        rec.stop()
    bursts = rec.bursts()
    assert len(bursts) == len(moments), (bursts, moments)
    for (start, end), (at, cue) in zip(bursts, moments):
        assert -0.25 <= start - at <= 0.4, (cue, start - at)  # it sounds when the moment comes
        length = end - start
        expected = {"rep": (0.0, 0.2), "switch": (0.15, 0.6), "hold-end": (0.6, 1.2), "end": (1.1, 2.5)}[cue]
        assert expected[0] <= length <= expected[1], (cue, length)  # each cue its own sound
    reps = [s for (s, _), (_, cue) in zip(bursts, moments) if cue == "rep"]
    assert all(0.55 <= b - a <= 0.85 for a, b in zip(reps, reps[1:])), reps  # the exercise's pace: 0.7 s


def test_no_sound_when_switched_off(pulse: str) -> None:
    rec = Recorder(pulse)
    time.sleep(0.2)
    Sounds(enabled=False).play("end")
    time.sleep(1.0)
    rec.stop()
    assert rec.bursts() == []


def test_without_any_player_it_stays_quiet_and_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    sounds = Sounds()
    assert sounds.kind == "none"
    for cue in ("rep", "switch", "hold-end", "end", "unknown"):
        sounds.play(cue)
    sounds.close()
