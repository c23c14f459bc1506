"""The layers of `src/finsam`: no import cycle, and no app importing an app above it.

The import graph is read from the source with `ast`: every `import` and `from … import` statement, those
inside functions included, relative imports resolved. Importing `a.b` is an edge to the module `a.b` only
(not to the package `a` Python runs first). Imports under `if TYPE_CHECKING:` name a type for an annotation
and never run: they count for the cycles between modules, not for the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # src/finsam
PACKAGE = "finsam"

# Bottom up. Each entry is an app or a module under the package; a module takes the layer of its longest
# entry. An app's modules may import their own app and every layer below, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"sie", "privacy"}),
    frozenset({"core"}),
    frozenset({"organisation"}),
    # Who may see a page is decided in accounts (roles, tenancy): the organisation's own pages sit above it.
    frozenset({"accounts", "organisation.views", "organisation.urls"}),
    frozenset({"finance", "participants"}),
    frozenset({"goals"}),
    frozenset({"reports"}),
    # The national export and roll-up: over everything an association's reports read.
    frozenset({"national"}),
    frozenset(
        {
            "start",
            "catalogue",
            "demo",
            "cli",
            "argparse_sv",
            "server",
            "urls",
            "settings",
            "wsgi",
            "__main__",
            "__init__",
        }
    ),
)


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. "finance.views"
    target: str  # the imported module
    line: int
    typing_only: bool


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def is_test(name: str) -> bool:
    parts = name.split(".")
    return "tests" in parts or parts[-1] in ("conftest", "testing")


def _typing_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, typing_only: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement under node, in functions and branches too, and whether it is typing-only."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, typing_only
    elif isinstance(node, ast.If) and _typing_only(node):
        for statement in node.body:
            yield from _walk(statement, True)
        for statement in node.orelse:
            yield from _walk(statement, typing_only)
    else:
        for child in ast.iter_child_nodes(node):
            yield from _walk(child, typing_only)


def _targets(name: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The modules of the package a statement imports: `from a import b` imports a.b if that is a module."""
    if isinstance(node, ast.Import):
        found = [alias.name for alias in node.names]
    else:
        if node.level:
            base = f"{PACKAGE}.{name}".split(".")
            base = base if is_package else base[:-1]
            base = base[: len(base) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        found = [
            f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module for alias in node.names
        ]
    targets = []
    for target in found:
        while target not in known and "." in target:
            target = target.rsplit(".", 1)[0]
        short = target.removeprefix(f"{PACKAGE}.")
        if target in known and target != PACKAGE and short not in targets:
            targets.append(short)
    return targets


def imports(root: Path = ROOT) -> list[Import]:
    found = modules(root)
    known = {f"{PACKAGE}.{name}" for name in found}
    edges = []
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, typing_only in _walk(tree):
            for target in _targets(name, path.name == "__init__.py", node, known):
                if target != name:
                    edges.append(Import(name, target, node.lineno, typing_only))
    return edges


def unit(name: str) -> str:
    """The layer entry a module belongs to: its longest entry in LAYERS."""
    parts = name.split(".")
    entries = {entry for layer in LAYERS for entry in layer}
    for size in range(len(parts), 0, -1):
        if ".".join(parts[:size]) in entries:
            return ".".join(parts[:size])
    raise AssertionError(f"{PACKAGE}.{name} is in no layer: add its app to LAYERS")


def layer(name: str) -> int:
    entry = unit(name)
    return next(index for index, members in enumerate(LAYERS) if entry in members)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of nodes (Tarjan), each as a path back to its start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, set())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                other = stack.pop()
                group.add(other)
                if other == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path(graph, group) for group in groups]


def _path(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest way from the group's first node back to itself, within the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(graph.get(node, set()) & group):
            if other == start:
                return [*paths[node], start]
            if other not in paths:
                paths[other] = [*paths[node], other]
                queue.append(other)
    raise AssertionError("a strongly connected group always has a cycle")


def _named(cycle: list[str]) -> str:
    return " → ".join(f"{PACKAGE}.{name}" for name in cycle)


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph: dict[str, set[str]] = {}
    for edge in imports():
        graph.setdefault(edge.source, set()).add(edge.target)
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + "\n".join(_named(cycle) for cycle in found)


def _runtime_edges_between_units() -> list[Import]:
    return [
        edge
        for edge in imports()
        if not edge.typing_only and not is_test(edge.source) and unit(edge.source) != unit(edge.target)
    ]


def test_no_app_imports_an_app_that_imports_it_back() -> None:
    graph: dict[str, set[str]] = {}
    for edge in _runtime_edges_between_units():
        graph.setdefault(unit(edge.source), set()).add(unit(edge.target))
    found = cycles(graph)
    assert not found, "import cycles between apps:\n" + "\n".join(_named(cycle) for cycle in found)


def test_every_import_runs_down_the_layers() -> None:
    """Tests, conftest and the test helpers may import from anywhere (the demo among them)."""
    upward = [
        f"{PACKAGE}.{edge.source}:{edge.line} imports {PACKAGE}.{edge.target}, a layer above"
        for edge in _runtime_edges_between_units()
        if layer(edge.target) > layer(edge.source)
    ]
    assert not upward, "\n".join(upward)


def test_the_graph_holds_imports_inside_functions_relative_ones_and_typing_only_ones(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text("def f():\n    from . import b\n")
    (tmp_path / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n"
    )
    (tmp_path / "c.py").write_text("import os\nfrom pkg import nothing\n")
    edges = {(e.source, e.target, e.typing_only) for e in imports(tmp_path)}
    assert edges == {("a", "b", False), ("b", "a", True)}
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b", "a"]]


def test_no_app_imports_another_apps_private_names() -> None:
    """A name starting with one underscore is its module's own: another app asks for a public function
    (tests may reach in)."""
    private = []
    for name, path in modules().items():
        if is_test(name):
            continue
        for node, _typing_only in _walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            target = node.module.removeprefix(f"{PACKAGE}.")
            if node.module == target or unit(target) == unit(name):
                continue
            private += [
                f"{PACKAGE}.{name}:{node.lineno} imports {alias.name} from {node.module}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    assert not private, "\n".join(private)
