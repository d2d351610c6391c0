"""Parse each SPARQL query text once while pySHACL validates.

pySHACL runs a SHACL-SPARQL constraint once per focus node, passing the same query
text each time with a different ``$this`` binding, and rdflib parses and translates the
text anew on every call: on the shipped graph that is some 700 parses, four fifths of
the validation time. Within ``prepared_queries()``, rdflib's SPARQL processor keeps the
translated form of each text it has seen and evaluates that, as ``prepareQuery`` does
for a query reused with other initial bindings.

This swaps a method of rdflib's ``SPARQLProcessor`` for the length of the block, a
process-wide change: use it where nothing else queries concurrently (validation runs
at load time and from the command line, never per request).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

__all__ = ["prepared_queries"]

_Key = tuple[str, str | None, tuple[tuple[str, Any], ...]]


@contextmanager
def prepared_queries() -> Iterator[None]:
    """Within the block, rdflib translates each distinct query text only once."""
    original = SPARQLProcessor.query
    cache: dict[_Key, Query] = {}

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
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            prepared = cache[key]
        return original(self, prepared, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]
