"""Short sound cues for the guided break, through the platform's own player (no heavy dependency).

Linux: the freedesktop sound theme (``canberra-gtk-play`` by event id; else the theme's file through
``paplay`` or ``pw-play``, so it reaches PulseAudio or PipeWire). Windows: ``winsound`` system aliases.
macOS: ``afplay`` with a system sound. Playing never blocks and never raises: a desktop without a sound
server simply stays quiet (``Sounds.kind`` says which player was found, "none" when none was).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# cue -> freedesktop sound-theme event id (distinct sounds: a short tick per rep, others for the rest)
THEME = {"rep": "audio-volume-change", "hold-end": "complete", "switch": "message-new-instant",
         "end": "service-login"}
WINDOWS = {"rep": "SystemAsterisk", "hold-end": "SystemExclamation", "switch": "SystemQuestion", "end": "SystemExit"}
MACOS = {"rep": "Tink", "hold-end": "Glass", "switch": "Pop", "end": "Hero"}
THEME_DIRS = ("/usr/share/sounds/freedesktop/stereo", "/usr/local/share/sounds/freedesktop/stereo")


def theme_file(event_id: str) -> Path | None:
    """The freedesktop theme's file for an event id, if installed."""
    dirs = [Path(d) / "sounds/freedesktop/stereo" for d in os.environ.get("XDG_DATA_DIRS", "").split(":") if d]
    for folder in (*dirs, *map(Path, THEME_DIRS)):
        for ext in (".oga", ".ogg", ".wav"):
            if (folder / (event_id + ext)).is_file():
                return folder / (event_id + ext)
    return None


class Sounds:
    """Plays named cues ("rep", "hold-end", "switch", "end"); ``enabled=False`` keeps it silent."""

    def __init__(self, enabled: bool = True, prefer: str | None = None) -> None:
        self.enabled = enabled
        self.kind = self._find(prefer) if enabled else "off"
        self._children: list[subprocess.Popen[bytes]] = []

    def _find(self, prefer: str | None) -> str:
        if sys.platform == "win32":
            return "winsound"
        if sys.platform == "darwin":
            return "afplay" if shutil.which("afplay") else "none"
        order = [prefer] if prefer else ["canberra-gtk-play", "paplay", "pw-play"]
        return next((name for name in order if name and shutil.which(name)), "none")

    def command(self, cue: str) -> list[str] | None:
        """The command that plays ``cue`` with the player found (None when it cannot)."""
        if self.kind == "afplay":
            return ["afplay", f"/System/Library/Sounds/{MACOS[cue]}.aiff"]
        if self.kind == "canberra-gtk-play":
            return ["canberra-gtk-play", "--id", THEME[cue], "--description", f"breaker {cue}"]
        path = theme_file(THEME[cue])
        if self.kind in ("paplay", "pw-play") and path is not None:
            return [self.kind, str(path)]
        return None

    def play(self, cue: str) -> None:
        """Start the cue's sound and return at once."""
        if not self.enabled or cue not in THEME:
            return
        self._children = [child for child in self._children if child.poll() is None]
        try:
            if self.kind == "winsound":
                import winsound

                winsound.PlaySound(WINDOWS[cue], winsound.SND_ALIAS | winsound.SND_ASYNC)  # type: ignore[attr-defined]
                return
            cmd = self.command(cue)
            if cmd is not None:
                self._children.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                       stderr=subprocess.DEVNULL))
        except (OSError, RuntimeError) as err:  # a missing or broken player: stay quiet
            log.debug("sound %s: %s", cue, err)

    def close(self) -> None:
        """Wait briefly for sounds still playing (so the last cue is not cut off), then let go."""
        for child in self._children:
            try:
                child.wait(timeout=3)
            except subprocess.TimeoutExpired:
                child.kill()
        self._children = []
