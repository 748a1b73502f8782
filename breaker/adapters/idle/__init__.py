"""Idle-time sources, one small module per platform, chosen once at start-up.

``open_idle_source`` tries the backends that fit this platform and session in order and returns the
first that works; ``probe_idle`` reports every backend for ``breaker doctor``.
Threading contract: call both from the daemon's thread (never the loop thread); the returned source's
``seconds_idle`` may then be called from any thread except the loop's.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping

from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import IdleSource, Probe, Unavailable
from breaker.core.i18n import N_, joined, said, said_by

log = logging.getLogger(__name__)

BACKENDS = ("x11", "wayland", "gnome", "freedesktop", "windows", "macos")
ALIASES = {"kde": "freedesktop", "kwin": "wayland", "sway": "wayland", "mutter": "gnome", "xscreensaver": "x11",
           "quartz": "macos", "win32": "windows"}
WAYLAND_X11 = N_("skipped on Wayland: XWayland only sees input sent to X clients")


def session_kind(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(session type: "x11" | "wayland" | "tty", desktop name in lower case) from the environment."""
    env = os.environ if env is None else env
    kind = env.get("XDG_SESSION_TYPE", "").lower()
    if kind not in ("x11", "wayland"):
        kind = "wayland" if env.get("WAYLAND_DISPLAY") else "x11" if env.get("DISPLAY") else "tty"
    desktop = (env.get("XDG_CURRENT_DESKTOP") or env.get("DESKTOP_SESSION") or "").lower()
    return kind, desktop


def candidates(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """Backends worth trying here, best first (pure: platform and environment are arguments)."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return ["windows"]
    if platform == "darwin":
        return ["macos"]
    kind, desktop = session_kind(env)
    dbus = ["freedesktop", "gnome"] if "kde" in desktop else ["gnome", "freedesktop"]
    if kind == "wayland":  # Mutter offers no Wayland idle protocol; KWin's ScreenSaver answers NotSupported
        return ["gnome", "wayland", "freedesktop"] if "gnome" in desktop else ["wayland", *dbus]
    if kind == "x11":
        return ["x11", *dbus]
    return [*dbus, "x11"]


def _opener(name: str, loop: LoopThread | None, settle_s: float) -> Callable[[], IdleSource]:
    if name == "x11":
        from breaker.adapters.idle import x11
        return x11.open_source
    if name == "wayland":
        from breaker.adapters.idle import wayland
        return wayland.open_source
    if name == "gnome":
        from breaker.adapters.idle import gnome
        return lambda: gnome.open_source(loop, settle_s=settle_s)
    if name == "freedesktop":
        from breaker.adapters.idle import freedesktop
        return lambda: freedesktop.open_source(loop, settle_s=settle_s)
    if name == "windows":
        from breaker.adapters.idle import windows
        return windows.open_source
    from breaker.adapters.idle import macos
    return macos.open_source


def open_one(name: str, loop: LoopThread | None, settle_s: float = 1.5) -> IdleSource:
    """Open one backend by name (aliases like "kde" accepted); raise Unavailable with the reason."""
    name = ALIASES.get(name, name)
    if name not in BACKENDS:
        raise Unavailable(said(N_("unknown idle backend '{name}' (choose from auto, {names})"), name=name,
                               names=", ".join(BACKENDS)))
    try:
        return _opener(name, loop, settle_s)()
    except Unavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - anything unexpected still means "not this backend"
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc  # a library's words, as they are


def open_idle_source(loop: LoopThread | None, preferred: str = "auto", settle_s: float = 1.5) -> IdleSource:
    """The first working idle source for this session (or exactly ``preferred``), chosen once.

    Raises :class:`Unavailable` naming every backend tried and why each failed.
    """
    names = candidates() if preferred == "auto" else [preferred]
    reasons: list[str] = []  # "name: why", each why localized on showing
    for name in names:
        try:
            source = open_one(name, loop, settle_s)
        except Unavailable as exc:
            log.debug("idle backend %s unavailable: %s", name, exc)
            reasons.append(said(N_("{backend}: {reason}"), backend=name, reason=exc))
            continue
        log.info("idle time from %s", source.name)
        return source
    if preferred == "auto" and session_kind()[0] == "wayland" and sys.platform.startswith("linux"):
        reasons.append(said(N_("{backend}: {reason}"), backend="x11", reason=said(WAYLAND_X11)))
    raise Unavailable(said(N_("no idle-time source works: {reasons}"), reasons=joined(reasons)))


def probe_idle(loop: LoopThread | None, settle_s: float = 1.5) -> list[Probe]:
    """Every idle backend for this platform: which works, which ``auto`` would choose, why others fail."""
    order = candidates()
    names = order + [n for n in ("x11", "gnome", "freedesktop") if n not in order and sys.platform.startswith("linux")]
    probes: list[Probe] = []
    chosen = False
    for name in names:
        if name not in order:
            probes.append(Probe("idle", name, False, said(WAYLAND_X11)))
            continue
        try:
            source = open_one(name, loop, settle_s)
        except Unavailable as exc:
            probes.append(Probe("idle", name, False, said_by(exc)))
            continue
        try:
            idle = f"{source.seconds_idle():.1f}"
        except Unavailable as exc:
            probes.append(Probe("idle", name, False, said_by(exc)))
            continue
        finally:
            source.close()
        detail = said(N_("idle {seconds} s"), seconds=idle)
        if source.name != name:
            detail = said(N_("{backend}: {reason}"), backend=source.name, reason=detail)
        if not chosen:
            detail = said(N_("{detail} (chosen by auto)"), detail=detail)
        probes.append(Probe("idle", name, True, detail))
        chosen = True
    return probes
