"""RDF helpers the tests share: graph comparisons (after rdflib's test/utils/graph.py
GraphHelper) and parsing a body in one of the registry's formats."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic

from nkgraph.formats import Format


def assert_isomorphic(expected: Graph, actual: Graph, *, hint: str = "") -> None:
    """Fail with the triples found on one side only (after ``hint``, what to do about
    it), when the graphs differ."""
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(
            f"{hint}graphs differ\nonly expected:\n{only_expected.serialize(format='nt')}"
            f"only actual:\n{only_actual.serialize(format='nt')}"
        )


def union(dataset: Dataset) -> Graph:
    """Every triple of every graph of ``dataset``, in one graph."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def parse_as(data: bytes, fmt: Format) -> Dataset:
    """``data`` parsed by rdflib as ``fmt`` (its graphs kept, for TriG and N-Quads)."""
    parsed = Dataset()
    parsed.parse(data=data, format=fmt.rdflib_format)
    return parsed
