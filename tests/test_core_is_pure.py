"""The core imports nothing outside itself and the standard library, and never reads the clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "breaker" / "core"


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_only_core_and_stdlib() -> None:
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        for name in imports(path):
            top = name.split(".")[0]
            ok = name.startswith("breaker.core") or name == "__future__" or top in sys.stdlib_module_names
            assert ok, f"{path.name} imports {name}"


def test_core_never_reads_the_clock() -> None:
    for path in CORE.glob("*.py"):
        text = path.read_text()
        for call in ("datetime.now(", ".now(", "utcnow(", "time.time(", "time.monotonic(", "date.today("):
            assert call not in text, f"{path.name} calls {call}"
