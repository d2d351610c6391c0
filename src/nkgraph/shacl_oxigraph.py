"""Evaluate pySHACL's SHACL-SPARQL constraint queries with pyoxigraph.

pySHACL runs each SHACL-SPARQL constraint once per focus node, through rdflib's SPARQL
evaluator, at about a millisecond a query: on 100 synthetic articles that is 17,580 queries
and more than half of the validation time. pyoxigraph answers the same query in tens of
microseconds. Within :func:`sparql_on_oxigraph`, the data graph's ``query`` sends these
queries to a pyoxigraph copy of the data (the *mirror*) and hands pySHACL an rdflib
``Result`` with the very terms the data holds. Everything else pySHACL does (the core
constraints, target selection, the report) stays in rdflib.

``$this`` and the other pre-bound variables become pyoxigraph ``substitutions``, which
follow SEP-0007, the pre-binding that SHACL's own definition amounts to; the query runs
over the union of the dataset's graphs, as rdflib's does on a ``default_union`` Dataset.

The two must give the same answers, so a query goes to rdflib as before whenever they
could differ:

- on the data: a literal typed ``xsd:string`` explicitly or a language tag with capitals
  (pyoxigraph reads the first as plain and lowercases the second), two literals that
  pyoxigraph stores as one (``"1.50"`` and ``"1.5"`` as ``xsd:decimal``), or a term
  pyoxigraph cannot hold;
- on the shapes: SHACL rules (they add triples the mirror would miss) or SHACL functions
  (rdflib knows them, pyoxigraph does not);
- on the query: a value computed by it (``AS``, ``BIND``, ``VALUES``), a ``GRAPH``, ``FROM``
  or ``SERVICE``, a query form other than SELECT and ASK, or one pyoxigraph refuses (it
  requires a pre-bound variable of a SELECT to be projected).

A literal pyoxigraph returns is named by the data's own term: pyoxigraph stores typed
literals in canonical form (``"1.50"^^xsd:decimal`` as ``"1.5"``), rdflib as written, so
each typed literal of the data is looked up by its canonical form.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import pyoxigraph as ox
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import SH, XSD
from rdflib.query import Result
from rdflib.term import Identifier

from nkgraph.oxterms import dataset_quads, ox_term
from nkgraph.query import tokens

__all__ = ["Mirror", "mirror_of", "sparql_on_oxigraph"]

logger = logging.getLogger(__name__)

_XSD_STRING: Final = str(XSD.string)
_LANG_STRING: Final = str(RDF.langString)
#: Words by which a query brings values of its own (``BIND`` and aggregates come with ``AS``).
_COMPUTING: Final = frozenset({"AS", "VALUES"})
#: Words by which a query reads beyond the dataset's union graph and named graphs.
_EXTERNAL: Final = frozenset({"FROM", "SERVICE"})
#: Kinds of SHACL function: rdflib evaluates them, pyoxigraph does not know them.
_FUNCTIONS: Final = (SH.SPARQLFunction, SH.JSFunction, SH.Function)


@dataclass(frozen=True)
class Mirror:
    """A pyoxigraph copy of an rdflib dataset, and the way back to its terms.

    Args:
        store: the copy.
        typed: the typed literals of the data (not ``xsd:string``); pyoxigraph stores each
            as written.
        default_graph_empty: whether the data's default graph holds no triple.
    """

    store: ox.Store
    typed: Mapping[ox.Literal, Literal]
    default_graph_empty: bool

    def to_rdflib(self, term: object, *, computed: bool = False) -> Identifier | None:
        """The data's term for a term pyoxigraph returned; ``None`` for a typed literal
        that is not the data's, or may have been computed by the query (``computed``):
        rdflib may write its value otherwise (``1.0`` or ``1`` for an ``xsd:decimal``)."""
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            if term.datatype.value == _XSD_STRING:
                return Literal(term.value)
            return None if computed else self.typed.get(term)
        return None  # an RDF 1.2 triple term: rdflib holds none


def mirror_of(data: Dataset) -> Mirror | None:
    """A pyoxigraph copy of ``data``; ``None`` when pyoxigraph would not answer queries on
    it as rdflib does (the module docstring lists when)."""
    typed: list[tuple[Literal, ox.Literal]] = []
    for literal in data.objects(None, None, unique=True):
        if not isinstance(literal, Literal):
            continue
        if literal.language:
            if literal.language != literal.language.lower():
                _refused(f"the language tag of {literal.n3()} has capitals")
                return None
        elif literal.datatype == XSD.string:
            _refused(f"{literal.n3()} is typed xsd:string explicitly")
            return None
        elif literal.datatype is not None and str(literal.datatype) != _LANG_STRING:
            typed.append(
                (literal, ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype))))
            )
    store = ox.Store()
    try:
        store.bulk_extend(dataset_quads(data))
    except (ValueError, TypeError) as error:
        _refused(str(error))
        return None
    stored = _as_stored(typed)
    if isinstance(stored, str):
        _refused(stored)
        return None
    return Mirror(store, stored, default_graph_empty=len(data.default_graph) == 0)


def _as_stored(literals: list[tuple[Literal, ox.Literal]]) -> dict[ox.Literal, Literal] | str:
    """Each typed literal by its pyoxigraph form, or why one is not stored as written
    (pyoxigraph stores ``"1.50"^^xsd:decimal`` as ``"1.5"``, which ``STR`` would show)."""
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:nkgraph:literal")
    scratch.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:nkgraph:{index}"), predicate, value)
        for index, (_, value) in enumerate(literals)
    )
    for quad in scratch:
        literal, written = literals[int(quad.subject.value.rpartition(":")[2])]
        if quad.object != written:
            return f"pyoxigraph stores {literal.n3()} as {quad.object}"
    return {written: literal for literal, written in literals}


def _refused(reason: str) -> None:
    logger.info("SHACL-SPARQL constraints evaluated by rdflib: %s", reason)


@contextmanager
def sparql_on_oxigraph(data: Dataset, shapes: Graph) -> Iterator[Mirror | None]:
    """Within the block, SPARQL queries on ``data`` (pySHACL's) that pyoxigraph answers as
    rdflib would are answered by pyoxigraph; yields the mirror, or ``None`` when every
    query stays with rdflib. ``data`` must not change within the block."""
    if _needs_rdflib(shapes):
        logger.info(
            "SHACL-SPARQL constraints evaluated by rdflib: the shapes hold rules or functions"
        )
        yield None
        return
    mirror = mirror_of(data)
    if mirror is None:
        yield None
        return
    prefixes = {prefix: str(iri) for prefix, iri in data.namespaces()}

    def query(
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 (rdflib's names)
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not kwargs:
            answer = _answer(
                mirror, data, query_object, _prefixes(initNs) or prefixes, initBindings
            )
            if answer is not None:
                return answer
        return type(data).query(
            data,
            query_object,
            processor,
            result,
            initNs,
            initBindings,
            use_store_provided,
        )

    data.query = query  # type: ignore[method-assign]
    try:
        yield mirror
    finally:
        del data.query


def _needs_rdflib(shapes: Graph) -> bool:
    """Whether the shapes hold rules (which add triples the mirror would miss) or
    functions."""
    if (None, SH.rule, None) in shapes:
        return True
    return any((None, RDF.type, kind) in shapes for kind in _FUNCTIONS)


def _prefixes(namespaces: Mapping[str, Any] | None) -> dict[str, str] | None:
    """rdflib's ``initNs`` as pyoxigraph's ``prefixes``; ``None`` when not given (rdflib
    then uses the graph's own prefixes)."""
    if namespaces is None:
        return None
    return {prefix: str(iri) for prefix, iri in namespaces.items()}


@dataclass(frozen=True)
class _Reading:
    """What decides whether pyoxigraph may answer a query: its form, whether it names
    graphs, and whether it brings values of its own (``AS``, ``BIND``, ``VALUES``)."""

    form: str | None
    names_graphs: bool
    computes: bool
    external: bool


@lru_cache(maxsize=256)
def _read(text: str) -> _Reading:
    words = [t.text.upper() for t in tokens(text) if t.kind == "word"]
    form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    return _Reading(
        form=form,
        names_graphs="GRAPH" in words,
        computes=not _COMPUTING.isdisjoint(words),
        external=not _EXTERNAL.isdisjoint(words),
    )


def _answer(
    mirror: Mirror,
    data: Dataset,
    text: str,
    prefixes: Mapping[str, str],
    bindings: Mapping[str, Any] | None,
) -> Result | None:
    """pyoxigraph's answer as an rdflib ``Result``; ``None`` where rdflib's could differ
    (the module docstring says when), or pyoxigraph refuses the query."""
    reading = _read(text)
    if reading.form not in ("SELECT", "ASK") or reading.external:
        return None
    if reading.names_graphs and not mirror.default_graph_empty:
        return None  # rdflib's GRAPH ?g also visits the default graph, pyoxigraph's not
    try:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(str(name)): ox_term(value) for name, value in (bindings or {}).items()
        }
        answer = mirror.store.query(
            text,
            prefixes=dict(prefixes),
            use_default_graph_as_union=data.default_union,
            substitutions=substitutions,
        )
    except (SyntaxError, RuntimeError, ValueError, TypeError):
        return None
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if not isinstance(answer, ox.QuerySolutions):
        return None
    names = [Variable(v.value) for v in answer.variables]
    rows: list[Mapping[Variable, Identifier]] = []
    for solution in answer:
        row: dict[Variable, Identifier] = {}
        for name, term in zip(names, solution, strict=True):
            if term is None:
                continue
            node = mirror.to_rdflib(term, computed=reading.computes)
            if node is None:
                return None
            row[name] = node
        rows.append(row)
    result = Result("SELECT")
    result.vars = names
    result.bindings = rows
    return result
