"""Move nkgraph's flat modules into the subpackages ``ARCHITECTURE.md`` plans, mechanically.

Run it once, from the top of a clean checkout, after the branches that touch these modules
have merged::

    python scripts/restructure.py --dry-run   # the plan, and the files it would rewrite
    python scripts/restructure.py             # git mv, new __init__.py files, rewritten imports

then read what it prints, mend it, and ``ruff check . && mypy && python -m pytest``. It runs
once: it removes itself. ``MOVES`` below is the one table: every module of ``src/nkgraph``
with its destination (unchanged ones included, so a module nobody placed stops the run). It
also gives ``tests/test_layering.py`` the layer of each module while the tree is still flat.

What it rewrites: dotted names (``nkgraph.graph`` -> ``nkgraph.model.loading``, in imports,
``mock.patch`` strings, ``nkgraph.cli:main`` in pyproject.toml, docs), ``from nkgraph import
graph`` lines, and paths (``src/nkgraph/graph.py``) in src/, tests/, benchmarks/, scripts/,
docs/, README.md and pyproject.toml. What it does not: file names written bare in prose or
docstrings (``engine.py``); it lists those lines at the end for a person to mend.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

#: Each module of ``src/nkgraph`` (dotted, without ``nkgraph.``) and where it goes.
MOVES: Final[dict[str, str]] = {
    # base: stays at the top of the package
    "__main__": "__main__",
    "errors": "errors",
    "vocab": "vocab",
    "config": "config",
    "formats": "formats",
    # model/: the article as data
    "graph": "model.loading",
    "fast_load": "model.fast_load",
    "resources": "model.resources",
    "text": "model.text",
    "anchors": "model.anchors",
    "truthy": "model.truthy",
    "synthetic": "model.synthetic",
    # validation/: SHACL, its reports, the graph checked against its text
    "validation": "validation.shacl",
    "shacl_run": "validation.shacl_run",
    "shacl_speedups": "validation.shacl_speedups",
    "prepared": "validation.shacl_query_cache",
    "reporting": "validation.report_writers",
    "textcheck": "validation.text_check",
    # sparql/: one query pipeline, its engines, the store
    "query": "sparql.prepare",
    "engine": "sparql.engine",
    "remote": "sparql.remote",
    "federation": "sparql.federation",
    "results": "sparql.result_writers",
    "syntax_messages": "sparql.syntax_messages",
    "store": "sparql.store",
    "serving": "sparql.opening",
    "pipeline": "sparql.pipeline",
    "statistics": "sparql.statistics",
    "text_table": "sparql.text_table",
    # pages/: what a person reads, built from SPARQL answers
    "lookup": "pages.lookup",
    "naming": "pages.naming",
    "describe": "pages.describe",
    "overview": "pages.overview",
    "phrasing": "pages.phrasing",
    "statement_parts": "pages.statement_parts",
    "article": "pages.article",
    "reading": "pages.reading",
    "claims": "pages.claims",
    "citation": "pages.citation",
    "drawings": "pages.drawings",
    "result_table": "pages.result_table",
    "examples": "pages.example_queries",
    "reconcile": "pages.reconcile",
    # export/: the graph serialised for download
    "export": "export.dataset",
    # wikidata/: talking to Wikidata, links as data
    "wikidata": "wikidata.client",
    "links": "wikidata.links",
    "snapshot": "wikidata.snapshot",
    # web/: Flask only
    "web": "web",
    "web.state": "web.state",
    "web.body_deadline": "web.body_deadline",
    "web.cache": "web.etags",
    "web.response_cache": "web.response_cache",
    "web.description": "web.service_description",
    "web.errors": "web.errors",
    "web.exports": "web.exports",
    "web.pages": "web.pages",
    "web.reading": "web.reading",
    "web.reconcile": "web.reconcile",
    "web.sparql": "web.sparql",
    "web.ui": "web.ui",
    "web.urls": "web.urls",
    "web.links": "web.links",
    # serve/: running the app under a WSGI server
    "web.server": "serve.server",
    "web.gunicorn_server": "serve.gunicorn_server",
    "web.granian_server": "serve.granian_server",
    "web.recycle": "serve.recycle",
    # cli/: click commands
    "cli": "cli.commands",
    "cli_wikidata": "cli.wikidata",
    "cli_query": "cli.query",
}

#: The docstring of each new subpackage's ``__init__.py``.
PACKAGES: Final[dict[str, str]] = {
    "model": "The article as data: loading RDF files, the text layer, anchors, derived graphs.",
    "validation": "SHACL validation (pySHACL and its speed-ups), reports, the text check.",
    "sparql": "Answering SPARQL: preparing a query, the engines, federation, result writers.",
    "pages": "What a person reads: resources described, overviews, names, the article.",
    "export": "The graph serialised for download, with its JSON-LD context.",
    "wikidata": "Wikidata: a polite client, links as data, a snapshot of facts.",
    "serve": "Running the Flask app under a WSGI server (gunicorn, granian), worker recycling.",
    "cli": "The ``nkgraph`` command line: click commands, each a thin shell over the core.",
}

#: Edits the move makes necessary that no pattern finds: (new file, old text, new text).
FIXUPS: Final[list[tuple[str, str, str]]] = [
    # One directory deeper: the checkout root is one parent further up.
    ("model/resources.py", "__file__).resolve().parents[2]", "__file__).resolve().parents[3]"),
]

PACKAGE_DIR: Final = Path("src/nkgraph")
REWRITTEN: Final = ("src", "tests", "benchmarks", "scripts", "docs", "README.md", "pyproject.toml")
TEXT_SUFFIXES: Final = {".py", ".md", ".toml", ".txt", ".html", ".cfg", ".ini", ".yml", ".yaml"}
#: Files that name the old modules on purpose.
KEPT: Final = {"ARCHITECTURE.md", "scripts/restructure.py"}

_DOTTED: Final = re.compile(r"\bnkgraph((?:\.[A-Za-z_]\w*)+)")
_PATH: Final = re.compile(r"\bnkgraph/((?:\w+/)*\w+)\.py\b")
_FROM_IMPORT: Final = re.compile(r"^(\s*)from nkgraph((?:\.\w+)*) import ([\w ,]+?)(\s*#.*)?$")


def new_name(old: str) -> str:
    """``old`` (dotted, without ``nkgraph.``) renamed by its longest moved prefix."""
    parts = old.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in MOVES:
            return ".".join([MOVES[head], *parts[cut:]])
    return old


def _rewrite_dotted(match: re.Match[str]) -> str:
    return "nkgraph." + new_name(match.group(1)[1:])


def _rewrite_path(match: re.Match[str]) -> str:
    old = match.group(1).replace("/", ".")
    if MOVES.get(old, old) == old:
        return match.group(0)
    return f"nkgraph/{MOVES[old].replace('.', '/')}.py"


def _rewrite_from_import(match: re.Match[str]) -> list[str]:
    """``from nkgraph.P import a, b as c``: one line per moved module, the rest left as it was."""
    indent, package, names, comment = (
        match.group(1),
        match.group(2)[1:],
        match.group(3),
        match.group(4),
    )
    kept: list[str] = []
    lines: list[str] = []
    for item in (n.strip() for n in names.split(",")):
        name, _, alias = item.partition(" as ")
        full = f"{package}.{name}" if package else name
        if MOVES.get(full, full) == full:  # not a module, or a module that stays
            kept.append(item)
            continue
        parent, _, leaf = new_name(full).rpartition(".")
        local = alias or name
        target = f"nkgraph.{parent}" if parent else "nkgraph"
        lines.append(
            f"{indent}from {target} import {leaf}" + (f" as {local}" if local != leaf else "")
        )
    if not lines:  # no module among the names: the package path alone may have moved
        return [_DOTTED.sub(_rewrite_dotted, match.group(0))]
    if kept:
        source = "nkgraph." + new_name(package) if package else "nkgraph"
        lines.insert(0, f"{indent}from {source} import {', '.join(kept)}")
    if comment:
        lines[-1] += comment
    return lines


def rewrite(text: str) -> str:
    """``text`` with every old module name and path replaced by the new one."""
    out = []
    for line in text.split("\n"):
        found = _FROM_IMPORT.match(line)
        if found:
            out.extend(_rewrite_from_import(found))
        else:
            out.append(_PATH.sub(_rewrite_path, _DOTTED.sub(_rewrite_dotted, line)))
    return "\n".join(out)


def module_files(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module under ``root``, dotted without ``nkgraph.``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts == ("__init__",):
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _target(old: str) -> Path:
    new = MOVES[old].replace(".", "/")
    return PACKAGE_DIR / (f"{new}/__init__.py" if old == "web" else f"{new}.py")


def check(modules: dict[str, Path]) -> list[str]:
    """What stops the move: modules with no destination, destinations that already exist."""
    problems = [f"{m}: no destination in MOVES" for m in modules if m not in MOVES]
    problems += [f"{m}: in MOVES but not in src/nkgraph" for m in MOVES if m not in modules]
    problems += [
        f"{m}: {_target(m)} exists already"
        for m in MOVES
        if m in modules and MOVES[m] != m and _target(m).exists()
    ]
    return problems


def text_files() -> list[Path]:
    listed = _run("git", "ls-files", "--", *REWRITTEN).split()
    return [Path(p) for p in listed if Path(p).suffix in TEXT_SUFFIXES and p not in KEPT]


def bare_mentions(paths: Iterable[Path]) -> list[str]:
    """Lines that name an old file bare (``engine.py``), for a person to read."""
    moved = {old.rpartition(".")[2] for old, new in MOVES.items() if old != new}
    pattern = re.compile(r"(?<![/\w])(" + "|".join(sorted(moved)) + r")\.py\b")
    return [
        f"{path}:{number}: {line.strip()}"
        for path in paths
        if path.exists()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def move(dry_run: bool) -> None:
    modules = module_files()
    problems = check(modules)
    if not dry_run and _run("git", "status", "--porcelain"):
        problems.append("the work tree has changes: commit or stash them first")
    if problems:
        sys.exit("restructure: stopped\n  " + "\n  ".join(problems))
    files = text_files()
    for package, doc in PACKAGES.items():
        init = PACKAGE_DIR / package / "__init__.py"
        print(f"create {init}")
        if not dry_run:
            init.parent.mkdir(exist_ok=True)
            init.write_text(f'"""{doc}"""\n')
            _run("git", "add", str(init))
    for old, new in MOVES.items():
        if old != new:
            print(f"git mv {modules[old]} {_target(old)}")
            if not dry_run:
                _run("git", "mv", str(modules[old]), str(_target(old)))
    for listed in files:
        path = listed if dry_run else _moved_path(listed)
        text = path.read_text()
        changed = rewrite(text)
        if changed != text:
            print(f"rewrite {path}")
            if not dry_run:
                path.write_text(changed)
    for relative, old_text, new_text in FIXUPS:
        path = PACKAGE_DIR / relative
        print(f"fix {path}: {old_text} -> {new_text}")
        if not dry_run:
            _replace_once(path, old_text, new_text)
    _tidy(dry_run)
    mentions = bare_mentions(p if dry_run else _moved_path(p) for p in files)
    print(f"\nBare file names to read by hand ({len(mentions)}):")
    print("\n".join(mentions))
    if not dry_run:
        # One run only: the table now names modules that are gone, and tests/test_layering.py
        # reads it while it exists.
        _run("git", "rm", "-q", "scripts/restructure.py")


def _moved_path(path: Path) -> Path:
    """Where ``path`` lives once the modules have moved."""
    if path.suffix != ".py" or PACKAGE_DIR not in path.parents:
        return path
    old = ".".join(path.relative_to(PACKAGE_DIR).with_suffix("").parts).removesuffix(".__init__")
    return _target(old) if old in MOVES else path


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if text.count(old) != 1:
        sys.exit(f"restructure: {path}: expected {old!r} once, found it {text.count(old)} times")
    path.write_text(text.replace(old, new))


def _tidy(dry_run: bool) -> None:
    """Sort the rewritten imports and format, when ruff is at hand."""
    ruff = shutil.which("ruff")
    if ruff is None or dry_run:
        print("not run: ruff check --fix --select I . && ruff format .")
        return
    _run(ruff, "check", "--fix", "--select", "I", "-q", ".")
    _run(ruff, "format", "-q", ".")
    long_lines = subprocess.run(  # noqa: S603
        [ruff, "check", "--select", "E501", "--output-format", "concise", "."],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    print("\nLines the new names made too long (reflow by hand):\n" + long_lines)


def _run(*command: str) -> str:
    """Run one of this script's own commands (git, ruff); stop if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"restructure: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    move(parser.parse_args().dry_run)


if __name__ == "__main__":
    main()
