"""Imports point one way (STYLE.md, "Module layout"), read from the code rather than a list.

Every ``import`` of every module under ``src/nkgraph`` is read with ``ast``: at module level,
inside functions, and under ``if TYPE_CHECKING:`` alike. A type-only import counts in full: a
core module that names a Flask type still depends on Flask, and a cycle through a type-only
import is still a knot a reader has to untie (it would only be allowed as a named exception).
Relative imports are resolved; ``from package import name`` counts as importing the module
``package.name`` when there is one, else ``package``. The parent packages Python runs on the
way (``nkgraph.web`` before ``nkgraph.web.sparql``) are not counted: only what the code names.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

PACKAGE: Final = Path(__file__).resolve().parents[1] / "src" / "nkgraph"

#: The layers, and the layers each may import besides itself: the allowed directions, stated
#: once. A module's layer is its subpackage (``nkgraph.sparql.engine``: sparql); a module at
#: the top of the package is in base.
ALLOWED: Final[Mapping[str, frozenset[str]]] = {
    "base": frozenset(),
    "model": frozenset({"base"}),
    "validation": frozenset({"base", "model"}),
    "sparql": frozenset({"base", "model", "validation"}),
    "pages": frozenset({"base", "model", "sparql"}),
    "export": frozenset({"base", "model", "sparql"}),
    "wikidata": frozenset({"base", "model"}),
    "curation": frozenset({"base", "model", "validation", "sparql"}),
    "web": frozenset({"base", "model", "sparql", "pages", "export", "wikidata", "curation"}),
    "serve": frozenset({"base", "model", "validation", "sparql", "curation", "web"}),
    "cli": frozenset(
        {
            "base",
            "model",
            "validation",
            "sparql",
            "pages",
            "export",
            "wikidata",
            "curation",
            "web",
            "serve",
        }
    ),
}
#: Third-party packages only some layers may import.
ONLY_IN: Final[Mapping[str, frozenset[str]]] = {
    "flask": frozenset({"web", "serve"}),
    "werkzeug": frozenset({"web", "serve"}),
    "click": frozenset({"cli"}),
    "gunicorn": frozenset({"serve"}),
    "granian": frozenset({"serve"}),
}
#: Modules whose place in the tree is fixed by Python: ``python -m nkgraph`` runs the CLI.
ENTRY_POINTS: Final[Mapping[str, str]] = {"nkgraph.__main__": "cli"}
#: Import cycles that exist today, each named with the change that removes it.
KNOWN_CYCLES: Final[frozenset[frozenset[str]]] = frozenset()


@dataclass(frozen=True)
class Import:
    """One name an import statement brings in: who imports what, and where."""

    source: str
    target: str
    line: int


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name (packages by their own name)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def read_imports(root: Path) -> list[Import]:
    """Every import in the package at ``root``, at any depth of any module."""
    modules = module_names(root)
    found = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, name, is_package, modules):
                    found.append(Import(name, target, node.lineno))
    return found


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: Mapping[str, Path]
) -> list[str]:
    if isinstance(node, ast.Import):
        return [_known(alias.name, modules) for alias in node.names]
    base = node.module or ""
    if node.level:
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - node.level + 1]
        base = ".".join([*here, node.module] if node.module else here)
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else _known(base, modules)
        for alias in node.names
    ]


def _known(name: str, modules: Mapping[str, Path]) -> str:
    """The longest prefix of ``name`` that is a module of ours, else the top-level package."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        if ".".join(parts[:cut]) in modules:
            return ".".join(parts[:cut])
    return parts[0]


def layer_of(module: str) -> str:
    """The layer ``module`` belongs to (see ``ALLOWED``)."""
    if module in ENTRY_POINTS:
        return ENTRY_POINTS[module]
    head = module.partition(".")[2].partition(".")[0]
    return head if head in ALLOWED else "base"


def layering_errors(imports: Iterable[Import]) -> list[str]:
    """Imports against the directions of ``ALLOWED`` or ``ONLY_IN``, one sentence each."""
    errors = []
    for found in imports:
        source = layer_of(found.source)
        if found.target.partition(".")[0] == found.source.partition(".")[0]:
            target = layer_of(found.target)
            if target != source and target not in ALLOWED[source]:
                errors.append(_sentence(found, source, f"the {target} layer"))
        elif found.target in ONLY_IN and source not in ONLY_IN[found.target]:
            places = ", ".join(sorted(ONLY_IN[found.target]))
            errors.append(_sentence(found, source, f"{found.target} (only {places} may)"))
    return errors


def _sentence(found: Import, layer: str, what: str) -> str:
    return f"{found.source} ({layer}) imports {found.target}, from {what}, at line {found.line}"


def import_cycles(imports: Iterable[Import]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for found in imports:
        if found.target.partition(".")[0] == found.source.partition(".")[0]:
            graph.setdefault(found.source, set()).add(found.target)
            graph.setdefault(found.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in graph[node] - {node}:
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = {stack.pop()}
            while node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                cycles.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return read_imports(PACKAGE)


def test_imports_point_one_way(imports: list[Import]) -> None:
    assert layering_errors(imports) == []


def test_no_import_cycles_but_the_known_ones(imports: list[Import]) -> None:
    cycles = import_cycles(imports)
    assert sorted(map(sorted, cycles - KNOWN_CYCLES)) == []
    gone = KNOWN_CYCLES - cycles
    assert not gone, f"these cycles are gone: delete them from KNOWN_CYCLES: {gone}"


def test_the_scan_sees_the_whole_package(imports: list[Import]) -> None:
    """Function-level and relative imports are read: a few that the package has today."""
    seen = {(found.source, found.target) for found in imports}
    # create_app imports its blueprints inside the function.
    assert ("nkgraph.web", "nkgraph.web.sparql") in seen
    assert ("nkgraph.web.sparql", "flask") in seen
    assert {found.source for found in imports} >= {
        "nkgraph.wikidata.links",
        "nkgraph.sparql.remote",
    }


def _fake_package(root: Path, files: Mapping[str, str]) -> Path:
    package = root / "nkgraph"
    for name, text in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(textwrap.dedent(text))
    return package


def test_a_core_module_importing_flask_is_reported(tmp_path: Path) -> None:
    package = _fake_package(
        tmp_path,
        {
            "errors.py": "def page():\n    from flask import abort\n",
            "web/__init__.py": "import flask\n",
            "sparql/__init__.py": "",
            "sparql/engine.py": """\
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from nkgraph.web import app
                """,
        },
    )
    errors = layering_errors(read_imports(package))
    assert errors == [
        "nkgraph.errors (base) imports flask, from flask (only serve, web may), at line 2",
        "nkgraph.sparql.engine (sparql) imports nkgraph.web, from the web layer, at line 3",
    ]


def test_two_modules_importing_each_other_are_reported(tmp_path: Path) -> None:
    package = _fake_package(
        tmp_path,
        {
            "model/__init__.py": "",
            "model/loading.py": "from nkgraph.model import text\n",
            "model/text.py": "def split():\n    from . import loading\n",
            "model/truthy.py": "from nkgraph.model.text import split\n",
        },
    )
    cycles = import_cycles(read_imports(package))
    assert cycles == {frozenset({"nkgraph.model.loading", "nkgraph.model.text"})}


def test_a_module_takes_the_layer_of_its_subpackage() -> None:
    assert layer_of("nkgraph.sparql.engine") == "sparql"
    assert layer_of("nkgraph.serve.server") == "serve"
    assert layer_of("nkgraph.web.sparql") == "web"
    assert layer_of("nkgraph.errors") == "base"
    assert layer_of("nkgraph") == "base"
    assert layer_of("nkgraph.__main__") == "cli"
