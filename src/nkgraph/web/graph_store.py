"""The SPARQL 1.1 Graph Store HTTP Protocol on ``/graph``, by indirect identification.

- ``GET /graph?default`` (the default graph: the union of all graphs, as the SPARQL
  endpoint's) and ``GET /graph?graph=IRI`` (one named graph), in the format ``Accept``
  asks for. The answer's ``ETag`` is the data version, the same in every format, so it
  is the value a write's ``If-Match`` sends back.
- ``PUT`` (replace the graph), ``POST`` (add to it; 201 Created when it is new) and
  ``DELETE`` (404 when it is absent), with a body in any RDF format nkgraph reads. With
  writes off they are refused (403, the same answer as an update's); with writes on each
  is one transaction (``web/writing.py``). ``PATCH`` is not part of the protocol: 405.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from typing import Final

import pyoxigraph as ox
from flask import Blueprint, Response, abort, request, url_for

from nkgraph.config import Settings
from nkgraph.curation.staging import GraphMethod, patch_for_graph
from nkgraph.errors import BodySyntaxError, ProtocolError, UnsupportedMediaType
from nkgraph.export.dataset import Scope, export, fetch
from nkgraph.formats import EXPORT_FORMATS, FILE_FORMATS, from_media_type, negotiate
from nkgraph.web.etags import cached
from nkgraph.web.sparql import check_body_size
from nkgraph.web.state import service_state
from nkgraph.web.writing import committed, curator_of, write

__all__ = ["bp", "requested_graph"]

#: The media type of a POST that carries several RDF documents (Graph Store Protocol, 5.5).
_MULTIPART: Final = "multipart/form-data"

bp = Blueprint("graph_store", __name__)

_GSP: Final = "https://www.w3.org/TR/sparql11-http-rdf-update/"
_METHODS: Final[dict[str, GraphMethod]] = {"PUT": "PUT", "POST": "POST", "DELETE": "DELETE"}


@bp.get("/graph")
def read() -> Response:
    """One graph, by the Graph Store Protocol's indirect identification."""
    state = service_state()
    fmt = negotiate(request.headers.get("Accept"), EXPORT_FORMATS)
    which = requested_graph()

    def produce() -> Response:
        data = fetch(state.engine, which, timeout=state.settings.query_timeout)
        response = Response(export(data, fmt), mimetype=None)
        response.headers["Content-Type"] = fmt.content_type
        return response

    response = cached(state.engine.version or None, state.last_modified(), produce)
    response.vary.add("Accept")
    return response


@bp.route("/graph", methods=["PUT", "POST", "DELETE"])
def change() -> Response:
    """Replace, add to or delete one graph, as one transaction."""
    state = service_state()
    curator_of(state)  # writes off: 403 before the body is read
    which = requested_graph()
    graph = None if which is Scope.DEFAULT else str(which)
    existed = graph is None or graph in state.engine.graph_names
    method: GraphMethod = _METHODS[request.method]
    quads = () if method == "DELETE" else tuple(_body_quads(state.settings, graph))
    entry = write(
        state,
        lambda store: patch_for_graph(store, method, graph, quads),
        summary=f"{method} {request.full_path.removesuffix('?')}",
    )
    if method == "DELETE" or existed:
        return committed(entry)
    response = committed(entry, status=HTTPStatus.CREATED)
    response.headers["Location"] = url_for("graph_store.read", graph=graph, _external=True)
    return response


def _body_quads(settings: Settings, graph: str | None) -> Iterator[ox.Quad]:
    """The triples of the body (``patch_for_graph`` puts them in the graph and gives their
    blank nodes fresh labels). A POST may send several RDF documents as the parts of a
    ``multipart/form-data`` body (Graph Store Protocol, 5.5): each part is read in the
    format its own Content-Type names, and their blank nodes are kept apart.

    Raises:
        UnsupportedMediaType: the body (or a part) is in no RDF format nkgraph reads.
        BodySyntaxError: it does not parse, or (TriG, N-Quads) names a graph.
    """
    check_body_size(settings)
    if request.mimetype == _MULTIPART and request.method == "POST":
        for number, part in enumerate(request.files.values()):
            parsed = _document_quads(part.read(), part.mimetype, graph)
            yield from (_apart(quad, f"part{number}x") for quad in parsed)
        return
    yield from _document_quads(request.get_data(), request.mimetype, graph)


def _document_quads(body: bytes, media_type: str, graph: str | None) -> Iterator[ox.Quad]:
    """The triples of one RDF document of type ``media_type``."""
    fmt = from_media_type(media_type, FILE_FORMATS)
    if fmt is None:
        offers = tuple(f.media_type for f in FILE_FORMATS)
        raise UnsupportedMediaType(media_type, offers, what="a graph")
    try:
        for quad in ox.parse(body, format=fmt.ox_rdf_format, base_iri=_base(graph)):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                raise BodySyntaxError(
                    fmt.label,
                    f"it names the graph {quad.graph_name}; a Graph Store write carries the "
                    "triples of one graph, the one the URL names",
                )
            yield quad
    except SyntaxError as error:
        raise BodySyntaxError(
            fmt.label, _parser_words(error), line=error.lineno, column=error.offset
        ) from None


def _apart(quad: ox.Quad, prefix: str) -> ox.Quad:
    """``quad`` with its blank nodes' labels prefixed, so two documents' ``_:b0`` differ."""

    def relabel(
        term: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        return ox.BlankNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term

    subject = relabel(quad.subject)  # type: ignore[arg-type]
    assert not isinstance(subject, ox.Literal)  # noqa: S101 (a subject is never a literal)
    return ox.Quad(subject, quad.predicate, relabel(quad.object), quad.graph_name)  # type: ignore[arg-type]


def _base(graph: str | None) -> str:
    """The base IRI of a body: the graph's IRI, else the URL it was sent to."""
    return graph if graph is not None else request.base_url


def _parser_words(error: SyntaxError) -> str:
    """pyoxigraph's message without its own "at line L column C" (said once, by us)."""
    message = str(error.msg)
    head, _, rest = message.partition(": ")
    return rest if head.startswith("Parser error at line") and rest else message


@bp.route("/graph", methods=["PATCH"])
def patch() -> Response:
    """PATCH is not a Graph Store Protocol method."""
    abort(405, valid_methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "DELETE"])


def requested_graph() -> Scope | str:
    """``default`` or ``graph=IRI``, given exactly once, and not both.

    Raises:
        ProtocolError: neither, both, or ``graph`` twice.
    """
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default and graphs:
        raise _protocol_error("give either default or graph=IRI, not both")
    if not default and not graphs:
        raise _protocol_error(
            "name the graph: /graph?default for the default graph (the union of all "
            "graphs), or /graph?graph=IRI for one named graph"
        )
    if len(graphs) > 1:
        raise _protocol_error(f"graph is given {len(graphs)} times; give exactly one")
    return Scope.DEFAULT if default else graphs[0]


def _protocol_error(message: str) -> ProtocolError:
    error = ProtocolError(message)
    error.spec = _GSP + "#indirect-graph-identification"
    return error
