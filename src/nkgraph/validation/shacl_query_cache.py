"""Parse each SPARQL query text once while pySHACL validates.

pySHACL runs a SHACL-SPARQL constraint once per focus node, passing the same query
text each time with a different ``$this`` binding, and rdflib parses and translates the
text anew on every call: on the shipped graph that is some 700 parses, four fifths of
the validation time. Within ``prepared_queries()``, rdflib's SPARQL processor keeps the
translated form of each text it has seen and evaluates that, as ``prepareQuery`` does
for a query reused with other initial bindings.

Each call also made ``Graph.query`` copy the graph's prefixes into a new dict (some 40
``URIRef`` built, about 60 us), which the cache key then compared term by term: a tenth
of the validation time of 100 synthetic articles. Within the block, a graph's prefix
dict is built again only when its store's prefix bindings have changed, and the same
dict (so the same key) is passed each time.

The translated queries are remembered for the life of the process (a bounded cache of
a pure function of the text, its base and its prefixes), so that validating a few
focus nodes at a time, as the write gate does for each patch, does not parse the
shapes' queries again each time.

This swaps methods of rdflib's ``SPARQLProcessor`` and ``Graph`` for the length of the
block, a process-wide change: use it where nothing else queries concurrently
(validation runs at load time and from the command line, never per request).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Final

from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

__all__ = ["prepared_queries"]

_Key = tuple[str, str | None, tuple[tuple[str, Any], ...]]


#: How many translated queries are remembered (the shipped shapes have some 30).
_REMEMBERED: Final = 256


@lru_cache(maxsize=_REMEMBERED)
def _translated(key: _Key) -> Query:
    text, base, prefixes = key
    return translateQuery(parseQuery(text), base, dict(prefixes))


@contextmanager
def prepared_queries() -> Iterator[None]:
    """Within the block, rdflib translates each distinct query text only once."""
    original = SPARQLProcessor.query

    # rdflib's own parameter names, since rdflib passes some of them by keyword.
    def query(
        self: SPARQLProcessor,
        strOrQuery: str | Query,  # noqa: N803
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        prepared = strOrQuery
        if isinstance(strOrQuery, str):
            prepared = _translated((strOrQuery, base, tuple(sorted((initNs or {}).items()))))
        return original(self, prepared, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        with _prefixes_remembered():
            yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


@contextmanager
def _prefixes_remembered() -> Iterator[None]:
    """Within the block, ``Graph.query`` without ``initNs`` gets the dict of the graph's
    prefixes it would build, built once per state of the store's prefix bindings."""
    original = Graph.query
    remembered = _Prefixes()

    def query(
        self: Graph,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if initNs is None:
            initNs = remembered.of(self)  # noqa: N806
        return original(
            self,
            query_object,
            processor,
            result,
            initNs,
            initBindings,
            use_store_provided,
            **kwargs,
        )

    Graph.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        Graph.query = original  # type: ignore[method-assign]


class _Prefixes:
    """``dict(graph.namespaces())``, remembered per namespace manager.

    That dict is made from the manager's store's bindings alone; it is remembered with
    them, and they are compared on each call (cheaply: a store keeps the same objects).
    """

    def __init__(self) -> None:
        self._by_manager: dict[int, tuple[object, tuple[Any, ...], dict[str, Any]]] = {}

    def of(self, graph: Graph) -> dict[str, Any]:
        manager = graph.namespace_manager
        bindings = tuple(manager.store.namespaces())
        entry = self._by_manager.get(id(manager))
        if entry is None or entry[0] is not manager or entry[1] != bindings:
            entry = (manager, bindings, dict(graph.namespaces()))
            self._by_manager[id(manager)] = entry
        return entry[2]
