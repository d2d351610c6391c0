"""Graph comparisons the tests share (after rdflib's test/utils/graph.py GraphHelper)."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Fail with the triples found on one side only, when the graphs differ."""
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(
            f"graphs differ\nonly expected:\n{only_expected.serialize(format='nt')}"
            f"only actual:\n{only_actual.serialize(format='nt')}"
        )


def union(dataset: Dataset) -> Graph:
    """Every triple of every graph of ``dataset``, in one graph."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
