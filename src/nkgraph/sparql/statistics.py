"""What a dataset holds, counted: VoID-style statistics and what the data describes.

Counted once, when an engine starts or a store is built (``sparql/store.py`` records them with
the store, so serving a store recounts nothing). The counts come from SELECT queries, so
a local pyoxigraph store and a remote SPARQL server are counted the same way
(:func:`count_statistics`, :func:`source_description`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

__all__ = [
    "DatasetStatistics",
    "GraphStatistics",
    "Select",
    "SourceDescription",
    "count_statistics",
    "describe_source",
    "source_description",
    "store_statistics",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GraphStatistics:
    """One named graph and its size."""

    name: str
    triples: int


@dataclass(frozen=True)
class DatasetStatistics:
    """VoID-style counts of the whole dataset, for the service description and the page.

    ``triples`` counts distinct triples of the default graph (the union of all graphs);
    ``entities`` the distinct IRIs in subject position; ``classes`` the distinct objects
    of ``rdf:type``.
    """

    triples: int
    entities: int
    classes: int
    properties: int
    graphs: tuple[GraphStatistics, ...]


@dataclass(frozen=True)
class SourceDescription:
    """What the data describes, as its own metadata says (each part may be missing)."""

    iri: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None


# The first document the data describes: a schema.org article or anything with a title,
# a publication date or a publisher. Generic on purpose: ``--data`` may serve any graph.
_SOURCE_QUERY: Final = """
PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?doc ?title ?published ?publisher ?url WHERE {
  { ?doc a schema:NewsArticle } UNION { ?doc a schema:Article }
  UNION { ?doc schema:datePublished|dcterms:issued ?any }
  OPTIONAL { ?doc schema:headline|dcterms:title|schema:name|rdfs:label ?title }
  OPTIONAL { ?doc schema:datePublished|dcterms:issued|dcterms:date ?published }
  OPTIONAL { ?doc (schema:publisher|dcterms:publisher)/(schema:name|rdfs:label|foaf:name)
             ?publisher }
  OPTIONAL { ?doc schema:url ?url }
}
ORDER BY DESC(BOUND(?title)) DESC(BOUND(?published)) ?doc
LIMIT 1
"""


def store_statistics(store: ox.Store) -> DatasetStatistics:
    """VoID-style counts of ``store`` (seconds on a million triples)."""
    return _statistics(store)


def describe_source(store: ox.Store) -> SourceDescription:
    """What the data in ``store`` describes, as its own metadata says."""
    return _source(store)


#: Evaluates a SELECT query over the union default graph and returns its solutions.
Select = Callable[[str], ox.QuerySolutions]


def _union_select(store: ox.Store) -> Select:
    def select(text: str) -> ox.QuerySolutions:
        results = store.query(text, use_default_graph_as_union=True)
        assert isinstance(results, ox.QuerySolutions)  # noqa: S101 (a SELECT query)
        return results

    return select


def _statistics(store: ox.Store) -> DatasetStatistics:
    return count_statistics(_union_select(store))


def count_statistics(select: Select) -> DatasetStatistics:
    """VoID-style counts, from the answers of ``select`` (a local store or a remote one)."""
    started = time.perf_counter()

    def count(where: str, *, of: str = "COUNT(*)") -> int:
        term = next(iter(select(f"SELECT ({of} AS ?n) WHERE {{ {where} }}")))[0]
        return int(term.value) if isinstance(term, ox.Literal) else 0

    graphs = select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    statistics = DatasetStatistics(
        triples=count("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"),
        # The IRIs among the distinct subjects: filtered after DISTINCT, not on every
        # triple before it (3.5 times faster on a million triples).
        entities=count("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", of="SUM(IF(isIRI(?s), 1, 0))"),
        classes=count("SELECT DISTINCT ?c WHERE { ?s a ?c }"),
        properties=count("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        graphs=tuple(GraphStatistics(row[0].value, int(row[1].value)) for row in graphs),
    )
    logger.debug("dataset statistics in %.3f s", time.perf_counter() - started)
    return statistics


def _source(store: ox.Store) -> SourceDescription:
    return source_description(_union_select(store))


def source_description(select: Select) -> SourceDescription:
    """What the data describes, from the answers of ``select``."""
    for row in select(_SOURCE_QUERY):
        values = [None if term is None else term.value for term in row]
        return SourceDescription(*values)
    return SourceDescription()
