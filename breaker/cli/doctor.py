"""``breaker doctor``: one screen that says what works here and what to install for what does not.

Exit code: 0 when breaker can track and prompt (an idle source and a notifier work), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import asdict
from pathlib import Path

from breaker import i18n
from breaker.adapters.ports import Probe
from breaker.core.i18n import N_, _, from_parts, localized, ngettext

HINTS = {
    "idle": N_("install an X server session, GNOME (Mutter) or KDE; on X11 the XScreenSaver extension is needed"),
    "notify": N_("install a notification server that offers actions (dunst, GNOME Shell, KDE Plasma, "
                 "xfce4-notifyd)"),
    "tray": N_("add a system tray: a StatusNotifierItem panel (KDE, XFCE, GNOME + AppIndicator extension) or "
               "trayer"),
}
WAYLAND_IDLE_HINT = N_(
    "on Wayland, idle time comes from the compositor: KWin 5.27+, sway, Hyprland and other wlroots desktops "
    "offer ext-idle-notify-v1 or org_kde_kwin_idle (read through pywayland: pip install pywayland), GNOME "
    "offers Mutter's IdleMonitor over D-Bus; the idle rows above say what failed"
)
MISSING = {
    # Translators: the start of a doctor line naming what is missing, followed by what to install
    "idle": N_("missing idle: {hint}"), "notify": N_("missing notify: {hint}"), "tray": N_("missing tray: {hint}"),
}


def hint(kind: str, session: str) -> str:
    """What to do about a missing ``kind`` in a session of type ``session`` ("x11", "wayland", "tty")."""
    text = WAYLAND_IDLE_HINT if kind == "idle" and session == "wayland" else HINTS[kind]
    return _(text)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    doctor = sub.add_parser("doctor", help=_("check which desktop backends work here"))
    doctor.add_argument("--config", type=Path, metavar="FILE", help=_("config file to check"))
    doctor.add_argument("--db", type=Path, metavar="FILE", help=_("database file to check"))
    doctor.add_argument("--json", action="store_true", help=_("machine-readable output"))
    doctor.set_defaults(handler=_doctor)


def gather(config: Path | None, db: Path | None) -> list[Probe]:
    """Every probe: adapters first, then config, database, autostart."""
    from breaker.adapters.aio import LoopThread
    from breaker.adapters.probe import probe_all
    from breaker.daemon.runner import graphical

    loop = LoopThread("breaker-doctor")
    try:
        probes = probe_all(loop)
        if not graphical():
            probes.insert(0, Probe("idle", "tty", True, _("terminal input: breaker run uses console mode here")))
        probes += _notify(loop)
        probes += _tray(loop)
    finally:
        loop.stop()
    return probes + _files(config, db)


def _notify(loop: object) -> list[Probe]:
    from breaker.adapters.notify import open_notifier
    from breaker.adapters.ports import Unavailable

    try:
        notifier, probes = open_notifier(loop)  # type: ignore[arg-type]
        notifier.close()
    except Unavailable as err:
        return [Probe("notify", "prompts", False, _("no way to show a prompt here: {reason}").format(reason=localized(err)))]
    return probes


def _tray(loop: object) -> list[Probe]:
    try:
        from breaker.adapters.tray import probe_tray

        return probe_tray(loop)  # type: ignore[arg-type]
    except Exception as err:  # doctor reports, never crashes
        return [Probe("tray", "probe", False, _("probe failed: {reason}").format(reason=localized(err)))]


def _files(config: Path | None, db: Path | None) -> list[Probe]:
    from breaker.config import default_path, load_config
    from breaker.core.errors import UserError
    from breaker.store.storage import Storage
    from breaker.store.storage import default_path as default_db

    probes = []
    path = config or default_path()
    try:
        load_config(config)
        state = _("valid") if path.exists() else _("not created yet, defaults in use (breaker config init)")
        probes.append(Probe("config", str(path), True, state))
    except UserError as err:
        probes.append(Probe("config", str(path), False, str(err)))
    db_path = db or default_db()
    if not db_path.exists():
        probes.append(Probe("data", str(db_path), True, _("no database yet (made on the first run)")))
    else:
        try:
            storage = Storage.open(db_path, readonly=True)
            bouts = storage.db.execute("SELECT count(*) FROM bouts").fetchone()[0]
            storage.close()
            size = i18n.number(db_path.stat().st_size / 1024)
            detail = ngettext("{size} KiB, {bouts} bout recorded", "{size} KiB, {bouts} bouts recorded", bouts)
            probes.append(Probe("data", str(db_path), True, detail.format(size=size, bouts=bouts)))
        except UserError as err:
            probes.append(Probe("data", str(db_path), False, str(err)))
    probes += _saving()
    probes.append(_autostart())
    return probes


def _saving() -> list[Probe]:
    """What the running daemon could not save yet (a full disk, a lock held by another program)."""
    from breaker import ipc

    try:
        status = ipc.call("status", timeout=3)
        problem = status.get("save_problem") and from_parts(status.get("save_problem_said") or status["save_problem"])
    except Exception:  # no daemon (or an old one): nothing to report
        return []
    return [Probe("data", "saving", False, _("the running daemon: {problem}").format(
        problem=localized(problem)))] if problem else []


def _autostart() -> Probe:
    try:
        from breaker.autostart import status

        state = status()
        return Probe("start", state.kind, state.ok, state.detail)
    except ImportError:
        return Probe("start", "autostart", True, _("not set up (start breaker yourself with: breaker run)"))


def _doctor(args: argparse.Namespace) -> int:
    from breaker.adapters.probe import format_probes

    if args.json:  # its values are data, in English (a contract): "doctor --json" reads the same everywhere
        i18n.setup({"LANGUAGE": "", "LANG": "C.UTF-8"})
    probes = gather(args.config, args.db)
    ready = any(p.ok for p in probes if p.kind == "idle") and any(p.ok for p in probes if p.kind == "notify")
    if args.json:
        print(json.dumps({"ready": ready, "probes": [asdict(p) for p in probes]}, indent=1))
        return 0 if ready else 1
    print(format_probes(probes))
    from breaker.adapters.idle import session_kind

    missing = [kind for kind in HINTS if not any(p.ok for p in probes if p.kind == kind)]
    print()
    for kind in missing:
        print(_(MISSING[kind]).format(hint=hint(kind, session_kind()[0])))
    if "notify" not in missing and all(p.name == "window" for p in probes if p.kind == "notify" and p.ok):
        print(_("missing notification server: {hint} (until then: breaker's own prompt window)").format(
            hint=_(HINTS["notify"])))
    tools = [t for t in ("xdg-open",) if shutil.which(t) is None]
    if tools:
        print(_("optional: {tools} (opens the settings file from the tray)").format(tools=", ".join(tools)))
    print(_("breaker is ready to run.") if ready else _("breaker cannot track and prompt here yet (see above)."))
    return 0 if ready else 1
