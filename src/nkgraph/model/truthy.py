"""Project the article's undisputed facts onto plain triples: the "truthy" graph.

As Wikidata's ``wdt:`` triples sit beside its full statements, the truthy graph holds
one direct triple per statement that the article makes in its own voice, as an
assertion, and that no other statement is set against. Attributed claims, requests,
obligations and evaluations stay statements only, so a query of the truthy graph
never returns a contested claim as a fact. Nor does it return a past state of affairs
as a present one: a statement whose time (``nk:heldAt``) the text places in the past
or in a stated period stays a statement; only one that lasts until the time of writing
(``nk:Since``) becomes a plain triple.
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, Graph

from nkgraph.vocab import GRAPHS, PREFIXES

__all__ = [
    "TRUTHY_QUERY",
    "TRUTHY_ROWS_QUERY",
    "TruthyRow",
    "add_truthy_graph",
    "add_truthy_graph_to_store",
    "truthy_rows",
    "truthy_triples",
]

#: A statement and the truthy triple it gives: statement, subject, predicate, value.
TruthyRow = tuple[
    ox.NamedNode | ox.BlankNode,
    ox.NamedNode | ox.BlankNode,
    ox.NamedNode,
    ox.NamedNode | ox.BlankNode | ox.Literal,
]

#: What makes a statement's triple truthy, from ``?statement`` to its direct triple
#: ``?subject ?predicate ?value``.
_TRUTHY_PATTERN: Final = """
    ?statement a nk:Statement ;
        nk:subject ?subject ;
        nk:predicate ?predicate ;
        nk:voice nk:ArticleVoice ;
        nk:modality nk:Assertion .
    { ?statement nk:object ?value } UNION { ?statement nk:figure ?value }
    UNION { ?statement nk:value ?value }
    FILTER NOT EXISTS { ?statement nk:contrastsWith ?other }
    FILTER NOT EXISTS { ?other nk:contrastsWith ?statement }
    FILTER NOT EXISTS {
        ?statement nk:heldAt ?time .
        FILTER NOT EXISTS { ?time nk:relation nk:Since }
    }
"""

TRUTHY_QUERY: Final = (
    "\nCONSTRUCT { ?subject ?predicate ?value }\nWHERE {" + _TRUTHY_PATTERN + "}\n"
)

#: The truthy triples, each with the statement it comes from (several statements may give
#: one triple).
TRUTHY_ROWS_QUERY: Final = (
    "SELECT ?statement ?subject ?predicate ?value WHERE {" + _TRUTHY_PATTERN + "}\n"
)

#: Prefix declarations for running the truthy queries with pyoxigraph.
_PROLOGUE: Final = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def truthy_triples(dataset: Dataset) -> Graph:
    """The direct triples of the dataset's undisputed article-voice assertions."""
    graph = Graph()
    for triple in dataset.query(TRUTHY_QUERY, initNs=PREFIXES):
        graph.add(triple)  # type: ignore[arg-type]
    return graph


def add_truthy_graph(dataset: Dataset) -> None:
    """Replace the dataset's truthy graph with the projection of its statements (data
    without nkgraph statements is left without a truthy graph)."""
    dataset.remove_graph(GRAPHS.TRUTHY)
    projection = truthy_triples(dataset)
    if not len(projection):
        return
    target = dataset.graph(GRAPHS.TRUTHY)
    for triple in projection:
        target.add(triple)


def add_truthy_graph_to_store(store: ox.Store) -> None:
    """:func:`add_truthy_graph` for a pyoxigraph store: the same query, run by pyoxigraph
    over the union of the store's graphs."""
    target = ox.NamedNode(str(GRAPHS.TRUTHY))
    store.remove_graph(target)
    results = store.query(_PROLOGUE + TRUTHY_QUERY, use_default_graph_as_union=True)
    assert isinstance(results, ox.QueryTriples)  # noqa: S101 (a CONSTRUCT query)
    projection = [ox.Quad(t.subject, t.predicate, t.object, target) for t in results]
    store.bulk_extend(projection)


def truthy_rows(store: ox.Store) -> set[TruthyRow]:
    """Each truthy triple of the statements in ``store`` (all graphs), with its statement."""
    results = store.query(_PROLOGUE + TRUTHY_ROWS_QUERY, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)  # noqa: S101 (a SELECT query)
    return {(row["statement"], row["subject"], row["predicate"], row["value"]) for row in results}
