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

from typing import Final

from flask import Blueprint, Response, abort, request

from nkgraph.errors import ProtocolError
from nkgraph.export.dataset import Scope, export, fetch
from nkgraph.formats import EXPORT_FORMATS, negotiate
from nkgraph.web.etags import cached
from nkgraph.web.state import service_state

__all__ = ["bp", "requested_graph"]

bp = Blueprint("graph_store", __name__)

_GSP: Final = "https://www.w3.org/TR/sparql11-http-rdf-update/"


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
