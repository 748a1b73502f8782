"""The package tree shows the layers: no import circles, dependencies point inward, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "breaker"

# layer -> the layers it may import (besides itself); the outer layers may use everything inside them
INWARD = {
    "core": set(),
    "store": {"core"},
    "replay": {"core", "store"},
    "adapters": {"core"},
    "autostart": {"core"},
    "daemon": {"core", "store", "adapters", "autostart"},
    "ui": {"core", "store", "adapters"},  # the guide window plays sound cues through adapters/sound.py
    "cli": {"core", "store", "replay", "adapters", "autostart", "daemon", "ui"},
}
SHARED = {"config", "catalogue", "timefmt", "logs", "ipc", "icons", "i18n", ""}  # loose modules any layer may use


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def imported(path: Path) -> set[str]:
    """Every breaker module ``path`` imports, anywhere in the file (functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("breaker") and name != module_name(path):
                found.add(name)
    return found


GRAPH = {name: imported(path) for name, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in INWARD) else ""


def test_no_import_circles() -> None:
    """Depth-first search for a back edge; the circle found is named in the failure."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt == "breaker" or nxt.endswith("__main__"):
                continue
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_dependencies_point_inward() -> None:
    wrong = []
    for name, targets in GRAPH.items():
        here = layer(name)
        for target in targets:
            there = layer(target)
            if there in ("", here) or there in INWARD.get(here, set()):
                continue
            if here == "" and name.rpartition(".")[2] in SHARED and there == "core":
                continue
            if here == "" and name.rpartition(".")[2] not in SHARED:
                continue  # __main__
            wrong.append(f"{name} ({here or 'shared'}) imports {target} ({there})")
    assert not wrong, "\n".join(sorted(wrong))


def test_shared_modules_use_only_the_core() -> None:
    for name in SHARED - {""}:
        module = f"breaker.{name}"
        outer = {t for t in GRAPH.get(module, ()) if layer(t) not in ("", "core")}
        assert not outer, f"{module} imports {outer}"


def test_few_loose_modules_and_small_modules() -> None:
    loose = [p.name for p in ROOT.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert len(loose) <= 12, loose
    big = {name: n for name, p in MODULES.items() if (n := len(p.read_text().splitlines())) > 300}
    assert not big, big


def top_level_names(path: Path) -> set[str]:
    """Names a module defines or imports at its top level (what ``from module import name`` can find)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.If | ast.Try):  # names bound under `if TYPE_CHECKING` or a try/except import
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    names |= {(alias.asname or alias.name).split(".")[0] for alias in inner.names}
                elif isinstance(inner, ast.FunctionDef | ast.ClassDef):
                    names.add(inner.name)
                elif isinstance(inner, ast.Assign):
                    names |= {n.id for t in inner.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def test_every_name_imported_from_breaker_exists() -> None:
    """``from breaker.x import name`` anywhere, also inside functions, names something x has (or a submodule):
    a lazy import of a removed name fails only when that code path runs, which may be rare."""
    missing = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("breaker") or node.level:
                continue
            target = MODULES.get(node.module)
            if target is None:
                missing.append(f"{name}: no module {node.module}")
                continue
            have = top_level_names(target)
            for alias in node.names:
                if alias.name not in have and f"{node.module}.{alias.name}" not in MODULES:
                    missing.append(f"{name}: {node.module} has no {alias.name}")
    assert not missing, "\n".join(missing)
