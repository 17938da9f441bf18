"""The library's modules import without loops (lazy imports inside functions included): each stage only
imports the stages above it (STYLE.md), so a module can be read, and tested, without the ones below it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "govreport_core"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules a file imports, relative or absolute, at any depth of the file."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:  # "from . import catalog" names a module, "from .x import y" a name in x
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
    return {m for m in out if m in modules and m != name}


def test_no_import_loops() -> None:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _imports(path, set(files)) for name, path in files.items()}
    # A package's __init__ re-exporting its submodules is not a loop with them.
    graph = {name: {m for m in deps if not name.startswith(m + ".") or files[m].name != "__init__.py"}
             for name, deps in graph.items()}
    loops: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                loops.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not loops, loops


# The layers, bottom up (STYLE.md; the package docstring): a module imports only from its own layer and those below.
# devtools and dashboard sit side by side and never import each other; the command line is over everything.
LAYERS = {"base": 0, "extraction": 1, "store": 2, "service": 3, "devtools": 4, "dashboard": 4, "entry": 5}
# Third-party packages that belong to one layer only: extraction never touches the database or the UI.
OWNED = {"duckdb": {"store"}, "streamlit": {"dashboard"}, "plotly": {"dashboard"}}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "entry" if parts[-1] in ("cli", "__main__") else "base"


def _third_party(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
    return out


def test_every_module_sits_in_a_layer_folder() -> None:
    base = {_module(p) for p in PACKAGE.glob("*.py")}
    assert base == {"govreport_core", "govreport_core.catalog", "govreport_core.labels", "govreport_core.model",
                    "govreport_core.settings", "govreport_core.cli", "govreport_core.__main__"}
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(LAYERS) - {"base", "entry"}


def test_imports_point_down_only() -> None:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    upward = []
    for name, path in sorted(files.items()):
        mine = _layer(name)
        for dep in sorted(_imports(path, set(files))):
            theirs = _layer(dep)
            sideways = {mine, theirs} == {"devtools", "dashboard"}
            if LAYERS[theirs] > LAYERS[mine] or sideways:
                upward.append(f"{name} ({mine}) imports {dep} ({theirs})")
    assert not upward, "\n".join(upward)


def test_the_database_and_the_ui_libraries_stay_in_their_layers() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer(_module(path))
        for package in sorted(_third_party(path) & set(OWNED)):
            if layer not in OWNED[package]:
                wrong.append(f"{path.relative_to(ROOT)} ({layer}) imports {package}")
    assert not wrong, "\n".join(wrong)
