"""The programs bench/footprint compares, started the way a desktop starts them, and what they cost.

- breaker: `breaker run` with a 2 min natural break (the steady away state comes sooner).
- Workrave 1.10 and Safe Eyes 2.1 (Debian packages): GTK programs. Their desktop starts helpers for them
  on the session bus (at-spi-bus-launcher with its own bus and at-spi2-registryd, dconf-service); the
  bus here can start exactly those two, and what it starts carries its mark (BENCH_BUS).
- Safe Eyes runs xprintidle every 2 s; those short-lived processes are gone before /proc can be read, so
  a wrapper earlier on its PATH runs the real one under GNU time, which logs each run's context switches;
  their CPU time is the program's reaped children's (cutime + cstime in /proc/PID/stat; this includes
  GNU time's own, a few ms).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from benchkit import ROOT, Desktop, started_by_bus
from procstat import Sample, sample

CONFIG = """[breaks]
natural_break = "2m"
"""
# the services a GTK program's session bus starts for it (accessibility bus, GSettings store)
SERVICES = ("/usr/share/dbus-1/services/org.a11y.Bus.service", "/usr/share/dbus-1/services/ca.desrt.dconf.service")
DEBS = {"workrave": ["workrave"], "safeeyes": ["safeeyes", "xprintidle", "gir1.2-ayatanaappindicator3-0.1"]}
# a GTK 3 window shown once: GDK's one-time GLX probe of the display, cached on its root window (GDK_VISUALS)
GTK_PROBE = """import gi
gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk
window = Gtk.Window(title="probe")
window.show_all()
GLib.timeout_add(300, Gtk.main_quit)
Gtk.main()
"""
WRAPPER = """#!/bin/sh
exec /usr/bin/time -a -o {log} -f "%U %S %w %c" {real} "$@"
"""


def gtk_probe(desk: Desktop) -> bool:
    """Let GTK probe ``desk``'s display once, as any earlier GTK program on a real desktop has."""
    env = desk.env(GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1")  # the probe starts no helpers itself
    done = subprocess.run(["/usr/bin/python3", "-c", GTK_PROBE], env=env, capture_output=True, timeout=60)
    visuals = subprocess.run(["xprop", "-root", "GDK_VISUALS"], env=env, capture_output=True, text=True)
    return done.returncode == 0 and "GDK_VISUALS(" in visuals.stdout


def launch(name: str, desk: Desktop) -> subprocess.Popen[bytes]:
    if name == "breaker":
        config = desk.home / "config.toml"
        config.write_text(CONFIG)
        cmd = [sys.executable, "-m", "breaker", "run", "--config", str(config), "--db", str(desk.home / "breaker.db")]
        env = desk.env(PYTHONPATH=str(ROOT))
    elif name == "workrave":
        cmd, env = [shutil.which("workrave") or "/usr/bin/workrave"], desk.env()
    else:
        wrappers = desk.home / "wrappers"
        wrappers.mkdir(exist_ok=True)
        wrapper = wrappers / "xprintidle"
        wrapper.write_text(WRAPPER.format(log=desk.home / "children.log", real=shutil.which("xprintidle")))
        wrapper.chmod(0o755)
        env = desk.env()
        # its first run copies its config there, but makes the style folder under ~/.config only
        (Path(env["XDG_CONFIG_HOME"]) / "safeeyes" / "style").mkdir(parents=True, exist_ok=True)
        env["PATH"] = f"{wrappers}:{env.get('PATH', '/usr/bin:/bin')}"
        cmd = ["/usr/bin/python3", "/usr/bin/safeeyes"]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class Reading:
    """One moment's counters: the program's own process tree, the bus's helpers, the finished children."""

    own: Sample
    helpers: Sample
    names: list[str]
    children: tuple[float, int, int]  # CPU s, context switches, runs (from the wrapper's log)


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def _children(pid: int, desk: Desktop) -> tuple[float, int, int]:
    """CPU seconds of the children ``pid`` has waited for, and the wrapper's context switches and runs."""
    log = desk.home / "children.log"
    cpu, switches, runs = 0.0, 0, 0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[14]) + int(fields[15])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime
    except (OSError, IndexError, ValueError):
        pass
    if log.exists():
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 4 and all(p.replace(".", "").isdigit() for p in parts):
                switches += int(parts[2]) + int(parts[3])
                runs += 1
    return cpu, switches, runs


def read(pid: int, desk: Desktop) -> Reading:
    helpers = Sample()
    pids = started_by_bus(desk)
    for p in pids:
        one = sample(p, tree=False)
        for field in ("pss_kb", "rss_kb", "cpu_s", "switches", "threads", "processes"):
            setattr(helpers, field, getattr(helpers, field) + getattr(one, field))
    return Reading(sample(pid), helpers, sorted({_comm(p) for p in pids}), _children(pid, desk))


@dataclass
class Cost:
    """What one program cost over a window of ``seconds``: alone (its own processes, and the children it
    started and waited for) and with the helpers the desktop started for it."""

    name: str
    seconds: float
    pss_mb: float
    rss_mb: float
    cpu_s: float
    wakeups: int
    threads: int
    child_runs: int
    helper_pss_mb: float
    helper_rss_mb: float
    helper_cpu_s: float
    helper_wakeups: int
    helpers: list[str]
    dock_s: float | None

    def per_min(self, value: float) -> float:
        return value * 60.0 / self.seconds

    def total(self, attr: str) -> float:
        """``pss_mb``, ``rss_mb``, ``cpu_s`` or ``wakeups`` with the helpers (rates per minute, memory as is)."""
        value = getattr(self, attr) + getattr(self, "helper_" + attr)
        return value if attr.endswith("_mb") else self.per_min(value)

    def alone(self, attr: str) -> float:
        value = getattr(self, attr)
        return value if attr.endswith("_mb") else self.per_min(value)


def cost(name: str, before: Reading, after: Reading, seconds: float, dock_s: float | None) -> Cost:
    child_cpu = after.children[0] - before.children[0]
    child_switches = after.children[1] - before.children[1]
    return Cost(name, seconds, after.own.pss_kb / 1024, after.own.rss_kb / 1024,
                after.own.cpu_s - before.own.cpu_s + child_cpu,
                after.own.switches - before.own.switches + child_switches, after.own.threads,
                after.children[2] - before.children[2], after.helpers.pss_kb / 1024, after.helpers.rss_kb / 1024,
                max(0.0, after.helpers.cpu_s - before.helpers.cpu_s),
                max(0, after.helpers.switches - before.helpers.switches), after.names, dock_s)
