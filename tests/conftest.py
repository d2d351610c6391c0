"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from nkgraph.model.loading import load_dataset

#: Small fixture files of the suite's own (a tiny ontology, shapes and data).
TEST_DATA = Path(__file__).parent / "data"
#: The repository checkout the tests run from.
CHECKOUT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _reset_os_environ() -> Iterator[None]:
    """Undo whatever a test did to the environment (Flask's conftest does the same)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def test_data() -> Path:
    """The folder of the suite's fixture files."""
    return TEST_DATA


@pytest.fixture
def checkout() -> Path:
    """The repository checkout the tests run from (not where nkgraph is installed)."""
    return CHECKOUT


@pytest.fixture
def load_fixture() -> Callable[..., Dataset]:
    """Load fixture data files by name, with the fixture ontology."""

    def load(*names: str) -> Dataset:
        return load_dataset(
            [TEST_DATA / name for name in names], ontology=TEST_DATA / "ontology.ttl"
        )

    return load


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner (flaskr's ``runner`` fixture, without an app yet)."""
    return CliRunner()


@pytest.fixture
def standin() -> Iterator[object]:
    """A local stand-in for the Wikidata API and Query Service (``tests/standin.py``)."""
    from standin import run_standin

    yield from run_standin()
