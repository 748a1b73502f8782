"""The real daemon imports only what the running desktop needs (issue 16.2): no Pillow or pystray with a
StatusNotifierItem tray, no OpenSSL anywhere on Linux, no python-xlib on Wayland nor with a StatusNotifierItem
tray on X11 (our own X client speaks to the server there). Read two ways: what the
daemon reports (``breaker status --json``: backends.modules) and what its memory maps (/proc/PID/maps)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.daemonkit import LONG_CONFIG, Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401
from tests.test_daemon_wayland import _cli, _env, kde  # noqa: F401
from tests.test_tray_sni import start_watcher
from tests.test_tray_xembed import trayers  # noqa: F401

DAEMON_CONFIG = LONG_CONFIG


def at_interpreter_start() -> set[str]:
    """The modules this interpreter has loaded before running any code of ours."""
    done = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(done.stdout))


def mapped(pid: int) -> str:
    """The files the process has mapped (shared libraries, extension modules)."""
    return Path(f"/proc/{pid}/maps").read_text()


def test_a_statusnotifieritem_tray_costs_no_pillow_and_no_openssl(session: tuple[Desktop, Typist],
                                                                  daemon: Daemon) -> None:
    desk, typist = session
    watcher = start_watcher(desk.bus)
    try:
        daemon.start()
        backends = daemon.status()["backends"]
        assert backends["tray"] == "sni" and backends["idle"] == "x11"
        modules = backends["modules"]
        assert "PIL" not in modules and "pystray" not in modules and "ssl" not in modules, modules
        assert "Xlib" not in modules, modules  # idle time, SYNC alarms and the fullscreen check speak X themselves
        assert "dbus_fast" in modules  # the list is what is loaded, not a constant
        assert "importlib.metadata" not in modules and "multiprocessing" not in modules, modules  # apsched.py
        at_start = at_interpreter_start()  # a site .pth may import some of them into every process
        for start_only in ("platformdirs", "tempfile", "shutil", "importlib.resources", "tomllib", "sysconfig"):  # lean.py: forgotten
            assert start_only not in modules or start_only in at_start, modules
        assert "hashlib" not in modules, modules  # lean.py: dbus-fast imported with sha256 alone
        assert "argparse" not in modules, modules  # cli/main.py: forgotten once `breaker run` parsed its arguments
        assert daemon.process is not None
        maps = mapped(daemon.process.pid)
        assert "_imaging" not in maps and "libcrypto" not in maps and "_ssl" not in maps
        assert "_md5" not in maps and "_blake2" not in maps and "_sha3" not in maps  # no hashlib
        assert "_sqlite3" in maps  # the maps are read for real
        # no loss of idle events: input after idle_after ends the bout at once, no Xlib anywhere in the process
        typist.work()
        wait_until(lambda: daemon.status()["bout_start"], 20, "the daemon to see input")
        typist.work(False)
        wait_until(lambda: daemon.status()["input_active"] is False, 20, "the daemon to see input stop")
        assert "Xlib" not in daemon.status()["backends"]["modules"]
        assert daemon.stop() == 0
        log = (daemon.home / "xdg_state_home" / "breaker" / "log" / "breaker.log").read_text()
        assert "idle changes reported by x11 as they happen" in log and "idle events stopped" not in log, log
    finally:
        watcher.terminate()
        watcher.wait(timeout=5)


def test_an_xembed_tray_still_draws_with_pillow(session: tuple[Desktop, Typist], daemon: Daemon,
                                                trayers) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    trayers()
    daemon.start()
    # the tray is named once its icon is up: under load that can come after the first status answer
    backends = wait_until(lambda: (b := daemon.status()["backends"])["tray"] is not None and b, 20, "a tray")
    assert backends["tray"] == "xembed"
    assert "PIL" in backends["modules"] and "pystray" in backends["modules"]
    assert daemon.process is not None and "_imaging" in mapped(daemon.process.pid)
    assert daemon.stop() == 0


def test_wayland_costs_no_python_xlib(kde, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import subprocess
    import sys

    from tests.daemonkit import ROOT

    home = tmp_path / "home"
    env = _env(kde, home)
    (home / "config.toml").write_text(LONG_CONFIG)
    process = subprocess.Popen([sys.executable, "-m", "breaker", "run", "--config", str(home / "config.toml"),
                                "--db", str(home / "breaker.db")], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        wait_until(lambda: process.poll() is None and _cli(env, "status").returncode == 0, 20, "the daemon")
        backends = json.loads(_cli(env, "status", "--json").stdout)["backends"]
        assert backends["idle"].startswith("wayland"), backends
        assert "Xlib" not in backends["modules"] and "PIL" not in backends["modules"], backends
        assert "pystray" not in backends["modules"] and "importlib.metadata" not in backends["modules"], backends
        assert "libcrypto" not in mapped(process.pid)
        assert _cli(env, "quit").returncode == 0
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
