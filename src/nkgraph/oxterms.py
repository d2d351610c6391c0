"""rdflib terms and quads as pyoxigraph terms and quads.

rdflib holds the data for parsing, validating and serialising; pyoxigraph evaluates
SPARQL over a copy of it (``engine.py`` for queries, ``shacl_oxigraph.py`` for SHACL-SPARQL
constraints). Blank nodes keep their labels, so a node found by pyoxigraph can be named
to rdflib again.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

__all__ = ["dataset_quads", "ox_resource", "ox_term"]


def dataset_quads(dataset: Dataset) -> Iterable[ox.Quad]:
    """Every quad of an rdflib ``dataset``, as pyoxigraph quads.

    Raises:
        ValueError: a blank-node label pyoxigraph does not accept.
        TypeError: a term pyoxigraph cannot hold in its position.
    """
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph_id = getattr(g, "identifier", g)
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = (
            ox.DefaultGraph()
            if graph_id is None or graph_id == DATASET_DEFAULT_GRAPH_ID
            else ox_resource(graph_id)
        )
        predicate = ox_resource(p)
        if not isinstance(predicate, ox.NamedNode):
            raise TypeError(f"not an IRI in predicate position: {p!r}")
        yield ox.Quad(ox_resource(s), predicate, ox_term(o), graph)


def ox_resource(node: Node) -> ox.NamedNode | ox.BlankNode:
    """An IRI or blank node as pyoxigraph's.

    Raises:
        TypeError: ``node`` is neither.
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"not an IRI or blank node: {node!r}")


def ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Any rdflib term of a triple as pyoxigraph's (a language tag is lowercased)."""
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    return ox_resource(node)
