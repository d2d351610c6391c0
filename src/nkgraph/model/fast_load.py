"""Parse RDF files with pyoxigraph into rdflib, with the result rdflib's own parser gives.

rdflib's pure-Python parsers spend most of the time of a validated build: about 98 s for
the million quads of 2,000 synthetic articles. pyoxigraph (Rust) parses them in a few
seconds; its quads are converted to rdflib terms, each distinct term once, and added to
the store in bulk.

The result is the one rdflib's parser leaves: the same quads in the same graphs, literals
built by the same ``Literal`` constructor (so normalised alike), blank nodes fresh per file.
What rdflib's parser does to the dataset besides adding triples (the prefixes it binds, the
namespaces a new ``Dataset`` or graph object binds, the default graph an N-Quads parse
empties) comes from running rdflib's parser itself on the file's header: its prefix
declarations, before the first statement (nothing, for N-Triples and N-Quads).

Where the two parsers may disagree, :func:`parse_into` returns ``False`` and the caller
parses the file with rdflib as before:

- pyoxigraph rejects the file (rdflib then reports the error, with its positions);
- the file declares a base or uses relative IRIs (rdflib resolves them its own way);
- a prefix is declared after the first statement (rdflib binds prefixes in the order
  first declared, which pyoxigraph does not report);
- a literal may be typed ``xsd:string`` explicitly (rdflib keeps that datatype, pyoxigraph
  reads it as a plain literal), or a language tag has capitals (pyoxigraph lowercases it);
- RDF 1.2 triple terms or base directions, which rdflib cannot hold;
- TriG with triples in the default graph (rdflib puts ``{ … }`` and bare triples in
  different graphs) or a blank node as graph name.

JSON-LD and RDF/XML always go to rdflib. Input rdflib rejects although the W3C grammar
allows it (a space before ``@en``, a non-ASCII blank node label) loads, as it does into the
store pyoxigraph builds (:func:`nkgraph.model.loading.load_into_store`).
"""

from __future__ import annotations

import gc
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from nkgraph.formats import N_QUADS, N_TRIPLES, TRIG, TURTLE, Format

__all__ = ["parse_into"]

logger = logging.getLogger(__name__)

#: The formats parsed here (JSON-LD and RDF/XML go to rdflib).
_PARSED_HERE: Final = (N_TRIPLES, N_QUADS, TURTLE, TRIG)
_XSD_STRING: Final = str(XSD.string)
_OX_XSD_STRING: Final = ox.NamedNode(_XSD_STRING)
#: A prefix declaration, after white space and comments, in Turtle's or SPARQL's syntax.
_DECLARATION: Final = re.compile(
    rb"(?:\s|#[^\n]*)*(?:"
    rb"@prefix\s+([^\s:<>#]*):\s*<([^<>\s\\]*)>\s*\.|(?i:prefix)\s+([^\s:<>#]*):\s*<([^<>\s\\]*)>)"
)
#: The keyword of a prefix declaration, in lowercased text, unless a name goes on after it.
#: (Patterns here start with a literal, which ``re`` finds fast in a file of 200 MB.)
_PREFIX_KEYWORD: Final = re.compile(rb"prefix(?![\w\x80-\xff-])")
#: Bytes that, before "prefix", make it the end of a name (``sh:prefix``), not a keyword.
_NAME_BYTES: Final = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_-:%\\") | set(range(128, 256))
#: A language tag with a capital, when right after a string (rdflib allows nothing between).
_CAPITAL_LANGUAGE: Final = re.compile(rb"@[a-zA-Z0-9-]*[A-Z]")

_GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
_Quad = tuple[Node, Node, Node, _GraphName]


class _NeedsRdflibError(Exception):
    """The file needs rdflib's parser to get rdflib's result."""


def parse_into(target: Graph, path: Path, *, fmt: Format, public_id: str) -> bool:
    """Add what ``target.parse(path, publicID=public_id, format=fmt.rdflib_format)`` would add.

    Args:
        target: the dataset, or the graph of a dataset, the file goes into (as in
            :func:`nkgraph.model.loading.load_dataset`).
        path: the file.
        fmt: its format.
        public_id: the base IRI rdflib would be given.

    Returns:
        ``True`` when the file was parsed here; ``False`` when it must be parsed by
        rdflib (see the module docstring): nothing was added then, at most what
        rdflib's own parse of the file does first (binding its default prefixes).
    """
    if fmt not in _PARSED_HERE or (not isinstance(target, Dataset) and type(target) is not Graph):
        return False
    try:
        data = path.read_bytes()
        header, prefixes = _header(data) if fmt in (TURTLE, TRIG) else (b"", {})
        _check_literals(data, prefixes)
        with _gc_paused():
            quads, terms = _parse(data, fmt.ox_rdf_format, prefixes)
        names = dict.fromkeys(quad[3] for quad in quads)
        _check_graph_names(names, fmt)
    except (OSError, ValueError, SyntaxError, _NeedsRdflibError) as error:
        logger.debug("%s goes to rdflib's parser: %s", path, error)
        return False
    try:
        target.parse(io.BytesIO(header), publicID=public_id, format=fmt.rdflib_format)
    # rdflib raises many exception types for bad input; its full parse will say what is wrong.
    except Exception:
        logger.debug("rdflib rejects the header of %s", path, exc_info=True)
        return False
    contexts = _contexts(target, fmt, names, terms)
    with _gc_paused():
        target.store.addN((s, p, o, contexts[g]) for s, p, o, g in quads)
    return True


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Terms and triples form no reference cycles, but a million new objects start full
    collections over all of them again and again: a fifth of the time at a million quads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _header(data: bytes) -> tuple[bytes, dict[str, str]]:
    """The prefix declarations that open a Turtle or TriG file, and the prefixes they bind.

    Raises:
        _NeedsRdflibError: the keyword "prefix" occurs after them (a later declaration,
            perhaps, or the word in a string).
    """
    prefixes: dict[str, str] = {}
    end = 0
    while (match := _DECLARATION.match(data, end)) is not None:
        name, iri = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
        prefixes[name.decode()] = iri.decode()
        end = match.end()
    lowered = data.lower()  # ASCII letters only, as the keyword is
    for keyword in _PREFIX_KEYWORD.finditer(lowered, end):
        if keyword.start() == 0 or lowered[keyword.start() - 1] not in _NAME_BYTES:
            raise _NeedsRdflibError("'prefix' occurs after the first statement")
    return data[:end], prefixes


def _check_literals(data: bytes, prefixes: dict[str, str]) -> None:
    """Raise _NeedsRdflibError where pyoxigraph reads a literal unlike rdflib.

    pyoxigraph cannot tell ``"x"^^xsd:string`` from ``"x"`` (one literal in RDF 1.1), which
    rdflib keeps apart, and it lowercases language tags, which rdflib keeps as written. Any
    ``^^`` followed by a spelling of xsd:string (or an IRI with escapes) sends the file to
    rdflib, as does a language tag with a capital.
    """
    spellings = [re.escape(f"<{_XSD_STRING}>".encode()), rb"<[^>\s]*\\[uU]"]
    for name, namespace in prefixes.items():
        if _XSD_STRING.startswith(namespace):
            spellings.append(re.escape(f"{name}:{_XSD_STRING[len(namespace) :]}".encode()))
    if re.search(rb"\^\^(?:\s|#[^\n]*)*(?:" + b"|".join(spellings) + rb")", data):
        raise _NeedsRdflibError("a literal may be typed xsd:string explicitly")
    for tag in _CAPITAL_LANGUAGE.finditer(data):
        if data[tag.start() - 1] in b"\"'":
            raise _NeedsRdflibError("a language tag has capitals")


def _parse(
    data: bytes, ox_format: ox.RdfFormat, prefixes: dict[str, str]
) -> tuple[list[_Quad], _Terms]:
    """The quads of ``data``, their terms converted to rdflib's.

    No base IRI is given, so a relative IRI is a SyntaxError.
    """
    parser = ox.parse(data, format=ox_format)
    terms = _Terms()
    quads = [(terms[s], terms[p], terms[o], g) for s, p, o, g in parser]
    if parser.base_iri is not None:
        raise _NeedsRdflibError("a base IRI is declared")
    if parser.prefixes != prefixes:
        raise _NeedsRdflibError("the prefixes declared differ from the header's")
    return quads, terms


class _Terms(dict[object, Node]):
    """rdflib terms by pyoxigraph term, each converted once: one BNode per label and file."""

    def __missing__(self, term: object) -> Node:
        node: Node
        if isinstance(term, ox.NamedNode):
            node = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            node = BNode()
        elif isinstance(term, ox.Literal):
            node = _literal(term)
        else:
            raise _NeedsRdflibError(f"rdflib cannot hold {term}")
        self[term] = node
        return node


def _literal(term: ox.Literal) -> Literal:
    if term.direction is not None:
        raise _NeedsRdflibError(f"rdflib cannot hold the base direction of {term}")
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    if term.datatype == _OX_XSD_STRING:
        return Literal(term.value)  # rdflib's parsers leave a plain literal untyped
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _check_graph_names(names: dict[_GraphName, None], fmt: Format) -> None:
    if fmt is not TRIG:
        return
    if ox.DefaultGraph() in names:
        raise _NeedsRdflibError("TriG with triples in the default graph")
    if any(isinstance(name, ox.BlankNode) for name in names):
        raise _NeedsRdflibError("TriG with a blank node as graph name")


def _contexts(
    target: Graph, fmt: Format, names: dict[_GraphName, None], terms: _Terms
) -> dict[_GraphName, Graph]:
    """The graph objects rdflib's parser adds each graph's triples with.

    They matter beyond their names: rdflib keeps them, and a graph made by
    ``Dataset.get_context`` shares the namespace manager of a new ``Dataset``, which binds
    rdflib's default prefixes when first used, as the N-Quads parser's does.
    """
    if fmt in (TURTLE, N_TRIPLES):
        return dict.fromkeys(names, target)
    if fmt is TRIG:  # TrigSinkParser: a new Graph per graph block
        return {name: Graph(store=target.store, identifier=_name(name, terms)) for name in names}
    # NQuadsParser.parse: its own Dataset on the target's store, and the target's default graph
    sink = Dataset(store=target.store, default_union=True)
    return {
        name: (
            _nquads_default(target, sink)
            if isinstance(name, ox.DefaultGraph)
            else sink.get_context(_name(name, terms))
        )
        for name in names
    }


def _name(name: _GraphName, terms: _Terms) -> URIRef | BNode:
    node = terms[name]
    if isinstance(node, URIRef | BNode):
        return node
    raise TypeError(f"{name} cannot name a graph")  # pyoxigraph gives IRIs and blank nodes


def _nquads_default(target: Graph, sink: Dataset) -> Graph:
    """Where NQuadsParser puts the triples of the default graph."""
    if isinstance(target, Dataset):
        default: Graph = target.default_graph
        return default
    if target.identifier == DATASET_DEFAULT_GRAPH_ID:
        return target
    return sink.get_context(target.identifier)
