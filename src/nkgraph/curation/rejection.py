"""A refused write's SHACL results, in the forms the web layer sends them.

The web layer may not import ``validation/`` (``tests/test_layering.py``), so a
:class:`~nkgraph.errors.WriteRejected`'s report is read here: its results in the shape
``nkgraph validate --format json`` writes them, and its report graph in Turtle. The
validation modules are imported when a rejection is read (the gate that raised it has
loaded them already), so that serving read-only never imports pySHACL.
"""

from __future__ import annotations

import json
from typing import Any

from nkgraph.errors import WriteRejected

__all__ = ["report_turtle", "violations"]


def violations(error: WriteRejected) -> list[dict[str, Any]]:
    """The results of ``error``'s report (severity, focus node, path, value, message,
    shape), most severe first; empty when it carries no report."""
    from nkgraph.validation.report_writers import render_json
    from nkgraph.validation.shacl import ValidationReport

    if not isinstance(error.report, ValidationReport):
        return []
    results: list[dict[str, Any]] = json.loads(render_json(error.report))["results"]
    return results


def report_turtle(error: WriteRejected) -> str | None:
    """The SHACL validation report graph of ``error`` in Turtle, if it carries one."""
    from nkgraph.validation.report_writers import render_turtle
    from nkgraph.validation.shacl import ValidationReport

    if not isinstance(error.report, ValidationReport):
        return None
    return render_turtle(error.report)
