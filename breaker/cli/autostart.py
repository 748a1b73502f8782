"""``breaker autostart on | off | status``: start breaker at login, only when asked."""

from __future__ import annotations

import argparse
import sys

from breaker.core.i18n import _, localized


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "autostart", help=_("start breaker at login (or stop doing so)"),
        description=_("Start breaker at login the way this desktop expects: an XDG autostart entry on Linux "
                    "(or a systemd user unit), a LaunchAgent on macOS, a Startup shortcut on Windows."))
    inner = parser.add_subparsers(dest="autostart_command", metavar="ACTION", required=True)
    on = inner.add_parser("on", help=_("start breaker at every login"),
                          description=_("Write the start-up file for this platform (again, if it changed)."))
    on.add_argument("--systemd", action="store_true",
                    help=_("Linux: use a systemd user unit instead of the XDG autostart entry"))
    on.set_defaults(handler=_on)
    off = inner.add_parser("off", help=_("stop starting breaker at login"),
                           description=_("Remove the start-up files breaker wrote, and nothing else."))
    off.set_defaults(handler=_off)
    status = inner.add_parser("status", help=_("show what starts breaker at login, and where"),
                              description=_("List the start-up files for breaker and what each one runs."))
    status.set_defaults(handler=_status)
    show = inner.add_parser(
        "print", help=_("print a start-up file instead of writing it"),
        description=_("Print a filled-in template for packagers or manual installs, e.g. "
                    "breaker autostart print launcher > ~/.local/share/applications/breaker.desktop "
                    "(the launcher opens the status window: breaker status --window)"))
    show.add_argument("kind", choices=KINDS, metavar="KIND", help=_("one of: {kinds}").format(kinds=", ".join(KINDS)))
    show.set_defaults(handler=_print)


KINDS = ("autostart", "launcher", "systemd", "launchagent")


def _on(args: argparse.Namespace) -> int:
    from breaker.autostart import enable

    for line in enable(systemd=args.systemd):
        print(localized(line))
    return 0


def _off(args: argparse.Namespace) -> int:
    from breaker.autostart import disable

    for line in disable():
        print(localized(line))
    return 0


def _status(args: argparse.Namespace) -> int:
    from breaker.autostart import launch_command, status

    state = status()
    if not state.entries:
        print(localized(state.detail))
    for entry in state.entries:
        owner = _("written by breaker") if entry.ours else _("not written by breaker")
        note = f", {localized(entry.note)}" if entry.note else ""
        print(f"{entry.method:<11} {entry.path} ({owner}{note})")
        if entry.target:
            starts = _("starts {target}").format(target=entry.target)
            print(f"{'':<11} {starts}" + ("" if entry.ok else "  -- " + _("missing: run breaker autostart on")))
    print(_("this installation starts with: {command}").format(command=" ".join(launch_command())))
    return 0


def _print(args: argparse.Namespace) -> int:
    from breaker.autostart import files, launch_command
    from breaker.icons import icon_path

    argv = launch_command()
    if args.kind == "launcher" and argv[-1] == "run":  # the menu entry opens the status window instead
        argv = [*argv[:-1], "status", "--window"]
    if args.kind == "launchagent":
        sys.stdout.write(files.launch_agent(argv).decode("utf-8"))
    elif args.kind == "systemd":
        sys.stdout.write(files.systemd_unit(argv))
    else:
        sys.stdout.write(files.desktop_entry(argv, str(icon_path(256)), autostart=args.kind == "autostart"))
    return 0
