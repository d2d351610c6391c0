"""Export the dataset, or one of its graphs, in each RDF format of ``EXPORT_FORMATS``.

Two steps, so that the command line and the web service write the same bytes:
:func:`fetch` reads the quads out of the engine (by SPARQL, so it keeps working when the
engine is another SPARQL server), and :func:`export` writes them.

What is written:

- TriG and N-Quads keep graph names: the whole dataset is every named graph, each under
  its name.
- Turtle, N-Triples, RDF/XML and JSON-LD hold one graph: the whole dataset is written as
  the union of its graphs, which is also what the SPARQL endpoint queries as its default
  graph. Graph names are dropped, and a triple held by two graphs is written once.
- One graph (``--graph``, or ``/graph?graph=IRI``) is that graph alone; in TriG and
  N-Quads it keeps its name.

The output is deterministic: blank nodes are relabelled by the W3C RDF Dataset
Canonicalization algorithm (RDFC-1.0) and statements are sorted, so two exports of the
same data are byte-identical, and a diff between two versions shows what changed.
Turtle and TriG are rdflib's ``longturtle`` layout (one predicate a line, blank nodes
nested in ``[ ]``) with subjects in IRI order. JSON-LD is compacted with the context
shipped as ``context.jsonld``, embedded whole so the file reads offline; with
``frame=Frame.ENTITY`` each resource named by an IRI is one object, its blank nodes
nested inside it.

>>> from nkgraph.sparql.engine import Engine, dataset_quads
>>> from nkgraph.model.loading import new_dataset
>>> from rdflib import Literal, URIRef
>>> dataset = new_dataset()
>>> graph = dataset.graph(URIRef("https://w3id.org/nkgraph/graph/g"))
>>> _ = graph.add((URIRef("https://w3id.org/nkgraph/id/armenia"),
...                URIRef("http://schema.org/name"), Literal("Armenia")))
>>> data = fetch(Engine.from_dataset(dataset), Scope.DATASET, timeout=5)
>>> print(export(data, N_QUADS).decode(), end="")
<https://w3id.org/nkgraph/id/armenia> <http://schema.org/name> "Armenia" <https://w3id.org/nkgraph/graph/g> .
"""  # noqa: E501

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any, Final

import pyoxigraph as ox
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from nkgraph.errors import GraphNotFound
from nkgraph.formats import (
    EXPORT_FORMATS,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    TRIG,
    TURTLE,
    Format,
)
from nkgraph.sparql.engine import QueryEngine, dataset_quads
from nkgraph.sparql.prepare import prepare
from nkgraph.vocab import PREFIXES

__all__ = [
    "CONTEXT_FILE",
    "Frame",
    "Scope",
    "context_document",
    "context_file",
    "export",
    "fetch",
    "graph_names",
    "quads_of",
    "select_graph",
]

#: The JSON-LD context, a file of this package (served at ``/context.jsonld``).
CONTEXT_FILE: Final = "context.jsonld"


class Scope(Enum):
    """What to export when no single named graph is asked for."""

    #: Every named graph, under its name (in a format that holds one graph: their union).
    DATASET = "dataset"
    #: The default graph, which is the union of all graphs (as the SPARQL endpoint's).
    DEFAULT = "default"


class Frame(Enum):
    """Shapes of JSON-LD document beyond the plain compacted one."""

    #: One object per resource named by an IRI, with its blank nodes nested inside.
    ENTITY = "entity"


# --- which quads ---------------------------------------------------------------------


def select_graph(name: str | None, known: Iterable[str]) -> Scope | str:
    """What ``name`` (a ``--graph`` value) asks for, among the graphs ``known``.

    ``None`` is the whole dataset and ``"default"`` the default graph (the union); any
    other name is a graph's IRI, or its IRI relative to the graph namespace
    (``ontology`` for ``https://w3id.org/nkgraph/graph/ontology``), or the last segment
    of exactly one graph's IRI (``metadata``).

    Raises:
        GraphNotFound: no known graph has that name.
    """
    if name is None:
        return Scope.DATASET
    if name == Scope.DEFAULT.value:
        return Scope.DEFAULT
    names = sorted(known)
    for candidate in (name, PREFIXES["graph"] + name):
        if candidate in names:
            return candidate
    ending = [iri for iri in names if iri.endswith("/" + name)]
    if len(ending) == 1:  # "metadata" for .../karabakh-exodus-2023/metadata
        return ending[0]
    raise GraphNotFound(name, tuple(names))


# The engine caps results at max_rows and reads one row more to tell that it did;
# an export must be whole, so it asks for as many rows as there can be.
_ALL_ROWS: Final = sys.maxsize - 1


def fetch(engine: QueryEngine, which: Scope | str, *, timeout: float) -> ox.Dataset:
    """The quads ``which`` selects, read from ``engine`` by a SPARQL query.

    Args:
        engine: the engine holding the dataset.
        which: the whole dataset, its default graph, or the IRI of one named graph.
        timeout: the longest the query may run, in seconds.

    Raises:
        GraphNotFound: ``which`` names a graph the engine does not hold.
        QueryTimeout: the query ran out of time.
    """
    union: bool | None = None
    if which is Scope.DATASET:
        # The triples of the dataset's own default graph (?g unbound), then each named
        # graph's: the union default graph is turned off for this query, or the first
        # part would hold every triple again.
        text = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        union = False
    elif which is Scope.DEFAULT:
        text = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
    elif which in engine.graph_names:
        # Safe to splice: the name is one of the engine's own graph IRIs.
        text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{which}> {{ ?s ?p ?o }} }}"
    else:
        raise GraphNotFound(str(which), tuple(sorted(engine.graph_names)))
    result = engine.run(
        prepare(text), timeout=timeout, max_rows=_ALL_ROWS, union_default_graph=union
    )
    named = ox.NamedNode(which) if isinstance(which, str) else None
    data = ox.Dataset()
    for row in result.solutions:
        subject, predicate, obj = row[0], row[1], row[2]
        graph = row[3] if which is Scope.DATASET else named
        data.add(ox.Quad(subject, predicate, obj, graph))
    return data


def graph_names(dataset: Dataset) -> frozenset[str]:
    """IRIs of the named graphs of ``dataset`` that hold something."""
    return frozenset(
        str(graph.identifier)
        for graph in dataset.graphs()
        if graph.identifier != DATASET_DEFAULT_GRAPH_ID and len(graph)
    )


def quads_of(dataset: Dataset, which: Scope | str) -> ox.Dataset:
    """The quads ``which`` selects, read from an rdflib ``dataset`` (the loaded files).

    Unlike :func:`fetch`, this keeps every datatype as written: pyoxigraph's store, like
    many triple stores, keeps integer-derived datatypes (``xsd:nonNegativeInteger``,
    ``xsd:positiveInteger``...) as ``xsd:integer``.

    Raises:
        GraphNotFound: ``which`` names a graph the dataset does not hold.
    """
    quads = list(dataset_quads(dataset))
    if which is Scope.DATASET:
        return ox.Dataset(quads)
    if which is Scope.DEFAULT:
        return ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    if which not in graph_names(dataset):
        raise GraphNotFound(str(which), tuple(sorted(graph_names(dataset))))
    named = ox.NamedNode(which)
    return ox.Dataset(q for q in quads if q.graph_name == named)


# --- writing -------------------------------------------------------------------------


def export(data: ox.Dataset, fmt: Format, *, frame: Frame | None = None) -> bytes:
    """``data`` written in ``fmt``, deterministically (UTF-8).

    A format that holds one graph gets the union of ``data``'s graphs.

    Args:
        data: the quads to write.
        fmt: one of ``EXPORT_FORMATS``.
        frame: for JSON-LD only, the document's shape.

    Raises:
        ValueError: ``fmt`` is not an export format, or ``frame`` is given for another
            format than JSON-LD.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"{fmt.name} is not an export format")
    if frame is not None and fmt is not JSON_LD:
        raise ValueError(f"a frame applies to JSON-LD only, not to {fmt.label}")
    quads = (
        data if fmt.holds_datasets else (ox.Quad(q.subject, q.predicate, q.object) for q in data)
    )
    canonical = ox.Dataset(quads)
    canonical.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    if fmt is JSON_LD:
        return _jsonld(canonical, frame)
    return _WRITERS[fmt.name](canonical)


def _sorted(data: ox.Dataset) -> list[ox.Quad]:
    return sorted(data, key=str)


def _lines(data: ox.Dataset, fmt: Format) -> bytes:
    """One statement a line, lines sorted (as RDFC-1.0 writes its canonical form)."""
    if fmt.holds_datasets:
        text = ox.serialize(data, format=fmt.ox_rdf_format)
    else:
        text = ox.serialize([q.triple for q in data], format=fmt.ox_rdf_format)
    text = text or b""
    return b"".join(sorted(text.splitlines(keepends=True)))


def _rdfxml(data: ox.Dataset) -> bytes:
    triples = [q.triple for q in _sorted(data)]
    return ox.serialize(triples, format=RDF_XML.ox_rdf_format, prefixes=_used(data)) or b""


def _used(data: ox.Dataset) -> dict[str, str]:
    """The project's prefixes that some IRI of ``data`` starts with."""
    iris = {t.value for q in data for t in (q.subject, q.predicate, q.object)}
    iris.update(t.datatype.value for q in data if isinstance(t := q.object, ox.Literal))
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


# --- Turtle and TriG -----------------------------------------------------------------


class _SortedTurtle(LongTurtleSerializer):
    """rdflib's ``longturtle``, with subjects in IRI order.

    rdflib orders subjects by how often they are referenced, so one new link would move
    a whole block of the file and spoil the diff; blank-node subjects come last.
    """

    def orderSubjects(self) -> list[Any]:  # noqa: N802 (rdflib's name)
        return sorted(self._subjects, key=lambda s: (isinstance(s, BNode), s))


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triples cannot be exported: {term}")


_XSD_STRING: Final = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def _turtle_text(quads: Iterable[ox.Quad]) -> str:
    graph = Graph(bind_namespaces="none")
    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for q in quads:  # in sorted order, so that rdflib's store iterates deterministically
        graph.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    stream = io.BytesIO()
    _SortedTurtle(graph).serialize(stream, encoding="utf-8")  # type: ignore[no-untyped-call]
    return stream.getvalue().decode("utf-8")


def _turtle(data: ox.Dataset) -> bytes:
    return _turtle_text(_sorted(data)).encode("utf-8")


def _trig(data: ox.Dataset) -> bytes:
    """Each graph as a Turtle block, its prefixes gathered once at the top.

    The blocks are not indented: that would change the multi-line literals (the article's
    text) that ``longturtle`` writes between triple quotes.
    """
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in _sorted(data):
        graph = quad.graph_name
        by_graph.setdefault("" if isinstance(graph, ox.DefaultGraph) else str(graph), []).append(
            quad
        )
    prefixes: set[str] = set()
    blocks: list[str] = []
    for label in sorted(by_graph):  # the default graph ("") first, then by IRI
        head, _, body = _turtle_text(by_graph[label]).partition("\n\n")
        prefixes.update(line for line in head.splitlines() if line.startswith("PREFIX "))
        blocks.append(f"{label + ' ' if label else ''}{{\n{body.rstrip()}\n}}\n")
    header = "".join(f"{line}\n" for line in sorted(prefixes))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


# --- JSON-LD -------------------------------------------------------------------------


def context_file() -> bytes:
    """The shipped JSON-LD context file, as it is written."""
    return resources.files("nkgraph").joinpath(CONTEXT_FILE).read_bytes()


@cache
def context_document() -> dict[str, Any]:
    """The shipped JSON-LD context document, ``{"@context": {...}}``."""
    document: dict[str, Any] = json.loads(context_file())
    return document


def _no_remote_documents(url: str, options: Any = None) -> Any:
    """pyld's document loader: the export never fetches anything from the Web."""
    raise jsonld.JsonLdError(
        f"nkgraph does not load remote JSON-LD documents ({url})",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )


def _jsonld(data: ox.Dataset, frame: Frame | None) -> bytes:
    options: Any = {"documentLoader": _no_remote_documents}
    expanded = jsonld.from_rdf(_pyld_dataset(data), options)
    context = context_document()["@context"]
    compacted = jsonld.compact(expanded, context, options)
    nodes = compacted.get("@graph", [] if len(compacted) == 1 else [_node_of(compacted)])
    nodes = [_native(node, _coercions(context)) for node in nodes]
    if frame is Frame.ENTITY:
        nodes = _nest(nodes, _reference_terms(context))
    nodes.sort(key=lambda node: (str(node.get("id", "")).startswith("_:"), node.get("id", "")))
    document = {"@context": context, "@graph": [_ordered(node) for node in nodes]}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _pyld_dataset(data: ox.Dataset) -> dict[str, list[dict[str, Any]]]:
    """``data`` as pyld's RDF dataset, in sorted order.

    Handed over directly: pyld's N-Quads parser compares each statement with every
    statement before it, seconds for the shipped graph.
    """
    triples = [
        {
            "subject": _pyld_term(q.subject),
            "predicate": _pyld_term(q.predicate),
            "object": _pyld_term(q.object),
        }
        for q in _sorted(data)
    ]
    return {"@default": triples} if triples else {}


def _pyld_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    if isinstance(term, ox.Literal):
        literal = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        if term.language:
            literal["language"] = term.language
        return literal
    raise TypeError(f"RDF-star triples cannot be exported: {term}")


def _node_of(compacted: dict[str, Any]) -> dict[str, Any]:
    """The one node pyld compacts to the top level, without the context."""
    return {key: value for key, value in compacted.items() if key != "@context"}


_XSD: Final = PREFIXES["xsd"]
#: Datatypes whose canonical values JSON writes natively (numbers and booleans). A JSON
#: integer reads back as ``xsd:integer``, or as the term's own type where the context
#: gives the term one; ``xsd:double`` is left out, since JSON would change its lexical form.
_INTEGERS: Final = frozenset(
    f"xsd:{name}"
    for name in (
        *("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger"),
        *("negativeInteger", "long", "int", "short", "byte"),
        *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    )
)


def _coercions(context: dict[str, Any]) -> dict[str, str]:
    """Each term's datatype, where the context gives it one."""
    return {
        term: definition["@type"]
        for term, definition in context.items()
        if isinstance(definition, dict) and not str(definition.get("@type", "@")).startswith("@")
    }


def _native(node: dict[str, Any], coercions: dict[str, str]) -> dict[str, Any]:
    """``node`` with canonical integers and booleans as JSON numbers and booleans.

    ``"34000"`` under a term typed ``xsd:integer`` becomes ``34000``, and
    ``{"@value": "34000", "type": "xsd:integer"}`` becomes ``34000`` too: both read back
    as the same literal, and a program gets a number.
    """

    def convert(key: str, value: Any) -> Any:
        if isinstance(value, list):
            return [convert(key, item) for item in value]
        datatype = coercions.get(key)
        if isinstance(value, dict) and set(value) == {"@value", "type"}:
            datatype = value["type"] if value["type"] in ("xsd:integer", "xsd:boolean") else None
            lexical = value["@value"]
        elif isinstance(value, str) and datatype is not None:
            lexical = value
        else:
            return value
        if datatype in _INTEGERS and lexical.lstrip("-").isdigit() and str(int(lexical)) == lexical:
            return int(lexical)
        if datatype == "xsd:boolean" and lexical in ("true", "false"):
            return lexical == "true"
        return value

    return {
        key: value if key in ("id", "type") else convert(key, value) for key, value in node.items()
    }


def _reference_terms(context: dict[str, Any]) -> frozenset[str]:
    """Terms whose string values are IRIs or blank nodes (``@type`` ``@id`` or ``@vocab``)."""
    return frozenset(
        term
        for term, definition in context.items()
        if isinstance(definition, dict) and definition.get("@type") in ("@id", "@vocab")
    )


def _nest(nodes: list[dict[str, Any]], reference_terms: frozenset[str]) -> list[dict[str, Any]]:
    """Put each blank node referenced exactly once inside the node that references it.

    A blank node that is referenced more than once, or not at all, or only from a cycle
    of blank nodes, stays at the top with its label, so that the document still reads
    back as the same graph.
    """
    by_id = {node["id"]: node for node in nodes if "id" in node}
    counts: dict[str, int] = {}
    for node in nodes:
        for reference in _references(node, reference_terms):
            counts[reference] = counts.get(reference, 0) + 1
    nestable = {ref for ref, count in counts.items() if count == 1 and ref in by_id}
    placed: set[str] = set()

    def embed(value: Any, key: str) -> Any:
        reference = _reference(key, value, reference_terms)
        if reference in nestable and reference not in placed:
            placed.add(reference)
            inner = {k: v for k, v in by_id[reference].items() if k != "id"}
            return {k: embed_all(v, k) for k, v in inner.items()}
        return value

    def embed_all(value: Any, key: str) -> Any:
        if key in ("id", "type"):
            return value
        if isinstance(value, list):
            return [embed(item, key) for item in value]
        return embed(value, key)

    roots = [node for node in nodes if node.get("id") not in nestable]
    nested = [{k: embed_all(v, k) for k, v in node.items()} for node in roots]
    # Blank nodes reachable only from a cycle of blank nodes were never placed.
    nested += [by_id[ref] for ref in sorted(nestable - placed)]
    return nested


def _reference(key: str, value: Any, reference_terms: frozenset[str]) -> str | None:
    """The blank node ``value`` refers to, if it is a reference to one."""
    if isinstance(value, dict) and set(value) == {"id"}:
        value = value["id"]
    elif not (isinstance(value, str) and key in reference_terms):
        return None
    return value if isinstance(value, str) and value.startswith("_:") else None


def _references(node: dict[str, Any], reference_terms: frozenset[str]) -> Iterable[str]:
    for key, value in node.items():
        if key in ("id", "type"):
            continue
        for item in value if isinstance(value, list) else [value]:
            reference = _reference(key, item, reference_terms)
            if reference is not None:
                yield reference


_KEY_RANK: Final = {"@context": 0, "id": 1, "@id": 1, "type": 2, "@type": 2, "@value": 3}


def _ordered(value: Any) -> Any:
    """Keys in reading order: ``id``, ``type``, then the rest alphabetically."""
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    if not isinstance(value, dict):
        return value
    keys = sorted(value, key=lambda k: (_KEY_RANK.get(k, 9), k.casefold(), k))
    return {key: _ordered(value[key]) for key in keys}


_WRITERS: Final[dict[str, Callable[[ox.Dataset], bytes]]] = {
    TURTLE.name: _turtle,
    TRIG.name: _trig,
    N_TRIPLES.name: lambda data: _lines(data, N_TRIPLES),
    N_QUADS.name: lambda data: _lines(data, N_QUADS),
    RDF_XML.name: _rdfxml,
}
