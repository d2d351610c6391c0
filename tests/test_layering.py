"""The core never imports the web or command-line layers (STYLE.md, "imports point one way")."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "errors",
    "vocab",
    "resources",
    "graph",
    "validation",
    "reporting",
    "prepared",
    "fast_load",
    "shacl_run",
    "shacl_speedups",
    "text",
    "anchors",
    "textcheck",
    "truthy",
    "config",
    "formats",
    "query",
    "engine",
    "results",
    "examples",
    "export",
    "lookup",
    "describe",
    "naming",
    "overview",
    "article",
    "reading",
    "citation",
    "claims",
    "drawings",
    "serving",
]
OUTER = ["flask", "click", "werkzeug", "nkgraph.web", "nkgraph.cli"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_outer_layer(module: str) -> None:
    # A fresh interpreter: in this one, the tests have imported everything already.
    code = f"import sys, nkgraph.{module}\nprint(sorted(m for m in {OUTER!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
