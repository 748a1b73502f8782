"""The README's Quick start, run as written with Debian's own python3 (PEP 668: it refuses ``pip install``
outside a virtual environment) in a fresh home: the packages it names are installed, its install line
works, and a new login shell finds ``breaker``. The lines are read from README.md, so a change there is
tested as it stands. Needs PyPI (pip fetches the dependencies); takes about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import platformdirs
import pytest

from breaker import __version__
from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or platformdirs.user_cache_dir("pip", appauthor=False)
SKIP = {".git", ".venv", ".hypothesis", ".pytest_cache", "build", "dist", "__pycache__", "tmp"}


def quick_start() -> list[str]:
    """The commands of the first ``sh`` block under "## Quick start", comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README.md: no ```sh block in the Quick start"
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_names_its_packages_then_installs_without_pip_errors() -> None:
    lines = quick_start()
    assert lines[0].startswith("sudo apt install "), lines[0]
    assert "pip install" not in " ".join(lines)  # refused by a distribution's python3 (PEP 668)
    assert lines[-1] == "breaker run"


def test_quick_start_works_on_debian_python_in_a_fresh_home(tmp_path: Path) -> None:
    need(DEBIAN_PYTHON.exists() and Path("/usr/lib/python3/dist-packages").is_dir(), "Debian's /usr/bin/python3")
    need(list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")) != [], "a python3 marked externally managed")
    apt, *steps, run = quick_start()
    for package in apt.split()[3:]:
        state = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        need("ok installed" in state.stdout, f"{package} (the Quick start's apt line; tests/run installs it)")
    home, src = tmp_path / "home", tmp_path / "src"
    home.mkdir()
    shutil.copytree(ROOT, src, ignore=lambda _d, names: {n for n in names if n in SKIP or n.endswith(".egg-info")})
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PIPX_HOME": str(home / "pipx"),
           "PIPX_BIN_DIR": str(home / "bin"), "PIP_CACHE_DIR": PIP_CACHE, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if subprocess.run(["/usr/bin/python3", "-m", "pip", "--version"], capture_output=True).returncode == 0:
        refused = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--user", "."], cwd=src, env=env,
                                 capture_output=True, text=True, timeout=120)  # what the old README said
        assert refused.returncode != 0 and "externally-managed-environment" in refused.stdout + refused.stderr
    for step in steps:
        done = subprocess.run(["bash", "-c", step], cwd=src, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{step}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert run == "breaker run"
    new_terminal = subprocess.run(["bash", "-l", "-c", "breaker --version && command -v breaker"], cwd=home,
                                  env={k: v for k, v in env.items() if not k.startswith("PIPX")},
                                  capture_output=True, text=True, timeout=60)
    assert new_terminal.returncode == 0, new_terminal.stderr
    version, where = new_terminal.stdout.split("\n")[:2]
    assert version == f"breaker {__version__}" and Path(where).is_relative_to(home)
    python = home / "pipx" / "venvs" / "breaker" / "bin" / "python"
    assert python.resolve().parent == Path("/usr/bin")  # Debian's interpreter, in pipx's own environment
    tk = subprocess.run([str(python), "-c", "import tkinter; print(tkinter.TkVersion)"], capture_output=True,
                        text=True, timeout=30)
    assert tk.returncode == 0, f"Tk from python3-tk is missing in the installation: {tk.stderr}"


@pytest.mark.parametrize("doc", ["README.md", "docs/install.md"])
def test_the_docs_never_tell_a_linux_user_to_pip_install_outside_a_venv(doc: str) -> None:
    linux = (ROOT / doc).read_text(encoding="utf-8").split("## macOS")[0]
    assert not re.search(r"pip install[^`\n]*--user", linux)  # PEP 668 refuses it on Debian, Ubuntu, Fedora
    assert not re.search(r"^(python3 -m )?pip install \.", linux, re.M)  # only inside a venv
