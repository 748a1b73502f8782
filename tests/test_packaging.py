"""Build the sdist and the wheel (the wheel from the sdist, as pip does), install the wheel into a fresh
virtual environment and run breaker from there: proves the package data ships and the scripts work."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import platformdirs
import pytest

from breaker import __version__
from breaker.icons import SIZES
from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent
TRACE = ROOT / "tests" / "traces" / "workday.jsonl"
# pip's wheel cache from the real user cache (read before conftest points XDG_CACHE_HOME elsewhere)
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or platformdirs.user_cache_dir("pip", appauthor=False)
SKIP = {".git", ".hypothesis", ".pytest_cache", ".benchmarks", "build", "dist", "__pycache__", "tmp"}


class Installed:
    """The built artifacts and a venv with the wheel installed."""

    def __init__(self, sdist: Path, wheel: Path, venv: Path, seconds: float) -> None:
        self.sdist, self.wheel, self.venv, self.seconds = sdist, wheel, venv, seconds
        self.bin = venv / ("Scripts" if sys.platform == "win32" else "bin")

    def run(self, *args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run([str(self.bin / "breaker"), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)


def _copy_tree(target: Path) -> Path:
    """The working tree without caches and build output, so building never writes into the checkout."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.endswith((".egg-info", ".pyc", ".db", ".db-wal", ".db-shm"))}
    return Path(shutil.copytree(ROOT, target, symlinks=True, ignore=ignore))


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    need(importlib.util.find_spec("build") is not None, "the 'build' package (pip install '.[test]')")
    started = time.monotonic()
    base = tmp_path_factory.mktemp("packaging")
    src = _copy_tree(base / "src")
    dist = base / "dist"
    env = {**os.environ, "PIP_CACHE_DIR": PIP_CACHE}
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)],
                          capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,), (wheel,) = dist.glob("*.tar.gz"), dist.glob("*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                           "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Installed(sdist, wheel, venv, time.monotonic() - started)


def test_version_and_imports_come_from_the_venv(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"breaker {__version__}")
    python = installed.bin / "python"
    where = subprocess.check_output([str(python), "-c", "import breaker; print(breaker.__file__)"],
                                    cwd=tmp_path, text=True)
    assert Path(where.strip()).is_relative_to(installed.venv)
    assert (installed.bin / "breaker-tray").exists()
    print(f"build + venv install: {installed.seconds:.1f} s; wheel {installed.wheel.stat().st_size // 1024} KiB")


def test_doctor_prints_its_table(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("doctor", cwd=tmp_path)
    assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stdout.splitlines()
    kinds = {line.split()[1] for line in lines if line[:4] in ("ok  ", "--  ")}
    assert {"idle", "notify", "config", "data", "start"} <= kinds, done.stdout
    assert lines[-1] in ("breaker is ready to run.", "breaker cannot track and prompt here yet (see above).")


def test_catalogue_config_and_simulate_work_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("exercises", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    exercises = json.loads(done.stdout)["exercises"]
    assert len(exercises) >= 2 and all(e["steps"] for e in exercises)
    config = tmp_path / "config.toml"
    assert installed.run("config", "init", str(config), cwd=tmp_path).returncode == 0
    assert "sit_limit" in config.read_text()
    assert installed.run("config", "check", str(config), cwd=tmp_path).returncode == 0
    db = tmp_path / "sim.db"
    done = installed.run("simulate", str(TRACE), "--config", str(config), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    log = json.loads(installed.run("log", "--db", str(db), "--json", cwd=tmp_path).stdout)
    assert log["bouts"] and log["prompts"]


def test_autostart_entry_points_at_the_venv_and_its_icon(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("autostart", "print", "autostart", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert values["Exec"] == f"{installed.bin / 'breaker'} run"
    assert Path(values["Icon"]).is_file() and Path(values["Icon"]).is_relative_to(installed.venv)


def test_wheel_carries_data_metadata_and_scripts(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    expected = {f"breaker/icons/breaker-{size}.png" for size in SIZES} | {
        "breaker/icons/breaker.svg", "breaker/icons/breaker.ico", "breaker/exercises.toml",
        "breaker/config.example.toml", "breaker/py.typed", "breaker/templates/breaker.service",
        "breaker/templates/breaker.desktop", "breaker/templates/breaker-autostart.desktop",
        "breaker/templates/org.breaker.daemon.plist", "breaker/templates/breaker-startup.ps1"}
    assert expected <= names and any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in metadata
    assert "Requires-Dist: python-xlib>=0.33; sys_platform == \"linux\"" in metadata
    assert "[gui_scripts]\nbreaker-tray = breaker.cli.main:main_gui" in entry_points
    assert "[console_scripts]\nbreaker = breaker.cli.main:main" in entry_points
    assert not any("tests/" in n or n.startswith("packaging/") for n in names)


def test_sdist_has_the_example_config_icons_and_packaging(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        members = {m.name.split("/", 1)[1]: m for m in sdist.getmembers() if "/" in m.name}
        example = members["config.example.toml"]
        assert example.isfile(), "the top-level symlink must ship as a file"
        text = sdist.extractfile(example).read().decode()  # type: ignore[union-attr]
    assert text == (ROOT / "breaker" / "config.example.toml").read_text()
    for name in ("LICENSE", "breaker/icons/breaker.svg", "packaging/linux/breaker.service",
                 "packaging/macos/org.breaker.daemon.plist", "packaging/make_icons.py",
                 "tests/traces/workday.jsonl", *(f"breaker/icons/breaker-{s}.png" for s in SIZES)):
        assert name in members and members[name].isfile(), name
