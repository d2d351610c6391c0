"""The W3C suite's pass counts, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest

_COUNTED = ("test_nkgraph", "test_pyoxigraph_alone")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts: dict[str, Counter[str]] = {name: Counter() for name in _COUNTED}
    for outcome in ("passed", "failed", "xfailed", "xpassed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            name = getattr(report, "nodeid", "").rsplit("::", 1)[-1].split("[", 1)[0]
            # A skip is reported at setup; every other outcome at the call.
            expected_when = "setup" if outcome == "skipped" else "call"
            if name in counts and getattr(report, "when", None) == expected_when:
                counts[name][outcome] += 1
    lines = [
        f"{label}: {c['passed']} of {sum(c.values())} passed "
        f"({c['xfailed']} known failures, {c['failed']} unexpected failures)"
        for label, c in zip(("nkgraph serve", "pyoxigraph alone"), counts.values(), strict=True)
        if sum(c.values())
    ]
    if lines:
        terminalreporter.write_sep("=", "W3C SPARQL 1.1 query evaluation")
        for line in lines:
            terminalreporter.write_line(line)
