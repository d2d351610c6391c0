"""The W3C suites' pass counts, printed at the end of the run."""

from __future__ import annotations

from collections import Counter
from typing import Final

import pytest

#: Each suite's module, its heading, and the test functions counted (with their labels).
_SUITES: Final = (
    (
        "test_sparql11_query.py",
        "W3C SPARQL 1.1 query evaluation",
        {"test_nkgraph": "nkgraph serve", "test_pyoxigraph_alone": "pyoxigraph alone"},
    ),
    (
        "test_sparql11_update.py",
        "W3C SPARQL 1.1 update evaluation",
        {
            "test_nkgraph_update": "nkgraph serve",
            "test_nkgraph_staging": "nkgraph staging alone",
            "test_pyoxigraph_update": "pyoxigraph alone",
        },
    ),
    (
        "test_graph_store_protocol.py",
        "W3C SPARQL 1.1 Graph Store Protocol (indirect identification)",
        {"test_graph_store_protocol": "nkgraph serve"},
    ),
)
_OUTCOMES: Final = ("passed", "failed", "xfailed", "xpassed", "skipped")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts: dict[tuple[str, str], Counter[str]] = {}
    for outcome in _OUTCOMES:
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
            name = nodeid.rsplit("::", 1)[-1].split("[", 1)[0]
            # A skip is reported at setup; every other outcome at the call.
            expected_when = "setup" if outcome == "skipped" else "call"
            if getattr(report, "when", None) == expected_when:
                counts.setdefault((module, name), Counter())[outcome] += 1
    for module, heading, functions in _SUITES:
        lines = [
            _line(label, counts[(module, name)])
            for name, label in functions.items()
            if (module, name) in counts
        ]
        if lines:
            terminalreporter.write_sep("=", heading)
            for line in lines:
                terminalreporter.write_line(line)


def _line(label: str, counts: Counter[str]) -> str:
    line = (
        f"{label}: {counts['passed']} of {sum(counts.values())} passed "
        f"({counts['xfailed']} known failures, {counts['failed']} unexpected failures"
    )
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    return line + ")"
