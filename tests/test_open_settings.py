"""#14.6 "Open settings": the real xdg-open hands the file to the desktop's handler; when it cannot (with no
handler registered, xdg-open ends with "no method available"), breaker shows the path in a window instead of
failing silently."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from breaker.daemon.tray_actions import open_with_desktop
from tests.trayrecorder import wait_until

if TYPE_CHECKING:
    from tests.desktop import XDisplay


@pytest.fixture()
def desktop_env(tmp_path: Path, xdisplay: XDisplay, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean XDG environment on the test display: no handlers registered yet."""
    from tests.conftest import need

    need(shutil.which("xdg-open") is not None, "xdg-open is not installed (apt-get install xdg-utils)")
    for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "GNOME_DESKTOP_SESSION_ID", "KDE_FULL_SESSION",
                 "BROWSER", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", xdisplay.name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # and none from the system either: a machine with a terminal emulator would otherwise open the file in
    # vim inside xterm (vim.desktop), xdg-open would wait for it (20 s) and the xterm stayed on the display
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system"))
    (tmp_path / "system" / "applications").mkdir(parents=True)
    (tmp_path / "data" / "applications").mkdir(parents=True)
    (tmp_path / "config").mkdir()
    settings = tmp_path / "config.toml"
    settings.write_text('[breaks]\nsit_limit = "45m"\n')
    return settings


def test_the_desktops_handler_opens_the_file(desktop_env: Path, tmp_path: Path) -> None:
    opened = tmp_path / "opened"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    editor.chmod(0o755)
    (tmp_path / "data" / "applications" / "editor.desktop").write_text(
        f"[Desktop Entry]\nType=Application\nName=Editor\nExec={editor} %f\nMimeType=text/plain;\n")
    (tmp_path / "config" / "mimeapps.list").write_text("[Default Applications]\ntext/plain=editor.desktop\n")
    assert open_with_desktop(desktop_env) is True
    wait_until(opened.exists, "the handler to run")
    assert opened.read_text().strip() == str(desktop_env)


def test_without_a_handler_the_path_is_shown(desktop_env: Path, xdisplay: XDisplay, tmp_path: Path) -> None:
    began = time.monotonic()
    assert open_with_desktop(desktop_env) is False
    assert time.monotonic() - began < 10, "xdg-open found a handler after all and waited for it"
    window = xdisplay.wait_window("^breaker: settings$")
    try:
        shot = tmp_path / "notice.png"
        xdisplay.screenshot(str(shot), window)
        assert shot.stat().st_size > 0
        xdisplay.focus(window)
        xdisplay.key("Escape")
        wait_until(lambda: not xdisplay.xdotool("search", "--onlyvisible", "--name", "^breaker: settings$",
                                                check=False), "the notice to close")
    finally:
        if xdisplay.xdotool("search", "--onlyvisible", "--name", "^breaker: settings$", check=False):
            xdisplay.xdotool("windowkill", str(window), check=False)


def test_no_xdg_open_at_all_still_shows_the_path(desktop_env: Path, xdisplay: XDisplay, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"  # a PATH with xdotool (for the test) and no xdg-open
    tools.mkdir()
    (tools / "xdotool").symlink_to(shutil.which("xdotool") or "xdotool")
    monkeypatch.setenv("PATH", str(tools))
    assert open_with_desktop(desktop_env) is False
    window = xdisplay.wait_window("^breaker: settings$")
    xdisplay.focus(window)
    xdisplay.key("Escape")
    wait_until(lambda: not xdisplay.xdotool("search", "--onlyvisible", "--name", "^breaker: settings$",
                                            check=False), "the notice to close")
