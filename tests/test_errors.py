"""The error tree's one lookup by class, which the CLI's exit codes and the web's statuses share."""

from __future__ import annotations

import doctest

import pytest

import nkgraph.errors
import nkgraph.formats
from nkgraph.errors import (
    ConfigurationError,
    InstallationError,
    NkGraphError,
    PortInUse,
    QueryError,
    QueryTimeout,
    TextError,
    nearest_entry,
)

TABLE: dict[type[NkGraphError], str] = {
    NkGraphError: "any",
    ConfigurationError: "configuration",
    QueryError: "query",
    PortInUse: "port",
}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(PortInUse("localhost", 8000, "in use"), "port", id="own-class"),
        pytest.param(InstallationError("missing"), "configuration", id="parent"),
        pytest.param(QueryTimeout(5.0), "query", id="nearest-ancestor-not-root"),
        pytest.param(TextError("missing"), "any", id="root"),
    ],
)
def test_nearest_entry(error: NkGraphError, expected: str) -> None:
    assert nearest_entry(TABLE, error) == expected


def test_nearest_entry_without_a_match() -> None:
    assert nearest_entry({QueryError: 1}, TextError("missing")) is None


@pytest.mark.parametrize("module", [nkgraph.errors, nkgraph.formats], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: object) -> None:
    failed, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried > 0
    assert failed == 0
