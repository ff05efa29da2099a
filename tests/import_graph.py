"""The project's import graph, read from the source with ``ast`` (nothing is imported).

Every ``import``/``from … import`` counts, also those inside functions: a lazy import still makes
two modules depend on each other, it only hides the circle from Python's loader. Imports under
``if TYPE_CHECKING:`` do not count (they never run).
"""
from __future__ import annotations

import ast
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Absolute names of the modules (or names in modules) this module imports."""
    out: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                out.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".") if package else []
                    base = base[:len(base) - (child.level - 1)]
                    prefix = ".".join(base + ([child.module] if child.module else []))
                else:
                    prefix = child.module or ""
                out.add(prefix)
                out.update(f"{prefix}.{a.name}" for a in child.names)
            visit(child)

    visit(tree)
    return out


def build_graph(root: Path, packages: list[str]) -> dict[str, set[str]]:
    """module → the project modules it imports (names resolved to the modules that exist); ``packages``
    are folders or top-level modules (``app`` for app.py) under ``root``."""
    files = {module_name(p, root): p for pkg in packages
             for p in ((root / pkg).rglob("*.py") if (root / pkg).is_dir() else [root / f"{pkg}.py"])}
    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        deps = set()
        for name in _imports(tree, mod, path.name == "__init__.py"):
            while name and name not in files:   # `from pkg.mod import func` → pkg.mod
                name = name.rpartition(".")[0]
            if name and name != mod and not mod.startswith(name + "."):   # a parent package is loaded first anyway
                deps.add(name)
        graph[mod] = deps
    return graph


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same graph between top-level packages."""
    out: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        top = mod.split(".")[0]
        out.setdefault(top, set()).update(d.split(".")[0] for d in deps if d.split(".")[0] != top)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return sorted(found)
