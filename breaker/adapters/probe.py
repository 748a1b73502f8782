"""``breaker doctor``'s view of the OS adapters: every idle, away and do-not-disturb backend, and why a
missing one is missing. (Notification and tray probes live with their adapters; the caller adds them.)

Threading contract: call from any thread except the loop's; it blocks while it probes (a few seconds at
most: a D-Bus idle service that answers 0 is watched for ``settle_s`` before it is rejected).
"""

from __future__ import annotations

from collections.abc import Callable

from breaker.adapters.aio import LoopThread
from breaker.adapters.ports import Probe
from breaker.core.i18n import N_, localized, said


def _safely(kind: str, probe: Callable[[], list[Probe]]) -> list[Probe]:
    try:
        return probe()
    except Exception as exc:  # noqa: BLE001 - doctor reports a crashed probe instead of crashing
        return [Probe(kind, "probe", False, said(N_("probe failed: {reason}"), reason=f"{type(exc).__name__}: {exc}"))]


def probe_all(loop: LoopThread | None, settle_s: float = 1.5) -> list[Probe]:
    """Idle, away and dnd probes, in that order."""
    from breaker.adapters.dnd import probe_dnd
    from breaker.adapters.idle import probe_idle
    from breaker.adapters.power import probe_away

    return [
        *_safely("idle", lambda: probe_idle(loop, settle_s)),
        *_safely("away", lambda: probe_away(loop)),
        *_safely("dnd", lambda: probe_dnd(loop)),
    ]


def format_probes(probes: list[Probe]) -> str:
    """Plain-text table: one line per backend, ``ok``/``--`` first, grouped by kind."""
    width = max((len(p.name) for p in probes), default=0)
    return "\n".join(f"{'ok' if p.ok else '--'}  {p.kind:<6} {p.name:<{width}}  {localized(p.detail)}" for p in probes)
