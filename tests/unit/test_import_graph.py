"""No import circles: none between the project's packages, none between its modules.

The graph is read from the source (tests/import_graph.py): lazy imports inside functions count, since
they only hide a circle from Python's loader; ``if TYPE_CHECKING:`` imports do not (they never run).
"""
from __future__ import annotations

from pathlib import Path

from import_graph import build_graph, cycles, package_graph

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ["model", "calibration", "analysis", "sensitivity", "cli", "scenarios", "app_pages", "app"]

def test_no_circles_between_packages():
    graph = package_graph(build_graph(ROOT, PROJECT))
    assert cycles(graph) == []
    assert graph["model"] <= {"scenarios"}, "the simulation core imports no other package of the project"
    assert "cli" not in set().union(*(deps for pkg, deps in graph.items() if pkg != "cli")), "nothing imports the CLI"


def test_no_circles_between_modules():
    assert cycles(build_graph(ROOT, PROJECT)) == []


def test_scenario_parameter_sets_and_investment_do_not_import_each_other():
    graph = build_graph(ROOT, ["model"])
    assert "model.scenario" not in graph["model.parameter_sets"] | graph["model.investment"]


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_check_finds_a_circle(tmp_path):
    root = _write(tmp_path, {
        "a/__init__.py": "",
        "a/x.py": "def f():\n    from a.y import g   # lazy: still a circle\n    return g\n",
        "a/y.py": "from .x import f\n\ndef g():\n    return f\n",
        "a/z.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a.x import f\n",
        "b/__init__.py": "from c import thing\n",
        "c/__init__.py": "thing = 1\n",
        "c/uses_b.py": "import b\n",
    })
    graph = build_graph(root, ["a", "b", "c"])
    assert cycles(graph) == [["a.x", "a.y"]]
    assert graph["a.z"] == set()   # a TYPE_CHECKING import never runs
    assert cycles(package_graph(graph)) == [["b", "c"]]
    (root / "c" / "uses_b.py").unlink()
    assert cycles(package_graph(build_graph(root, ["a", "b", "c"]))) == []
