"""The start-up files breaker can write, rendered from the templates in ``breaker/templates``.

Pure: every function takes the command line, paths and names as arguments and returns text or bytes,
so each format's quoting rules are tested without touching the system. ``@NAME@`` marks a placeholder.
"""

from __future__ import annotations

import plistlib
import re
import subprocess
from collections.abc import Sequence
from importlib import resources
from pathlib import PureWindowsPath

MARKER = "written by breaker autostart"
DESKTOP_NAME = "breaker.desktop"
UNIT_NAME = "breaker.service"
AGENT_LABEL = "org.breaker.daemon"
AGENT_NAME = f"{AGENT_LABEL}.plist"
SHORTCUT_NAME = "breaker.lnk"

_PLACEHOLDER = re.compile(r"@([A-Z]+)@")
_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def template(name: str) -> str:
    """The text of a shipped template."""
    return resources.files("breaker").joinpath("templates", name).read_text(encoding="utf-8")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every ``@NAME@``; a placeholder without a value is a programming error."""
    def one(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"template placeholder @{match.group(1)}@ has no value")
        return values[match.group(1)]
    return _PLACEHOLDER.sub(one, text)


def desktop_exec(argv: Sequence[str]) -> str:
    """``argv`` as a Desktop Entry ``Exec`` value (quoting, then string escapes, ``%`` doubled)."""
    parts = []
    for arg in argv:
        if arg and not (set(arg) & _DESKTOP_RESERVED):
            parts.append(arg)
        else:
            parts.append('"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"')
    return " ".join(parts).replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(argv: Sequence[str], icon: str, *, autostart: bool) -> str:
    """The launcher (``autostart=False``) or XDG autostart entry that runs ``argv``."""
    name = "breaker-autostart.desktop" if autostart else DESKTOP_NAME
    value = {"EXEC": desktop_exec(argv), "TRYEXEC": _plain(argv[0]), "ICON": _plain(icon), "MARKER": MARKER}
    return fill(template(name), value)


def _plain(value: str) -> str:
    """A Desktop Entry string value: no line breaks, backslash escaped."""
    return value.replace("\\", "\\\\").replace("\n", " ")


def systemd_exec(argv: Sequence[str]) -> str:
    """``argv`` as a systemd ``ExecStart`` value: double quotes, ``%`` doubled everywhere, ``$`` doubled in
    the arguments (systemd expands variables there, not in the program path)."""
    parts = []
    for index, arg in enumerate(argv):
        text = arg.replace("%", "%%")
        text = text.replace("$", "$$") if index else text
        if text and not re.search(r'[\s"\'\\;]', text):
            parts.append(text)
        else:
            parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def systemd_unit(argv: Sequence[str]) -> str:
    """The systemd user unit that starts ``argv`` with the graphical session."""
    return fill(template(UNIT_NAME), {"EXEC": systemd_exec(argv), "MARKER": MARKER})


def launch_agent(argv: Sequence[str]) -> bytes:
    """The macOS LaunchAgent plist; the ``@EXEC@`` array item becomes the whole of ``argv``."""
    data = plistlib.loads(template(AGENT_NAME).encode("utf-8"))

    def walk(node: object) -> object:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            out: list[object] = []
            for item in node:
                out.extend(list(argv) if item == "@EXEC@" else [walk(item)])
            return out
        if isinstance(node, str):
            return fill(node, {"EXEC": " ".join(argv), "MARKER": MARKER})
        return node

    return plistlib.dumps(walk(data), fmt=plistlib.FMT_XML, sort_keys=False)


def _ps_quote(value: str) -> str:
    """The inside of a PowerShell single-quoted string."""
    return value.replace("'", "''")


def shortcut_script(link: PureWindowsPath, argv: Sequence[str], icon: str) -> str:
    """PowerShell that writes the Startup-folder shortcut ``link`` running ``argv`` (WScript.Shell)."""
    target = PureWindowsPath(argv[0])
    values = {
        "LINK": str(link), "TARGET": str(target), "ARGUMENTS": subprocess.list2cmdline(list(argv[1:])),
        "WORKDIR": str(target.parent), "ICON": icon, "MARKER": MARKER,
    }
    return fill(template("breaker-startup.ps1"), {key: _ps_quote(value) for key, value in values.items()})


def powershell_argv(script: str) -> list[str]:
    """How to run ``script`` without a profile, a prompt or quoting trouble (``-EncodedCommand``)."""
    import base64

    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
            "-EncodedCommand", encoded]


def is_ours(data: bytes) -> bool:
    """Does this file carry breaker's marker? (Text files as UTF-8; a .lnk stores it as UTF-16.)"""
    return MARKER.encode("utf-8") in data or MARKER.encode("utf-16-le") in data
