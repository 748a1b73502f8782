"""``breaker autostart on|off|status`` against a temporary XDG config home (see conftest's autouse fixture),
checked with the desktop's own validators; the macOS and Windows files as pure functions."""

from __future__ import annotations

import base64
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from breaker import autostart
from breaker.autostart import files
from breaker.cli.doctor import _autostart
from breaker.cli.main import main
from tests.conftest import need

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the on/off tests write Linux start-up files")


@pytest.fixture(autouse=True)
def _no_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    """systemctl --user must not find the developer's real user manager through the session bus."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


def config_home() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def validate_desktop(path: Path) -> None:
    need(shutil.which("desktop-file-validate") is not None, "desktop-file-validate (desktop-file-utils)")
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


def verify_unit(path: Path) -> None:
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze (systemd)")
    done = subprocess.run(["systemd-analyze", "--user", "verify", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stdout + done.stderr


def test_on_writes_a_valid_xdg_entry_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "autostart", "on")
    entry = config_home() / "autostart" / "breaker.desktop"
    assert code == 0 and f"wrote {entry}" in out
    validate_desktop(entry)
    text = entry.read_text()
    exe = autostart.launch_command()[0]
    assert f"Exec={exe} run" in text and f"TryExec={exe}" in text and Path(exe).exists()
    icon = next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("Icon="))
    assert Path(icon).is_file() and Path(icon).suffix == ".png"
    before = (entry.read_bytes(), entry.stat().st_mtime_ns)
    code, out, _ = run(capsys, "autostart", "on")
    assert code == 0 and f"already on: {entry}" in out
    assert (entry.read_bytes(), entry.stat().st_mtime_ns) == before
    code, out, _ = run(capsys, "autostart", "status")
    assert code == 0 and f"xdg         {entry} (written by breaker)" in out and f"starts {exe}" in out
    state = autostart.status()
    assert (state.kind, state.ok) == ("xdg", True) and str(entry) in state.detail


def test_systemd_unit_verifies_and_replaces_the_xdg_entry(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "autostart", "on")
    code, out, _ = run(capsys, "autostart", "on", "--systemd")
    unit = config_home() / "systemd" / "user" / "breaker.service"
    assert code == 0 and f"wrote {unit}" in out
    assert not (config_home() / "autostart" / "breaker.desktop").exists()  # one method at a time
    assert "systemctl --user" in out  # no user manager here: says what to run instead of failing
    verify_unit(unit)
    assert f"ExecStart={autostart.launch_command()[0]} run" in unit.read_text()
    assert run(capsys, "autostart", "on", "--systemd")[1].startswith(f"already on: {unit}")
    assert autostart.status().kind == "systemd"
    code, out, _ = run(capsys, "autostart", "on")  # and back
    assert f"removed {unit}" in out and not unit.exists()


def test_off_removes_the_enabled_unit_and_its_link_only(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "autostart", "on", "--systemd")
    unit = config_home() / "systemd" / "user" / "breaker.service"
    wants = unit.parent / "graphical-session.target.wants"
    wants.mkdir()
    (wants / "breaker.service").symlink_to(unit)  # what `systemctl --user enable` makes
    (wants / "other.service").symlink_to(unit.parent / "other.service")
    assert "enabled" in autostart.status().detail
    code, out, _ = run(capsys, "autostart", "off")
    assert code == 0 and f"removed {unit}" in out
    assert sorted(p.name for p in wants.iterdir()) == ["other.service"]
    assert run(capsys, "autostart", "off")[1] == "autostart was already off\n"


def test_foreign_files_are_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    folder = config_home() / "autostart"
    folder.mkdir()
    mine = "[Desktop Entry]\nType=Application\nName=breaker\nExec=breaker run --my-flags\n"
    (folder / "breaker.desktop").write_text(mine)
    (folder / "other.desktop").write_text("[Desktop Entry]\nType=Application\nName=x\nExec=x\n")
    code, _, err = run(capsys, "autostart", "on")
    assert code == 2 and err.count("\n") == 1 and "not written by breaker" in err
    code, out, _ = run(capsys, "autostart", "off")
    assert code == 0 and "left" in out and "not written by breaker" in out
    assert (folder / "breaker.desktop").read_text() == mine and (folder / "other.desktop").exists()
    assert "(not written by breaker)" in run(capsys, "autostart", "status")[1]


def test_a_stale_entry_shows_in_status_and_doctor(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gone = tmp_path / "old venv" / "bin" / "breaker"
    entry = config_home() / "autostart" / "breaker.desktop"
    entry.parent.mkdir()
    entry.write_text(files.desktop_entry([str(gone), "run"], "breaker", autostart=True))
    state = autostart.status()
    assert not state.ok and "gone" in state.detail
    probe = _autostart()
    assert (probe.kind, probe.name, probe.ok) == ("start", "xdg", False)
    assert "missing" in run(capsys, "autostart", "status")[1]
    run(capsys, "autostart", "on")
    assert autostart.status().ok


def test_off_state_in_doctor() -> None:
    probe = _autostart()
    assert (probe.name, probe.ok) == ("off", True) and "breaker autostart on" in probe.detail


def test_odd_paths_are_quoted_for_each_format(tmp_path: Path) -> None:
    folder = tmp_path / "my apps $HOME 100%"
    folder.mkdir()
    exe = folder / "breaker"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    argv = [str(exe), "run", "--config", 'it\'s "here"\\x', "$HOME"]
    entry = tmp_path / "breaker.desktop"
    entry.write_text(files.desktop_entry(argv, str(tmp_path / "icon.png"), autostart=False))
    validate_desktop(entry)
    line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    quoted_folder = str(folder).replace("$", "\\\\$").replace("%", "%%")
    assert line == 'Exec="' + quoted_folder + '/breaker" run --config "it\'s \\\\"here\\\\"\\\\\\\\x" "\\\\$HOME"'
    unit = tmp_path / "breaker.service"
    unit.write_text(files.systemd_unit(argv))
    verify_unit(unit)
    assert f'ExecStart="{folder}/breaker"'.replace("%", "%%") + ' run --config "it\'s \\"here\\"\\\\x" $$HOME\n' \
        in unit.read_text()


def test_launch_agent_round_trips_through_plistlib() -> None:
    argv = ["/Users/a b/.local/bin/breaker", "run", "--config", "<&>.toml"]
    data = plistlib.loads(files.launch_agent(argv))
    assert data["Label"] == files.AGENT_LABEL and data["ProgramArguments"] == argv
    assert data["RunAtLoad"] is True and data["KeepAlive"] == {"Crashed": True}
    assert data["ProcessType"] == "Interactive" and files.is_ours(files.launch_agent(argv))
    assert "@" not in repr(data)
    assert plistlib.loads(plistlib.dumps(data)) == data


def test_windows_shortcut_script_is_quoted_and_encoded() -> None:
    start = autostart.startup_dir({"APPDATA": r"C:\Users\O'Neil\AppData\Roaming"})
    assert str(start) == r"C:\Users\O'Neil\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup"
    link = start / files.SHORTCUT_NAME
    argv = [r"C:\Users\O'Neil\pipx\venvs\breaker\Scripts\pythonw.exe", "-m", "breaker", "run"]
    script = files.shortcut_script(link, argv, r"C:\icons\breaker.ico")
    assert "CreateShortcut('C:\\Users\\O''Neil\\AppData" in script
    assert "$link.TargetPath = 'C:\\Users\\O''Neil\\pipx\\venvs\\breaker\\Scripts\\pythonw.exe'" in script
    assert "$link.Arguments = '-m breaker run'" in script
    assert "$link.WorkingDirectory = 'C:\\Users\\O''Neil\\pipx\\venvs\\breaker\\Scripts'" in script
    assert "@" not in script.replace("@'", "")
    ps = files.powershell_argv(script)
    assert ps[:2] == ["powershell.exe", "-NoProfile"] and ps[-2] == "-EncodedCommand"
    assert base64.b64decode(ps[-1]).decode("utf-16-le") == script
    assert files.is_ours(files.MARKER.encode("utf-16-le")) and not files.is_ours(b"shortcut")


def test_other_platforms_put_files_where_their_desktop_looks(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.launch_agent_path() == tmp_path / "Library/LaunchAgents/org.breaker.daemon.plist"
    assert autostart.startup_dir({}).parts[-4:] == ("Windows", "Start Menu", "Programs", "Startup")
    assert isinstance(autostart.startup_dir({}), PureWindowsPath)
